"""Read a gazette file as text, whatever its encoding, or say plainly why not."""

from __future__ import annotations

from pathlib import Path

from index.errors import GongbaoError


class UnreadableFileError(GongbaoError, ValueError):
    """A corpus file that is empty, binary, or not text in a known Chinese encoding."""

    status = 415
    code = "unsupported_media_type"

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


# Tried in order. GB18030 is a superset of GBK and GB2312, so one try covers all three.
_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_bytes(data: bytes, path: Path) -> tuple[str, str]:
    """Decode file bytes; return (text, encoding name) or raise UnreadableFileError."""
    if not data.strip():
        raise UnreadableFileError(path, "the file is empty")
    if b"\x00" in data[:8192]:
        raise UnreadableFileError(path, "the file is binary (it contains NUL bytes), not a text gazette")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise UnreadableFileError(path, "the file is not UTF-8 or GB18030/GBK text")


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters (a binary that happened to decode)."""
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= len(sample) * 0.01
