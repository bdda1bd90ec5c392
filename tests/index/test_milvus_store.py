"""The Milvus store on Milvus Lite (real): filters as engine expressions, migration without re-embedding,
engine-side reciprocal rank fusion, and hits on chunks a replica does not serve yet."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index.milvus_store import Collections, MilvusStore, connect, where_expr
from index.store import Manifest, _stored_vectors
from index.vector_store import HybridSpec, Where, rrf
from rag.settings import Settings
from tests.conftest import use_embedder


@pytest.fixture(scope="module")
def store(milvus_settings: Settings) -> MilvusStore:
    return MilvusStore(
        connect(milvus_settings.milvus_uri), Collections(milvus_settings.milvus_collection), use_embedder()
    )


def test_where_becomes_an_engine_expression() -> None:
    assert where_expr(None) is None
    expr = where_expr(Where({"year": frozenset({"2022"}), "doc_number": frozenset({"青政办(2022)30号"})}))
    assert expr == 'doc_number in ["青政办〔2022〕30号"] and year in [2022]'
    assert where_expr(Where(doc_ids=frozenset())) == "__nothing__"
    assert where_expr(Where({"year": frozenset({"twenty"})})) == "__nothing__"


def test_migrated_vectors_are_the_faiss_vectors(store: MilvusStore, built: tuple[Path, Manifest]) -> None:
    index = faiss.read_index(str(built[0] / "dense.faiss"))
    faiss_vectors = np.array(_stored_vectors(index))  # a copy: the view dies with the index
    assert len(store) == len(faiss_vectors) == built[1].chunk_count
    rows = [0, len(store) // 2, len(store) - 1]
    ids = [store.chunks[i].chunk_id for i in rows]
    got = store.client.query(
        store.names.chunks, filter=f"chunk_id in {ids!r}".replace("'", '"'), output_fields=["chunk_id", "dense"]
    )
    by_id = {r["chunk_id"]: np.asarray(r["dense"], dtype=np.float32) for r in got}
    for i, cid in zip(rows, ids, strict=True):
        assert np.allclose(by_id[cid], faiss_vectors[i], atol=1e-6)
    # a chunk's own vector is its nearest neighbour in the engine
    assert store.dense(faiss_vectors[rows[1]], 1)[0][0] == rows[1]


def test_filters_run_in_the_engine(store: MilvusStore) -> None:
    unfiltered = store.keyword("工作方案", 50, "jieba")
    assert {store.document_of(i).year for i, _ in unfiltered} - {2021}  # the filter has rows to remove
    years = Where({"year": frozenset({"2021"})})
    hits = store.keyword("工作方案", 50, "jieba", years)
    assert hits and all(store.document_of(i).year == 2021 for i, _ in hits)
    doc = store.document_of(hits[0][0]).doc_id
    only = store.dense(use_embedder().encode_queries(["工作方案"])[0], 10, Where(doc_ids=frozenset({doc})))
    assert only and {store.chunks[i].doc_id for i, _ in only} == {doc}


def test_engine_rrf_matches_rrf_of_the_engine_lists(store: MilvusStore) -> None:
    query = "失业保险稳岗返还比例"
    vector = use_embedder().encode_queries([query])[0]
    spec = HybridSpec(candidates=20, fusion="rrf", dense_weight=1.0)
    engine = store.hybrid(query, vector, None, spec)
    lists = [store.dense(vector, 20), store.keyword(query, 20, "jieba"), store.keyword(query, 20, "char")]
    here = rrf(lists, spec.rrf_k)
    assert [i for i, _ in engine[:5]] == [i for i, _ in here[:5]]


def test_hits_on_chunks_not_served_here_are_ignored(store: MilvusStore) -> None:
    vector = use_embedder().encode_queries(["稳岗返还"])[0]
    first = store.dense(vector, 3)
    hidden = store.chunks[first[0][0]].chunk_id
    row = store.row.pop(hidden)  # as if another replica had just added this chunk
    try:
        assert hidden not in {store.chunks[i].chunk_id for i, _ in store.dense(vector, 3)}
    finally:
        store.row[hidden] = row
