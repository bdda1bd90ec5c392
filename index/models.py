"""The corpus vocabulary: gazettes, documents and the clause chunks that answers cite.

Every layer (index, rag, api, eval) speaks these types; they are defined here once.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

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
    """Everything parsed from a corpus directory."""

    gazettes: list[ParsedGazette] = Field(default_factory=list)
    problems: list[ParseProblem] = Field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        return [d for g in self.gazettes for d in g.documents]

    @property
    def chunks(self) -> list[Chunk]:
        return [c for g in self.gazettes for c in g.chunks]
