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

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import admin, chat, routes
from api.deps import ERROR_CODES, admin_refusal
from api.jobs import Jobs
from api.limits import MULTIPART_OVERHEAD, AdminGate, BodyLimit, Scope, is_admin_request
from api.logs import RequestId
from api.settings import HttpSettings, get_http_settings
from index.corpus_lock import CorpusLockedError, CorpusWriterLock
from index.errors import GongbaoError
from rag import Gongbao
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"  # Swagger UI and ReDoc, served locally


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


def _body_limit(http: HttpSettings) -> Callable[[Scope], int]:
    """Bytes a request may send: an upload its file limit (plus multipart framing), anything else a JSON body."""

    def limit_for(scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/v1/documents":
            return http.max_upload_bytes + MULTIPART_OVERHEAD
        return http.max_body_bytes

    return limit_for


def _admin_gate(http: HttpSettings) -> Callable[[Scope], tuple[int, str] | None]:
    """Why an admin request may not pass, from its headers alone (before its body is read)."""
    key = http.admin_secret()

    def refusal(scope: Scope) -> tuple[int, str] | None:
        if not is_admin_request(scope):
            return None
        header = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
        refused = admin_refusal(key, header)
        return None if refused is None else (refused.status_code, str(refused.detail))

    return refusal


def _take_writer_lock(app: FastAPI, corpus_dir: Path, http: HttpSettings) -> CorpusWriterLock | None:
    """With admin changes on, take the corpus folder's writer lock; without it, admin changes answer why not."""
    if not http.admin_key:
        app.state.writer_refusal = None  # the admin routes refuse anyway (403, no key configured)
        return None
    lock = CorpusWriterLock(corpus_dir)
    try:
        lock.acquire()
    except CorpusLockedError as exc:
        read_only = "read-only" in str(exc)
        app.state.writer_refusal = (503 if read_only else 409, str(exc))
        log.warning("admin changes are off: %s", exc)
        return None
    app.state.writer_refusal = None
    return lock


def create_app(
    service: Gongbao | None = None,
    *,
    loader: Callable[[], Gongbao] | None = None,
    settings: Settings | None = None,
    http: HttpSettings | None = None,
) -> FastAPI:
    """Build the app around a loaded `service`, or one that `loader` makes in the background after start-up.

    `settings` are the service's (its corpus folder, locked for admin changes); `http` the HTTP front's own (admin
    key, body and upload limits, chat sources), from the environment unless given. Admin changes swap in a new
    service: `app.state.service` (None while loading); the HTTP settings are `app.state.http`.
    """
    if (service is None) == (loader is None):
        raise TypeError("create_app needs a service or a loader, not both")
    settings = settings or (service.settings if service is not None else get_settings())
    http = http or get_http_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        writer = _take_writer_lock(app, settings.corpus_dir, http)
        if loader is not None:
            threading.Thread(target=_load_in_background, args=(app, loader), name="gongbao-load", daemon=True).start()
        try:
            yield
        finally:
            if writer is not None:
                writer.release()

    app = FastAPI(
        title="gongbao",
        version="0.1.0",
        description="Cited answers from 青海省人民政府公报: search, answers with citations, citation lookup, "
        "documents and clauses, an OpenAI-compatible chat endpoint, and a web page at `/`.",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the default pages load Swagger UI from a CDN
        redoc_url=None,
    )
    if service is not None:
        service.warm_up()
    app.state.service = service
    app.state.http = http
    app.state.startup_error = None
    app.state.jobs = Jobs()
    app.state.writer_refusal = (503, "admin changes are off until the server has started")
    app.add_middleware(BodyLimit, limit_for=_body_limit(http))
    app.add_middleware(AdminGate, refusal=_admin_gate(http))
    app.add_middleware(RequestId)  # outermost: every response, even a refusal above, carries X-Request-ID

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = ERROR_CODES.get(exc.status_code, "http_error")
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
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        """Swagger UI from files of the `fastapi-offline` package: the page works without internet access."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="gongbao – API docs",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="gongbao – API reference",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )

    @app.get("/livez", tags=["service"])
    def livez() -> dict[str, Any]:
        """Liveness: the process answers (it may still be loading; readiness is /healthz)."""
        return {"status": "alive", "ready": app.state.service is not None}

    @app.get("/", include_in_schema=False)
    def web_page() -> FileResponse:
        """The web chat page (static files, no build step)."""
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    return app
