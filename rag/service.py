"""The one entry point that the CLI, the HTTP API and the evaluation share: `rag.load()`."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.embedders import Embedder, make_embedder
from index.lookup import LookupResult, find_clauses
from index.models import Chunk, Corpus, Document
from index.parser import parse_corpus
from index.store import Manifest, build_index, load_index
from rag.answer import extractive_answer, lookup_answer
from rag.models import Answer, Hit
from rag.retriever import Retriever
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)
DEFAULT_K = 5
ANSWER_K = 8


@dataclass
class Gongbao:
    """A loaded corpus and index, and the operations served on them: search, ask, documents, citations."""

    corpus: Corpus
    settings: Settings
    retriever: Retriever
    manifest: Manifest
    _docs: dict[str, Document] = field(init=False, repr=False)
    _chunks: dict[str, Chunk] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._docs = {d.doc_id: d for d in self.corpus.documents}
        self._chunks = {c.chunk_id: c for c in self.corpus.chunks}

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    @property
    def chunks(self) -> list[Chunk]:
        return self.corpus.chunks

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._docs.get(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, or None."""
        return self._chunks.get(chunk_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading order."""
        return [c for c in self.corpus.chunks if c.doc_id == doc_id]

    def cite(self, ref: str) -> LookupResult | None:
        """Resolve a citation such as 「青政办〔2020〕64号第八条」 or 「助企纾困十条第三条」."""
        return find_clauses(self.corpus, ref)

    def search(self, query: str, k: int = DEFAULT_K, filters: Mapping[str, Any] | None = None) -> list[Hit]:
        """Top-k clauses for a query (hybrid dense + BM25). Unknown filter keys raise ValueError."""
        return self.retriever.search(query, k=k, filters=filters)

    def ask(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        mode: str | None = None,
        k: int | None = None,
    ) -> Answer:
        """A cited answer. A question naming a document and clause is answered from that clause verbatim."""
        started = time.perf_counter()
        if mode not in (None, "extractive"):
            raise ValueError(f"answer mode {mode!r} is not available: this service answers in 'extractive' mode")
        lookup = self.cite(question)
        if lookup is not None and lookup.clause is not None and lookup.chunks:
            hits = self.retriever.search(question, k=len(lookup.chunks))
            return lookup_answer(lookup, hits, started)
        return extractive_answer(question, self.retriever.search(question, k=k or ANSWER_K), started)


def load(settings: Settings | None = None, corpus_dir: Path | None = None, embedder: Embedder | None = None) -> Gongbao:
    """Load the configured corpus and its index, building (or refreshing) the index when needed."""
    settings = settings or get_settings()
    directory = corpus_dir or settings.corpus_dir
    corpus = parse_corpus(directory)
    for problem in corpus.problems:
        log.warning("skipped %s: %s", problem.file, problem.message)
    embedder = embedder or make_embedder(settings.embed_model)
    manifest = build_index(corpus, embedder, settings.index_dir)
    store = load_index(settings.index_dir, embedder)
    log.info(
        "loaded %d documents, %d chunks; index model %s", len(corpus.documents), len(corpus.chunks), manifest.model
    )
    return Gongbao(corpus=corpus, settings=settings, retriever=Retriever(store, embedder), manifest=manifest)
