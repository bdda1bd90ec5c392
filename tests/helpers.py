"""Shared test helpers (import from here, not from another test module)."""

from __future__ import annotations

from index.models import ChunkKind, SourceSpan
from rag.models import Hit


def make_hit(
    text: str,
    section: list[str] | None = None,
    *,
    doc_title: str = "青海省测试实施方案",
    doc_number: str | None = "青政办〔2022〕1号",
    kind: ChunkKind = "clause",
    rank: int = 1,
    line: int = 1,
    chunk_id: str | None = None,
) -> Hit:
    """A hand-built hit (no index needed): for fast tests of the question and evidence models and the composer."""
    return Hit(
        rank=rank,
        score=1.0,
        chunk_id=chunk_id or f"test-{rank}-{line}",
        doc_id="test-doc",
        doc_title=doc_title,
        doc_number=doc_number,
        section=section or [],
        text=text,
        source=SourceSpan(file="test.txt", line_start=line, line_end=line),
        kind=kind,
    )
