"""Shared fixtures: the real bundled corpus, parsed once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import rag
from api.app import create_app
from index.embedders import Embedder, USEEmbedder
from index.models import Corpus
from index.parser import parse_corpus
from index.store import Manifest, build_index
from rag.settings import Settings
from tests.fake_openai import create_app as create_fake_llm
from tests.fixtures.make_published import FONT_PATH, Rendered, render_all
from tests.servers import running

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


@pytest.fixture(scope="session")
def base_url(service: rag.Gongbao) -> Iterator[str]:
    """The service over real HTTP (uvicorn on a free port), for the whole session."""
    with running(create_app(service)) as url:
        yield url


@pytest.fixture(scope="session")
def milvus_settings(built: tuple[Path, Manifest], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the Milvus backend: a real Milvus Lite file holding the session's FAISS index, moved there
    by `migrate_index` (its stored vectors, nothing re-embedded)."""
    from index.milvus_store import Collections, connect, migrate_index

    uri = str(tmp_path_factory.mktemp("milvus") / "gongbao.db")
    migrate_index(built[0], connect(uri), Collections("gongbao"))
    return Settings(corpus_dir=CORPUS_DIR, index_dir=built[0], vector_store="milvus", milvus_uri=uri)


@pytest.fixture(scope="session")
def milvus_service(milvus_settings: Settings) -> rag.Gongbao:
    """The full service with GONGBAO_VECTOR_STORE=milvus, reading its corpus from Milvus (nothing parsed)."""
    return rag.load(milvus_settings, embedder=use_embedder(), sync=False)


@pytest.fixture(scope="session")
def milvus_base_url(milvus_service: rag.Gongbao) -> Iterator[str]:
    """The Milvus-backed service over real HTTP."""
    with running(create_app(milvus_service)) as url:
        yield url


@pytest.fixture(params=["faiss", "milvus"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each vector store in turn: tests taking `any_service` or `any_client` run once on each."""
    return str(request.param)


@pytest.fixture()
def any_service(backend: str, request: pytest.FixtureRequest) -> rag.Gongbao:
    """The session service on the embedded store, then on Milvus."""
    return request.getfixturevalue("service" if backend == "faiss" else "milvus_service")  # type: ignore[no-any-return]


@pytest.fixture()
def any_client(backend: str, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """An HTTP client of the served service on the embedded store, then on Milvus."""
    url = request.getfixturevalue("base_url" if backend == "faiss" else "milvus_base_url")
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


# The fake's `slow`/`stall` behaviours sleep SLOW_SECONDS; LLM tests give the client LLM_TIMEOUT.
LLM_TIMEOUT = 1.0
SLOW_SECONDS = 3.0


@dataclass
class FakeLLM:
    """The running fake endpoint: its base URL (without /v1) and its app (whose state records requests)."""

    url: str
    app: FastAPI

    @property
    def requests(self) -> list[dict[str, Any]]:
        return list(self.app.state.requests)


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeLLM]:
    app = create_fake_llm(slow_seconds=SLOW_SECONDS)
    with running(app) as url:
        yield FakeLLM(url=url, app=app)


@pytest.fixture()
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The 2022年第9期 gazette rendered as PDF, Word, a web page and a scanned page (about 2 s, once a session)."""
    pytest.importorskip("reportlab", reason="reportlab renders the PDF fixtures (make test installs it)")
    if not FONT_PATH.exists():
        pytest.skip(f"the CJK font {FONT_PATH} is missing (apt-get install fonts-wqy-microhei; make test does)")
    return render_all(tmp_path_factory.mktemp("published"))
