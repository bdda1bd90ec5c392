"""Replicas on one Milvus (Lite, real) over real HTTP: a read replica serves the corpus without parsing anything,
and sees the writer's upload and withdrawal without a restart.

Both replicas run in this process on one Milvus Lite file (Lite opens a file from one process; N processes need a
Milvus server, where nothing else changes). The read replica's corpus folder is empty: whatever it serves came
from Milvus.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import rag
from api.app import create_app
from api.settings import HttpSettings
from index.parser import corpus_files
from index.store import Manifest
from rag.settings import Settings
from tests.conftest import CORPUS_DIR, use_embedder
from tests.helpers import ADMIN_KEY as KEY
from tests.helpers import UPLOAD_QUESTION as QUESTION
from tests.helpers import UPLOADED_ISSUE as UPLOADED
from tests.helpers import cited_numbers as _cited_numbers
from tests.helpers import upload as _upload
from tests.servers import running

NUMBER = "青政办〔2022〕30号"  # in the uploaded issue only


@pytest.fixture(scope="module")
def replicas(built: tuple[Path, Manifest], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(writer URL, reader URL): the writer holds four gazettes and the admin key; the reader an empty folder."""
    root = tmp_path_factory.mktemp("replicas")
    corpus_dir = root / "corpus"
    corpus_dir.mkdir()
    for path in corpus_files(CORPUS_DIR):
        if path.name != UPLOADED:
            shutil.copy(path, corpus_dir / path.name)
    shutil.copytree(built[0], root / "index")  # its parse cache and vectors: nothing parsed or embedded here
    (root / "empty").mkdir()
    shared: dict[str, Any] = {
        "vector_store": "milvus",
        "milvus_uri": str(root / "shared.db"),
        "milvus_refresh_seconds": 0,
    }
    writer = Settings(corpus_dir=corpus_dir, index_dir=root / "index", **shared)
    reader = Settings(corpus_dir=root / "empty", index_dir=root / "reader", **shared)
    writer_service = rag.load(writer, embedder=use_embedder(), sync=True)  # the writer: `gongbao serve` with a key
    reader_service = rag.load(reader, embedder=use_embedder())
    assert reader_service.store_kind == "milvus" and not (root / "reader").exists()  # no local index at all
    writer_app = create_app(writer_service, http=HttpSettings(admin_key=KEY))
    with running(writer_app) as w, running(create_app(reader_service)) as r:
        yield w, r


def _until(check: object, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return True
        time.sleep(0.2)
    return False


def test_reader_serves_the_writers_corpus_without_parsing(replicas: tuple[str, str]) -> None:
    writer_url, reader_url = replicas
    with httpx.Client(base_url=writer_url, timeout=60) as w, httpx.Client(base_url=reader_url, timeout=60) as r:
        health_w, health_r = w.get("/healthz").json(), r.get("/healthz").json()
        assert health_r["documents"] == health_w["documents"] > 0 and health_r["chunks"] == health_w["chunks"]
        assert health_r["index"]["store"] == "milvus"
        query = {"query": "稳岗返还比例", "k": 5}
        ids_w = [h["chunk_id"] for h in w.post("/v1/search", json=query).json()["hits"]]
        ids_r = [h["chunk_id"] for h in r.post("/v1/search", json=query).json()["hits"]]
        assert ids_r == ids_w and ids_r
        doc = r.get("/v1/documents").json()["documents"][0]
        assert r.get(f"/v1/documents/{doc['doc_id']}").status_code == 200


def test_reader_sees_an_upload_and_a_withdrawal_on_the_writer(replicas: tuple[str, str]) -> None:
    writer_url, reader_url = replicas
    auth = {"Authorization": f"Bearer {KEY}"}
    with (
        httpx.Client(base_url=writer_url, timeout=120, headers=auth) as w,
        httpx.Client(base_url=reader_url, timeout=60) as r,
    ):
        assert NUMBER not in _cited_numbers(r)
        response = _upload(w, (CORPUS_DIR / UPLOADED).read_bytes())
        assert response.status_code == 201, response.text
        notice = next(d for d in response.json()["documents"] if d["doc_number"] == NUMBER and not d["parent_id"])
        assert _until(lambda: NUMBER in _cited_numbers(r)), "the reader never saw the upload"
        assert r.get(f"/v1/documents/{notice['doc_id']}").status_code == 200
        assert r.post("/v1/ask", json={"question": QUESTION}).json()["answerable"]

        assert w.delete(f"/v1/documents/{notice['doc_id']}").status_code == 200
        assert _until(lambda: r.get(f"/v1/documents/{notice['doc_id']}").status_code == 404), "withdrawal unseen"
        assert NUMBER not in _cited_numbers(r)
        assert r.get("/healthz").json()["chunks"] == w.get("/healthz").json()["chunks"]
