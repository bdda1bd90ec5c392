"""Corpus and answer routes: health, search, ask, citation lookup, documents and chunks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import Service
from api.schemas import (
    AskRequest,
    AskResponse,
    ChunkDetail,
    ChunkOut,
    CiteResponse,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    ErrorResponse,
    Health,
    IndexInfo,
    ReferenceOut,
    SearchRequest,
    SearchResponse,
)
from index.models import Chunk
from index.validity import references_of, validities, validity_of
from rag import Gongbao

router = APIRouter()
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "Not found"}}
INVALID: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse, "description": "Invalid request"}}
AsOf = Annotated[
    date | None,
    Query(
        description="The date the validity status is given for (YYYY-MM-DD); default today.", examples=["2023-01-01"]
    ),
]


def _chunk_out(service: Gongbao, chunk: Chunk) -> ChunkOut:
    doc = service.document(chunk.doc_id)
    assert doc is not None, "every chunk belongs to a served document"
    return ChunkOut(
        chunk_id=chunk.chunk_id,
        doc_id=doc.doc_id,
        doc_title=doc.title,
        doc_number=doc.doc_number,
        kind=chunk.kind,
        section=chunk.section,
        text=chunk.text,
        source=chunk.source,
    )


def _issue_labels(service: Gongbao) -> dict[str, str]:
    return {g.gazette.key: g.gazette.label for g in service.corpus.gazettes}


@router.get(
    "/healthz",
    response_model=Health,
    tags=["service"],
    responses={503: {"model": ErrorResponse, "description": "Still loading (Retry-After), or loading failed"}},
)
def healthz(svc: Service) -> Health:
    """Readiness: 200 once the service is loaded and warmed up (answers at its normal speed), with what is loaded."""
    files = [g.gazette.source_file for g in svc.corpus.gazettes]
    info = IndexInfo(built_at=svc.manifest.built_at, model=svc.manifest.model, corpus_files=files, store=svc.store_kind)
    return Health(status="ok", documents=len(svc.documents), chunks=len(svc.chunks), index=info)


@router.post("/v1/search", response_model=SearchResponse, responses=INVALID, tags=["answers"])
def search(body: SearchRequest, svc: Service) -> SearchResponse:
    """Clauses that match the query, best first (hybrid dense + BM25, with citation understanding)."""
    if not body.query.strip():
        raise HTTPException(422, "query is empty")
    filters = body.filters.model_dump(exclude_none=True) if body.filters else None
    hits = svc.search(body.query, k=body.k, filters=filters, as_of=body.as_of, in_force_only=body.in_force_only)
    return SearchResponse.of(hits)


@router.post("/v1/ask", response_model=AskResponse, responses=INVALID, tags=["answers"])
def ask(body: AskRequest, svc: Service) -> AskResponse:
    """A cited answer; `answerable` is false (and the answer says so) when the gazettes do not answer."""
    if not body.question.strip():
        raise HTTPException(422, "question is empty")
    history = [m.model_dump() for m in body.history] if body.history else None
    try:
        answer = svc.ask(
            body.question,
            history=history,
            mode=body.mode,
            k=body.k,
            as_of=body.as_of,
            in_force_only=body.in_force_only,
        )
    except ValueError as exc:  # an answer mode this deployment has not configured
        raise HTTPException(422, str(exc)) from exc
    return AskResponse.of(answer, answer.latency_ms)


@router.get("/v1/documents", response_model=DocumentList, responses=INVALID, tags=["documents"])
def list_documents(svc: Service, as_of: AsOf = None) -> DocumentList:
    """Every document of every gazette, attachments after their notices, with its validity status on `as_of`."""
    counts = svc.chunk_counts()
    labels = _issue_labels(svc)
    status = validities(svc.corpus, as_of)
    return DocumentList(
        documents=[
            DocumentSummary.from_document(d, counts.get(d.doc_id, 0), labels[d.gazette_key], status.get(d.doc_id))
            for d in svc.documents
        ]
    )


@router.get(
    "/v1/documents/{doc_id}", response_model=DocumentDetail, responses={**NOT_FOUND, **INVALID}, tags=["documents"]
)
def get_document(doc_id: str, svc: Service, as_of: AsOf = None) -> DocumentDetail:
    """A document's metadata, its validity status on `as_of` and its clauses (each with its heading path)."""
    doc = svc.document(doc_id)
    if doc is None:
        raise HTTPException(404, f"No document with id {doc_id!r}")
    chunks = svc.chunks_of(doc_id)
    return DocumentDetail(
        **DocumentSummary.from_document(
            doc, len(chunks), _issue_labels(svc)[doc.gazette_key], validity_of(svc.corpus, doc_id, as_of)
        ).model_dump(),
        issuer=doc.issuer,
        addressees=doc.addressees,
        parent_title=doc.parent_title,
        source=doc.source,
        clauses=[_chunk_out(svc, c) for c in chunks],
    )


@router.get("/v1/chunks/{chunk_id}", response_model=ChunkDetail, responses=NOT_FOUND, tags=["documents"])
def get_chunk(chunk_id: str, svc: Service) -> ChunkDetail:
    """One clause or table row, with the references it makes and the clauses that refer to it."""
    chunk = svc.chunk(chunk_id)
    if chunk is None:
        raise HTTPException(404, f"No chunk with id {chunk_id!r}")
    outgoing, incoming = references_of(svc.corpus, chunk_id)
    return ChunkDetail(
        **_chunk_out(svc, chunk).model_dump(),
        references_out=[ReferenceOut.from_reference(r) for r in outgoing],
        references_in=[ReferenceOut.from_reference(r) for r in incoming],
    )


@router.get("/v1/cite", response_model=CiteResponse, responses={**NOT_FOUND, **INVALID}, tags=["documents"])
def cite(
    ref: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="文号 or title, optionally with a clause",
            examples=["青政办〔2020〕64号第八条"],
        ),
    ],
    svc: Service,
) -> CiteResponse:
    """Look a citation up: the document and the clause(s) it names, verbatim with heading paths."""
    if not ref.strip():
        raise HTTPException(422, "ref is empty: give a 文号 or a title, e.g. 青政办〔2020〕64号第八条")
    result = svc.cite(ref)
    if result is None:
        raise HTTPException(404, f"No document matches {ref!r}")
    if not result.chunks:
        raise HTTPException(404, f"{result.document.title} has no clause {result.clause!r}")
    return CiteResponse(
        ref=ref,
        doc_id=result.document.doc_id,
        doc_title=result.document.title,
        doc_number=result.document.doc_number,
        clause=result.clause,
        clauses=[_chunk_out(svc, c) for c in result.chunks],
    )
