"""Hybrid retrieval: dense + BM25 candidates fused by reciprocal rank, with light query understanding.

The query is a `rag.question.Question` (read once per request; a plain string is read at the door).
Query understanding, in order:
1. a citation (「青政办〔2020〕64号第八条」, 「助企纾困十条第三条」) resolved by `index.lookup.find_clauses` puts
   the named clauses first with score 1.0;
2. a 文号 in the query restricts the search to that document (and its attachments);
3. a year in the query (「2022年」) boosts chunks that contain it or whose document is from that year;
4. a question about a document itself (its 文号, issuer, date, issue: `Question.metadata`) puts the cards
   (`index.cards`) of the documents it names first, resolved by 文号 or (abbreviated) title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from index.cards import card_id
from index.embedders import Embedder
from index.errors import UnknownFilterError
from index.lookup import LookupResult, find_clauses, find_documents, named_documents
from index.store import IndexMismatchError, IndexStore
from index.text import norm
from index.vector_store import FILTER_KEYS, HybridSpec, Ranking, VectorStore, Where, as_vector_store, rrf, score_sum
from rag.config import RetrieverConfig
from rag.lexicon import BOILERPLATE, HEADING_ONLY
from rag.models import Hit
from rag.question import Question, as_question

__all__ = ["FILTER_KEYS", "Ranking", "Retriever", "check_filters", "rrf", "score_sum"]


class NotLookedUp:
    """Marks a search whose citation lookup has not been done yet (the retriever does it)."""


NOT_LOOKED_UP = NotLookedUp()
Lookup = LookupResult | None | NotLookedUp


def _as_set(value: Any) -> frozenset[str]:
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return frozenset(str(v) for v in values)


def check_filters(filters: Mapping[str, Any] | None) -> dict[str, frozenset[str]]:
    """Validated filters as key → accepted values; UnknownFilterError naming any unknown key."""
    unknown = sorted(set(filters or {}) - set(FILTER_KEYS))
    if unknown:
        raise UnknownFilterError(
            f"unknown filter {', '.join(map(repr, unknown))}; known filters: {', '.join(FILTER_KEYS)}"
        )
    return {key: _as_set(value) for key, value in (filters or {}).items() if value is not None}


class Retriever:
    """Hybrid search over a `VectorStore` (the embedded FAISS + BM25 store, or Milvus)."""

    def __init__(
        self, store: IndexStore | VectorStore, embedder: Embedder, config: RetrieverConfig | None = None
    ) -> None:
        store = as_vector_store(store)
        if (embedder.name, embedder.dims) != (store.manifest.model, store.manifest.dims):
            raise IndexMismatchError(f"index built with {store.manifest.model}, query embedder is {embedder.name}")
        self.store = store
        self.embedder = embedder
        self.config = config or RetrieverConfig()
        self._numbers = sorted({d.doc_number for d in store.documents.values() if d.doc_number}, key=len, reverse=True)
        self._attachments: dict[str, list[str]] = {}
        for d in store.documents.values():
            if d.parent_id:
                self._attachments.setdefault(d.parent_id, []).append(d.doc_id)
        self._hollow: dict[int, bool] = {}  # row → hollow?, decided for candidate rows only (when weighed)

    # ---------- restrictions ----------

    def _allowed(self, filters: dict[str, frozenset[str]], docs: Sequence[str] | None = None) -> Where | None:
        """The restriction the filters (and `docs`, if given) make; None means none. The store applies it."""
        if not filters and docs is None:
            return None
        return Where(filters=filters, doc_ids=None if docs is None else frozenset(docs))

    def _spec(self) -> HybridSpec:
        cfg = self.config
        return HybridSpec(
            candidates=cfg.candidates,
            dense=cfg.dense,
            keyword=cfg.bm25,
            dense_weight=cfg.dense_weight,
            fusion=cfg.fusion,
            rrf_k=cfg.rrf_k,
        )

    def _fused(self, query: Question, allowed: Where | None, vector: np.ndarray | None) -> Ranking:
        return self.store.hybrid(query.text, vector, allowed, self._spec())

    def query_doc_numbers(self, query: Question | str) -> list[str]:
        """Every corpus 文号 the query names (a comparison may name two), longest first."""
        text = as_question(query).normalised
        return [n for n in self._numbers if norm(n) in text]

    def query_doc_number(self, query: Question | str) -> str | None:
        """The corpus 文号 the query names, if any (matched against the known 文号, longest first)."""
        text = as_question(query).normalised
        return next((n for n in self._numbers if norm(n) in text), None)

    def _lookup(self, query: Question, allowed: Where | None, looked_up: Lookup) -> list[int]:
        """Chunk indices of the clause a citation-style query names (empty when it names none)."""
        result = find_clauses(self.store.corpus, query.reference) if isinstance(looked_up, NotLookedUp) else looked_up
        if result is None or result.clause is None or not result.chunks:
            return []
        idxs = sorted({self.store.row[c.chunk_id] for c in result.chunks if c.chunk_id in self.store.row})
        return [i for i in idxs if allowed is None or allowed.admits(self.store.document_of(i))]

    def _cards(self, query: Question, allowed: Where | None) -> list[int]:
        """Rows of the cards of the documents a metadata question names (none for other questions)."""
        if not query.only_metadata:
            return []
        docs = find_documents(self.store.corpus, query.doc_number, query.document_words, query.years)
        rows = [self.store.row[c] for d in docs if (c := card_id(d.doc_id)) in self.store.row]
        return [i for i in rows if allowed is None or allowed.admits(self.store.document_of(i))]

    # ---------- ranking ----------

    def candidate_lists(
        self, query: Question | str, allowed: Where | None, vector: np.ndarray | None = None
    ) -> list[Ranking]:
        """The dense and BM25 candidate lists that fusion combines (`vector`: the query already embedded)."""
        query = as_question(query).text
        cfg = self.config
        lists: list[Ranking] = []
        if cfg.dense:
            if vector is None:
                vector = self.embedder.encode_queries([query])[0]
            lists.append(self.store.dense(vector, cfg.candidates, allowed))
        lists.extend(self.store.keyword(query, cfg.candidates, tok, allowed) for tok in cfg.bm25)
        return lists

    def _boost_years(self, query: Question, ranking: Ranking) -> Ranking:
        years = query.years
        if not years or not self.config.year_boost:
            return ranking
        factor = 1.0 + self.config.year_boost
        boosted = []
        for idx, score in ranking:
            doc_year = str(self.store.document_of(idx).year)
            hit = doc_year in years or self.store.mentions_any(idx, years)
            boosted.append((idx, score * factor if hit else score))
        return sorted(boosted, key=lambda x: -x[1])

    def _boost_documents(
        self,
        query: Question,
        checked: dict[str, frozenset[str]],
        docs: list[str],
        fused: Ranking,
        vector: np.ndarray | None,
        boost: float,
    ) -> Ranking:
        """The ranking with the clauses of `docs` searched among those documents alone and scored `boost` more."""
        if not docs:
            return fused
        named = self._fused(query, self._allowed(checked, docs), vector)
        best = dict(fused)
        for idx, score in named:
            best[idx] = max(best.get(idx, 0.0), score * (1.0 + boost))
        return sorted(best.items(), key=lambda x: -x[1])

    def _is_hollow(self, idx: int) -> bool:
        """Whether chunk row `idx` says nothing of its own: a heading alone, or an issuing notice's boilerplate
        (decided once per row, when the row first is a candidate: no pass over the whole corpus)."""
        known = self._hollow.get(idx)
        if known is None:
            c = self.store.chunks[idx]
            known = c.kind == "clause" and (
                HEADING_ONLY.match(norm(c.text)) is not None
                or (c.doc_id in self._attachments and BOILERPLATE.search(c.text) is not None)
            )
            self._hollow[idx] = known
        return known

    def _weigh_hollow(self, ranking: Ranking) -> Ranking:
        """Chunks saying nothing of their own (a heading alone, an issuing notice's boilerplate) weighted down."""
        weight = self.config.hollow_weight
        return sorted(((i, s * weight if self._is_hollow(i) else s) for i, s in ranking), key=lambda x: -x[1])

    def _weigh_cards(self, ranking: Ranking) -> Ranking:
        """Cards weighted down (`card_weight`) for a question about a document's content, not the document."""
        weight = self.config.card_weight
        weighed = [(idx, score * weight if self.store.is_card(idx) else score) for idx, score in ranking]
        return sorted(weighed, key=lambda x: -x[1])

    def rank(
        self,
        query: Question | str,
        k: int = 10,
        filters: Mapping[str, Any] | None = None,
        looked_up: Lookup = NOT_LOOKED_UP,
    ) -> Ranking:
        """(chunk index, score) pairs, best first: the ranking behind `search`.

        `looked_up` is the citation lookup of this question when the caller has done it already (so it is not
        done twice).
        """
        query = as_question(query)
        checked = check_filters(filters)
        understand = self.config.understand
        numbers = self.query_doc_numbers(query) if understand else []
        allowed = self._allowed(checked)
        first = self._lookup(query, allowed, looked_up) if understand else []
        if understand:
            first = [*self._cards(query, allowed), *first]
        # Embedded once: a question naming a 文号 is searched twice (everywhere, then in the named documents).
        vector = self.embedder.encode_queries([query.text])[0] if self.config.dense else None
        fused = self._fused(query, allowed, vector)
        if numbers:
            # A 文号 the question names boosts its documents' clauses (searched among those documents alone, so
            # they are all candidates); it does not filter away another document a comparison needs.
            docs = [d.doc_id for d in self.store.documents.values() if d.doc_number in numbers]
            fused = self._boost_documents(query, checked, docs, fused, vector, self.config.doc_number_boost)
        elif understand and self.config.title_boost:
            # So does a document named by its (abbreviated) title, less: a title match is less certain than a 文号.
            named = named_documents(self.store.corpus, query.normalised, self.config.title_min_weight)
            # 「关于印发X的通知」 holds X's title words too; X is what is asked about, the notice only issues it
            docs = list(dict.fromkeys(a for d in named for a in self._attachments.get(d.doc_id, [d.doc_id])))
            fused = self._boost_documents(query, checked, docs, fused, vector, self.config.title_boost)
        if understand:
            fused = self._boost_years(query, fused)
            if not query.metadata:
                fused = self._weigh_cards(fused)
            if self.config.hollow_weight != 1.0:
                fused = self._weigh_hollow(fused)
        seen = set(first)
        ranking = [(i, 1.0) for i in first] + [(i, s) for i, s in fused if i not in seen]
        return ranking[:k]

    def search(
        self,
        query: Question | str,
        k: int = 5,
        filters: Mapping[str, Any] | None = None,
        looked_up: Lookup = NOT_LOOKED_UP,
    ) -> list[Hit]:
        """Top-k hits for the query. Filters: doc_number, doc_id, year, gazette, doc_type (a value or a list)."""
        ranking = self.rank(query, k, filters, looked_up)
        self._prefetch(idx for idx, _ in ranking)
        return [self._hit(rank, idx, score) for rank, (idx, score) in enumerate(ranking, 1)]

    def _prefetch(self, rows: Iterable[int]) -> None:
        """Have a stored corpus decode these rows in one query (no-op for a corpus held in memory)."""
        prefetch = getattr(self.store.chunks, "prefetch", None)
        if prefetch is not None:
            prefetch(list(rows))

    def hits(self, chunk_ids: Sequence[str]) -> list[Hit]:
        """The named chunks as hits, in the given order, each with score 1.0 (unknown ids are skipped)."""
        position = self.store.row
        idxs = [position[c] for c in chunk_ids if c in position]
        return [self._hit(rank, idx, 1.0) for rank, idx in enumerate(idxs, 1)]

    def _hit(self, rank: int, idx: int, score: float) -> Hit:
        chunk = self.store.chunks[idx]
        return Hit.of(chunk, self.store.documents[chunk.doc_id], rank, round(score, 6))
