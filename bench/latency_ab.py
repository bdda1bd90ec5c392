"""Search latency of two code trees side by side, on the same index, alternating, robust to a shared machine's load.

Run: ``HF_HUB_OFFLINE=1 python -m bench.latency_ab --corpus CORPUS --index INDEX --code before=/path/to/main
after=. --rounds 3 --out reports/NAME.md``

Each round runs one fresh process per code tree (in turn, so both see the same load), which loads the index,
warms up, then searches (k=5) every dev gold question `--passes` times. Per search it records the wall time and the
CPU time of the searching thread (`time.thread_time`: what the search itself cost, not the time it waited for a core
on a loaded machine) and of the whole process (`time.process_time`: what the search cost on every thread, the
encoder's own threads included). Reported per run: wall p50/p95 of the first pass (what
`bench.scale` reports), wall p50/p95 of each question's fastest pass (transient load filtered out), both CPU
p50/p95, and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rag.settings import PROJECT_ROOT


def _q(values: list[float]) -> tuple[float, float]:
    return round(statistics.median(values), 2), round(statistics.quantiles(values, n=20)[18], 2)


def child(corpus: Path, index: Path, passes: int) -> dict[str, Any]:
    """One process: load, warm up, search every dev question `passes` times; the quantiles."""
    import rag
    from bench.scale import _questions
    from rag.settings import Settings

    service = rag.load(Settings(corpus_dir=corpus, index_dir=index))
    questions = _questions()
    for q in questions[:20]:
        service.search(q, k=5)
    wall: list[list[float]] = [[] for _ in questions]
    cpu: list[list[float]] = [[] for _ in questions]
    process: list[list[float]] = [[] for _ in questions]
    for _ in range(passes):
        for i, q in enumerate(questions):
            w, c, p = time.perf_counter(), time.thread_time(), time.process_time()
            service.search(q, k=5)
            cpu[i].append((time.thread_time() - c) * 1000)
            process[i].append((time.process_time() - p) * 1000)
            wall[i].append((time.perf_counter() - w) * 1000)
    return {
        "questions": len(questions),
        "wall_first": _q([w[0] for w in wall]),
        "wall_fastest": _q([min(w) for w in wall]),
        "cpu_fastest": _q([min(c) for c in cpu]),
        "process_fastest": _q([min(p) for p in process]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--code", nargs="+", default=[f"after={PROJECT_ROOT}"], help="NAME=DIR of a code tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="write the markdown table here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.corpus, args.index, args.passes)))
        return
    from bench.child import run_json  # the parent only: the child runs with another tree, which may not hold it

    trees = [c.split("=", 1) for c in args.code]
    rows = []
    for r in range(1, args.rounds + 1):
        for name, tree in trees:
            # the child runs this file from the other tree too (its code, this measurement)
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--corpus", str(args.corpus)]
            cmd += ["--index", str(args.index), "--passes", str(args.passes)]
            before = os.getloadavg()[0]
            result = run_json(cmd, code=Path(tree), tree_on_path=True)
            row = {"round": r, "code": name, "load": (round(before, 1), round(os.getloadavg()[0], 1)), **result}
            rows.append(row)
            print(json.dumps(row), flush=True)
    lines = [
        f"Command: `HF_HUB_OFFLINE=1 python -m bench.latency_ab --corpus {args.corpus} --index {args.index} --code "
        f"{' '.join(args.code)} --rounds {args.rounds} --passes {args.passes}` ({os.cpu_count()} CPUs, shared).",
        "",
        "| round | code | load avg before → after | wall p50 / p95, first pass (ms) | wall p50 / p95, fastest of "
        f"{args.passes} per question | CPU p50 / p95, fastest (searching thread) | CPU p50 / p95, fastest (process) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['round']} | {row['code']} | {row['load'][0]} → {row['load'][1]} | "
            f"{row['wall_first'][0]} / {row['wall_first'][1]} | {row['wall_fastest'][0]} / {row['wall_fastest'][1]} "
            f"| {row['cpu_fastest'][0]} / {row['cpu_fastest'][1]} "
            f"| {row['process_fastest'][0]} / {row['process_fastest'][1]} |"
        )
    text = "\n".join(lines) + "\n"
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
