"""One log format for everything the service prints: a JSON object per line, for the app's own lines and
uvicorn's alike, each carrying the id of the request it belongs to.

The request id comes from the client's `X-Request-ID` header (when it is a short token) or is made up, is sent
back in the response's `X-Request-ID` header, and is on every line logged while the request is handled,
including the one access line per request (`gongbao.access`: method, path, status, milliseconds), which
replaces uvicorn's access log (uvicorn writes that line outside the request, where its id is unknown).
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.config
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from api.limits import ASGIApp, Message, Receive, Scope, Send

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
access_log = logging.getLogger("gongbao.access")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, msg, request_id (when in a request), exc."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            line["request_id"] = rid
        for key in ("method", "path", "status", "ms"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged (a test runner may swap it and close the old one)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the app and uvicorn (pass it to uvicorn as `log_config`)."""
    handler = {"()": StderrHandler, "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            **{
                name: {"handlers": [], "level": level.upper(), "propagate": True}
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "gongbao.access")
            },
            # jieba announces its dictionary loading once per tokenizer at INFO: chatter, not news
            "jieba": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr for the command line; left alone when logging is already set up (a test runner)."""
    if not logging.getLogger().handlers:
        logging.config.dictConfig(logging_config(level))


class RequestId:
    """ASGI middleware: a request id per request (X-Request-ID in and out) and one access log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = sent if _VALID_ID.match(sent) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            ms = round((time.perf_counter() - started) * 1000, 1)
            path = scope.get("path", "")
            extra = {"method": scope.get("method"), "path": path, "status": status, "ms": ms}
            access_log.info("%s %s %d %.1f ms", scope.get("method"), path, status, ms, extra=extra)
            request_id.reset(token)
