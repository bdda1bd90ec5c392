"""Scale benchmark: build, restart, search and ask latency, RSS and disk at N× the bundled corpus.

Run: ``HF_HUB_OFFLINE=1 python -m bench.scale --copies 1 20`` (writes reports/scale_corpus.md; bench/README.md
says how reports/scale.md is put together).

Each size runs in fresh processes: the first `rag.load` builds the index (at N > 1 the index folder starts as a
copy of the 1× one, so vectors of identical clause text are reused, not re-embedded: the N× corpora are copies,
and the embedding floor is measured at 1×); the second `rag.load` is a restart, which then answers the gold
questions (`search` k=5 and `ask`, in process, warm) and is profiled with pyinstrument.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.child import run_json
from bench.synth_corpus import write_corpus
from rag.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "reports" / "scale_corpus.md"
COMMAND = "HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale --copies {copies}"
PARTS = {  # what a search spends its time on: function → label
    "encode_queries": "query embedding",
    "encode_query_groups": "query embedding",  # a comparison's question and sides, embedded together
    "dense_vector": "FAISS",
    "bm25": "BM25 (tokenize + score + top-k)",
    "find_clauses": "citation lookup (index.lookup)",
    "query_doc_number": "文号 in the query",
    "_allowed": "filters → rows",
    "score_sum": "fusion",
    "_boost_years": "year boost",
    "_hit": "hit building",
}


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _quantiles(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"p50": round(statistics.median(times), 2), "p95": round(q[94], 2), "p99": round(q[98], 2)}


def _questions() -> list[str]:
    from eval.runner import load_items

    return [i["question"] for i in load_items(PROJECT_ROOT / "eval" / "gold" / "dev")]


def _breakdown(service: Any, questions: list[str]) -> dict[str, float]:
    """Milliseconds per search spent in each part (PARTS), by wrapping those functions with timers."""
    import index.lookup
    import index.vector_store
    import rag.retriever
    from index.store import IndexStore
    from rag.retriever import Retriever

    spent: dict[str, float] = dict.fromkeys(PARTS, 0.0)
    originals: list[tuple[Any, str, Any]] = []
    active: set[str] = set()

    def wrap(owner: Any, name: str) -> None:
        fn = getattr(owner, name)

        def timed(*args: Any, **kw: Any) -> Any:
            if PARTS[name] in active:  # called inside another timer of its part (a fallback): counted there
                return fn(*args, **kw)
            active.add(PARTS[name])
            start = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                spent[name] += time.perf_counter() - start
                active.discard(PARTS[name])

        originals.append((owner, name, fn))
        setattr(owner, name, timed)

    wrap(service.retriever.embedder, "encode_queries")
    wrap(service.retriever.embedder, "encode_query_groups")
    for name in ("dense_vector", "bm25"):
        wrap(IndexStore, name)
    for name in ("query_doc_number", "_allowed", "_boost_years", "_hit"):
        wrap(Retriever, name)
    wrap(rag.retriever, "find_clauses")
    wrap(index.vector_store, "score_sum")
    try:
        start = time.perf_counter()
        for q in questions:
            service.search(q, k=5)
        total = time.perf_counter() - start
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)
    by_part: dict[str, float] = {}
    for k, v in spent.items():
        by_part[PARTS[k]] = by_part.get(PARTS[k], 0.0) + v
    out = {part: round(v / len(questions) * 1000, 3) for part, v in by_part.items()}
    out["total"] = round(total / len(questions) * 1000, 3)
    return out


def load_stats(service: Any, started: float, imported: float, loaded: float) -> dict[str, Any]:
    """What a `rag.load` in a fresh process cost: import and load seconds, what it loaded, peak RSS so far."""
    return {
        "import_s": round(imported - started, 2),
        "load_s": round(loaded - imported, 2),
        "chunks": len(service.chunks),
        "documents": len(service.documents),
        "dense_index": service.manifest.dense_index,
        "peak_rss_load_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def timed_queries(service: Any, questions: list[str]) -> tuple[list[float], list[float]]:
    """Warm up with five asks, then search (k=5) and ask each question once: (search ms, ask ms) per question."""
    for q in questions[:5]:
        service.ask(q)
    search_ms, ask_ms = [], []
    for q in questions:
        t = time.perf_counter()
        service.search(q, k=5)
        search_ms.append((time.perf_counter() - t) * 1000)
    for q in questions:
        t = time.perf_counter()
        service.ask(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
    return search_ms, ask_ms


def child(corpus_dir: Path, index_dir: Path, queries: bool, profile: bool) -> dict[str, Any]:
    """One fresh process: rag.load (build or restart), then optionally the latency runs."""
    started = time.perf_counter()
    import rag
    from rag.settings import Settings

    imported = time.perf_counter()
    service = rag.load(Settings(corpus_dir=corpus_dir, index_dir=index_dir))
    out = load_stats(service, started, imported, time.perf_counter())
    if not queries:
        return out
    questions = _questions()
    search_ms, ask_ms = timed_queries(service, questions)
    out["search_ms"] = _quantiles(search_ms)
    out["ask_ms"] = _quantiles(ask_ms)
    out["queries"] = len(questions)
    out["serving_rss_mb"] = round(rss_mb())
    out["breakdown_ms"] = _breakdown(service, questions)
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for q in questions:
            service.search(q, k=5)
        profiler.stop()
        out["profile"] = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=True)
    return out


def _run_child(corpus_dir: Path, index_dir: Path, queries: bool, profile: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.scale", "--child", str(corpus_dir), str(index_dir)]
    cmd += ["--queries"] * queries + ["--profile"] * profile
    start = time.perf_counter()
    result = run_json(cmd)
    result["process_s"] = round(time.perf_counter() - start, 2)
    return result


def _du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def corpus_at(copies: int, work: Path) -> Path:
    """The corpus folder at `copies`× the bundled one: the bundled folder itself at 1×, else synthetic distinct
    issues written once into `work`."""
    if copies == 1:
        return PROJECT_ROOT / "corpus"
    corpus_dir = work / f"corpus-{copies}x"
    if not corpus_dir.is_dir():
        write_corpus(corpus_dir, copies)
    return corpus_dir


def measure(copies: int, work: Path) -> dict[str, Any]:
    """Build (first load) and restart (second load, with the query runs) at `copies`× the bundled corpus."""
    corpus_dir = corpus_at(copies, work)
    index_dir = work / f"index-{copies}x"
    seed = work / "index-1x"
    if copies > 1 and not index_dir.exists() and seed.is_dir():
        shutil.copytree(seed, index_dir)  # vectors of identical text are reused; everything else is rebuilt
    build = _run_child(corpus_dir, index_dir, queries=False)
    restart = _run_child(corpus_dir, index_dir, queries=True, profile=copies > 1)
    from index.store import _read_manifest

    manifest = _read_manifest(index_dir)
    return {
        "copies": copies,
        "build": build,
        "restart": restart,
        "disk_mb": _du_mb(index_dir),
        "build_seconds_manifest": manifest.build_seconds if manifest else None,
        "embedded_chunks": manifest.embedded_chunks if manifest else None,
    }


def report(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# Scale: the corpus at N× (synthetic distinct issues)",
        "",
        f"Command: `{command}` ({os.cpu_count()} CPUs, shared with other jobs: latencies are noisy; load average "
        f"when the report was written: {os.getloadavg()[0]:.1f}).",
        "",
        "| | " + " | ".join(f"{r['copies']}× ({r['restart']['chunks']:,} chunks)" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, fn: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(str(fn(r)) for r in results) + " |")

    row(
        "first load (parse + build; vectors reused at 20×), s",
        lambda r: f"{r['build']['load_s']} ({r['embedded_chunks']} embedded)",
    )
    row("restart: `rag.load` in a new process (imports not counted), s", lambda r: r["restart"]["load_s"])
    row("dense index", lambda r: r["restart"]["dense_index"])
    row("search p50 / p95 / p99, ms", lambda r: " / ".join(str(v) for v in r["restart"]["search_ms"].values()))
    row("ask p50 / p95 / p99, ms", lambda r: " / ".join(str(v) for v in r["restart"]["ask_ms"].values()))
    row("peak RSS of the build process, MB", lambda r: r["build"]["peak_rss_load_mb"])
    row("serving RSS after the queries, MB", lambda r: r["restart"]["serving_rss_mb"])
    row("index on disk, MB", lambda r: r["disk_mb"])
    lines += ["", "Where a search spends its time (ms per search, mean over the gold questions):", ""]
    parts = list(results[0]["restart"]["breakdown_ms"])
    lines.append("| part | " + " | ".join(f"{r['copies']}×" for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for part in parts:
        lines.append(f"| {part} | " + " | ".join(str(r["restart"]["breakdown_ms"][part]) for r in results) + " |")
    for r in results:
        if "profile" in r["restart"]:
            lines += ["", f"pyinstrument, {r['copies']}×, every gold question searched once:", "", "```"]
            lines += r["restart"]["profile"].strip().splitlines()[:60]
            lines += ["```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--work", type=Path, default=Path("/tmp/gongbao-scale"))
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.queries, args.profile), ensure_ascii=False))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for copies in sorted(args.copies):
        results.append(measure(copies, args.work))
        print(json.dumps({k: v for k, v in results[-1].items()}, ensure_ascii=False)[:2000], flush=True)
    command = COMMAND.format(copies=" ".join(map(str, sorted(args.copies))))
    write_outputs(report(results, command), results, args.report, args.json)


def write_outputs(text: str, results: list[dict[str, Any]], report_path: Path | None, json_path: Path | None) -> None:
    """Write a benchmark's report (markdown) and its raw results (JSON) where asked, and print the report."""
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(text, encoding="utf-8")
    if json_path is not None:
        json_path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
