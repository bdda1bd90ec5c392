"""Types the retrieval layer hands to the answering layer and the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Protocol

from pydantic import BaseModel, Field

from index.models import Chunk, ChunkKind, Document, SourceSpan
from index.validity import ValidityStatus


class Standing(BaseModel):
    """The validity of a clause's document on the request's date (set by `rag.status.stamp`; None until then)."""

    status: ValidityStatus | None = Field(
        None,
        description="On the request's `as_of` (default today): in_force, not_yet_in_force, expired, repealed, or "
        "unknown (the text says nothing; never guessed).",
    )
    effective_from: date | None = Field(None, description="Effective date the text states.")
    expires_on: date | None = Field(None, description="Last valid day the text states (inclusive).")
    repealed_by: str | None = Field(None, description="doc_id of the corpus document that repealed it.")
    related: list[str] = Field(
        default_factory=list,
        description="chunk_ids of the clauses of the same document this clause refers to (「依照本办法第八条」).",
    )


class Evidence(Protocol):
    """What answering needs of a retrieved clause (a `Hit`, a baseline's chunk, or a `rag.evidence.Clause`)."""

    @property
    def chunk_id(self) -> str: ...
    @property
    def doc_title(self) -> str: ...
    @property
    def doc_number(self) -> str | None: ...
    @property
    def section(self) -> list[str]: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> SourceSpan: ...


class Hit(Standing):
    """One retrieved chunk, with what a citation needs (document, heading path, source lines) and its standing."""

    rank: int = Field(description="1-based rank in the result list.")
    score: float
    chunk_id: str
    doc_id: str
    doc_title: str
    doc_number: str | None = None
    section: list[str] = Field(default_factory=list)
    text: str
    source: SourceSpan
    kind: ChunkKind = "clause"

    @classmethod
    def of(cls, chunk: Chunk, doc: Document, rank: int, score: float) -> Hit:
        """The hit for a chunk of `doc` at `rank` with `score`."""
        return cls(
            rank=rank,
            score=score,
            chunk_id=chunk.chunk_id,
            doc_id=doc.doc_id,
            doc_title=doc.title,
            doc_number=doc.doc_number,
            section=chunk.section,
            text=chunk.text,
            source=chunk.source,
            kind=chunk.kind,
        )


class Citation(Standing):
    """A numbered citation: which clause of which document supports the sentence marked [n], and its standing."""

    n: int = Field(description="The marker number used in the answer text, [n].")
    chunk_id: str
    doc_title: str
    doc_number: str | None = None
    section: list[str] = Field(default_factory=list, description="Heading path of the clause, as printed.")
    quote: str = Field(description="The supporting sentence(s), verbatim from the clause.")
    source: SourceSpan
    status_note: bool = Field(
        False,
        description="True for a clause cited by a status note (the sentence that sets a cited document's expiry, "
        "repeal or start), not as support for the answer's content.",
    )

    @classmethod
    def from_hit(cls, n: int, hit: Evidence, quote: str) -> Citation:
        """Citation [n] of a retrieved clause, quoting `quote` from it."""
        return cls(
            n=n,
            chunk_id=hit.chunk_id,
            doc_title=hit.doc_title,
            doc_number=hit.doc_number,
            section=list(hit.section),
            quote=quote,
            source=hit.source,
        )


class Answer(BaseModel):
    """An answer with [n] markers; `answerable` is False when the corpus does not answer the question."""

    text: str
    answerable: bool
    short_answer: str | None = Field(
        None,
        description="For a question asking a value (a figure, a date, a body, a person): one short sentence stating "
        "it in a quote's own words with its [n]; the answer text opens with it. None otherwise.",
    )
    citations: list[Citation] = Field(default_factory=list)
    see_also: list[Citation] = Field(default_factory=list, description="Nearest clauses when refusing.")
    mode: str = Field("extractive", description="extractive | lookup | llm | validity (answered from index.validity)")
    latency_ms: float = 0.0
    notes: list[str] = Field(
        default_factory=list,
        description="What answering had to do: sentences verification removed (and why), fallbacks to extractive.",
    )

    def pieces(self) -> Iterator[str]:
        """The text as stream pieces, one per line (line breaks kept), for an answer composed all at once."""
        lines = self.text.split("\n")
        for i, line in enumerate(lines):
            yield line + ("\n" if i < len(lines) - 1 else "")
