"""index.background: work started on a background thread, taken back by the caller when no thread has started it."""

from __future__ import annotations

import threading

import pytest

from index import background
from index.background import Ahead


def test_the_work_runs_on_another_thread_and_its_value_comes_back() -> None:
    started = threading.Event()

    def where() -> int:
        started.set()
        return threading.get_ident()

    ran = Ahead(where)
    assert started.wait(30)  # a background thread has taken it (on a busy machine that can take a while)
    assert ran.result() != threading.get_ident()
    assert Ahead(threading.get_ident, background=False).result() == threading.get_ident()


def test_work_no_thread_has_started_is_done_by_the_caller() -> None:
    """With every background thread busy, the caller does its own work instead of queueing behind another's."""
    release = threading.Event()
    started = threading.Barrier(background._WORKERS + 1)

    def block() -> None:
        started.wait()
        release.wait(30)

    busy = [Ahead(block) for _ in range(background._WORKERS)]
    started.wait(30)  # every worker is inside `block`
    try:
        assert Ahead(threading.get_ident).result() == threading.get_ident()
    finally:
        release.set()
        for b in busy:
            b.result()


def test_an_error_in_the_background_is_raised_by_result() -> None:
    def fail() -> None:
        raise ValueError("no vector")

    with pytest.raises(ValueError, match="no vector"):
        Ahead(fail).result()
