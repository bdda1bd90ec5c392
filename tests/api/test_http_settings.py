"""The HTTP front's settings are api/'s (api.settings), read from the same GONGBAO_* variables; the query
service's settings carry none of them. No index: the app is served while its loader waits."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

import rag
from api.app import create_app
from api.settings import HttpSettings
from rag.settings import Settings
from tests.servers import running


def test_http_settings_read_the_same_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGBAO_ADMIN_KEY", "s3cret")
    monkeypatch.setenv("GONGBAO_MAX_UPLOAD_BYTES", "1234")
    monkeypatch.setenv("GONGBAO_CHAT_SOURCES", "false")
    monkeypatch.setenv("GONGBAO_HEADER_TIMEOUT_SECONDS", "2.5")
    http = HttpSettings()
    assert http.admin_secret() == "s3cret" and http.max_upload_bytes == 1234
    assert http.chat_sources is False and http.header_timeout_seconds == 2.5
    assert HttpSettings(admin_key=None).admin_secret() == ""


def test_the_query_service_carries_no_http_settings() -> None:
    assert not set(HttpSettings.model_fields) & set(Settings.model_fields)


def test_the_app_applies_the_http_settings_it_is_given(tmp_path: Path) -> None:
    """Body limit and admin gate come from `http`, before any service is loaded."""
    release = threading.Event()

    def loader() -> rag.Gongbao:
        release.wait(30)
        raise RuntimeError("never loaded in this test")

    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    app = create_app(loader=loader, settings=settings, http=HttpSettings(max_body_bytes=1_000))
    try:
        with running(app) as url, httpx.Client(base_url=url, timeout=30) as client:
            assert app.state.http.max_body_bytes == 1_000
            big = client.post("/v1/search", content=b'{"query": "' + b"x" * 2_000 + b'"}')
            assert big.status_code == 413 and "1,000" in big.json()["error"]["message"]
            small = client.post("/v1/search", json={"query": "盐湖"})
            assert small.status_code == 503  # under the limit: it reaches the route, which waits for the service
            refused = client.delete("/v1/documents/anything")
            assert refused.status_code == 403 and "GONGBAO_ADMIN_KEY" in refused.json()["error"]["message"]
    finally:
        release.set()
