"""The vector-store interface the retriever searches through, and its embedded implementation (FAISS + BM25).

Two implementations:

- `FaissStore` (default, `GONGBAO_VECTOR_STORE=faiss`): the index folder of `index.store` — FAISS for dense
  vectors, bm25s for the two keyword tokenisations — wrapped, not changed.
- `index.milvus_store.MilvusStore` (`GONGBAO_VECTOR_STORE=milvus`): one Milvus collection holding each chunk's
  text, dense vector, BM25 sparse vectors and the scalar fields filters need; searches, filters and hybrid
  fusion run in the engine.

Both answer in chunk *rows*: positions in `store.chunks`, the served corpus in index order (the embedded
store serves it from its SQLite store, decoding a chunk when asked for; Milvus replicas hold it in memory).
A restriction is a `Where` (document-level filters and/or a set of documents), which each store applies
inside its engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from index.models import Chunk, Corpus, Document
from index.store import IndexStore, Manifest, Rows, Tokenizer
from index.text import canonical_doc_number

Ranking = list[tuple[int, float]]
FILTER_KEYS = ("doc_number", "doc_id", "year", "gazette", "doc_type")
Fusion = Literal["rrf", "sum"]


@dataclass(frozen=True)
class Where:
    """A restriction to documents: `filters` (key in FILTER_KEYS → accepted values, all keys must match) and, if
    given, membership in `doc_ids`. Empty filters and no doc_ids restrict nothing."""

    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    doc_ids: frozenset[str] | None = None

    def admits(self, doc: Document) -> bool:
        """Whether a document passes the restriction."""
        if self.doc_ids is not None and doc.doc_id not in self.doc_ids:
            return False
        return all(_doc_matches(doc, key, wanted) for key, wanted in self.filters.items())


def _doc_matches(doc: Document, key: str, wanted: frozenset[str]) -> bool:
    if key == "doc_number":
        canon = {canonical_doc_number(w) or w for w in wanted}
        return doc.doc_number in canon
    if key == "year":
        return str(doc.year) in wanted
    if key == "gazette":
        return doc.gazette_key in wanted
    return str(getattr(doc, key)) in wanted


@dataclass(frozen=True)
class HybridSpec:
    """What a hybrid search fuses: the dense list (if `dense`) and one BM25 list per tokenizer, `candidates` deep
    each, by reciprocal rank (`rrf`, constant `rrf_k`) or a min-max normalised weighted score sum (`sum`)."""

    candidates: int = 50
    dense: bool = True
    keyword: tuple[Tokenizer, ...] = ("jieba", "char")
    dense_weight: float = 1.0
    fusion: Fusion = "sum"
    rrf_k: int = 60

    @property
    def weights(self) -> list[float]:
        """The lists' weights in the order dense (if any), then the keyword tokenizers."""
        return [self.dense_weight] * self.dense + [1.0] * len(self.keyword)


def rrf(rankings: Sequence[Ranking], k: int = 60, weights: Sequence[float] | None = None) -> Ranking:
    """Reciprocal rank fusion: each list adds weight / (k + rank) to the items it holds (rank is 1-based)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, (idx, _) in enumerate(ranking, start=1):
            scores[idx] = scores.get(idx, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda x: -x[1])


def score_sum(rankings: Sequence[Ranking], weights: Sequence[float] | None = None) -> Ranking:
    """Normalised score sum: each list's scores min-max scaled to [0, 1], weighted, then added up."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        if not ranking:
            continue
        values = [s for _, s in ranking]
        low, high = min(values), max(values)
        for idx, s in ranking:
            scaled = (s - low) / (high - low) if high > low else 1.0
            scores[idx] = scores.get(idx, 0.0) + weight * scaled
    return sorted(scores.items(), key=lambda x: -x[1])


def fuse(lists: Sequence[Ranking], spec: HybridSpec) -> Ranking:
    """The candidate lists fused as `spec` says."""
    if spec.fusion == "rrf":
        return rrf(lists, spec.rrf_k, spec.weights)
    return score_sum(lists, spec.weights)


