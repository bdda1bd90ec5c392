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
