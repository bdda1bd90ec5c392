"""Chunk a document's body into clauses (by heading) and table rows (with their headers).

- Page breaks left lines broken mid-sentence: such a line is joined to the next, never to a heading.
- Each heading opens a clause; a bare heading (「一、总体要求」) is not a clause but goes into the heading path.
- A clause longer than MAX_CLAUSE characters is split at sentence ends into parts with the same path.
- A table becomes one chunk per row: 「表：<title>\\n<header>：<cell>；…」, repeated header rows dropped, and
  group-label cells left empty by merged cells filled from the row above.
- A roster laid out as a table (「召 集 人：\t吴晓军\t省长」) has no header row: its first cell is a label
  ending in a colon, so every row is data and reads 「副召集人：刘涛；副省长」, the label carried down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.headings import Heading, detect_heading
from index.lines import Line
from index.text import ANNEX_LIST, ROSTER_LABEL, SENTENCE_END, ends_sentence, norm

MAX_CLAUSE = 600
_TABLE_TITLE_MAX = 50
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*\S")
_LABEL = re.compile(r"[:：]$")  # a roster's row label: 「副召集人：」, 「组 长:」


def table_title_line(title: str) -> str:
    """The first line of a table row chunk whose table has a title (the title is also the row's last heading)."""
    return f"表：{title}"


@dataclass
class Paragraph:
    """Consecutive source lines that read as one paragraph (or one table row)."""

    lines: list[Line]
    heading: Heading | None = None

    @property
    def text(self) -> str:
        # A roster entry's lines are names under one label (「副主任：王述友 省政府副秘书长」 / 「韩英 省教育厅厅长」):
        # joined with a space, or a title runs into the next name. Other lines are one sentence broken by layout.
        joiner = " " if ROSTER_LABEL.match(self.lines[0].text) else ""
        return joiner.join(ln.text for ln in self.lines)

    @property
    def is_table_row(self) -> bool:
        return self.lines[0].is_table_row


@dataclass
class RawChunk:
    """A chunk before ids are assigned."""

    kind: str
    section: list[str]
    text: str
    line_start: int
    line_end: int
    part: int = 1
    parts: int = 1


@dataclass
class _Clause:
    section: list[str]
    paragraphs: list[Paragraph] = field(default_factory=list)


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group non-blank lines into paragraphs, repairing lines broken mid-sentence."""
    out: list[Paragraph] = []
    for line in lines:
        if line.blank:
            continue
        heading = detect_heading(line)
        prev = out[-1] if out else None
        if prev is not None and not line.is_table_row and not prev.is_table_row:
            broken = (
                heading is None
                and not line.is_date
                and not ends_sentence(prev.text)
                and not ROSTER_LABEL.match(line.text)
            )
            listed = ANNEX_LIST.match(prev.text) and _LIST_ITEM.match(line.text)
            if (broken and (prev.heading is None or prev.heading.has_text)) or listed:
                prev.lines.append(line)
                continue
        out.append(Paragraph([line], heading))
    return out


def _split_sentences(text: str) -> list[str]:
    parts = re.split(rf"(?<=[{SENTENCE_END}])", text)
    return [p for p in parts if p]


def _split_long(section: list[str], paras: list[Paragraph]) -> list[RawChunk]:
    """One clause as chunks: whole when short, else parts of at most MAX_CLAUSE characters."""
    units: list[tuple[str, int, int, bool]] = []  # (text, first line, last line, starts a paragraph)
    for p in paras:
        for k, sentence in enumerate(_split_sentences(p.text)):
            units.append((sentence, p.lines[0].no, p.lines[-1].no, k == 0))
    groups: list[list[tuple[str, int, int, bool]]] = [[]]
    size = 0
    for unit in units:
        cost = len(unit[0]) + (1 if unit[3] else 0)  # a paragraph break costs its newline
        if groups[-1] and size + cost > MAX_CLAUSE:
            groups.append([])
            size = 0
        groups[-1].append(unit)
        size += cost
    chunks = []
    for n, group in enumerate(groups, start=1):
        text = ""
        for sentence, _, _, new_para in group:
            text += ("\n" if new_para and text else "") + sentence
        chunks.append(
            RawChunk("clause", section, text, min(u[1] for u in group), max(u[2] for u in group), n, len(groups))
        )
    return chunks


def _squeeze(cell: str) -> str:
    """「产 值 规 模」 → 「产值规模」: letter-spacing between Chinese characters carries no meaning."""
    return _CJK_GAP.sub("", cell)


def _is_roster(rows: list[Paragraph]) -> bool:
    """Whether the table is a roster: its first cell is a label (「召 集 人：」), not a column name."""
    first = [c.strip() for c in rows[0].lines[0].cells or ()]
    return bool(first) and bool(_LABEL.search(first[0]))


def _roster_chunks(path: list[str], title_text: str, rows: list[Paragraph], first_line: int) -> list[RawChunk]:
    """One chunk per roster row, 「<label><cell>；<cell>」, the label carried down to the rows it spans.

    Rows continuing a label leave its cell empty (「\t李晓南\t…」) or, after a page break, drop it altogether
    (「杨 扬\t省自然资源厅厅长」, one cell short): both take the label of the row above.
    """
    width = max(len(r.lines[0].cells or ()) for r in rows)
    out: list[RawChunk] = []
    label = ""
    for row in rows:
        line = row.lines[0]
        cells = [_squeeze(c).strip() for c in line.cells or ()]
        if cells and not _LABEL.search(cells[0]) and len(cells) < width:
            cells = [""] * (width - len(cells)) + cells
        if cells and cells[0]:
            label = cells[0]
        body = label + "；".join(c for c in cells[1:] if c)
        head = table_title_line(title_text) if title_text else ""
        out.append(RawChunk("table_row", path, f"{head}\n{body}" if head else body, first_line, line.no))
        first_line = line.no + 1
    return out


def _table_chunks(section: list[str], title: Paragraph | None, rows: list[Paragraph]) -> list[RawChunk]:
    if _is_roster(rows):
        title_text = title.text if title else ""
        first = title.lines[0].no if title else rows[0].lines[0].no
        return _roster_chunks([*section, title_text] if title_text else section, title_text, rows, first)
    header = [_squeeze(c) for c in rows[0].lines[0].cells or ()]
    for k in range(1, len(header)):
        header[k] = header[k] or header[k - 1]  # a header cell merged over two columns
    header_key = [norm(c) for c in header]
    title_text = title.text if title else ""
    path = [*section, title_text] if title_text else section
    out: list[RawChunk] = []
    above: list[str] = []
    group = ""  # a row with one cell spanning the table (「一、围绕……」) labels the rows below it
    first_line = title.lines[0].no if title else rows[0].lines[0].no
    for row in rows[1:] if len(rows) > 1 else rows:
        line = row.lines[0]
        cells = [_squeeze(c) for c in line.cells or ()]
        if [norm(c) for c in cells] == header_key[: len(cells)]:
            continue  # the header repeated after a page break
        if len(header) > 2 and len([c for c in cells if c]) == 1 and cells[0] and not ends_sentence(cells[0]):
            group, first_line = cells[0], min(first_line, line.no)
            continue
        lead = next((k for k, c in enumerate(cells) if c), len(cells))
        for k in range(min(lead, len(above))):
            cells[k] = above[k]  # merged group-label cells carry the value from the row above
        above = cells
        pairs: list[tuple[str, str]] = []
        for k, cell in enumerate(cells):
            if not cell:
                continue
            name = header[k] if k < len(header) and len(rows) > 1 else ""
            if pairs and name and pairs[-1][0] == name:
                pairs[-1] = (name, f"{pairs[-1][1]}／{cell}")  # two columns under one merged header
            else:
                pairs.append((name, cell))
        body = "；".join(f"{n}：{c}" if n and norm(n) != norm(c) else c for n, c in pairs)
        head = "\n".join(x for x in (table_title_line(title_text) if title_text else "", group) if x)
        out.append(RawChunk("table_row", path, f"{head}\n{body}" if head else body, first_line, line.no))
        first_line = line.no + 1
    return out


def _is_table_title(p: Paragraph) -> bool:
    return (
        p.heading is None
        and len(p.lines) == 1
        and len(p.text) <= _TABLE_TITLE_MAX
        and not re.search(f"[{SENTENCE_END}，,]", p.text)
    )


@dataclass
class _Open:
    """A heading on the stack; `used` once some chunk sits under it."""

    heading: Heading
    paragraph: Paragraph
    used: bool = False


def chunk_document(body: list[Line]) -> list[RawChunk]:
    """Chunk one document's body lines into clause parts and table rows, in reading order."""
    paras = paragraphs(body)
    stack: list[_Open] = []
    chunks: list[RawChunk] = []
    clause: _Clause | None = None

    def path() -> list[str]:
        for entry in stack:
            entry.used = True
        return [entry.heading.label for entry in stack]

    def flush() -> None:
        nonlocal clause
        if clause and clause.paragraphs:
            chunks.extend(_split_long(clause.section, clause.paragraphs))
        clause = None

    def pop() -> None:
        entry = stack.pop()
        if not entry.used:
            # A heading nothing was written under (an item of a bare list): keep its words as a clause.
            chunks.extend(_split_long([*path(), entry.heading.label], [entry.paragraph]))

    i = 0
    while i < len(paras):
        p = paras[i]
        if p.is_table_row:
            j = i
            while j < len(paras) and paras[j].is_table_row:
                j += 1
            title = None
            if clause and clause.paragraphs and _is_table_title(clause.paragraphs[-1]):
                title = clause.paragraphs.pop()
            flush()
            chunks.extend(_table_chunks(path(), title, paras[i:j]))
            i = j
            continue
        if p.heading is not None:
            flush()
            while stack and stack[-1].heading.level >= p.heading.level:
                pop()
            stack.append(_Open(p.heading, p))
            if p.heading.has_text or len(p.lines) > 1:
                clause = _Clause(path(), [p])
        elif clause is None:
            clause = _Clause(path(), [p])
        else:
            clause.paragraphs.append(p)
        i += 1
    flush()
    while stack:
        pop()
    return chunks