@runtime_checkable
class VectorStore(Protocol):
    """What the retriever needs from a store: the served chunks (in row order) and searches restricted by `Where`.

    Every search returns (row, score) pairs, best first; a `where` of None searches everything.
    """

    manifest: Manifest
    corpus: Corpus
    chunks: Sequence[Chunk]
    documents: dict[str, Document]
    row: Mapping[str, int]
    kind: str

    @property
    def texts(self) -> Sequence[str]:
        """Each chunk's indexed text (title and heading path before the clause), in row order."""
        ...

    def __len__(self) -> int: ...

    def document_of(self, idx: int) -> Document:
        """The document of chunk row `idx`."""
        ...

    def is_card(self, idx: int) -> bool:
        """Whether chunk row `idx` is a document card (without decoding the chunk where the store can)."""
        ...

    def mentions_any(self, idx: int, words: Iterable[str]) -> bool:
        """Whether chunk row `idx`'s indexed text (title, headings, text) holds any of `words`."""
        ...

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """For each chunk row, whether its document is from one of `years` (four-digit strings) or its indexed text
        mentions one (`mentions_any`): the year boost's test, for all its candidates at once."""
        ...

    def dense(self, vector: np.ndarray, k: int, where: Where | None = None) -> Ranking:
        """Top-k rows by inner product with a normalised query vector."""
        ...

    def keyword(self, query: str, k: int, tokenizer: Tokenizer = "jieba", where: Where | None = None) -> Ranking:
        """Top-k rows by BM25 under the named tokenisation (rows scoring zero are left out)."""
        ...

    def hybrid(self, query: str, vector: np.ndarray | None, where: Where | None, spec: HybridSpec) -> Ranking:
        """The dense and keyword candidate lists of `spec`, fused (`vector` is the embedded query, or None when
        `spec.dense` is off)."""
        ...


class FaissStore:
    """The embedded store: an `index.store.IndexStore` (FAISS + two bm25s indexes) behind the `VectorStore` face.

    A `Where` becomes the sorted chunk rows of the admitted documents, which IndexStore applies inside FAISS
    (IDSelector, or an exact scan of few rows) and bm25s (weight mask).
    """

    kind = "faiss"

    def __init__(self, index: IndexStore) -> None:
        self.index = index
        self.manifest = index.manifest
        self.corpus = index.corpus
        self.chunks = index.chunks
        self.documents = index.documents
        self.texts = index.texts
        self.row = index.row

    def __len__(self) -> int:
        return len(self.index)

    def document_of(self, idx: int) -> Document:
        """The document of chunk row `idx`."""
        return self.index.document_of(idx)

    def is_card(self, idx: int) -> bool:
        """Whether chunk row `idx` is a document card."""
        return self.index.is_card(idx)

    def mentions_any(self, idx: int, words: Iterable[str]) -> bool:
        """Whether chunk row `idx`'s indexed text holds any of `words`."""
        return self.index.mentions_any(idx, words)

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """For each chunk row, whether its document is from one of `years` or its indexed text mentions one."""
        return self.index.in_years(rows, years)

    def rows(self, where: Where | None) -> Rows | None:
        """The chunk rows `where` admits (None: no restriction)."""
        if where is None:
            return None
        # a restriction to named documents (a document the question names, its annexes) tests only those: testing
        # all of them cost ~1.3 ms a named-document search at 20x the corpus (1,280 documents), for the same rows
        # (rows_of_documents sorts them, so the documents' order does not matter)
        candidates = (
            self.documents.values()
            if where.doc_ids is None
            else (self.documents[d] for d in where.doc_ids if d in self.documents)
        )
        return self.index.rows_of_documents(d.doc_id for d in candidates if where.admits(d))

    def dense(self, vector: np.ndarray, k: int, where: Where | None = None) -> Ranking:
        """Top-k rows by inner product with a normalised query vector (FAISS)."""
        return self.index.dense_vector(vector, k, self.rows(where))

    def keyword(self, query: str, k: int, tokenizer: Tokenizer = "jieba", where: Where | None = None) -> Ranking:
        """Top-k rows by BM25 (bm25s) under the named tokenisation."""
        return self.index.bm25(query, k, tokenizer, self.rows(where))

    def bm25(self, query: str, k: int, tokenizer: Tokenizer = "jieba", allowed: Iterable[int] | None = None) -> Ranking:
        """IndexStore's BM25 on rows (kept for callers that restrict by rows)."""
        return self.index.bm25(query, k, tokenizer, allowed)

    def hybrid(self, query: str, vector: np.ndarray | None, where: Where | None, spec: HybridSpec) -> Ranking:
        """Dense and keyword candidate lists from the local indexes, fused in process."""
        rows = self.rows(where)
        lists: list[Ranking] = []
        if spec.dense:
            if vector is None:
                raise ValueError("a hybrid search with a dense list needs the query vector")
            lists.append(self.index.dense_vector(vector, spec.candidates, rows))
        lists.extend(self.index.bm25(query, spec.candidates, tok, rows) for tok in spec.keyword)
        return fuse(lists, spec)


def as_vector_store(store: IndexStore | VectorStore) -> VectorStore:
    """A `VectorStore` for either an IndexStore (wrapped in FaissStore) or a store that already is one."""
    return FaissStore(store) if isinstance(store, IndexStore) else store
