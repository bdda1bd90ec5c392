"""Cut a gazette's lines into documents: notices, their attached plans and annexes, appointments, chronicles.

How a document start is found (no title list is hard-coded, so new gazettes of the same kind work):
- a 文号 line (青政办〔2022〕30号) with the title block printed just above it;
- a title listed in the gazette's table of contents and printed on lines of its own (documents without 文号);
- a chronicle heading (「省政府2023年10月份大事记」).
Inside a notice, the signature (issuer lines and a date) ends the notice; what follows is the attached plan(s),
split where a title that the notice names in 《》 or an 附件 list names begins a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.headings import detect_heading
from index.lines import Line
from index.text import DATE_LINE, annex_rest, canonical_doc_number, join_title, norm

_DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fa5]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
_CHRONICLE = re.compile(r"^.{0,16}\d{4}\s*年\s*\d{1,2}\s*月份?\s*大事记$")
_QUOTED = re.compile(r"《([^《》]{4,80}(?:《[^《》]*》[^《》]*)*)》")
_ANNEX_BARE = re.compile(r"^附\s*件\s*\d*$")
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.．、]\s*(?P<title>.+)$")
_TRAILING_YEARS = re.compile(r"[(（][^()（）]*\d{4}[^()（）]*[)）]$")
_PAREN_LINE = re.compile(r"^[(（][^()（）]{1,24}[)）]$")
_TOC_HEAD = re.compile(r"^目\s*录$")
_TITLE_START = re.compile(r"^(?:[\u4e00-\u9fa5]{1,8}?[省市州县]|省政府|关于|中共|国务院)")

MAX_TITLE_LINES = 6
_TYPE_SUFFIXES = [
    ("大事记", "大事记"),
    ("任免", "任免"),
    ("免职", "任免"),
    ("任职", "任免"),
    ("预案", "预案"),
    ("规划", "规划"),
    ("方案", "方案"),
    ("办法", "办法"),
    ("细则", "细则"),
    ("意见", "意见"),
    ("决定", "决定"),
    ("台账", "台账"),
    ("目录", "目录"),
    ("清单", "清单"),
    ("任务", "任务"),
    ("规定", "规定"),
    ("措施", "措施"),
    ("通知", "通知"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("批复", "批复"),
    ("函", "函"),
    ("报告", "报告"),
    ("表", "表"),
    ("图", "图"),
    ("指标", "指标"),
]


@dataclass
class RawDocument:
    """A document's lines before chunking, with the metadata read from its header."""

    title: str
    title_lines: list[Line]
    doc_number: str | None = None
    issuer: str | None = None
    signed: date | None = None
    addressees: str | None = None
    header: list[Line] = field(default_factory=list)  # title, 文号, addressees, signature
    body: list[Line] = field(default_factory=list)
    skipped: list[Line] = field(default_factory=list)  # an attached plan's own table of contents
    parent: RawDocument | None = None

    @property
    def doc_type(self) -> str:
        return doc_type_of(self.title)


def doc_type_of(title: str) -> str:
    """Document type from the title's last word: 「…行动方案(2021—2035年)」 → 方案, 「…的通知」 → 通知."""
    key = _TRAILING_YEARS.sub("", norm(title))
    if re.search("任免|免职|任职", key):
        return "任免"
    for suffix, kind in _TYPE_SUFFIXES:
        if key.endswith(suffix):
            return kind
    return "其他"


def _is_title_like(line: Line) -> bool:
    text = line.text
    return (
        not line.blank
        and not line.is_table_row
        and not line.is_toc_entry
        and not line.is_date
        and len(text) <= 80
        and not re.search(r"[：:。；，,]$|[：:]", text)
        and detect_heading(line) is None
    )


def _nonblank(lines: list[Line], start: int, stop: int, step: int = 1) -> list[int]:
    return [i for i in range(start, stop, step) if not lines[i].blank]


def _title_block_before(lines: list[Line], idx: int, floor: int) -> list[int]:
    """Indexes of the title lines printed just above line `idx` (a 文号 line), top to bottom.

    Walks up while lines look like a title; stops at a line that is itself a whole title (ends in 通知/图/…)
    once the block below already begins like one (「青海省…」「关于…」), e.g. an annex title right above.
    """
    block: list[int] = []
    for i in _nonblank(lines, idx - 1, floor - 1, -1):
        line = lines[i]
        if not _is_title_like(line) or len(block) >= MAX_TITLE_LINES:
            break
        if block and doc_type_of(line.text) != "其他" and _TITLE_START.match(lines[block[0]].key):
            break
        block.insert(0, i)
    return block


