"""The corpus vocabulary: gazettes, documents and the clause chunks that answers cite.

Every layer (index, rag, api, eval) speaks these types; they are defined here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, PrivateAttr

ChunkKind = Literal["clause", "table_row", "card"]  # card: a document's metadata (index.cards)


class SourceSpan(BaseModel):
    """Where a piece of text came from: file name and 1-based inclusive line numbers."""

    file: str
    line_start: int
    line_end: int


class Gazette(BaseModel):
    """One gazette issue (one source file)."""

    key: str = Field(description="Stable short key, e.g. '2021-23' or '2022-特刊'.")
    title: str = "青海省人民政府公报"
    year: int | None = None
    number: int | None = Field(None, description="Issue number within the year (第23期); None for a special issue.")
    total_number: int | None = Field(None, description="Running number (总第515期).")
    special: bool = Field(False, description="True for a 特刊 / 专辑 without an issue number.")
    published: date | None = None
    source_file: str
    sha256: str

    @property
    def label(self) -> str:
        """Human label such as '2021年第23期（总第515期）' or '2022年特刊'; a single uploaded document: its file."""
        if not self.special and self.number is None:
            return self.source_file  # not an issue (a notice uploaded on its own): no issue label to show
        if self.special or self.number is None:
            return f"{self.year or ''}年特刊"
        total = f"（总第{self.total_number}期）" if self.total_number else ""
        return f"{self.year}年第{self.number}期{total}"


class Document(BaseModel):
    """One item of a gazette: a notice, an attached plan/measures, an appointment list, a chronicle."""

    doc_id: str
    gazette_key: str
    title: str = Field(description="Title as printed, wrapped lines joined.")
    doc_number: str | None = Field(None, description="文号, e.g. 青政办〔2022〕30号; attachments inherit the notice's.")
    doc_type: str = Field(description="通知 / 方案 / 规划 / 办法 / 意见 / 任免 / 大事记 / ...")
    issuer: str | None = None
    signed: date | None = None
    addressees: str | None = None
    parent_id: str | None = Field(None, description="For an attachment: the doc_id of the notice that issued it.")
    parent_title: str | None = Field(None, description="For an attachment: the title of the issuing notice.")
    source: SourceSpan
    header_lines: list[int] = Field(
        default_factory=list,
        description="Line numbers consumed as metadata (title, 文号, addressees, signature), not chunk text.",
    )

    @property
    def year(self) -> int | None:
        """Year of the 文号, else of the signing date."""
        if self.doc_number:
            m = re.search(r"〔(\d{4})〕", self.doc_number)
            if m:
                return int(m.group(1))
        return self.signed.year if self.signed else None


class Chunk(BaseModel):
    """The unit of citation: one clause (or part of a long one), or one table row with its headers."""

    chunk_id: str
    doc_id: str
    kind: ChunkKind = "clause"
    section: list[str] = Field(default_factory=list, description="Heading path as printed.")
    text: str
    part: int = Field(1, description="1-based part number when a long clause was split.")
    parts: int = 1
    source: SourceSpan


class ParsedGazette(BaseModel):
    """A parsed gazette file: the issue, its documents and their chunks."""

    gazette: Gazette
    documents: list[Document]
    chunks: list[Chunk]
    skipped_lines: list[int] = Field(default_factory=list, description="Front matter: TOC, masthead.")


class ParseProblem(BaseModel):
    """A file that could not be parsed, with the reason in plain words."""

    file: str
    message: str


class Corpus(BaseModel):
    """Everything parsed from a corpus directory.

    Besides the parsed lists, a corpus answers the by-id questions the service asks per request (`document`,
    `chunk`, `chunks_of`, `document_of_chunk`, `row_of`): here from maps built on first use (a corpus is not
    changed once it is served); `index.corpus_store.StoredCorpus` answers them from the index folder's SQLite
    store without holding the chunks in memory.
    """

    gazettes: list[ParsedGazette] = Field(default_factory=list)
    problems: list[ParseProblem] = Field(default_factory=list)
    _maps: _CorpusMaps | None = PrivateAttr(None)

    @property
    def documents(self) -> list[Document]:
        return [d for g in self.gazettes for d in g.documents]

    @property
    def chunks(self) -> Sequence[Chunk]:
        """Every chunk in index order (a list here; a lazy read-only sequence for a stored corpus)."""
        return [c for g in self.gazettes for c in g.chunks]

    def _by_id(self) -> _CorpusMaps:
        if self._maps is None:
            self._maps = _CorpusMaps(self)
        return self._maps

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._by_id().documents.get(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, or None."""
        row = self._by_id().rows.get(chunk_id)
        return None if row is None else self._by_id().chunks[row]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading (index) order."""
        maps = self._by_id()
        return [maps.chunks[i] for i in maps.of_document.get(doc_id, [])]

    def document_of_chunk(self, chunk_id: str) -> Document | None:
        """The document holding a chunk, or None for an unknown chunk id."""
        row = self._by_id().rows.get(chunk_id)
        return None if row is None else self.document_at(row)

    def document_at(self, row: int) -> Document:
        """The document of chunk row `row`."""
        maps = self._by_id()
        return maps.document_list[int(maps.doc_of_row[row])]

    def row_map(self) -> Mapping[str, int]:
        """chunk_id → row (position in `chunks`)."""
        return self._by_id().rows

    def doc_of_row(self) -> np.ndarray:
        """Per chunk row, the position of its document in `documents` (int32)."""
        return self._by_id().doc_of_row

    def card_rows(self) -> np.ndarray:
        """Per chunk row, whether it is a document card (bool)."""
        return self._by_id().cards

    def hollow_codes(self) -> np.ndarray | None:
        """Per chunk row, its `index.text.hollow_code` when stored at build time; None here (a corpus in memory: the
        retriever reads each candidate's text when it first meets it)."""
        return None

    def chunk_counts(self) -> dict[str, int]:
        """doc_id → how many chunks it has (documents without chunks are left out)."""
        docs = self.documents
        counts = np.bincount(self.doc_of_row(), minlength=len(docs))
        return {d.doc_id: int(n) for d, n in zip(docs, counts, strict=True) if n}

    def mentions_any(self, row: int, words: Iterable[str]) -> bool:
        """Whether chunk row `row`'s indexed text (its document's title, its headings, its text) holds any of
        `words` (substrings)."""
        chunk = self.chunks[row]
        doc = self.document_at(row)
        return any(w in doc.title or w in chunk.text or any(w in s for s in chunk.section) for w in words)

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """For each chunk row, whether its document is from one of `years` (four-digit strings) or its indexed text
        mentions one: what the year boost asks of every candidate of a search."""
        return rows_in_years(rows, years, self.document_at, self.mentions_any)

    def stored(self, name: str) -> str | None:
        """A blob precomputed when the index was built (e.g. the validity facts), or None (computed on demand)."""
        return None


def rows_in_years(
    rows: Sequence[int],
    years: Iterable[str],
    document_of: Callable[[int], Document],
    mentions_any: Callable[[int, Iterable[str]], bool],
) -> list[bool]:
    """The year boost's rule, one for every store: a row is in `years` when its document is from one of them or its
    indexed text (as the store indexes it: `mentions_any`) mentions one."""
    wanted = frozenset(years)
    return [str(document_of(r).year) in wanted or mentions_any(r, wanted) for r in rows]


class _CorpusMaps:
    """The by-id maps of an in-memory corpus, built once."""

    def __init__(self, corpus: Corpus) -> None:
        self.document_list = corpus.documents
        self.documents = {d.doc_id: d for d in self.document_list}
        self.chunks = list(corpus.chunks)
        self.rows = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        position = {d.doc_id: i for i, d in enumerate(self.document_list)}
        self.doc_of_row = np.fromiter((position.get(c.doc_id, -1) for c in self.chunks), np.int32, len(self.chunks))
        self.cards = np.fromiter((c.kind == "card" for c in self.chunks), bool, len(self.chunks))
        self.of_document: dict[str, list[int]] = {}
        for i, c in enumerate(self.chunks):
            self.of_document.setdefault(c.doc_id, []).append(i)
