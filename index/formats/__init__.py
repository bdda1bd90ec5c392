"""Gazettes as they are published (PDF, Word .docx, HTML pages) turned into the plain text lines the parser reads.

Each format module turns bytes into the same kind of text as the bundled `.txt` files: one paragraph per line,
table rows tab-separated, headings optionally marked `#`/`**` as in the markdown files. The parser then does the
rest unchanged, so a PDF and the `.txt` of the same issue give the same documents and clauses. `read_published`
is the single entry point, used by corpus loading and by uploads alike; the type comes from the bytes
(`sniff`), never from the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from index.decode import UnreadableFileError, decode_bytes
from index.formats.sniff import Kind, sniff

OcrEngine = Literal["tesseract"]
# Suffix under which each kind is stored in a corpus directory (an upload keeps its bytes, not its name).
SUFFIX: dict[Kind, str] = {"text": ".txt", "pdf": ".pdf", "docx": ".docx", "html": ".html"}
PUBLISHED_SUFFIXES = (".pdf", ".docx", ".doc", ".html", ".htm")

ErrorCode = Literal["unsupported", "too_large", "no_text", "unreadable", "not_text"]


class FormatError(UnreadableFileError):
    """A published file that cannot be read as a gazette; `code` says why in one word.

    `unsupported` (a format gongbao does not read, e.g. a renamed binary or a legacy .doc), `too_large` (over the
    page or character limit), `no_text` (a scan without a text layer and OCR off), `unreadable` (a damaged file),
    `not_text` (not UTF-8/GB18030 text).
    """

    def __init__(self, name: str, code: ErrorCode, reason: str) -> None:
        super().__init__(Path(name), reason)
        self.code: ErrorCode = code


@dataclass(frozen=True)
class ReadOptions:
    """Limits that protect memory, and the OCR engine for scans (None = a scan is refused with a clear error)."""

    max_pages: int = 500
    max_chars: int = 3_000_000
    ocr: OcrEngine | None = None


class CharBudget:
    """Counts extracted characters and stops extraction as soon as the limit is passed (not after)."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit, self.used = name, limit, 0

    def take(self, text: str) -> str:
        self.used += len(text)
        if self.used > self.limit:
            raise FormatError(
                self.name, "too_large", f"more than {self.limit:,} characters of text (GONGBAO_MAX_EXTRACTED_CHARS)"
            )
        return text


def check_pages(name: str, pages: int, options: ReadOptions) -> None:
    """Refuse a document with more pages than allowed, before any page is read."""
    if pages > options.max_pages:
        raise FormatError(
            name, "too_large", f"{pages} pages, over the {options.max_pages}-page limit (GONGBAO_MAX_PAGES)"
        )


def join_wrapped(before: str, after: str) -> str:
    """Two pieces of a wrapped line joined: with a space only between two Latin words.

    Chinese text wraps anywhere, even inside a number (「20」/「25年」), so anything else joins directly.
    """
    if not before or not after:
        return before or after
    latin = re.search(r"[A-Za-z]$", before) and re.match(r"[A-Za-z]", after)
    return f"{before} {after}" if latin else before + after


def read_published(data: bytes, name: str, options: ReadOptions | None = None) -> tuple[Kind, str]:
    """The gazette text of a file in any accepted format, and the format found in its bytes.

    Raises FormatError (an UnreadableFileError) naming the file and the reason.
    """
    options = options or ReadOptions()
    kind = sniff(data)
    if kind == "text":
        try:
            text, _ = decode_bytes(data, Path(name))
        except UnreadableFileError as exc:
            raise FormatError(name, "not_text", exc.reason) from exc
        CharBudget(name, options.max_chars).take(text)
        return kind, text
    if kind == "pdf":
        from index.formats.pdf import pdf_text  # pdfplumber is imported only when a PDF comes

        return kind, pdf_text(data, name, options)
    if kind == "docx":
        from index.formats.docx import docx_text

        return kind, docx_text(data, name, options)
    if kind == "html":
        from index.formats.html import html_text

        return kind, html_text(data, name, options)
    raise FormatError(name, "unsupported", _UNSUPPORTED[kind])


_UNSUPPORTED: dict[Kind, str] = {
    "doc": "a legacy Word .doc file (OLE); save it as .docx or PDF and upload that",
    "zip": "a ZIP archive that is not a Word .docx document",
    "binary": "binary content that is not a PDF, Word .docx or HTML page (accepted: .txt/.md, .pdf, .docx, .html)",
}


_TOC_HEAD = re.compile(r"^\s*(?:#+\s*)?目\s*录\s*$", re.M)
_DOC_NUMBER_LINE = re.compile(
    r"^\s*[\u4e00-\u9fa5]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号\s*$", re.M
)


def with_title_hint(text: str, title: str | None) -> str:
    """Let the parser find a single document that carries no 文号 line, from the title its file declares.

    The parser starts documents at a 文号 line or at a title listed in a table of contents; a single published
    document without 文号 has neither, so its title (from the file's metadata) is put in a one-entry contents.
    """
    if not title or _TOC_HEAD.search(text) or _DOC_NUMBER_LINE.search(text):
        return text
    return f"目 录\n{title.strip()} .....\t(1)\n\n{text}"
