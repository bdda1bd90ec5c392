"""bench.child: a benchmark's child answers with its last line of JSON; a failing one is said with its stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.child import run_json


def test_the_child_answers_with_its_last_json_line_offline(tmp_path: Path) -> None:
    script = (
        "import json, os; print('noise');"
        "print(json.dumps({'offline': os.environ['HF_HUB_OFFLINE'], 'path': os.environ.get('PYTHONPATH')}))"
    )
    inherited = os.environ.get("PYTHONPATH")
    assert run_json([sys.executable, "-c", script], tmp_path) == {"offline": "1", "path": inherited}
    assert run_json([sys.executable, "-c", script], tmp_path, tree_on_path=True)["path"] == str(tmp_path)


def test_a_failing_child_is_said_with_its_stderr(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        run_json([sys.executable, "-c", "raise SystemExit('boom')"], tmp_path)
