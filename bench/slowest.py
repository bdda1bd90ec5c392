"""The slowest searches: which questions they are and where their time goes.

Run: ``HF_HUB_OFFLINE=1 python -m bench.slowest --corpus CORPUS --index INDEX [--share 0.1] [--passes 3]``. Loads the
index, warms up, searches (k=5) every dev gold question `--passes` times and keeps each question's fastest CPU time
(`time.thread_time` of the searching thread: what the search cost, not the wait for a core on a shared machine).
Prints the CPU p50/p95, what the slowest `--share` of questions have in common (comparison sides, documents named,
roles asked: each is a search of its own), and a pyinstrument profile of searching those questions again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def kind(retriever: Any, text: str) -> str:
    """What makes a question more than one search: its comparison sides, the documents it names, the roles it asks."""
    from rag.question import as_question

    q = retriever.resolve(as_question(text))
    parts = ["sides"] * bool(q.sides) + [f"named{len(q.named)}"] * bool(q.named) + ["roles"] * bool(q.roles)
    return "+".join(parts) or "plain"


@dataclass
class Timed:
    """Every dev gold question searched (k=5) `passes` times on a warm service: each one's fastest CPU ms."""

    service: Any
    questions: list[str]
    cpu: list[float]
    load: float  # the load average before the timing
    passes: int
    share: float

    @property
    def slowest(self) -> list[int]:
        """The positions of the slowest `share` of the questions, slowest first."""
        n = max(1, int(len(self.questions) * self.share))
        return sorted(range(len(self.questions)), key=lambda i: -self.cpu[i])[:n]


def timed_searches(argv: list[str] | None, doc: str | None, share_help: str) -> Timed:
    """Parse `--corpus --index --share --passes`, load that index, warm up, and time every question's search."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--share", type=float, default=0.1, help=share_help)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args(argv)

    import rag
    from bench.scale import _questions
    from rag.settings import Settings

    service = rag.load(Settings(corpus_dir=args.corpus, index_dir=args.index))
    questions = _questions()
    for q in questions[:20]:
        service.search(q, k=5)
    cpu = [float("inf")] * len(questions)
    load = os.getloadavg()[0]
    for _ in range(args.passes):
        for i, q in enumerate(questions):
            start = time.thread_time()
            service.search(q, k=5)
            cpu[i] = min(cpu[i], (time.thread_time() - start) * 1000)
    return Timed(service, questions, cpu, load, args.passes, args.share)


def main(argv: list[str] | None = None) -> None:
    t = timed_searches(argv, __doc__, "the slowest share of questions profiled")
    service, questions, cpu, load = t.service, t.questions, t.cpu, t.load
    p95 = statistics.quantiles(cpu, n=20)[18]
    print(
        f"{len(questions)} questions, fastest of {t.passes} passes, CPU ms p50 {statistics.median(cpu):.2f} "
        f"p95 {p95:.2f} (load average {load:.1f} → {os.getloadavg()[0]:.1f})"
    )
    slow = t.slowest
    every = Counter(kind(service.retriever, q) for q in questions)
    among = Counter(kind(service.retriever, questions[i]) for i in slow)
    print(f"slowest {len(slow)}: " + ", ".join(f"{k} {n} of {every[k]}" for k, n in among.most_common()))
    print(f"all: {dict(every.most_common())}")
    for k in every:
        times = [cpu[i] for i, q in enumerate(questions) if kind(service.retriever, q) == k]
        print(f"  {k}: mean CPU {statistics.mean(times):.2f} ms over {len(times)}")

    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(t.passes):
        for i in slow:
            service.search(questions[i], k=5)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False))


if __name__ == "__main__":
    main()
