"""The FastAPI application: routers, the web page, and JSON errors in one shape (never a traceback)."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import admin, chat, routes
from index.errors import GongbaoError
from rag import Gongbao

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
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}}, headers=headers)


def create_app(service: Gongbao) -> FastAPI:
    """Build the app around a loaded service (admin changes swap in a new one: `app.state.service`)."""
    app = FastAPI(
        title="gongbao",
        version="0.1.0",
        description="Cited answers from 青海省人民政府公报: search, answers with citations, citation lookup, "
        "documents and clauses, an OpenAI-compatible chat endpoint, and a web page at `/`.",
    )
    app.state.service = service

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

    @app.get("/", include_in_schema=False)
    def web_page() -> FileResponse:
        """The web chat page (static files, no build step)."""
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    return app
