"""Values derived once per corpus object: built once (also under concurrent first calls), forgotten with it."""

from __future__ import annotations

import gc
import threading
import time

from index.models import Corpus
from index.per_corpus import PerCorpus


def test_a_value_is_built_once_per_corpus_object() -> None:
    built: list[int] = []
    derived = PerCorpus(lambda corpus: built.append(id(corpus)) or len(built))
    first, second = Corpus(), Corpus()
    assert derived(first) == 1 and derived(first) == 1
    assert derived(second) == 2 and built == [id(first), id(second)]


def test_a_dropped_corpus_is_forgotten() -> None:
    derived = PerCorpus(lambda corpus: object())
    corpus = Corpus()
    derived(corpus)
    assert len(derived) == 1
    del corpus
    gc.collect()
    assert len(derived) == 0


def test_concurrent_first_calls_build_once() -> None:
    calls: list[int] = []

    def slow(corpus: Corpus) -> int:
        calls.append(1)
        time.sleep(0.05)
        return len(calls)

    derived = PerCorpus(slow)
    corpus = Corpus()
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(derived(corpus))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and results == [1] * 8
