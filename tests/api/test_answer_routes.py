"""Search and ask over real HTTP: contract fields, filters, citations, refusals and input errors."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import error_message as _error

HIT_FIELDS = {"rank", "score", "chunk_id", "doc_id", "doc_title", "doc_number", "section", "text", "source"}
# Each hit's document's validity on the request's date (issue #15), and the clauses it refers to.
HIT_FIELDS |= {"status", "effective_from", "expires_on", "repealed_by", "related"}


@pytest.fixture()
def client(any_client: httpx.Client) -> httpx.Client:
    """Every test here runs against the embedded store and against Milvus (tests/conftest.py `any_client`)."""
    return any_client


def test_search_returns_contract_fields(client: httpx.Client) -> None:
    hits = client.post("/v1/search", json={"query": "稳岗返还比例", "k": 3}).json()["hits"]
    assert len(hits) == 3 and set(hits[0]) == HIT_FIELDS
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert any("90%" in h["text"] for h in hits)
    assert set(hits[0]["source"]) == {"file", "line_start", "line_end"}


def test_search_filters(client: httpx.Client) -> None:
    body = {"query": "医疗卫生", "k": 10, "filters": {"doc_number": "青政办〔2023〕75号"}}
    hits = client.post("/v1/search", json=body).json()["hits"]
    assert hits and all(h["doc_number"] == "青政办〔2023〕75号" for h in hits)
    hits = client.post("/v1/search", json={"query": "医疗卫生", "k": 10, "filters": {"year": 2020}}).json()["hits"]
    assert hits and all("2020" in (h["doc_number"] or "2020") for h in hits)


def test_ask_answers_with_verified_citations(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": "2022年助企纾困十条里稳岗返还比例提高到多少？"}).json()
    assert body["answerable"] is True and body["mode"] == "extractive"
    assert "90%" in body["answer"] and "[1]" in body["answer"]
    first = body["citations"][0]
    assert first["doc_number"] == "青政办〔2022〕30号" and first["section"] == ["一、援企稳岗"]
    chunk = client.get(f"/v1/chunks/{first['chunk_id']}").json()
    assert first["quote"] in chunk["text"]


def test_ask_citation_lookup_is_verbatim(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": "青政办〔2020〕64号第八条"}).json()
    assert body["mode"] == "lookup" and body["citations"][0]["section"][-1] == "第八条"
    assert "及时足额办理基建项目资金拨付" in body["answer"]


def test_ask_refuses_what_the_gazettes_do_not_say(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": "青海省2040年的盐湖产业产值目标是多少？"}).json()
    assert body["answerable"] is False and "未找到" in body["answer"] and body["citations"] == []


def test_bad_requests(client: httpx.Client) -> None:
    assert "question" in _error(client.post("/v1/ask", json={"question": "   "}), 422)
    assert "question" in _error(client.post("/v1/ask", json={"question": "问" * 2001}), 422)
    assert "k" in _error(client.post("/v1/search", json={"query": "盐湖", "k": 0}), 422)
    assert "k" in _error(client.post("/v1/search", json={"query": "盐湖", "k": 51}), 422)
    assert "colour" in _error(client.post("/v1/search", json={"query": "盐湖", "filters": {"colour": "red"}}), 422)
    bad = client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    _error(bad, 422)
    assert "mode" in _error(client.post("/v1/ask", json={"question": "盐湖", "mode": "poetry"}), 422)