def _toc_titles(lines: list[Line], stop: int) -> list[str]:
    """Titles listed in the front table of contents (entries may wrap over several lines)."""
    titles, pending = [], []
    for line in lines[:stop]:
        if line.blank:
            continue
        if line.is_toc_entry:
            pending.append(re.sub(r"(?:\.{2,}|…+)?\s*[(（]\s*\d+\s*[)）]$", "", line.text))
            titles.append(join_title(pending))
            pending = []
        elif len(line.text.replace(" ", "")) > 6 and not re.search(r"[：:]", line.text):
            pending.append(line.text)
        else:
            pending = []  # a section label such as 「省 政 府 文 件」 or a masthead line
    return [t for t in titles if len(norm(t)) >= 6]


def _match_block(lines: list[Line], idx: int, wanted: str) -> list[int] | None:
    """If the non-blank lines from `idx` spell `wanted` exactly (normalised), return their indexes."""
    got, block = "", []
    for i in _nonblank(lines, idx, min(len(lines), idx + 3 * MAX_TITLE_LINES)):
        if not _is_title_like(lines[i]):
            return None
        got += lines[i].key
        block.append(i)
        if got == wanted:
            return block
        if not wanted.startswith(got) or len(block) >= MAX_TITLE_LINES:
            return None
    return None


def find_document_starts(lines: list[Line]) -> tuple[int, list[tuple[list[int], int | None]]]:
    """Return (index where the body begins, [(title line indexes, 文号 line index or None)])."""
    starts: list[tuple[list[int], int | None]] = []
    for i, line in enumerate(lines):
        if _DOC_NUMBER_LINE.match(line.text):
            above = _title_block_before(lines, i, 0)
            if above:
                starts.append((above, i))
    first = starts[0][0][0] if starts else len(lines)
    toc_last = max((i for i in range(first) if lines[i].is_toc_entry), default=-1)
    taken = {i for rows, num in starts for i in [*rows, num] if i is not None}
    wanted = {norm(t) for t in _toc_titles(lines, first)}
    for i in range(toc_last + 1, len(lines)):
        line = lines[i]
        if line.blank or i in taken:
            continue
        block: list[int] | None = None
        if _CHRONICLE.match(line.text.replace(" ", "")) and _is_title_like(line):
            block = [i]
        elif any(w.startswith(line.key) for w in wanted if line.key):
            for w in wanted:
                block = _match_block(lines, i, w)
                if block:
                    break
        if block and not taken.intersection(block):
            starts.append((block, None))
            taken.update(block)
    starts.sort(key=lambda s: s[0][0])
    body_start = starts[0][0][0] if starts else len(lines)
    return body_start, starts


def _signature(lines: list[Line], lo: int, hi: int) -> tuple[list[int], int] | None:
    """Find the first signature in lines[lo:hi]: 1–3 issuer lines followed by a date line."""
    for i in range(lo, hi):
        if not lines[i].is_date:
            continue
        issuers: list[int] = []
        for j in _nonblank(lines, i - 1, lo - 1, -1):
            text = lines[j].text
            if len(issuers) >= 3 or len(text) > 30 or re.search(r"[。，；：:,、]", text) or detect_heading(lines[j]):
                break
            issuers.insert(0, j)
        if issuers:
            return issuers, i
    return None


