"""The FastAPI application: corpus routes, JSON errors in one shape, never a traceback to the client."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import (
    AskRequest,
    AskResponse,
    ChunkOut,
    CitationOut,
    CiteResponse,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    ErrorResponse,
    Health,
    HitOut,
    IndexInfo,
    SearchRequest,
    SearchResponse,
)
from index.models import Chunk, Document
from rag import Gongbao

log = logging.getLogger(__name__)
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "Not found"}}


def get_service(request: Request) -> Gongbao:
    """Dependency: the loaded service held by the app."""
    service: Gongbao = request.app.state.service
    return service


Service = Annotated[Gongbao, Depends(get_service)]


def _summary(doc: Document, counts: Counter[str]) -> DocumentSummary:
    return DocumentSummary(
        doc_id=doc.doc_id,
        title=doc.title,
        doc_number=doc.doc_number,
        doc_type=doc.doc_type,
        gazette=doc.gazette_key,
        signed=doc.signed,
        parent_id=doc.parent_id,
        chunks=counts[doc.doc_id],
    )


def _chunk_out(service: Gongbao, chunk: Chunk) -> ChunkOut:
    doc = service.document(chunk.doc_id)
    assert doc is not None
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


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def create_app(service: Gongbao) -> FastAPI:
    """Build the app around a loaded service."""
    app = FastAPI(
        title="gongbao",
        version="0.1.0",
        description="Cited answers from 青海省人民政府公报: documents, clauses and citation lookup.",
    )
    app.state.service = service

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 403: "forbidden"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(422, "invalid_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _error(500, "internal_error", "The server failed to handle this request; it has been logged.")

    @app.get("/healthz", response_model=Health, tags=["service"])
    def healthz(svc: Service) -> Health:
        """Liveness and what is loaded."""
        files = [g.gazette.source_file for g in svc.corpus.gazettes]
        info = IndexInfo(built_at=svc.manifest.built_at, model=svc.manifest.model, corpus_files=files)
        return Health(status="ok", documents=len(svc.documents), chunks=len(svc.chunks), index=info)

    @app.post("/v1/search", response_model=SearchResponse, responses=ERRORS, tags=["answers"])
    def search(body: SearchRequest, svc: Service) -> SearchResponse:
        """Clauses that match the query, best first (hybrid dense + BM25, with citation understanding)."""
        if not body.query.strip():
            raise HTTPException(422, "query is empty")
        filters = body.filters.model_dump(exclude_none=True) if body.filters else None
        hits = svc.search(body.query, k=body.k, filters=filters)
        return SearchResponse(hits=[HitOut(**h.model_dump(exclude={"kind"})) for h in hits])

    @app.post("/v1/ask", response_model=AskResponse, responses=ERRORS, tags=["answers"])
    def ask(body: AskRequest, svc: Service) -> AskResponse:
        """A cited answer; `answerable` is false (and the answer says so) when the gazettes do not answer."""
        if not body.question.strip():
            raise HTTPException(422, "question is empty")
        history = [m.model_dump() for m in body.history] if body.history else None
        try:
            answer = svc.ask(body.question, history=history, mode=body.mode, k=body.k)
        except ValueError as exc:  # an answer mode this deployment has not configured
            raise HTTPException(422, str(exc)) from exc
        return AskResponse(
            answer=answer.text,
            answerable=answer.answerable,
            citations=[CitationOut(**c.model_dump(exclude={"source"})) for c in answer.citations],
            see_also=[CitationOut(**c.model_dump(exclude={"source"})) for c in answer.see_also],
            mode=answer.mode,
            latency_ms=round(answer.latency_ms, 2),
        )

    @app.get("/v1/documents", response_model=DocumentList, tags=["documents"])
    def list_documents(svc: Service) -> DocumentList:
        """Every document of every gazette, attachments after their notices."""
        counts = Counter(c.doc_id for c in svc.chunks)
        return DocumentList(documents=[_summary(d, counts) for d in svc.documents])

    @app.get("/v1/documents/{doc_id}", response_model=DocumentDetail, responses=ERRORS, tags=["documents"])
    def get_document(doc_id: str, svc: Service) -> DocumentDetail:
        """A document's metadata and its clauses (each with its heading path)."""
        doc = svc.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"No document with id {doc_id!r}")
        chunks = svc.chunks_of(doc_id)
        summary = _summary(doc, Counter({doc_id: len(chunks)}))
        return DocumentDetail(
            **summary.model_dump(),
            issuer=doc.issuer,
            addressees=doc.addressees,
            parent_title=doc.parent_title,
            source=doc.source,
            clauses=[_chunk_out(svc, c) for c in chunks],
        )

    @app.get("/v1/chunks/{chunk_id}", response_model=ChunkOut, responses=ERRORS, tags=["documents"])
    def get_chunk(chunk_id: str, svc: Service) -> ChunkOut:
        """One clause or table row."""
        chunk = svc.chunk(chunk_id)
        if chunk is None:
            raise HTTPException(404, f"No chunk with id {chunk_id!r}")
        return _chunk_out(svc, chunk)

    @app.get("/v1/cite", response_model=CiteResponse, responses=ERRORS, tags=["documents"])
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

    return app
