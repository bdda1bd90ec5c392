"""Read a gazette's identity (issue, date) from its cover lines."""

from __future__ import annotations

import re
from datetime import date

from index.lines import Line
from index.models import Gazette

_ISSUE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*"
    r"第\s*(?P<n>\d+)\s*期\s*(?:[（(]\s*总第\s*(?P<t>\d+)\s*期\s*[)）])?"
)
_PUBLISHED = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*出版")
_YEAR_ALONE = re.compile(r"^(?P<y>(?:19|20)\d{2})$")
_COVER_LINES = 60


def _safe_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def read_gazette(lines: list[Line], source_file: str, sha256: str) -> Gazette:
    """Parse the cover: 「2021年12月31日 第23期（总第515期）」, or a 特刊 with 「2022年7月29日出版」."""
    cover = [ln.text for ln in lines[:_COVER_LINES] if not ln.blank]
    for text in cover:
        m = _ISSUE.search(text)
        if m:
            year, number = int(m.group("y")), int(m.group("n"))
            return Gazette(
                key=f"{year}-{number:02d}",
                year=year,
                number=number,
                total_number=int(m.group("t")) if m.group("t") else None,
                published=_safe_date(m.group("y"), m.group("m"), m.group("d")),
                source_file=source_file,
                sha256=sha256,
            )
    special = any(t.replace(" ", "") in ("特刊", "专辑", "增刊") for t in cover)
    published: date | None = None
    special_year: int | None = None
    for text in cover:
        m = _PUBLISHED.search(text)
        if m:
            published = _safe_date(m.group("y"), m.group("m"), m.group("d"))
            special_year = int(m.group("y"))
            break
    if special_year is None:
        special_year = next((int(y.group("y")) for t in cover if (y := _YEAR_ALONE.match(t))), None)
    stem = source_file.rsplit(".", 1)[0]
    key = f"{special_year}-sp" if (special and special_year) else stem
    return Gazette(
        key=key, year=special_year, special=special, published=published, source_file=source_file, sha256=sha256
    )