def _parse_date(text: str) -> date | None:
    m = DATE_LINE.match(text.replace(" ", ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _title_key(title: str) -> str:
    """Matching key of a title: normalised, without a trailing (2021—2035年)."""
    return _TRAILING_YEARS.sub("", norm(title))


def _named_titles(texts: list[str]) -> list[str]:
    """Titles that a notice or an 附件 list names: 《…》 quotes, 「附件：X」 and the numbered items after it."""
    names, in_annex_list = [], False
    for text in texts:
        names += _QUOTED.findall(text)
        rest = annex_rest(text)
        annex = bool(rest)  # 「附件：」 with its first title on the same line
        item = _LIST_ITEM.match(rest if rest else text)
        if rest:
            names.append(item.group("title") if item else rest)
        elif in_annex_list and item:
            names.append(item.group("title"))
        in_annex_list = bool(annex or (in_annex_list and item))
    return [n for n in names if len(_title_key(n)) >= 4]


def _attachment_starts(lines: list[Line], lo: int, hi: int, names: list[str], wrapped: bool = False) -> list[int]:
    """Line indexes in [lo, hi) where an attachment named in `names` begins with its title line.

    A title must match a name exactly (years in brackets aside), so that a table titled 「X规划预期指标」 is
    not taken for the plan 《X规划》; names from an 附件 list may have wrapped (`wrapped`), so there the line
    need only begin with the name. Each name starts at most one attachment.
    """
    keys = {_title_key(n) for n in names if len(_title_key(n)) >= 6}
    found = []
    for i in range(lo, hi):
        if not keys:
            break
        line = lines[i]
        if not _is_title_like(line):
            continue
        k = _title_key(line.text)
        hit = next((key for key in keys if k == key or (wrapped and k.startswith(key))), None)
        if hit:
            found.append(i)
            keys.discard(hit)
    return found


def _take_attachment_title(lines: list[Line], i: int, hi: int) -> list[int]:
    """The title line at i plus a following (2021—2035年) line, skipping a bare 「附件 1」 above it."""
    block = [i]
    nxt = _nonblank(lines, i + 1, hi)
    if nxt and _PAREN_LINE.match(lines[nxt[0]].text.replace(" ", "")):
        block.append(nxt[0])
    return block


def _inner_toc(lines: list[Line], lo: int, hi: int) -> list[int]:
    """An attached plan's own 目录 right after its title: the 「目 录」 line and its page-numbered entries."""
    idx = _nonblank(lines, lo, hi)
    if not idx or not _TOC_HEAD.match(lines[idx[0]].text):
        return []
    out = [idx[0]]
    for i in idx[1:]:
        if not lines[i].is_toc_entry:
            break
        out.append(i)
    return out


def _new_attachment(lines: list[Line], block: list[int], notice: RawDocument) -> RawDocument:
    return RawDocument(
        title=join_title([lines[j].text for j in block]),
        title_lines=[lines[j] for j in block],
        doc_number=notice.doc_number,
        issuer=notice.issuer,
        signed=notice.signed,
        header=[lines[j] for j in block],
        parent=notice,
    )


def _segment(lines: list[Line], lo: int, hi: int, first: RawDocument, names: list[str]) -> list[RawDocument]:
    """Fill `first.body` from lines[lo:hi], splitting off each attachment whose title `names` announces.

    An 附件 list met on the way (「附件：1. X」 「2. Y」) announces more titles; a bare 「附件 1」 line just above
    a title belongs to that attachment's header.
    """
    notice = first.parent or first
    docs, current = [first], first
    starts = set(_attachment_starts(lines, lo, hi, names))
    in_annex_list = False
    i = lo
    while i < hi:
        line = lines[i]
        if i in starts and current.body:
            block = _take_attachment_title(lines, i, hi)
            current_body = current.body
            current = _new_attachment(lines, block, notice)
            if current_body and _ANNEX_BARE.match(current_body[-1].text.replace(" ", "")):
                current.header.insert(0, current_body.pop())
            docs.append(current)
            i = block[-1] + 1
            toc = _inner_toc(lines, i, hi)
            current.skipped += [lines[j] for j in toc]
            i = toc[-1] + 1 if toc else i
            continue
        i += 1
        if line.blank:
            continue
        if not current.body and line.key in {t.key for t in current.title_lines} | {norm(current.title)}:
            current.header.append(line)  # the plan's title printed again after its own 目录
            continue
        current.body.append(line)
        opens = bool(annex_rest(line.text))
        if opens or (in_annex_list and _LIST_ITEM.match(line.text)):
            in_annex_list = True
            item = _named_titles([line.text] if opens else ["附件：" + line.text])
            starts |= set(_attachment_starts(lines, i, hi, item, wrapped=True))
        else:
            in_annex_list = False
    return docs


def split_documents(lines: list[Line]) -> tuple[int, list[RawDocument]]:
    """Split the lines of one gazette into documents. Returns (first body line index, documents)."""
    body_start, starts = find_document_starts(lines)
    docs: list[RawDocument] = []
    for n, (block, num_idx) in enumerate(starts):
        end = starts[n + 1][0][0] if n + 1 < len(starts) else len(lines)
        head_end = (num_idx if num_idx is not None else block[-1]) + 1
        doc = RawDocument(
            title=join_title([lines[i].text for i in block]),
            title_lines=[lines[i] for i in block],
            doc_number=canonical_doc_number(lines[num_idx].text) if num_idx is not None else None,
            header=[lines[i] for i in block] + ([lines[num_idx]] if num_idx is not None else []),
        )
        after = _nonblank(lines, head_end, end)
        if after and re.search(r"[：:]$", lines[after[0]].text) and len(lines[after[0]].text) <= 150:
            doc.addressees = lines[after[0]].text.rstrip("：:")
            doc.header.append(lines[after[0]])
            head_end = after[0] + 1
        sig = _signature(lines, head_end, end)
        if sig is None:
            docs += _segment(lines, head_end, end, doc, [])
            continue
        issuers, date_idx = sig
        doc.issuer = " ".join(lines[i].text for i in issuers)
        doc.signed = _parse_date(lines[date_idx].text)
        notice_end = issuers[0]
        for i in range(head_end, notice_end):
            if not lines[i].blank:
                doc.body.append(lines[i])
        doc.header += [lines[i] for i in [*issuers, date_idx]]
        rest = _nonblank(lines, date_idx + 1, end)
        if not rest:
            docs.append(doc)
            continue
        names = _named_titles([doc.title] + [ln.text for ln in doc.body])
        first = rest[0]
        block = _take_attachment_title(lines, first, end)
        attachment = _new_attachment(lines, block, doc)
        start = block[-1] + 1
        toc = _inner_toc(lines, start, end)
        attachment.skipped += [lines[i] for i in toc]
        start = toc[-1] + 1 if toc else start
        docs.append(doc)
        docs += _segment(lines, start, end, attachment, names)
    return body_start, docs
