"""Admin routes over real HTTP: auth, upload-then-ask, delete-then-ask, limits, and readers during an upload."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import rag
from api.app import create_app
from api.settings import HttpSettings
from index.parser import corpus_files
from index.store import Manifest
from rag.settings import Settings
from tests.conftest import CORPUS_DIR, use_embedder
from tests.fixtures.make_published import Rendered
from tests.helpers import ADMIN_KEY as KEY
from tests.helpers import UPLOADED_ISSUE as UPLOADED
from tests.helpers import cited_numbers as _cited_numbers
from tests.helpers import error_message as _error
from tests.helpers import upload as _upload
from tests.servers import running

LIMIT = 1_000_000


@pytest.fixture(scope="module")
def admin_settings(built: tuple[Path, Manifest], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Four of the five gazettes in a writable corpus directory, and a copy of the session index (its vectors)."""
    root = tmp_path_factory.mktemp("admin")
    corpus_dir = root / "corpus"
    corpus_dir.mkdir()
    for path in corpus_files(CORPUS_DIR):
        if path.name != UPLOADED:
            shutil.copy(path, corpus_dir / path.name)
    shutil.copytree(built[0], root / "index")
    return Settings(corpus_dir=corpus_dir, index_dir=root / "index")


@pytest.fixture(scope="module")
def admin_url(admin_settings: Settings) -> Iterator[str]:
    http = HttpSettings(admin_key=KEY, max_upload_bytes=LIMIT)
    with running(create_app(rag.load(admin_settings, embedder=use_embedder()), http=http)) as url:
        yield url


@pytest.fixture()
def admin(admin_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=admin_url, timeout=120, headers={"Authorization": f"Bearer {KEY}"}) as c:
        yield c


def test_admin_routes_refuse_without_a_configured_key(client: httpx.Client) -> None:
    data = (CORPUS_DIR / UPLOADED).read_bytes()
    assert "GONGBAO_ADMIN_KEY" in _error(_upload(client, data), 403)
    assert "GONGBAO_ADMIN_KEY" in _error(client.delete("/v1/documents/anything"), 403)


def test_admin_auth(admin_url: str) -> None:
    data = (CORPUS_DIR / UPLOADED).read_bytes()
    with httpx.Client(base_url=admin_url) as anonymous:
        assert "admin key required" in _error(_upload(anonymous, data), 401)
        wrong = {"Authorization": "Bearer guess"}
        assert "wrong admin key" in _error(anonymous.delete("/v1/documents/x", headers=wrong), 403)


def test_upload_then_ask_then_delete_then_ask(admin: httpx.Client) -> None:
    assert "青政办〔2022〕30号" not in _cited_numbers(admin)
    documents_before = admin.get("/healthz").json()["documents"]

    response = _upload(admin, (CORPUS_DIR / UPLOADED).read_bytes())
    assert response.status_code == 201, response.text
    body = response.json()
    notice = next(d for d in body["documents"] if d["doc_number"] == "青政办〔2022〕30号" and not d["parent_id"])
    assert body["gazette"] == "2022-09" and body["chunks"] > 0
    assert admin.get("/healthz").json()["documents"] == documents_before + len(body["documents"])
    assert "青政办〔2022〕30号" in _cited_numbers(admin)
    assert admin.get(f"/v1/documents/{notice['doc_id']}").status_code == 200

    again = _upload(admin, (CORPUS_DIR / UPLOADED).read_bytes(), name="copy.txt")
    assert again.status_code == 200 and again.json()["file"] == body["file"]  # the same bytes: a retry, served
    edited = _upload(admin, (CORPUS_DIR / UPLOADED).read_bytes() + "\n附：更正。\n".encode(), name="copy.txt")
    assert "replace=true" in _error(edited, 409)

    deleted = admin.delete(f"/v1/documents/{notice['doc_id']}")
    assert deleted.status_code == 200, deleted.text
    withdrawn = deleted.json()["deleted"]
    assert notice["doc_id"] in withdrawn and len(withdrawn) >= 2  # the notice and its attached measures
    assert "青政办〔2022〕30号" not in _cited_numbers(admin)
    _error(admin.get(f"/v1/documents/{notice['doc_id']}"), 404)
    _error(admin.delete(f"/v1/documents/{notice['doc_id']}"), 404)


def test_bad_uploads(admin: httpx.Client) -> None:
    assert "limit" in _error(_upload(admin, b"x" * (LIMIT + 1)), 413)
    assert "binary" in _error(_upload(admin, b"\x89PNG\r\n\x1a\n\x00\x00\x00"), 415)
    assert "no gazette documents" in _error(_upload(admin, "一段没有文号的文字。\n".encode()), 422)
    assert "file" in _error(admin.post("/v1/documents", data={"note": "no file"}), 422)


def test_readers_are_served_throughout_an_upload(admin: httpx.Client, admin_url: str) -> None:
    """While an upload is indexed, every read succeeds and sees the old corpus or the new one, never a mix."""
    before = admin.get("/healthz").json()["chunks"]
    seen: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=admin_url, timeout=60) as reader:
            while not stop.is_set():
                health = reader.get("/healthz")
                search = reader.post("/v1/search", json={"query": "稳岗返还", "k": 3})
                if health.status_code != 200 or search.status_code != 200:
                    failures.append(f"{health.status_code} {search.status_code}")
                seen.append(health.json()["chunks"])

    thread = threading.Thread(target=read)
    thread.start()
    try:
        response = _upload(admin, (CORPUS_DIR / UPLOADED).read_bytes(), name="2022-09.txt", replace="true")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert response.status_code == 201, response.text
    after = admin.get("/healthz").json()["chunks"]
    assert not failures and seen and set(seen) <= {before, after}


def test_published_uploads(admin: httpx.Client, published: Rendered) -> None:
    """A PDF of the issue is accepted (content decides, not the name); renamed binaries, .doc and scans are not."""
    pdf = published.pdf.read_bytes()
    response = _upload(admin, pdf, name="2022年第9期.pdf", replace="true")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["file"] == "2022年第9期.pdf" and body["gazette"] == "2022-09"
    assert any(d["doc_number"] == "青政办〔2022〕30号" for d in body["documents"])
    assert "binary" in _error(_upload(admin, b"\x89PNG\r\n\x1a\n" + pdf[:2000], name="gazette.pdf"), 415)
    assert ".docx" in _error(_upload(admin, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="g.doc"), 415)
    assert "GONGBAO_OCR" in _error(_upload(admin, published.scan.read_bytes(), name="scan.pdf"), 422)
    assert "PDF" in _error(_upload(admin, b"%PDF-1.4\n1 0 obj <<>> broken", name="broken.pdf"), 422)
