"""Admin routes: add a gazette (POST /v1/documents) and withdraw a document (DELETE /v1/documents/{doc_id}).

Both need `Authorization: Bearer $GONGBAO_ADMIN_KEY`. A change builds a complete new service snapshot (only new
chunks are embedded) while the current one keeps answering; the snapshot is then swapped in at once, so every
request sees either the old corpus or the new one, never a mix. Changes are serialised by one lock.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile

from api.deps import Service, require_admin
from api.schemas import DeleteResponse, DocumentSummary, ErrorResponse, UploadResponse
from index.uploads import UploadError
from rag import with_upload, without_document

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["admin"], dependencies=[Depends(require_admin)])
_lock = threading.Lock()

# A format gongbao does not read is 415, a file over a limit 413; a readable format without usable text 422.
_UPLOAD_STATUS = {
    "not_text": 415,
    "unsupported": 415,
    "too_large": 413,
    "no_text": 422,
    "unreadable": 422,
    "no_documents": 422,
    "conflict": 409,
}
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No admin key sent"},
    403: {"model": ErrorResponse, "description": "Wrong admin key, or admin routes disabled (no key configured)"},
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **ADMIN_ERRORS,
    409: {"model": ErrorResponse, "description": "The gazette issue is already served (use replace=true)"},
    413: {
        "model": ErrorResponse,
        "description": "File over the size limit (GONGBAO_MAX_UPLOAD_BYTES), or a PDF/document over the page or "
        "extracted-character limit (GONGBAO_MAX_PAGES, GONGBAO_MAX_EXTRACTED_CHARS)",
    },
    415: {
        "model": ErrorResponse,
        "description": "Not an accepted format, told from the bytes: text (UTF-8/GB18030), PDF, Word .docx or HTML "
        "(a renamed binary, a legacy .doc, an archive)",
    },
    422: {
        "model": ErrorResponse,
        "description": "No gazette documents found, a damaged file, or a scanned PDF without OCR (GONGBAO_OCR)",
    },
}


def _read_limited(request: Request, file: UploadFile, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_big = HTTPException(413, f"upload is over the {limit:,}-byte limit (GONGBAO_MAX_UPLOAD_BYTES)")
    if declared and declared.isdigit() and int(declared) > limit + 64_000:  # multipart framing adds a little
        raise too_big
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


@router.post("/documents", response_model=UploadResponse, status_code=201, responses=UPLOAD_ERRORS)
def upload_gazette(
    request: Request,
    svc: Service,
    file: Annotated[
        UploadFile,
        File(
            description="A gazette issue or a single document: text (UTF-8 or GB18030/GBK), PDF, Word .docx or a "
            "web page (.html); the format is told from the bytes."
        ),
    ],
    replace: Annotated[bool, Query(description="Replace a gazette of the same issue already served.")] = False,
) -> UploadResponse:
    """Add a gazette: it is parsed, indexed and served without a restart (readers keep the old corpus meanwhile)."""
    data = _read_limited(request, file, svc.settings.max_upload_bytes)
    with _lock:
        current = request.app.state.service  # the latest snapshot, in case another change landed meanwhile
        try:
            fresh, parsed = with_upload(current, file.filename or "upload.txt", data, replace=replace)
        except UploadError as exc:
            raise HTTPException(_UPLOAD_STATUS.get(exc.code, 422), exc.message) from exc
        request.app.state.service = fresh
    log.info(
        "added gazette %s from %s: %d documents", parsed.gazette.key, parsed.gazette.source_file, len(parsed.documents)
    )
    counts = Counter(c.doc_id for c in parsed.chunks)
    return UploadResponse(
        file=parsed.gazette.source_file,
        gazette=parsed.gazette.key,
        documents=[DocumentSummary.from_document(d, counts[d.doc_id], parsed.gazette.label) for d in parsed.documents],
        chunks=len(parsed.chunks),
    )


@router.delete(
    "/documents/{doc_id}",
    response_model=DeleteResponse,
    responses={**ADMIN_ERRORS, 404: {"model": ErrorResponse, "description": "No such document"}},
)
def delete_document(request: Request, doc_id: str) -> DeleteResponse:
    """Withdraw a document and its attachments from serving (the gazette file itself is kept)."""
    with _lock:
        current = request.app.state.service
        try:
            fresh, withdrawn = without_document(current, doc_id)
        except KeyError as exc:
            raise HTTPException(404, f"No document with id {doc_id!r}") from exc
        request.app.state.service = fresh
    log.info("withdrew documents %s", ", ".join(withdrawn))
    return DeleteResponse(deleted=withdrawn)
