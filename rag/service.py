"""The one entry point that the CLI, the HTTP API and the evaluation share: `rag.load()`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from index.lookup import LookupResult, find_clauses
from index.models import Chunk, Corpus, Document
from index.parser import parse_corpus
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass
class Gongbao:
    """A loaded corpus and the operations served on it (documents, clauses, citation lookup)."""

    corpus: Corpus
    settings: Settings

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


def load(settings: Settings | None = None, corpus_dir: Path | None = None) -> Gongbao:
    """Load the configured corpus (GONGBAO_CORPUS_DIR unless `corpus_dir` is given)."""
    settings = settings or get_settings()
    directory = corpus_dir or settings.corpus_dir
    corpus = parse_corpus(directory)
    for problem in corpus.problems:
        log.warning("skipped %s: %s", problem.file, problem.message)
    log.info("loaded %d documents, %d chunks from %s", len(corpus.documents), len(corpus.chunks), directory)
    return Gongbao(corpus=corpus, settings=settings)
