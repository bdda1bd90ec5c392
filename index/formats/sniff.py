"""Tell a file's format from its first bytes, not from its name (a renamed binary must not pass as a gazette)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

Kind = Literal["text", "pdf", "docx", "doc", "html", "zip", "binary"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# Formats that are certainly not a gazette: images, archives, executables.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"\x7fELF",
    b"Rar!",
    b"7z\xbc\xaf",
    b"II*\x00",
    b"MM\x00*",
)
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p)\b", re.I | re.S
)


def sniff(data: bytes) -> Kind:
    """The format of `data`: pdf (%PDF-), docx (zip with word/document.xml), doc (OLE), html, text or binary."""
    head = data[:2048]
    if head.startswith(_BINARY_MAGIC):  # first: a picture with a PDF pasted behind it is still a picture
        return "binary"
    if b"%PDF-" in head[:1024]:  # the header may follow a few junk bytes (allowed by the PDF spec)
        return "pdf"
    if head.startswith(_ZIP):
        return "docx" if _is_docx(data) else "zip"
    if head.startswith(_OLE):
        return "doc"
    body = head.removeprefix(b"\xef\xbb\xbf")
    if _HTML.match(body) or b"<html" in body.lower():
        return "html"
    return "text"  # whether it really is text (and in which encoding) is decode_bytes' question


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False
