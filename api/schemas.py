"""HTTP request/response bodies (the public contract; field names are fixed)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from index.models import SourceSpan


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No document matches 青政办〔2019〕1号"])


class ErrorResponse(BaseModel):
    error: ErrorDetail


class IndexInfo(BaseModel):
    built_at: str | None = None
    model: str | None = None
    corpus_files: list[str] = Field(default_factory=list)


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    documents: int
    chunks: int
    index: IndexInfo


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    doc_number: str | None
    doc_type: str
    gazette: str = Field(description="Gazette issue key, e.g. 2021-23")
    signed: date | None
    parent_id: str | None
    chunks: int


class ChunkOut(BaseModel):
    chunk_id: str
    doc_id: str
    doc_title: str
    doc_number: str | None
    kind: str
    section: list[str]
    text: str
    source: SourceSpan


class DocumentDetail(DocumentSummary):
    issuer: str | None
    addressees: str | None
    parent_title: str | None
    source: SourceSpan
    clauses: list[ChunkOut] = Field(description="The document's chunks in reading order, each with its heading path.")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class CiteResponse(BaseModel):
    ref: str = Field(examples=["青政办〔2020〕64号第八条"])
    doc_id: str
    doc_title: str
    doc_number: str | None
    clause: str | None = Field(
        description="The clause asked for, as understood (e.g. 第八条); null for a whole document."
    )
    clauses: list[ChunkOut]
