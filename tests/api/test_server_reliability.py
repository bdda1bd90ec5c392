"""How the service runs (reliability issue, defect 6): half-open connections time out, /docs works offline, and
every log line is JSON with the request's id."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

import rag
from api.app import create_app
from api.logs import JsonFormatter, logging_config, request_id
from api.server import uvicorn_config
from api.settings import HttpSettings
from tests.servers import free_port, serving


@pytest.fixture(scope="module")
def strict_url(service: rag.Gongbao) -> Iterator[str]:
    """The service run as `gongbao serve` runs it, with a 1-second head time-out and keep-alive."""
    http = HttpSettings(header_timeout_seconds=1.0, keep_alive_seconds=1)
    config = uvicorn_config(create_app(service, http=http), "127.0.0.1", free_port(), http, log_config=None)
    with serving(config) as url:
        yield url


def _closed_within(conn: socket.socket, seconds: float, trickle: bytes = b"") -> float:
    """Seconds until the server closed the connection (sending `trickle` one byte at a time meanwhile)."""
    started = time.monotonic()
    conn.settimeout(0.25)
    sent = 0
    while time.monotonic() - started < seconds:
        if trickle and sent < len(trickle):
            try:
                conn.sendall(trickle[sent : sent + 1])
            except OSError:
                return time.monotonic() - started
            sent += 1
        try:
            if conn.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    raise AssertionError(f"the connection was still open after {seconds} s")


def test_half_open_and_trickling_connections_are_closed(strict_url: str) -> None:
    parts = urlsplit(strict_url)
    address = (parts.hostname, parts.port)
    with (
        socket.create_connection(address) as silent,
        socket.create_connection(address) as partial,
        socket.create_connection(address) as trickling,
    ):
        partial.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        assert _closed_within(silent, 6) < 6
        assert _closed_within(partial, 6) < 6
        assert _closed_within(trickling, 6, trickle=b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 100) < 6
    with httpx.Client(base_url=strict_url) as client:  # normal requests, and kept-alive ones, are unaffected
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            time.sleep(0.3)


def test_docs_load_without_internet(strict_url: str) -> None:
    with httpx.Client(base_url=strict_url) as client:
        page = client.get("/docs").text
        assert "/docs-assets/swagger-ui-bundle.js" in page and "/docs-assets/swagger-ui.css" in page
        assert "cdn" not in page.lower() and "https://" not in page.replace("https://fastapi", "")
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
            response = client.get(f"/docs-assets/{asset}")
            assert response.status_code == 200 and len(response.content) > 10_000
        redoc = client.get("/redoc").text
        assert "/docs-assets/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc


def test_every_request_carries_a_request_id(strict_url: str) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("gongbao.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        with httpx.Client(base_url=strict_url) as client:
            mine = client.get("/healthz", headers={"X-Request-ID": "trace-42"})
            made_up = client.post("/v1/search", json={"query": ""})
            refused = client.delete("/v1/documents/x")  # refused by a middleware, before any route
        deadline = time.monotonic() + 5  # the access line is written just after the response is sent
        while buffer.getvalue().count("\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert mine.headers["x-request-id"] == "trace-42"
    assert len(made_up.headers["x-request-id"]) == 32 and refused.headers["x-request-id"]
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    by_id = {line["request_id"]: line for line in lines}
    assert by_id["trace-42"]["path"] == "/healthz" and by_id["trace-42"]["status"] == 200
    assert by_id[made_up.headers["x-request-id"]]["status"] == 422
    assert by_id[refused.headers["x-request-id"]]["status"] == 403
    for hostile in ('x" {"evil": 1}', "a" * 500):  # not a short token: replaced, never echoed into logs
        assert httpx.get(f"{strict_url}/livez", headers={"X-Request-ID": hostile}).headers["x-request-id"] != hostile


def test_app_and_uvicorn_lines_share_one_json_format() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    loggers = {
        name: logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "gongbao.access")
    }
    saved_loggers = {name: (lg.handlers[:], lg.level, lg.propagate) for name, lg in loggers.items()}
    buffer = io.StringIO()
    config = logging_config("INFO")
    assert config["handlers"]["default"]["formatter"] == "json"
    config["handlers"]["default"] = {"class": "logging.StreamHandler", "formatter": "json", "stream": buffer}
    try:
        logging.config.dictConfig(config)
        logging.getLogger("uvicorn.error").info('Started server process [%d] "quoted"', 1)
        token = request_id.set("req-7")
        try:
            logging.getLogger("rag.service").warning("skipped %s", "a.txt")
        finally:
            request_id.reset(token)
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("api.app").exception("unhandled error")
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        for name, (handlers, lvl, propagate) in saved_loggers.items():
            loggers[name].handlers[:] = handlers
            loggers[name].setLevel(lvl)
            loggers[name].propagate = propagate
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    assert [line["logger"] for line in lines] == ["uvicorn.error", "rag.service", "api.app"]
    assert lines[0]["msg"] == 'Started server process [1] "quoted"' and "request_id" not in lines[0]
    assert lines[1]["request_id"] == "req-7" and "ValueError: boom" in lines[2]["exc"]
