"""Request bodies are capped before they are parsed: a declared size over the limit is refused at once, and a
body that turns out larger while it streams in is cut off, so no request makes the server hold more than that.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MULTIPART_OVERHEAD = 64_000  # boundaries and part headers around an uploaded file


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit; the app's error handler answers 413.

    (An HTTPException, so that FastAPI's body parsing passes it on instead of calling the body malformed.)
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, _message(limit))


class BodyLimit:
    """ASGI middleware: bodies over `limit_for(scope)` bytes get 413 before the route reads them."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _message(limit: int) -> str:
    return f"request body is over the {limit:,}-byte limit"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"error": {"code": "too_large", "message": _message(limit)}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class AdminGate:
    """ASGI middleware: a request to an admin route without the right key is refused before its body is read.

    FastAPI reads (and spools) a multipart body before it runs the route's dependencies, so without this an
    anonymous 300 MB upload would be received in full before its 401. `refusal(scope)` says why a request may
    not pass: (status, message), or None.
    """

    def __init__(self, app: ASGIApp, refusal: Callable[[Scope], tuple[int, str] | None]) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refused := self.refusal(scope)) is not None:
            status, message = refused
            code = {401: "unauthorized", 403: "forbidden"}.get(status, "forbidden")
            await _send_error(send, status, code, message, [(b"www-authenticate", b"Bearer")] if status == 401 else [])
            return
        await self.app(scope, receive, send)


def is_admin_request(scope: Scope) -> bool:
    """Whether a request goes to an admin route: POST /v1/documents, DELETE /v1/documents/{id}, /v1/jobs/{id}."""
    path, method = scope.get("path", ""), scope.get("method")
    if method == "POST" and path.rstrip("/") == "/v1/documents":
        return True
    if method == "DELETE" and path.startswith("/v1/documents/"):
        return True
    return path.startswith("/v1/jobs/")


async def _send_error(send: Send, status: int, code: str, message: str, extra: list[tuple[bytes, bytes]]) -> None:
    """A JSON error response that closes the connection (the request body, if any, is left unread)."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
