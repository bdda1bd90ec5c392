"""A Word .docx document as gazette text (python-docx, MIT licence): paragraphs and tables in document order.

Heading styles become markdown `#` lines and a paragraph's leading bold run becomes `**…**`, the marks the
markdown gazettes carry, so item titles reach the heading path the same way. Table rows come out
tab-separated; a cell merged down from the row above is left empty (the parser fills it from above). Page
headers and footers live in other parts of the file and are never read.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from index.formats import CharBudget, FormatError, ReadOptions, join_wrapped, with_title_hint

# Uncompressed size that a zip may expand to: a small .docx can hide a zip bomb.
_MAX_UNZIPPED_PER_CHAR = 60


def docx_text(data: bytes, name: str, options: ReadOptions) -> str:
    """The text of a .docx; FormatError when damaged or over the character limit."""
    import docx

    _check_unzipped(data, name, options)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types on a damaged package
        raise FormatError(name, "unreadable", f"not a readable Word document ({type(exc).__name__})") from exc
    budget = CharBudget(name, options.max_chars)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines += [budget.take(row) for row in _table_rows(block)]
        else:
            lines.append(budget.take(_paragraph(block)))
    return with_title_hint("\n".join(lines), document.core_properties.title)


def _check_unzipped(data: bytes, name: str, options: ReadOptions) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        size = sum(info.file_size for info in zf.infolist())
    if size > options.max_chars * _MAX_UNZIPPED_PER_CHAR:
        raise FormatError(
            name,
            "too_large",
            f"the document expands to {size:,} bytes, too large for {options.max_chars:,} characters of text "
            "(GONGBAO_MAX_EXTRACTED_CHARS)",
        )


def _paragraph(paragraph: Any) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title" or style.startswith("Heading"):
        level = int(style.rsplit(" ", 1)[1]) if style.rsplit(" ", 1)[-1].isdigit() else 1
        return f"{'#' * min(level, 6)} {text}"
    bold = ""
    for run in paragraph.runs:
        if not run.bold and (bold or run.text.strip()):
            break
        bold += run.text if run.bold else ""
    bold = bold.strip()
    if bold and text.startswith(bold):
        return f"**{bold}**{text[len(bold) :]}"
    return text


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a cell merged across columns is listed once per column it spans
            seen.add(id(cell._tc))
            merged_down = cell._tc.vMerge == "continue"
            cells.append("" if merged_down else _cell_text(cell))
        rows.append("\t".join(cells) + ("\t" if len(cells) == 1 else ""))
    return rows


def _cell_text(cell: Any) -> str:
    text = ""
    for p in cell.paragraphs:
        text = join_wrapped(text, p.text.strip())
    return text
