"""Admin routes: add a gazette (POST /v1/documents), withdraw a document (DELETE /v1/documents/{doc_id}), and
follow a large upload indexed in the background (GET /v1/jobs/{id}).

All need `Authorization: Bearer $GONGBAO_ADMIN_KEY` (checked before the body is read, see api.limits.AdminGate).
A change builds a complete new service snapshot (only new chunks are embedded) while the current one keeps
answering; the snapshot is then swapped in at once, so every request sees either the old corpus or the new one,
never a mix. Changes are serialised by one lock, and only the process holding the corpus folder's writer lock
(index.corpus_lock) makes them.

An upload is checked before anything is written (name, text, documents, clause count). One the service already
serves byte for byte (an upload retried after its answer was lost) answers 200 with what is served, not 409.
Uploads of more than GONGBAO_BACKGROUND_UPLOAD_CHUNKS clauses answer 202 with a job to poll.
"""

from __future__ import annotations

import errno
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from api.deps import ERROR_CODES, Http, Service, require_admin
from api.jobs import JobError
from api.schemas import DeleteResponse, DocumentSummary, ErrorResponse, UploadJob, UploadResponse
from index.models import Document, ParsedGazette
from index.uploads import UploadError, check_upload_name, parse_upload
from rag import Gongbao, with_upload, without_document

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
    "bad_name": 422,
    "too_many_chunks": 422,
}
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No admin key sent"},
    403: {"model": ErrorResponse, "description": "Wrong admin key, or admin routes disabled (no key configured)"},
    409: {"model": ErrorResponse, "description": "Another server holds this corpus folder's writer lock"},
    503: {"model": ErrorResponse, "description": "The corpus or index folder is not writable"},
    507: {"model": ErrorResponse, "description": "No space left for the corpus or index"},
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **ADMIN_ERRORS,
    200: {"model": UploadResponse, "description": "The same gazette is already served (a retried upload)"},
    202: {"model": UploadJob, "description": "A large upload: indexed in the background, poll GET /v1/jobs/{id}"},
    409: {
        "model": ErrorResponse,
        "description": "The gazette issue is already served (use replace=true), or another server holds the "
        "corpus folder's writer lock",
    },
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
        "description": "No gazette documents found, a damaged file, a scanned PDF without OCR (GONGBAO_OCR), too many "
        "clauses (GONGBAO_MAX_UPLOAD_CHUNKS), a README or a file name over 200 bytes",
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


def _check_writer(request: Request) -> None:
    """409/503 unless this process may write the corpus folder (it holds the writer lock)."""
    refusal: tuple[int, str] | None = request.app.state.writer_refusal
    if refusal is not None:
        raise HTTPException(*refusal)


@contextmanager
def _writable_folders() -> Iterator[None]:
    """A folder that cannot be written becomes a clear 503/507; any other OSError is left to the 500 handler."""
    try:
        yield
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in _NOT_WRITABLE:
            raise HTTPException(
                503,
                f"the corpus or index folder is not writable{where}: {exc.strerror}; admin changes need both writable",
            ) from exc
        if exc.errno in _NO_SPACE:
            raise HTTPException(507, f"no space left to save the change{where}: {exc.strerror}") from exc
        raise


def _summary(parsed: ParsedGazette, documents: list[Document], file: str) -> UploadResponse:
    counts = Counter(c.doc_id for c in parsed.chunks)
    return UploadResponse(
        file=file,
        gazette=parsed.gazette.key,
        documents=[DocumentSummary.from_document(d, counts[d.doc_id], parsed.gazette.label) for d in documents],
        chunks=len(parsed.chunks),
    )


def _already_served(svc: Gongbao, parsed: ParsedGazette) -> UploadResponse | None:
    """What is served of a gazette with the same text, when every document of the upload is served."""
    same = next((g for g in svc.corpus.gazettes if g.gazette.sha256 == parsed.gazette.sha256), None)
    if same is None or not all(svc.document(d.doc_id) for d in parsed.documents):
        return None
    return _summary(parsed, parsed.documents, same.gazette.source_file)


