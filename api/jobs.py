"""Background jobs for large uploads: an in-memory registry the admin routes fill and GET /v1/jobs/{id} reads.

A job lives as long as the process; after a restart its upload is either served (it was saved before the
restart: uploading the same bytes again answers 200 with what is served) or absent (it failed before it was saved).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from api.schemas import ErrorDetail, UploadJob, UploadResponse

MAX_JOBS = 200  # finished jobs beyond this are forgotten, oldest first


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Jobs:
    """Thread-safe registry of upload jobs."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, UploadJob] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job_id: str) -> UploadJob | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.model_copy() if job else None

    def start(self, file: str, chunks: int, work: Callable[[], UploadResponse]) -> UploadJob:
        """Register a job and run `work` in a thread; an UploadFailure (or any error) marks it failed."""
        job = UploadJob(id=f"job-{uuid.uuid4().hex[:16]}", status="queued", file=file, chunks=chunks, created=_now())
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status in ("queued", "running"):
                    break
                self._jobs.popitem(last=False)
        threading.Thread(target=self._run, args=(job.id, work), name=f"gongbao-{job.id}", daemon=True).start()
        return job.model_copy()

    def _update(self, job_id: str, **fields: object) -> None:
        with self._lock:
            self._jobs[job_id] = self._jobs[job_id].model_copy(update=fields)

    def _run(self, job_id: str, work: Callable[[], UploadResponse]) -> None:
        self._update(job_id, status="running")
        try:
            result = work()
        except JobError as exc:
            error = ErrorDetail(code=exc.code, message=exc.message)
            self._update(job_id, status="failed", finished=_now(), error=error)
            return
        except Exception as exc:  # logged by the caller's work function; the job says it failed
            error = ErrorDetail(code="internal_error", message=f"indexing failed: {type(exc).__name__}")
            self._update(job_id, status="failed", finished=_now(), error=error)
            return
        self._update(job_id, status="done", finished=_now(), result=result)


class JobError(Exception):
    """Why a background upload failed, in the words a direct upload would have answered with."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
