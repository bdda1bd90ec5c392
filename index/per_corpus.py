"""Values derived from a corpus object once (a lookup index, the title table, the validity facts), kept as long as
that corpus object lives.

A served corpus is not changed once served: an upload or withdrawal makes a new corpus object, so a value is keyed
by the object's identity. Keys are weak (a replaced corpus, and the SQLite connection a stored corpus holds, are
freed with it rather than kept alive by a cache), and the first build happens once under a lock (requests arrive on
several threads; two first requests must not both pass over the whole corpus).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from index.models import Corpus

T = TypeVar("T")


class PerCorpus(Generic[T]):
    """`build(corpus)`, computed once per corpus object and forgotten when the corpus is."""

    def __init__(self, build: Callable[[Corpus], T]) -> None:
        self._build = build
        self._values: dict[int, tuple[weakref.ref[Corpus], T]] = {}
        self._lock = threading.Lock()

    def __call__(self, corpus: Corpus) -> T:
        key = id(corpus)
        hit = self._values.get(key)
        if hit is not None and hit[0]() is corpus:
            return hit[1]
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and hit[0]() is corpus:
                return hit[1]
            value = self._build(corpus)
            values = self._values
            self._values[key] = (weakref.ref(corpus, lambda _ref: values.pop(key, None)), value)
            return value

    def __len__(self) -> int:
        return len(self._values)
