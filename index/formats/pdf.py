"""A PDF's text layer as gazette text: reading order, running headers and footers dropped, tables as rows.

- Lines are read top to bottom per page (pdfplumber, MIT licence); words inside a ruled table are left to the
  table, whose rows come out tab-separated where the table stood, like the `.txt` files.
- Running headers and footers (the gazette's name, the issue line, page numbers) are found by repetition: a
  line in the top or bottom band of a page whose text, digits aside, recurs on a good share of the pages. No
  list of header texts is kept, so other publications work the same way.
- Wrapped lines are joined back into paragraphs by layout: a line that runs to the right edge continues on the
  next line unless that one is indented (a new paragraph), also across a page break. What remains (a sentence
  broken by a heading-like line, ...) is left to the parser's own line repair.
- A page without a text layer is a scan: OCR'd when an engine is configured, else the file is refused.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from index.formats import CharBudget, FormatError, ReadOptions, check_pages, join_wrapped
from index.text import norm

_BAND = 0.12  # the top and bottom 12% of a page hold its running header and footer
_EDGE_LINES = 2  # ... and at most two lines each
_REPEAT_SHARE = 0.4  # odd and even pages often carry different headers: each is on about half the pages
_DIGITS = re.compile(r"\d+")


@dataclass
class _Item:
    """A text line or a table row on a page, with its position (points from the page's top-left)."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float = 10.0
    cells: list[str] | None = None


def pdf_text(data: bytes, name: str, options: ReadOptions) -> str:
    """The text of a PDF as gazette lines; FormatError when it is damaged, too large or a scan without OCR."""
    import pdfplumber

    budget = CharBudget(name, options.max_chars)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many exception types on malformed input
        raise FormatError(name, "unreadable", f"not a readable PDF ({type(exc).__name__})") from exc
    with pdf:
        check_pages(name, len(pdf.pages), options)
        pages: list[list[_Item]] = []
        heights: list[float] = []
        try:
            for no, page in enumerate(pdf.pages):
                pages.append(_page_items(page, no, budget))
                heights.append(float(page.height))
                page.close()  # frees the page's parsed objects: memory stays flat on long issues
        except FormatError:
            raise
        except Exception as exc:
            raise FormatError(name, "unreadable", f"the PDF could not be read ({type(exc).__name__}: {exc})") from exc
    scanned = [no for no, items in enumerate(pages) if not items]
    if scanned:
        if options.ocr is None:
            which = "no page" if len(scanned) == len(pages) else f"pages {_ranges(scanned)}"
            raise FormatError(
                name,
                "no_text",
                f"{which} of the PDF has a text layer (a scanned image); set GONGBAO_OCR=tesseract to read scans "
                "with OCR, or upload a PDF with text",
            )
        from index.formats.ocr import ocr_pdf_pages

        for no, lines in ocr_pdf_pages(data, scanned, name).items():
            pages[no] = [_Item(no, 0.0, 0.0, 0.0, 0.0, budget.take(t)) for t in lines]
    body = drop_running_lines(pages, heights)
    return "\n".join(_paragraphs(body))


def _page_items(page: Any, no: int, budget: CharBudget) -> list[_Item]:
    tables = page.find_tables()
    items: list[_Item] = []
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
        x0, top, x1, _ = table.bbox
        for row, cells in zip(table.rows, table.extract(), strict=False):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                rtop = row.bbox[1] if row.bbox else top
                items.append(_Item(no, rtop, rtop, x0, x1, budget.take(" ".join(t for t in texts if t)), cells=texts))
    for line in outside.extract_text_lines(return_chars=True):
        text = line["text"].strip()
        if not text:
            continue
        sizes = [c.get("size", 10.0) for c in line["chars"]] or [10.0]
        size = sorted(sizes)[len(sizes) // 2]
        items.append(_Item(no, line["top"], line["bottom"], line["x0"], line["x1"], budget.take(text), size))
    items.sort(key=lambda it: (round(it.top, 1), it.x0))
    return items


def _cell_text(cell: str | None) -> str:
    """A table cell on one line: the wrapping inside the cell carries no meaning."""
    text = ""
    for part in (cell or "").split("\n"):
        text = join_wrapped(text, part.strip())
    return text


def drop_running_lines(pages: list[list[_Item]], heights: list[float]) -> list[_Item]:
    """All items in reading order, minus running headers and footers (lines repeated in the page margins)."""
    candidates: list[tuple[_Item, str]] = []
    for items, height in zip(pages, heights, strict=True):
        text_items = [it for it in items if it.cells is None]
        top = [it for it in text_items[:_EDGE_LINES] if it.bottom <= height * _BAND]
        bottom = [it for it in text_items[-_EDGE_LINES:] if it.top >= height * (1 - _BAND)]
        candidates += [(it, _running_key(it.text)) for it in {id(it): it for it in top + bottom}.values()]
    per_key = Counter(key for _, key in {(it.page, key) for it, key in candidates})  # pages per key
    need = max(2, math.ceil(len(pages) * _REPEAT_SHARE))
    running = {key for key, n in per_key.items() if n >= need}
    drop = set()
    for it, key in candidates:
        # A cover carries no running header, but its title may read like one: page 1 loses page numbers only.
        if key in running and (it.page > 0 or not re.search(r"[\u4e00-\u9fa5A-Za-z]", key)):
            drop.add(id(it))
    return [it for items in pages for it in items if id(it) not in drop]


def _running_key(text: str) -> str:
    """A line's text with page numbers and dates generalised: 「— 12 —」 and 「— 13 —」 are the same footer."""
    return _DIGITS.sub("#", norm(text))


def _paragraphs(items: list[_Item]) -> list[str]:
    """Join wrapped lines: a line reaching the right edge continues unless the next is indented or a table row."""
    lines = [it for it in items if it.cells is None and it.x1 > it.x0]
    left = min((it.x0 for it in lines), default=0.0)
    # The right margin is where most lines end: a few lines overrun it (a long Latin word cannot wrap).
    right = Counter(round(it.x1) for it in lines).most_common(1)[0][0] if lines else 0.0
    sizes = sorted(it.size for it in lines) or [10.0]
    body = sizes[len(sizes) // 2]
    out: list[str] = []
    prev: _Item | None = None
    for it in items:
        if it.cells is not None:
            out.append("\t".join(it.cells))
        elif prev is not None and prev.cells is None and _continues(prev, it, left, right):
            out[-1] = join_wrapped(out[-1], it.text)
        elif prev is not None and prev.cells is None and _same_title(prev, it, left, right, body):
            out[-1] = f"{out[-1]} {it.text}"  # a wrapped title, written as the markdown files do
        else:
            out.append(it.text)
        prev = it
    return out


def _continues(prev: _Item, line: _Item, left: float, right: float) -> bool:
    if prev.x1 <= prev.x0 or line.x1 <= line.x0:  # OCR lines carry no geometry
        return False
    em = max(prev.size, line.size, 1.0)
    full = prev.x1 >= right - 1.5 * em
    indented = line.x0 >= left + 0.8 * em
    near = line.page == prev.page + 1 or (line.page == prev.page and line.top - prev.bottom < 1.5 * em)
    return full and not indented and near and abs(prev.size - line.size) < 0.5


def _same_title(prev: _Item, line: _Item, left: float, right: float, body: float) -> bool:
    """Two centred lines in one larger type, one under the other: a title printed over several lines."""

    def centred(it: _Item) -> bool:
        return it.x0 > left + it.size and abs((it.x0 - left) - (right - it.x1)) < it.size

    return (
        line.page == prev.page
        and abs(prev.size - line.size) < 0.5
        and line.size > body + 0.5
        and centred(prev)
        and centred(line)
        and line.top - prev.bottom < line.size
    )


def _ranges(nos: list[int]) -> str:
    return ", ".join(str(n + 1) for n in nos[:10]) + ("…" if len(nos) > 10 else "")
