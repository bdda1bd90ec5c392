"""Uploads as a hostile client and an unlucky operator meet them (reliability issue, defects 4 and 5), over real
HTTP: odd names, the key checked before the body, clause caps, background indexing with a job to poll, a retried
upload recognised by its content, and one writer per corpus folder."""

from __future__ import annotations

import errno
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

import rag
from api.app import create_app
from api.settings import HttpSettings
from index.corpus_lock import CorpusLockedError, CorpusWriterLock
from index.store import Manifest
from rag.settings import Settings
from tests.conftest import CORPUS_DIR, use_embedder
from tests.helpers import error_message as _error
from tests.samples import tiny_gazette
from tests.servers import running

KEY = "k3y-for-uploads"
AUTH = {"Authorization": f"Bearer {KEY}"}
SERVED = "002_80a544ba8699e234.txt"  # the smallest bundled issue (2023-20, 140 clauses)
LIMIT = 1_000_000


# The HTTP front's settings (api.settings): admin changes on, a 1 MB upload limit; the module's server also sends
# uploads of more than 20 clauses to the background and refuses more than 50.
HTTP = HttpSettings(admin_key=KEY, max_upload_bytes=LIMIT)
UPLOAD_HTTP = HTTP.model_copy(update={"max_upload_chunks": 50, "background_upload_chunks": 20})


def _settings(root: Path, built: tuple[Path, Manifest]) -> Settings:
    """One bundled gazette in a writable corpus folder, and a copy of the session index (its vectors)."""
    (root / "corpus").mkdir(parents=True)
    shutil.copy(CORPUS_DIR / SERVED, root / "corpus" / SERVED)
    shutil.copytree(built[0], root / "index")
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index")


