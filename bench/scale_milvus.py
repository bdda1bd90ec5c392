"""Scale benchmark, Milvus Lite beside the embedded FAISS + BM25 store, at N× the bundled corpus.

Run: ``HF_HUB_OFFLINE=1 python -m bench.scale_milvus --copies 1 20`` (writes reports/scale_milvus.md).

For each size and store, in fresh processes: a first `rag.load` builds (FAISS: the index folder; Milvus: the
writer's sync into a new Milvus Lite file — both start from a copy of the 1× index folder, so vectors of
identical clause text are reused, not re-embedded); a second `rag.load` is a restart (Milvus: a read replica,
`sync=False`: the corpus comes from Milvus, nothing parsed), which then answers the first `--questions` gold
questions (`search` k=5 and `ask`, in process, warm). Milvus Lite is the test engine (a Python engine behind a
local gRPC channel, one process), not the production one: a Milvus standalone or cluster serves replicas.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.child import run_json
from bench.scale import corpus_at, load_stats, rss_mb, timed_queries
from rag.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "reports" / "scale_milvus.md"
COMMAND = "HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale_milvus --copies {copies} --questions {questions}"
STORES = ("faiss", "milvus")


def _quantiles(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"p50": round(statistics.median(times), 1), "p95": round(q[94], 1)}


def _settings(store: str, corpus_dir: Path, index_dir: Path, uri: Path) -> Any:
    from rag.settings import Settings

    return Settings(corpus_dir=corpus_dir, index_dir=index_dir, vector_store=store, milvus_uri=str(uri))


def child(store: str, corpus_dir: Path, index_dir: Path, uri: Path, questions: int) -> dict[str, Any]:
    """One fresh process: rag.load (build, or with `questions` > 0 a restart and the latency runs)."""
    started = time.perf_counter()
    import rag
    from eval.runner import load_items

    imported = time.perf_counter()
    restart = questions > 0
    sync = None if store == "faiss" else not restart
    service = rag.load(_settings(store, corpus_dir, index_dir, uri), sync=sync)
    out = load_stats(service, started, imported, time.perf_counter())
    if not restart:
        return out
    asked = [i["question"] for i in load_items(PROJECT_ROOT / "eval" / "gold" / "dev")][:questions]
    search_ms, ask_ms = timed_queries(service, asked)
    out |= {"search_ms": _quantiles(search_ms), "ask_ms": _quantiles(ask_ms), "queries": len(asked)}
    out["serving_rss_mb"] = round(rss_mb())
    return out


def _run_child(store: str, corpus_dir: Path, index_dir: Path, uri: Path, questions: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.scale_milvus", "--child", store, str(corpus_dir), str(index_dir), str(uri)]
    cmd += ["--questions", str(questions)]
    return run_json(cmd)


def _du_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 2**20, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1) if path.exists() else 0.0


def measure(store: str, copies: int, work: Path, seed: Path, questions: int) -> dict[str, Any]:
    """Build then restart one store at `copies`× the bundled corpus."""
    corpus_dir = corpus_at(copies, work)
    index_dir = work / f"{store}-index-{copies}x"
    uri = work / f"milvus-{copies}x.db"
    for old in (index_dir, uri):
        if old.is_dir():
            shutil.rmtree(old)
    shutil.copytree(seed, index_dir)  # the 1× vectors (and parse cache): identical text is not re-embedded
    if store == "milvus":
        for name in ("dense.faiss", "bm25_jieba", "bm25_char", "manifest.json", "userdict.txt"):
            target = index_dir / name
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
    build = _run_child(store, corpus_dir, index_dir, uri, 0)
    restart = _run_child(store, corpus_dir, index_dir, uri, questions)
    disk = (
        {"faiss": _du_mb(index_dir)}
        if store == "faiss"
        else {"milvus": _du_mb(uri), "writer caches": _du_mb(index_dir)}
    )
    return {"store": store, "copies": copies, "build": build, "restart": restart, "disk_mb": disk}


def report(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# Scale: Milvus Lite beside the embedded FAISS + BM25 store, at N× the bundled corpus",
        "",
        f"Command: `{command}` ({os.cpu_count()} CPUs, shared with other jobs while it ran: latencies are noisy).",
        "",
        "**Milvus Lite is the test engine, not the production one**: a pure-Python engine (brute-force or FAISS HNSW",
        "for vectors, a Python BM25 inverted index, the jieba package for its analyzer) in one process behind a",
        "local gRPC channel. Its latencies say what Lite costs, not what a Milvus standalone or cluster costs;",
        "they show that the same code path works at each size.",
        "",
        "| | " + " | ".join(f"{r['store']} {r['copies']}× ({r['restart']['chunks']:,} chunks)" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, fn: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(str(fn(r)) for r in results) + " |")

    row("build: first `rag.load` (parse + index; vectors reused), s", lambda r: r["build"]["load_s"])
    row("restart: `rag.load` in a new process (Milvus: a read replica), s", lambda r: r["restart"]["load_s"])
    row("dense index", lambda r: r["restart"]["dense_index"])
    row("search p50 / p95, ms", lambda r: " / ".join(str(v) for v in r["restart"]["search_ms"].values()))
    row("ask p50 / p95, ms", lambda r: " / ".join(str(v) for v in r["restart"]["ask_ms"].values()))
    row("peak RSS of the build process, MB", lambda r: r["build"]["peak_rss_load_mb"])
    row("serving RSS after the queries, MB", lambda r: r["restart"]["serving_rss_mb"])
    row("on disk, MB", lambda r: ", ".join(f"{k} {v}" for k, v in r["disk_mb"].items()))
    row("questions timed", lambda r: r["restart"]["queries"])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--questions", type=int, default=100, help="gold dev questions timed per run")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--seed", type=Path, default=PROJECT_ROOT / ".gongbao" / "index", help="a built 1× index")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gongbao-scale-milvus"))
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        store, corpus_dir, index_dir, uri = args.child
        print(json.dumps(child(store, Path(corpus_dir), Path(index_dir), Path(uri), args.questions)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for copies in sorted(args.copies):
        for store in args.stores.split(","):
            results.append(measure(store, copies, args.work, args.seed, args.questions))
            print(json.dumps(results[-1], ensure_ascii=False)[:2000], flush=True)
            if args.json:
                args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    command = COMMAND.format(copies=" ".join(map(str, sorted(args.copies))), questions=args.questions)
    text = report(results, command)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
