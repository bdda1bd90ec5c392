"""Where the slowest searches spend their CPU time, stage by stage and per sub-search.

Run: ``HF_HUB_OFFLINE=1 python -m bench.stages --corpus CORPUS --index INDEX [--share 0.1] [--passes 3]``. Loads the
index, times every dev gold question's search (k=5, fastest CPU time of 2 passes) to find the slowest `--share`,
then searches those again `--passes` times with timers around each stage and prints, per kind of question
(`bench.slowest.kind`: comparison sides, one document named, and 100 plain questions for reference), the mean CPU
milliseconds per search of each stage: query embedding, reading the question (`resolve`), and for each sub-search
(the question's own `main`, a named document's `named-doc`, a comparison side's `sides`) FAISS, BM25 tokens, BM25
scores, top-k and fusion, then the boosts, hit building, stamping the hits (`rag.status.stamp`), reading the question
(`Question.read`) and the rest of `Gongbao.search` and `Retriever.rank` (their own lines).

Times are exclusive (a stage's time leaves out the stages timed inside it) and are CPU time of the searching thread
(`time.thread_time`), so the load of a shared machine inflates them less than wall time; the timers cost ~1 µs each.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

SUBSEARCHES = ("main", "named-doc", "sides")


def _timers(service: Any) -> tuple[dict[str, float], dict[str, int], list[tuple[Any, str, Any]]]:
    """Wrap the stages with exclusive CPU timers; returns the totals, call counts and what to restore."""
    import index.store as st
    import index.vector_store as vs
    import rag.service as rs
    from rag.retriever import Retriever

    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    stack: list[str] = []
    originals: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: str | Callable[[list[str]], str]) -> None:
        fn = getattr(owner, name)

        def timed(*args: Any, **kw: Any) -> Any:
            lab = label(stack) if callable(label) else label
            stack.append(lab)
            start = time.thread_time()
            try:
                return fn(*args, **kw)
            finally:
                took = time.thread_time() - start
                stack.pop()
                spent[lab] += took
                calls[lab] += 1
                if stack:
                    spent[stack[-1]] -= took  # exclusive: the enclosing stage leaves this one out

        originals.append((owner, name, fn))
        setattr(owner, name, timed)

    def within(base: str) -> Callable[[list[str]], str]:
        return lambda stack: f"{base} @{next((s for s in reversed(stack) if s in SUBSEARCHES), '?')}"

    import rag.retriever as rr

    embedder = type(service.retriever.embedder)
    wrap(rs.Gongbao, "search", "rest of Gongbao.search and Retriever.rank (their own lines: candidate lists re-sorted)")
    wrap(rs, "stamp", "stamping the hits (rag.status.stamp)")
    wrap(rr, "as_question", "reading the question (Question.read)")
    wrap(embedder, "encode_queries", "query embedding (question)")
    wrap(embedder, "encode_query_groups", "query embedding (question + sides)")
    wrap(Retriever, "resolve", "reading the question, documents named (resolve)")
    wrap(Retriever, "_fused", lambda stack: "named-doc" if "named documents" in stack else "main")
    wrap(Retriever, "_boost_documents", "named documents")
    wrap(Retriever, "_search_sides", "sides")
    wrap(Retriever, "_boost_roles", "role boost")
    wrap(Retriever, "_boost_years", "year boost")
    wrap(Retriever, "_weigh_hollow", "hollow weighting")
    wrap(Retriever, "_lookup", "citation lookup")
    wrap(Retriever, "_cards", "cards named")
    wrap(Retriever, "_weigh_cards", "cards weighed")
    wrap(Retriever, "_hit", "hit building")
    wrap(Retriever, "_prefetch", "hit building")
    wrap(st.IndexStore, "_dense_search", within("FAISS"))
    wrap(st.IndexStore, "query_tokens", within("BM25 tokens"))
    wrap(st.IndexStore, "_bm25_scores", within("BM25 scores"))
    wrap(st, "top_k", within("top-k"))
    wrap(vs, "fuse", within("fusion"))
    return spent, calls, originals


def main(argv: list[str] | None = None) -> None:
    import os

    from bench.slowest import kind, timed_searches

    t = timed_searches(argv, __doc__, "the slowest share of questions broken down")
    service, questions, cpu, load = t.service, t.questions, t.cpu, t.load
    slow = t.slowest
    p50, p95 = statistics.median(cpu), statistics.quantiles(cpu, n=20)[18]
    worst = statistics.mean(cpu[i] for i in slow)
    print(f"{len(questions)} questions, CPU ms p50 {p50:.2f} p95 {p95:.2f}; slowest {len(slow)}: mean {worst:.2f}")
    kinds = {i: kind(service.retriever, questions[i]) for i in range(len(questions))}
    groups = {k: [i for i in slow if kinds[i] == k] for k in ("sides", "named1")}
    groups["plain (first 100, for reference)"] = [i for i in range(len(questions)) if kinds[i] == "plain"][:100]
    spent, calls, originals = _timers(service)
    try:
        for name, chosen in groups.items():
            if not chosen:
                continue
            spent.clear()
            calls.clear()
            for _ in range(t.passes):
                for i in chosen:
                    service.search(questions[i], k=5)
            n = t.passes * len(chosen)
            print(f"\n{name}: {len(chosen)} questions; mean CPU ms per search by stage (exclusive), calls per search")
            print("| stage | ms | calls |\n|---|---|---|")
            for label, value in sorted(spent.items(), key=lambda x: -x[1]):
                print(f"| {label} | {value / n * 1000:.3f} | {calls[label] / n:.1f} |")
            print(f"| total | {sum(spent.values()) / n * 1000:.3f} | |")
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)
    print(f"\nload average {load:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