@pytest.fixture(scope="module")
def upload_settings(built: tuple[Path, Manifest], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _settings(tmp_path_factory.mktemp("uploads"), built)


@pytest.fixture(scope="module")
def upload_url(upload_settings: Settings) -> Iterator[str]:
    with running(create_app(rag.load(upload_settings, embedder=use_embedder()), http=UPLOAD_HTTP)) as url:
        yield url


@pytest.fixture()
def admin(upload_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=upload_url, timeout=120, headers=AUTH) as c:
        yield c


def _upload(client: httpx.Client, data: bytes, name: str = "new.txt", **params: str) -> httpx.Response:
    return client.post("/v1/documents", files={"file": (name, data, "text/plain")}, params=params)


def test_a_file_name_over_the_limit_is_a_clear_422_not_a_500(admin: httpx.Client) -> None:
    name = "公报" * 60 + ".txt"  # 364 bytes in UTF-8: too long for the file system
    assert "bytes" in _error(_upload(admin, tiny_gazette(3, issue=1), name=name), 422)


@pytest.mark.parametrize("name", ["README.txt", "readme.md", "ReadMe.TXT"])
def test_readme_uploads_are_refused(admin: httpx.Client, upload_settings: Settings, name: str) -> None:
    """The corpus loader skips README files: such an upload would be acknowledged and never served."""
    assert "README" in _error(_upload(admin, tiny_gazette(3, issue=2), name=name), 422)
    assert not [p for p in upload_settings.corpus_dir.iterdir() if p.stem.upper() == "README"]


def test_an_upload_without_a_key_is_refused_before_its_body_is_read(upload_url: str) -> None:
    """The head declares a body under the size limit and only its first bytes are sent: the 401 comes at once,
    without waiting for (or spooling) the rest."""
    parts = urlsplit(upload_url)
    head = (
        "POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {LIMIT - 10_000}\r\n\r\n"
    ).encode()
    for auth in (b"", b"Authorization: Bearer wrong\r\n"):
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
            conn.sendall(head.replace(b"\r\n\r\n", b"\r\n" + auth + b"\r\n") + b"--b\r\n" + b"x" * 1000)
            reply = conn.recv(65536)
        assert reply.split(b"\r\n")[0] in (b"HTTP/1.1 401 Unauthorized", b"HTTP/1.1 403 Forbidden"), reply


def test_clause_count_is_capped(admin: httpx.Client) -> None:
    assert "GONGBAO_MAX_UPLOAD_CHUNKS" in _error(_upload(admin, tiny_gazette(51, issue=3)), 422)


def test_a_large_upload_is_indexed_in_the_background_with_a_job_to_poll(admin: httpx.Client) -> None:
    response = _upload(admin, tiny_gazette(30, issue=4), name="2024-04.txt")
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("queued", "running", "done") and job["chunks"] == 31  # 30 clauses and the card
    assert response.headers["location"] == f"/v1/jobs/{job['id']}"
    deadline = time.monotonic() + 120
    while (job := admin.get(f"/v1/jobs/{job['id']}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "done", job
    doc = job["result"]["documents"][0]
    assert doc["doc_number"] == "青政办〔2024〕4号" and admin.get(f"/v1/documents/{doc['doc_id']}").status_code == 200
    _error(admin.get("/v1/jobs/job-unknown"), 404)
    with httpx.Client(base_url=str(admin.base_url)) as anonymous:
        _error(anonymous.get(f"/v1/jobs/{job['id']}"), 401)


def test_a_failed_background_upload_says_why(admin: httpx.Client) -> None:
    first = _upload(admin, tiny_gazette(25, issue=5), name="2024-05.txt")
    other = tiny_gazette(26, issue=5)  # the same issue with different text: a conflict, found by the job
    assert first.status_code == 202
    deadline = time.monotonic() + 120
    while admin.get(f"/v1/jobs/{first.json()['id']}").json()["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    second = _upload(admin, other, name="2024-05b.txt")
    assert second.status_code == 202
    while (job := admin.get(f"/v1/jobs/{second.json()['id']}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert (
        job["status"] == "failed" and job["error"]["code"] == "conflict" and "replace=true" in job["error"]["message"]
    )


def test_the_same_bytes_uploaded_again_are_recognised_not_a_conflict(admin: httpx.Client) -> None:
    data = tiny_gazette(4, issue=6)
    first = _upload(admin, data, name="2024-06.txt")
    assert first.status_code == 201, first.text
    again = _upload(admin, data, name="another-name.txt")  # a retry whose first answer was lost
    assert again.status_code == 200, again.text
    assert again.json()["file"] == first.json()["file"] and again.json()["documents"] == first.json()["documents"]
    changed = _upload(admin, data.replace("101元".encode(), "109元".encode()), name="2024-06.txt")
    assert "replace=true" in _error(changed, 409)


def test_an_upload_killed_before_its_answer_is_recognised_after_restart(
    built: tuple[Path, Manifest], tmp_path: Path
) -> None:
    """A server killed after it saved the file and before its 201: on restart the file is served, and the client's
    retry (the same bytes) gets 200 with what is served, not 409."""
    settings = _settings(tmp_path, built)
    data = tiny_gazette(4, issue=9)
    (settings.corpus_dir / "2024-09.txt").write_bytes(data)  # what the killed upload left behind
    with (
        running(create_app(rag.load(settings, embedder=use_embedder()), http=HTTP)) as url,
        httpx.Client(base_url=url, headers=AUTH, timeout=60) as client,
    ):
        retry = _upload(client, data, name="2024年第9期.txt")
        assert retry.status_code == 200, retry.text
        assert retry.json()["file"] == "2024-09.txt" and retry.json()["gazette"] == "2024-09"


def test_an_unwritable_corpus_folder_is_a_clear_503(
    admin: httpx.Client, monkeypatch: pytest.MonkeyPatch, upload_settings: Settings
) -> None:
    import index.uploads

    def read_only(target: Path, data: bytes) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(target))

    monkeypatch.setattr(index.uploads, "_write_atomic", read_only)
    message = _error(_upload(admin, tiny_gazette(3, issue=10)), 503)
    assert "not writable" in message and "Read-only" in message
    doc = admin.get("/v1/documents").json()["documents"][0]["doc_id"]
    assert "not writable" in _error(admin.delete(f"/v1/documents/{doc}"), 503)


# ---------- one writer per corpus folder (defect 5) ----------


def test_a_second_server_on_the_same_corpus_folder_refuses_admin_changes(
    upload_settings: Settings, upload_url: str, admin: httpx.Client
) -> None:
    second = create_app(rag.load(upload_settings, embedder=use_embedder()), http=UPLOAD_HTTP)
    with running(second) as url, httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
        doc = client.get("/v1/documents").json()["documents"][-1]["doc_id"]
        message = _error(client.delete(f"/v1/documents/{doc}"), 409)
        assert "another gongbao server" in message and "pid" in message
        assert "another gongbao server" in _error(_upload(client, tiny_gazette(3, issue=11)), 409)
        assert client.post("/v1/search", json={"query": "补助标准"}).status_code == 200  # it still serves reads
    assert admin.get(f"/v1/documents/{doc}").status_code == 200  # nothing was withdrawn


def test_the_writer_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first, second = CorpusWriterLock(tmp_path), CorpusWriterLock(tmp_path)
    first.acquire()
    with pytest.raises(CorpusLockedError, match="another gongbao server"):
        second.acquire()
    first.release()
    second.acquire()
    assert second.held
    second.release()
