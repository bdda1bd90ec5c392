"""The FastAPI application: routers, the web page, and JSON errors in one shape (never a traceback).

Start-up: given a loaded service, the app warms it up and is ready at once. Given a loader (`gongbao serve`), it
listens at once and loads in the background: `/livez` answers from the first moment, `/healthz` and every other
route answer 503 with Retry-After until the service is loaded and warmed up, so a load balancer sends traffic
only to a replica that answers at its normal speed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import admin, chat, routes
from api.limits import MULTIPART_OVERHEAD, BodyLimit, Scope
from index.errors import GongbaoError
from rag import Gongbao
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}}, headers=headers)


def _load_in_background(app: FastAPI, loader: Callable[[], Gongbao]) -> None:
    try:
        service = loader()
        service.warm_up()
    except Exception as exc:  # the process stays up to say why (in /healthz and the log)
        log.exception("loading the service failed")
        app.state.startup_error = f"{type(exc).__name__}: {exc}"
        return
    app.state.service = service
    log.info("ready: %d documents, %d chunks", len(service.documents), len(service.chunks))


def _body_limit(settings: Settings) -> Callable[[Scope], int]:
    """Bytes a request may send: an upload its file limit (plus multipart framing), anything else a JSON body."""

    def limit_for(scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/v1/documents":
            return settings.max_upload_bytes + MULTIPART_OVERHEAD
        return settings.max_body_bytes

    return limit_for


def create_app(
    service: Gongbao | None = None,
    *,
    loader: Callable[[], Gongbao] | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """Build the app around a loaded `service`, or one that `loader` makes in the background after start-up.

    Admin changes swap in a new service: `app.state.service` (None while loading).
    """
    if (service is None) == (loader is None):
        raise TypeError("create_app needs a service or a loader, not both")
    settings = settings or (service.settings if service is not None else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if loader is not None:
            threading.Thread(target=_load_in_background, args=(app, loader), name="gongbao-load", daemon=True).start()
        yield

    app = FastAPI(
        title="gongbao",
        version="0.1.0",
        description="Cited answers from 青海省人民政府公报: search, answers with citations, citation lookup, "
        "documents and clauses, an OpenAI-compatible chat endpoint, and a web page at `/`.",
        lifespan=lifespan,
    )
    if service is not None:
        service.warm_up()
    app.state.service = service
    app.state.startup_error = None
    app.add_middleware(BodyLimit, limit_for=_body_limit(settings))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(422, "invalid_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(GongbaoError)
    async def _gongbao_error(_: Request, exc: GongbaoError) -> JSONResponse:
        return _error(exc.status, exc.code, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal_error", "The server failed to handle this request; it has been logged.")

    app.include_router(routes.router)
    app.include_router(chat.router)
    app.include_router(admin.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/livez", tags=["service"])
    def livez() -> dict[str, Any]:
        """Liveness: the process answers (it may still be loading; readiness is /healthz)."""
        return {"status": "alive", "ready": app.state.service is not None}

    @app.get("/", include_in_schema=False)
    def web_page() -> FileResponse:
        """The web chat page (static files, no build step)."""
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    return app
