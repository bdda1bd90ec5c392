"""A benchmark's child process: a fresh interpreter, offline, that answers with one JSON line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from rag.settings import PROJECT_ROOT


def run_json(cmd: list[str], code: Path = PROJECT_ROOT, tree_on_path: bool = False) -> dict[str, Any]:
    """Run `cmd` in the folder `code`, offline and logging warnings only (with `code` first on the import path when
    `tree_on_path`: an A/B of code trees runs each tree's code), and return the JSON object its last line of output
    prints. Raises RuntimeError with the end of its stderr when it fails."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GONGBAO_LOG_LEVEL": "WARNING"}
    if tree_on_path:
        env["PYTHONPATH"] = str(code)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=code, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
