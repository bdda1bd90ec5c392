"""Validity over HTTP (issue #15): status in the document list and detail, references of a clause."""

from __future__ import annotations

import httpx


def test_documents_carry_their_status(client: httpx.Client) -> None:
    docs = {d["doc_id"]: d for d in client.get("/v1/documents").json()["documents"]}
    measures = docs["2022-09-5435ac"]  # 助企纾困十条措施: 「有效期至2022年12月31日」
    assert (measures["status"], measures["effective_from"], measures["expires_on"], measures["repealed_by"]) == (
        "expired",
        "2022-05-15",
        "2022-12-31",
        None,
    )
    banfa = docs["2020-16-b9c2f7"]  # 债务风险防控办法: 「本办法自印发之日起执行」
    assert (banfa["status"], banfa["effective_from"], banfa["expires_on"]) == ("in_force", "2020-08-23", None)
    assert docs["2022-sp-cfadac"]["status"] == "unknown"  # the 科技创新规划 states nothing
    assert {d["status"] for d in docs.values()} == {"in_force", "expired", "unknown"}
    detail = client.get("/v1/documents/2022-09-5435ac").json()
    assert (detail["status"], detail["expires_on"]) == ("expired", "2022-12-31")


def test_a_chunk_lists_its_references(client: httpx.Client) -> None:
    detail = client.get("/v1/documents/2022-09-582dba").json()  # 2022 医改 tasks cite the 2021 公立医院 plan
    clause = next(c for c in detail["clauses"] if "《青海省推动公立医院高质量发展实施方案》" in c["text"])
    chunk = client.get(f"/v1/chunks/{clause['chunk_id']}").json()
    linked = [r for r in chunk["references_out"] if r["target_doc_ids"] == ["2021-23-97d943"]]
    assert linked and linked[0]["kind"] == "document" and linked[0]["chunk_id"] == clause["chunk_id"]
    assert chunk["references_in"] == []


def test_status_as_of_a_date(client: httpx.Client) -> None:
    def measures(as_of: str) -> dict[str, object]:
        docs = client.get("/v1/documents", params={"as_of": as_of}).json()["documents"]
        return next(d for d in docs if d["doc_id"] == "2022-09-5435ac")

    assert measures("2022-05-14")["status"] == "not_yet_in_force"
    assert measures("2022-12-31")["status"] == "in_force"
    assert measures("2023-01-01")["status"] == "expired"
    detail = client.get("/v1/documents/2022-09-5435ac", params={"as_of": "2022-06-01"}).json()
    assert detail["status"] == "in_force"
    bad = client.get("/v1/documents", params={"as_of": "2022-13-45"})
    assert bad.status_code == 422 and "error" in bad.json()


MEASURES = "2022-09-5435ac"
QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"


def test_search_hits_carry_status_and_in_force_only_filters(client: httpx.Client) -> None:
    def hits(**extra: object) -> list[dict[str, object]]:
        resp = client.post("/v1/search", json={"query": "稳岗返还比例", "k": 10, **extra})
        assert resp.status_code == 200, resp.text
        return list(resp.json()["hits"])

    now = [h for h in hits(as_of="2026-01-01") if h["doc_id"] == MEASURES]
    assert now and all(
        (h["status"], h["effective_from"], h["expires_on"], h["repealed_by"])
        == ("expired", "2022-05-15", "2022-12-31", None)
        for h in now
    )
    assert all("related" in h for h in now)
    assert {h["status"] for h in hits(as_of="2022-06-01") if h["doc_id"] == MEASURES} == {"in_force"}
    assert all(h["doc_id"] != MEASURES for h in hits(as_of="2026-01-01", in_force_only=True))
    assert any(h["doc_id"] == MEASURES for h in hits(as_of="2022-06-01", in_force_only=True))


def test_bad_dates_are_refused_with_a_clear_422(client: httpx.Client) -> None:
    for path, body in (
        ("/v1/search", {"query": "稳岗返还比例", "as_of": "2022-02-30"}),
        ("/v1/ask", {"question": QUESTION, "as_of": "tomorrow"}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}], "as_of": "2022/01/01"}),
    ):
        resp = client.post(path, json=body)
        assert resp.status_code == 422, (path, resp.text)
        assert resp.json()["error"]["code"] == "invalid_request" and "as_of" in resp.json()["error"]["message"]
    resp = client.post("/v1/search", json={"query": "稳岗返还比例", "in_force_only": "maybe"})
    assert resp.status_code == 422 and "in_force_only" in resp.json()["error"]["message"]


def test_ask_and_chat_note_an_expired_document_and_stamp_every_citation(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": QUESTION, "as_of": "2026-01-01"}).json()
    assert "截至2026年1月1日已失效" in body["answer"]
    assert all(c["status"] == "expired" and c["expires_on"] == "2022-12-31" for c in body["citations"])
    noted = [c for c in body["citations"] if c["status_note"]]
    assert len(noted) == 1 and "有效期至2022年12月31日" in noted[0]["quote"]
    then = client.post("/v1/ask", json={"question": QUESTION, "as_of": "2022-06-01"}).json()
    assert "已失效" not in then["answer"] and {c["status"] for c in then["citations"]} == {"in_force"}

    chat = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": QUESTION}], "as_of": "2026-01-01", "sources": False},
    ).json()
    assert "已失效" in chat["choices"][0]["message"]["content"]
    assert any(c["status_note"] for c in chat["citations"])
    validity = client.post("/v1/ask", json={"question": "青政办〔2022〕30号还有效吗？", "as_of": "2026-01-01"}).json()
    assert validity["mode"] == "validity" and validity["answerable"] and "已失效" in validity["answer"]
