"""Detect clause headings: 第X编/章/节/条, 一、, （一）, 1., （1）, 1.1 / 3.3.1 and 「1 总则」, 专栏, 附件, bold-marked
items, ● bullets.

Levels are fixed by style (a smaller number is a higher heading), so one pass with a stack gives the
heading path of every clause, whatever mix of styles a document uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lines import Line
from index.text import CN_NUMERALS, norm

_CN = CN_NUMERALS

# (level, pattern). The pattern's group "rest" is what follows the marker.
_NUMBERED: list[tuple[float, re.Pattern[str]]] = [
    (5, re.compile(rf"^(?P<marker>[{_CN}]+、)\s*(?P<rest>.*)$")),
    (6, re.compile(rf"^(?P<marker>[（(]\s*[{_CN}]+\s*[)）])\s*(?P<rest>.*)$")),
    (7, re.compile(r"^(?P<marker>\d{1,3}\s*[.．、])(?!\d)\s*(?P<rest>.*)$")),
    (8, re.compile(r"^(?P<marker>[（(]\s*\d{1,3}\s*[)）])\s*(?P<rest>.*)$")),
    (8.5, re.compile(r"^(?P<marker>[①-⑳])\s*(?P<rest>.*)$")),
]
_COUNTED = "年月日时分个万亿千百元家项条次岁人"  # 「12 月底前」, 「3 个」: a figure and its unit, not a heading
# Decimal headings of emergency plans and standards: 「1 总 则」, 「1.1 编制目的。」, 「3.3.1 预警发布。」. A top
# heading is a number, a space and a short title alone on its line; a decimal one needs a space after its number
# unless it has two dots (「1.5亿元」 is a figure); the title starts with a Chinese character or a roman numeral
# (「5.3.2 Ⅱ级响应措施」). Their levels sit between 第X条 and 一、, one step per depth: the structure of such a
# plan, with its 1. and （1） items below it.
_DECIMAL_TOP = re.compile(
    rf"^(?P<marker>\d{{1,2}})\s+(?![{_COUNTED}])(?P<rest>[\u4e00-\u9fa5][\u4e00-\u9fa5 ]{{0,14}})$"
)
_DECIMAL = re.compile(
    r"^(?P<marker>\d{1,2}(?:[.．]\d{1,2}){2,3}|\d{1,2}[.．]\d{1,2}(?=\s))(?![\d.．%])\s*(?P<rest>[\u4e00-\u9fa5“《Ⅰ-ⅫIVX].*)$"
)
_DECIMAL_LEVEL = 4.5  # plus 0.1 per depth: 「1」 4.6, 「1.1」 4.7, 「1.1.1」 4.8, 「1.1.1.1」 4.9
_PART = re.compile(rf"^第[{_CN}\d]+(?P<kind>[编章节])(?:\s+|$)(?P<rest>.*)$")
_ARTICLE = re.compile(rf"^(?P<marker>第[{_CN}\d]+条)(?:\s+|(?=[\u4e00-\u9fa5“《（(]))(?P<rest>.*)$")
_ANNEX = re.compile(rf"^附\s*件\s*[{_CN}\d]*\s*(?:[:：]\s*(?P<rest>.*))?$")
_COLUMN_BOX = re.compile(rf"^专栏\s*[{_CN}\d]+")
_BULLET = re.compile(r"^[●•■◆]\s*(?P<rest>.+)$")

_PART_LEVEL = {"编": 1.0, "章": 2.0, "节": 3.0}
ARTICLE_LEVEL = 4.0
ANNEX_LEVEL = 0.0

MAX_TITLE = 40  # a heading line longer than this without sentence punctuation is prose, not a heading
_SHORT_LABEL = 25


@dataclass(frozen=True)
class Heading:
    """A heading found at the start of a line.

    `label` is what goes into the heading path; `has_text` says whether the line carries clause text of its
    own (「（一）指导思想。以……」) or is a bare heading (「一、总体要求」), which is not a clause by itself.
    """

    level: float
    label: str
    has_text: bool


def _first_sentence(text: str) -> tuple[str, str]:
    m = re.search(r"[。：:；;！？]", text)
    if not m:
        return text, ""
    return text[: m.start()], text[m.end() :]


def _numbered(level: float, marker: str, rest: str, bold: str | None) -> Heading:
    marker = marker.replace(" ", "")
    rest = rest.strip()
    if bold and len(bold) <= 60:
        # Markdown files mark the item's title in bold: **11. 落实老年村医保障待遇。**对……
        label = bold.replace(" ", "").rstrip("。：:")
        if not label.startswith(marker):
            label = f"{marker}{label}"
        has_text = len(norm(marker + rest)) > len(norm(bold))
        return Heading(level, label, has_text)
    head, tail = _first_sentence(rest)
    if not tail.strip() and not re.search(r"[。；;！？]$", rest) and len(rest) <= MAX_TITLE:
        return Heading(level, f"{marker}{head}", False)  # a bare heading: 「一、总体要求」
    if len(head) > _SHORT_LABEL:
        head = head.split("，")[0]  # 「3. 坚持动态管理，根据……」 → 「3.坚持动态管理」
    if len(head) > _SHORT_LABEL:
        head = f"{head[:12]}…"
    return Heading(level, f"{marker}{head}", True)


def _decimal(marker: str, rest: str) -> Heading:
    """「3.3.1 预警发布。」: a title alone (one short sentence, nothing after it) is a bare heading, so the text below
    it is its clause; 「1.2 编制依据。依据…」 carries text of its own."""
    marker = marker.replace("．", ".")
    level = _DECIMAL_LEVEL + 0.1 * (marker.count(".") + 1)
    head, tail = _first_sentence(rest.replace(" ", ""))
    if not tail.strip() and len(head) <= MAX_TITLE:
        return Heading(level, f"{marker}{head}", False)
    if len(head) > _SHORT_LABEL:
        head = f"{head[:12]}…"
    return Heading(level, f"{marker}{head}", True)


def detect_heading(line: Line) -> Heading | None:
    """Return the heading that starts `line`, or None for prose."""
    if line.blank or line.is_table_row:
        return None
    text = line.text
    m = _ANNEX.match(text)
    if m and len(text) <= 60:
        return Heading(ANNEX_LEVEL, text, False)
    m = _PART.match(text)
    if m and len(text) <= MAX_TITLE and not re.search(r"[。；]", text):
        return Heading(_PART_LEVEL[m.group("kind")], text, False)
    m = _ARTICLE.match(text)
    if m:
        return Heading(ARTICLE_LEVEL, m.group("marker"), bool(m.group("rest").strip()))
    if _COLUMN_BOX.match(text) and len(text) <= MAX_TITLE:
        return Heading(6.5, text, False)
    m = _DECIMAL_TOP.match(text) or _DECIMAL.match(text)
    if m:
        return _decimal(m.group("marker"), m.group("rest"))
    m = _BULLET.match(text)
    if m:
        first = m.group("rest").split()[0] if m.group("rest").split() else m.group("rest")
        return Heading(9, first[:16], True)
    for level, pattern in _NUMBERED:
        m = pattern.match(text)
        if m:
            return _numbered(level, m.group("marker"), m.group("rest"), line.bold)
    return None
