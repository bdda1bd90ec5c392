"""Turn raw gazette text into cleaned, classified lines (markdown, HTML and table cells handled here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.text import DATE_LINE, norm

_HTML_TAG = re.compile(r"</?(?:p|b|br|strong|span|div|i|u|em|td|tr|th|table|tbody|thead|sup|sub|font)\b[^>]*>", re.I)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BULLET = re.compile(r"^[-*+]\s+(?=\S)")
_MD_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})$")
_BOLD_LEAD = re.compile(r"^(?P<before>[^*]{0,12}?)\*\*(?P<bold>[^*]+)\*\*")
# A table-of-contents entry ends with a page number: "..... (3)", "\t(24)", "（6）".
_TOC_ENTRY = re.compile(r"(?:\.{2,}|…+|\s)\s*[(（]\s*\d{1,4}\s*[)）]$")


@dataclass(frozen=True)
class Line:
    """One source line, cleaned.

    `text` has markdown marks, list bullets and HTML tags removed and is stripped; `bold` is the text of a
    leading **bold** run (a heading marker in the markdown files); `cells` is set for tab-separated table rows.
    """

    no: int
    raw: str
    text: str
    bold: str | None = None
    cells: tuple[str, ...] | None = None

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def is_table_row(self) -> bool:
        return self.cells is not None

    @property
    def is_toc_entry(self) -> bool:
        return bool(_TOC_ENTRY.search(self.text))

    @property
    def is_date(self) -> bool:
        return bool(DATE_LINE.match(self.text.replace(" ", "")))

    @property
    def key(self) -> str:
        """Normalised text for matching."""
        return norm(self.text)


def strip_html(text: str) -> str:
    """Remove stray HTML tags (<p>, <b>, ...) that the extraction left in table cells."""
    return re.sub(r"[ \u3000]{2,}", " ", _HTML_TAG.sub(" ", text)).strip()


def clean_text(raw: str) -> tuple[str, str | None]:
    """Clean one line of prose: return (text, leading bold run or None)."""
    text = raw.strip().replace("\u3000", " ").strip()
    if _MD_RULE.match(text):
        return "", None
    text = _MD_HEADING.sub("", text)
    text = _MD_BULLET.sub("", text)
    bold = None
    m = _BOLD_LEAD.match(text)
    if m:
        bold = (m.group("before") + m.group("bold")).strip()
    text = strip_html(text.replace("**", ""))
    return text.rstrip("\\ ").strip(), bold


def split_lines(text: str) -> list[Line]:
    """Split decoded file text into classified Lines (1-based line numbers)."""
    out = []
    for no, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip(" \r\u3000")  # keep trailing tabs: they mark a table row
        if "\t" in raw and raw.strip():
            cells = tuple(clean_text(c)[0] for c in raw.split("\t"))
            while cells and not cells[-1]:
                cells = cells[:-1]
            text_ = " ".join(c for c in cells if c)
            if not _TOC_ENTRY.search(text_):
                out.append(Line(no, raw, text_, None, cells))
                continue
        cleaned, bold = clean_text(raw)
        out.append(Line(no, raw, cleaned, bold))
    return out
