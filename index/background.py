"""Work started on a background thread while the caller does something else, done by the caller itself when no
thread has taken it up yet.

A search embeds its question (and a comparison's sides) and tokenises and BM25-scores the same texts; neither needs
the other's result until the lists are fused. The embedding is mostly BLAS and numpy work that releases the GIL, the
lexical part mostly Python (jieba) that holds it, so on a machine with a free core the two overlap: a search's wall
time drops by up to the shorter of the two, with the same CPU work and the same floats (each runs exactly the calls
it ran before, on one BLAS thread as before).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")

# Two threads: one request's embedding at a time per core of a small serving machine. A request finding both busy
# does its own work (`Ahead.result` takes the job back), so a queue never makes a search wait for another's.
_WORKERS = 2
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="gongbao-ahead")
        return _pool


class Ahead(Generic[T]):
    """`fn()` computed on a background thread from now on (`background=True`), or when `result` is asked for."""

    def __init__(self, fn: Callable[[], T], background: bool = True) -> None:
        self._fn = fn
        self._future: Future[T] | None = _executor().submit(fn) if background else None

    def result(self) -> T:
        """`fn()`'s value (its exception raised here): waits for the background thread if it has started the work,
        else cancels it there and computes it in the calling thread."""
        if self._future is None or self._future.cancel():
            return self._fn()
        return self._future.result()