def _apply_upload(request: Request, filename: str, data: bytes, replace: bool) -> UploadResponse:
    """Write the upload and swap in the grown service (under the admin lock); HTTPException when refused."""
    with _lock:
        current: Gongbao = request.app.state.service  # the latest snapshot, in case another change landed meanwhile
        try:
            with _writable_folders():
                fresh, parsed = with_upload(current, filename, data, replace=replace)
        except UploadError as exc:
            raise HTTPException(_UPLOAD_STATUS.get(exc.code, 422), exc.message) from exc
        request.app.state.service = fresh
    log.info(
        "added gazette %s from %s: %d documents", parsed.gazette.key, parsed.gazette.source_file, len(parsed.documents)
    )
    return _summary(parsed, parsed.documents, parsed.gazette.source_file)


def _in_background(request: Request, filename: str, data: bytes, replace: bool) -> UploadResponse:
    """The job's work: the same upload, its refusals reported in the job."""
    try:
        return _apply_upload(request, filename, data, replace)
    except HTTPException as exc:
        raise JobError(ERROR_CODES.get(exc.status_code, "http_error"), str(exc.detail)) from exc
    except Exception:
        log.exception("background upload of %s failed", filename)
        raise


@router.post("/documents", response_model=UploadResponse, status_code=201, responses=UPLOAD_ERRORS)
def upload_gazette(
    request: Request,
    response: Response,
    svc: Service,
    http: Http,
    file: Annotated[
        UploadFile,
        File(
            description="A gazette issue or a single document: text (UTF-8 or GB18030/GBK), PDF, Word .docx or a "
            "web page (.html); the format is told from the bytes."
        ),
    ],
    replace: Annotated[bool, Query(description="Replace a gazette of the same issue already served.")] = False,
) -> UploadResponse | JSONResponse:
    """Add a gazette: it is parsed, indexed and served without a restart (readers keep the old corpus meanwhile).

    201 with what was added; 200 when the same gazette is already served (a retry); 202 with a job for a large
    upload (more than GONGBAO_BACKGROUND_UPLOAD_CHUNKS clauses), indexed in the background.
    """
    _check_writer(request)
    data = _read_limited(request, file, http.max_upload_bytes)
    filename = file.filename or "upload.txt"
    try:
        check_upload_name(filename)
        parsed = parse_upload(filename, data, svc.settings.read_options())
    except UploadError as exc:
        raise HTTPException(_UPLOAD_STATUS.get(exc.code, 422), exc.message) from exc
    if len(parsed.chunks) > http.max_upload_chunks:
        raise HTTPException(
            422,
            f"{filename}: the file splits into {len(parsed.chunks):,} clauses, over the {http.max_upload_chunks:,} "
            "one upload may add (GONGBAO_MAX_UPLOAD_CHUNKS)",
        )
    served = _already_served(request.app.state.service, parsed)
    if served is not None:
        log.info("upload of %s: gazette %s is already served as %s", filename, parsed.gazette.key, served.file)
        response.status_code = 200
        return served
    if len(parsed.chunks) > http.background_upload_chunks:
        jobs = request.app.state.jobs
        job = jobs.start(filename, len(parsed.chunks), lambda: _in_background(request, filename, data, replace))
        log.info("upload of %s (%d clauses) is indexed in the background as %s", filename, len(parsed.chunks), job.id)
        return JSONResponse(job.model_dump(mode="json"), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})
    return _apply_upload(request, filename, data, replace)


@router.get("/jobs/{job_id}", response_model=UploadJob, responses={**ADMIN_ERRORS, 404: {"model": ErrorResponse}})
def get_job(request: Request, job_id: str) -> UploadJob:
    """The status of an upload indexed in the background: queued, running, done (with its result) or failed."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"No job with id {job_id!r} (jobs are kept in memory until the server restarts)")
    assert isinstance(job, UploadJob)
    return job


@router.delete(
    "/documents/{doc_id}",
    response_model=DeleteResponse,
    responses={**ADMIN_ERRORS, 404: {"model": ErrorResponse, "description": "No such document"}},
)
def delete_document(request: Request, doc_id: str) -> DeleteResponse:
    """Withdraw a document and its attachments from serving (the gazette file itself is kept)."""
    _check_writer(request)
    with _lock:
        current = request.app.state.service
        try:
            with _writable_folders():
                fresh, withdrawn = without_document(current, doc_id)
        except KeyError as exc:
            raise HTTPException(404, f"No document with id {doc_id!r}") from exc
        request.app.state.service = fresh
    log.info("withdrew documents %s", ", ".join(withdrawn))
    return DeleteResponse(deleted=withdrawn)
