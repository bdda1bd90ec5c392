"""Restart time and serving RSS of the embedded store, in fresh processes, for one or more code trees.

Run (the indexes must exist and be current for each tree; `bench.scale` builds them)::

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.served \\
        --size 20:/tmp/w/corpus-20x:/tmp/w-before/index-20x:/tmp/w-after/index-20x \\
        --size 100:... --code before=/work/main after=. --repeats 2 --report reports/scale_served.md

Each `--size` names the copies, the corpus folder and one index folder per code tree (in `--code` order: an
index is in the format of the tree that built it). Each run is a fresh process of that tree (PYTHONPATH): the
time of `rag.load` (a restart: the index exists), the RSS right after it, then every dev gold question (296, the
validity slice included) searched and asked (`bench.scale.timed_queries`), the RSS after them, and the resident
part of each memory-mapped file.
The report also fits a line per tree (cost = a + b·chunks) through the sizes and extrapolates it to 10^6 chunks.
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

HERE = Path(__file__).resolve()
TARGET_CHUNKS = 1_000_000


def _mapped_mb() -> dict[str, float]:
    """Resident MB of this process's file-backed mappings under an index folder, by part (bm25_char, ...)."""
    out: dict[str, float] = {}
    current = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            path = head[5] if len(head) > 5 else ""
            current = next((p for p in ("bm25_char", "bm25_jieba", "dense.faiss", "corpus.sqlite") if p in path), None)
        elif current and line.startswith("Rss:"):
            out[current] = out.get(current, 0.0) + int(head[1]) / 1024
    return {k: round(v, 1) for k, v in out.items()}


def child(corpus_dir: Path, index_dir: Path) -> dict[str, Any]:
    """One fresh process: restart, RSS, the gold questions, RSS again."""
    started = time.perf_counter()
    import rag
    from bench.scale import _quantiles, _questions, rss_mb, timed_queries
    from rag.settings import Settings

    imported = time.perf_counter()
    service = rag.load(Settings(corpus_dir=corpus_dir, index_dir=index_dir))
    loaded = time.perf_counter()
    out: dict[str, Any] = {
        "import_s": round(imported - started, 2),
        "load_s": round(loaded - imported, 2),
        "chunks": len(service.chunks),
        "documents": len(service.documents),
        "rss_after_load_mb": round(rss_mb()),
        "decoded_after_load": getattr(service.corpus, "decoded", None),
    }
    questions = _questions()
    search_ms, ask_ms = timed_queries(service, questions)
    out |= {
        "search_ms": _quantiles(search_ms),
        "ask_ms": _quantiles(ask_ms),
        "serving_rss_mb": round(rss_mb()),
        "mapped_mb": _mapped_mb(),
        "decoded_after_queries": getattr(service.corpus, "decoded", None),
    }
    return out


def _run(code: Path, corpus_dir: Path, index_dir: Path) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    cmd = [sys.executable, str(HERE), "--child", str(corpus_dir), str(index_dir)]
    # imported here: the child runs this file with another tree first on the path, which may not have bench.child
    from bench.child import run_json

    result = run_json(cmd, code, tree_on_path=True)
    result["load_avg"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    return result


def _fit(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """(intercept, slope per chunk) of the least-squares line through (chunks, value), or None (< 2 sizes)."""
    if len({n for n, _ in points}) < 2:
        return None
    xs, ys = [n for n, _ in points], [v for _, v in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def report(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# Restart and serving RSS of the embedded store, by code tree (fresh processes)",
        "",
        f"Command: `{command}` ({os.cpu_count()} CPUs shared with other jobs; each row gives the 1-minute load "
        "average before and after its run: timings inflate with load, RSS does not).",
        "",
        "| tree | copies | chunks | restart `rag.load` s | RSS after load MB | serving RSS after the dev questions MB "
        "| resident mapped files MB | chunks decoded (load / queries) | search p50 / p95 ms | ask p50 / p95 ms "
        "| load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        mapped = ", ".join(f"{k} {v}" for k, v in sorted(r["mapped_mb"].items())) or "–"
        decoded = (
            f"{r['decoded_after_load']} / {r['decoded_after_queries']}"
            if r["decoded_after_load"] is not None
            else "all (decoded at load)"
        )
        lines.append(
            f"| {r['tree']} | {r['copies']} | {r['chunks']:,} | {r['load_s']} | {r['rss_after_load_mb']} | "
            f"{r['serving_rss_mb']} | {mapped} | {decoded} | {r['search_ms']['p50']} / {r['search_ms']['p95']} | "
            f"{r['ask_ms']['p50']} / {r['ask_ms']['p95']} | {r['load_avg'][0]}–{r['load_avg'][1]} |"
        )
    lines += [
        "",
        f"Linear fit per tree through the runs (value = a + b·chunks; the median of repeats per size), "
        f"extrapolated to {TARGET_CHUNKS:,} chunks:",
        "",
        "| tree | measure | per chunk (slope) | fixed part | at 10^6 chunks |",
        "|---|---|---|---|---|",
    ]
    for tree in dict.fromkeys(r["tree"] for r in results):
        mine = [r for r in results if r["tree"] == tree]
        for key, unit, scale in (
            ("load_s", "s", 1e6),
            ("rss_after_load_mb", "MB", 1024),
            ("serving_rss_mb", "MB", 1024),
        ):
            by_size: dict[int, list[float]] = {}
            for r in mine:
                by_size.setdefault(r["chunks"], []).append(float(r[key]))
            fit = _fit([(n, statistics.median(v)) for n, v in by_size.items()])
            if fit is None:
                continue
            a, b = fit
            per = f"{b * scale:.2f} µs" if unit == "s" else f"{b * scale:.2f} KB"
            at = a + b * TARGET_CHUNKS
            shown = f"{at:.1f} s" if unit == "s" else f"{at / 1024:.2f} GB"
            lines.append(f"| {tree} | {key} | {per} | {a:.1f} {unit} | {shown} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", action="append", default=[], help="COPIES:CORPUS:INDEX[:INDEX...] (one per tree)")
    parser.add_argument("--code", nargs="+", default=["this=."], help="NAME=PATH of each code tree")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--from-json", nargs="+", type=Path, default=[], help="also report the runs saved here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1]), ensure_ascii=False))
        return
    trees = [(name, Path(path).resolve()) for name, _, path in (c.partition("=") for c in args.code)]
    results: list[dict[str, Any]] = [r for path in args.from_json for r in json.loads(path.read_text(encoding="utf-8"))]
    for _ in range(args.repeats):
        for spec in args.size:
            copies, corpus_dir, *indexes = spec.split(":")
            for (tree, code), index_dir in zip(trees, indexes, strict=True):
                r = _run(code, Path(corpus_dir), Path(index_dir)) | {"tree": tree, "copies": int(copies)}
                results.append(r)
                print(json.dumps(r, ensure_ascii=False), flush=True)
    command = "HF_HUB_OFFLINE=1 .venv/bin/python -m bench.served " + " ".join(sys.argv[1:])
    # imported here: the child (this file run with PYTHONPATH set to another code tree) must not need this tree's
    # bench.scale
    from bench.scale import write_outputs

    write_outputs(report(results, command), results, args.report, args.json)


if __name__ == "__main__":
    main()
