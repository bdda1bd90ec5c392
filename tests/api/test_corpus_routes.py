"""Corpus routes over real HTTP: health, documents, chunks, citation lookup, errors in one JSON shape."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import error_message as _error


@pytest.fixture()
def client(any_client: httpx.Client) -> httpx.Client:
    """Every test here runs against the embedded store and against Milvus (tests/conftest.py `any_client`)."""
    return any_client


def test_healthz(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["documents"] == 64 and body["chunks"] > 1500
    assert len(body["index"]["corpus_files"]) == 5


def test_documents_and_detail(client: httpx.Client) -> None:
    docs = client.get("/v1/documents").json()["documents"]
    plan = next(d for d in docs if d["title"].startswith("省直部门办公和业务用房基建项目"))
    assert plan["doc_number"] == "青政办〔2020〕64号" and plan["doc_type"] == "办法" and plan["parent_id"]
    assert plan["issue"] == "2020年第16期（总第484期）"
    detail = client.get(f"/v1/documents/{plan['doc_id']}").json()
    assert detail["issue"] == plan["issue"]
    assert detail["parent_title"].startswith("青海省人民政府办公厅关于印发")
    sections = [c["section"] for c in detail["clauses"]]
    assert ["第三章 资金拨付和监控", "第八条"] in sections
    first = detail["clauses"][0]
    chunk = client.get(f"/v1/chunks/{first['chunk_id']}").json()
    assert {k: chunk[k] for k in first} == first  # plus its references (tests/api/test_validity_routes.py)


def test_cite_by_number_and_by_abbreviated_title(client: httpx.Client) -> None:
    body = client.get("/v1/cite", params={"ref": "青政办〔2020〕64号第八条"}).json()
    assert body["clause"] == "第八条" and body["doc_number"] == "青政办〔2020〕64号"
    assert body["clauses"][0]["section"] == ["第三章 资金拨付和监控", "第八条"]
    assert "国库集中支付" in body["clauses"][0]["text"]
    body = client.get("/v1/cite", params={"ref": "助企纾困十条第一条"}).json()
    assert "90%" in body["clauses"][0]["text"] and body["doc_number"] == "青政办〔2022〕30号"


def test_not_found_names_what_was_missing(client: httpx.Client) -> None:
    assert "青政办〔2019〕1号" in _error(client.get("/v1/cite", params={"ref": "青政办〔2019〕1号第八条"}), 404)
    assert "第九十九条" in _error(client.get("/v1/cite", params={"ref": "青政办〔2020〕64号第九十九条"}), 404)
    assert "nope" in _error(client.get("/v1/documents/nope"), 404)
    assert "nope" in _error(client.get("/v1/chunks/nope"), 404)


def test_bad_input_is_a_4xx_with_a_message(client: httpx.Client) -> None:
    assert "ref" in _error(client.get("/v1/cite"), 422)
    _error(client.get("/v1/cite", params={"ref": "  "}), 422)
    _error(client.get("/v1/cite", params={"ref": "x" * 500}), 422)
    _error(client.post("/v1/documents/abc"), 405)
