"""The upload size limit: a declared Content-Length over it is refused before the body is read."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import HTTPException

from api.admin import _read_limited


class _Unread:
    """A request body that must not be read."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read although Content-Length is over the limit")


def _request(length: int) -> Any:
    return SimpleNamespace(headers={"content-length": str(length)})


def test_declared_length_over_the_limit_is_refused_unread() -> None:
    file: Any = SimpleNamespace(file=_Unread())
    with pytest.raises(HTTPException) as caught:
        _read_limited(_request(10_000_000), file, 1_000)
    assert caught.value.status_code == 413


def test_body_over_the_limit_is_refused_and_within_it_read() -> None:
    class Body:
        def __init__(self, data: bytes) -> None:
            self.data = data

        def read(self, size: int = -1) -> bytes:
            return self.data[:size]

    with pytest.raises(HTTPException):
        _read_limited(_request(100), SimpleNamespace(file=Body(b"x" * 2_000)), 1_000)
    assert _read_limited(_request(100), SimpleNamespace(file=Body(b"ok")), 1_000) == b"ok"
