"""Shared fixtures: the real bundled corpus, parsed once per test session."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

import rag
from api.app import create_app
from index.embedders import Embedder, USEEmbedder
from index.models import Corpus
from index.parser import parse_corpus
from index.store import Manifest, build_index
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    parsed = parse_corpus(CORPUS_DIR)
    assert not parsed.problems, parsed.problems
    return parsed


_EMBEDDERS: dict[str, Embedder] = {}


def use_embedder() -> Embedder:
    """One USE embedder (the default model) per test session."""
    if "use" not in _EMBEDDERS:
        _EMBEDDERS["use"] = USEEmbedder()
    return _EMBEDDERS["use"]


@pytest.fixture(scope="session")
def built(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """The real USE index of the bundled corpus, built once per session. Tests that change it work on a copy."""
    index_dir = tmp_path_factory.mktemp("gongbao") / "index"
    return index_dir, build_index(corpus, use_embedder(), index_dir, progress=False)


@pytest.fixture(scope="session")
def service(built: tuple[Path, Manifest]) -> rag.Gongbao:
    """The full service (rag.load) on the bundled corpus and the session's index."""
    return rag.load(Settings(corpus_dir=CORPUS_DIR, index_dir=built[0]), embedder=use_embedder())


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve an ASGI app with a real uvicorn server on a free port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(service: rag.Gongbao) -> Iterator[str]:
    """The service over real HTTP (uvicorn on a free port), for the whole session."""
    with running(create_app(service)) as url:
        yield url


@pytest.fixture()
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c
