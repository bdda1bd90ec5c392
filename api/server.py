"""How the service is run under uvicorn: connection limits, time-outs for idle and half-open connections, and
the one JSON log format.

uvicorn closes a kept-alive connection after `timeout_keep_alive` once a response is sent, but never times out
a connection that opened and sent nothing, or only part of a request head (1,500 such connections were held
open for good). `HeadTimeoutH11Protocol` closes a connection whose request head is not complete within
`header_timeout` seconds of its opening (or of the previous response), counted from then: trickling bytes does
not extend it. `limit_concurrency` answers 503 at once beyond `max_connections` open connections, and
`h11_max_incomplete_event_size` bounds a request head's size.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.logs import logging_config
from api.settings import HttpSettings

MAX_HEAD_BYTES = 64 * 1024


class HeadTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus: the request head must be complete within `header_timeout` seconds."""

    header_timeout: float = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        timer = getattr(self, "_head_timer", None)
        if timer is not None:
            timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # no complete request head in time: a half-open or trickling connection

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head arrived; the request runs under its own limits
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()  # the next request's head, on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


def protocol_for(http: HttpSettings) -> type[HeadTimeoutH11Protocol]:
    """The protocol class with this deployment's head time-out."""
    return type("GongbaoH11Protocol", (HeadTimeoutH11Protocol,), {"header_timeout": http.header_timeout_seconds})


def uvicorn_config(
    app: Any, host: str, port: int, http: HttpSettings, log_level: str = "INFO", **overrides: Any
) -> uvicorn.Config:
    """The uvicorn configuration `gongbao serve` runs with (tests use it too): `http`'s connection limits, and
    the JSON log format at the service's `log_level`."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": protocol_for(http),
        "timeout_keep_alive": http.keep_alive_seconds,
        "limit_concurrency": http.max_connections,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "log_config": logging_config(log_level),
        "access_log": False,  # api.logs.RequestId writes the access line, with the request id
        "timeout_graceful_shutdown": 30,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)
