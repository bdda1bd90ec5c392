"""Decoding corpus files: control characters mark a binary that happened to decode."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.decode import UnreadableFileError, decode_bytes


def test_text_decodes() -> None:
    text, encoding = decode_bytes("青海省人民政府公报\n第一条\t内容\r\n".encode(), Path("a.txt"))
    assert encoding == "utf-8-sig" and text == "青海省人民政府公报\n第一条\t内容\n"


def test_control_characters_are_refused() -> None:
    data = ("公报" * 50).encode() + bytes(range(1, 9)) * 10  # no NUL, but 80 control characters in 180
    with pytest.raises(UnreadableFileError, match="not UTF-8"):
        decode_bytes(data, Path("b.txt"))


def test_a_few_control_characters_are_tolerated() -> None:
    data = ("公报内容" * 100).encode() + b"\x0b"  # one vertical tab in 401 characters
    assert decode_bytes(data, Path("c.txt"))[0].startswith("公报")
