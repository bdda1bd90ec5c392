"""The evidence model: what a retrieved clause says, read once per hit.

`Clause.read(hit)` reads a hit (a retriever `Hit`, or a baseline's chunk) once: its quotable units (sentences, or
a table row whole), the table row's title, group label and cells (from the chunk's kind and heading path, as
`index.clauses` wrote them), the figures it offers, its years and dates.
The composer, refusal and verification read clauses through it. `sentences` is the one sentence splitter for
clause text; patterns live in `rag.lexicon`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from index.clauses import table_title_line
from index.models import ChunkKind, SourceSpan
from index.text import SENTENCE, SENTENCE_END, norm
from rag.lexicon import (
    ARABIC_FIGURE,
    BODY_IN_ROLE,
    CHINESE_FIGURE,
    CLOSERS,
    DATING_OPENING,
    FIVE_YEAR_PLAN,
    INDICATOR_COLUMN,
    INDICATOR_GROUP,
    INDICATOR_NAME,
    INDICATOR_UNIT,
    LABEL_END,
    MARKER_BODY,
    NO_UNIT,
    ORGAN,
    SERIAL_CELL,
    TITLE_ISSUER,
    TITLE_NAMED,
    UNIT_COLUMN,
    VALUE,
    YEAR,
    canonical_figure,
    chinese_number,
    holds_role,
    key_bigrams,
)
from rag.models import Evidence

# The sentence rules of the project, built on index.text.SENTENCE_END: `sentences` cuts clause text (the
# composer's quotable units); `SentenceSplitter` cuts a generated answer as it streams (its [n] markers stay with
# the sentence they follow).
# A date as clauses state deadlines: 「2025年12月底」, 「2023年6月30日」, 「2024年底前」.
_DATE = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日|底|前|末)*")


# A sentence: text up to end punctuation (with closing quotes, the [n] markers that follow it and a line break right
# after them), or up to a newline.
_STREAMED = re.compile(
    rf"[^{SENTENCE_END}\n]*(?:[{SENTENCE_END}]+[{CLOSERS}]*(?:[ \t]*{MARKER_BODY})*(?:[ \t]*\n)?|\n)"
)
# What may still turn into a marker belonging to the sentence before it: spaces, 「[」, 「[1」, 「[1,」.
_PENDING = re.compile(r"[ \t]*(?:[\[［【][\d\s,，、]*)?")


class SentenceSplitter:
    """Cut streamed text into sentences as soon as each one is complete.

    A sentence ends at 。！？； (or their ASCII forms) or at a newline; closing quotes and the [n] markers right
    after the punctuation stay with it, so a sentence is only released once the next non-marker character has
    arrived (「…90%。」 might still be followed by 「[1]」).
    """

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> list[str]:
        """Add streamed text; return the sentences it completed (raw, with their whitespace and newline)."""
        self._buffer += text
        return self._take(final=False)

    def flush(self) -> list[str]:
        """The end of the stream: return what is left as sentences (the last may lack end punctuation)."""
        done = self._take(final=True)
        if self._buffer:
            done.append(self._buffer)
            self._buffer = ""
        return done

    def _take(self, final: bool) -> list[str]:
        done: list[str] = []
        while m := _STREAMED.match(self._buffer):
            sentence, rest = m.group(), self._buffer[m.end() :]
            if not final and not sentence.endswith("\n") and _PENDING.fullmatch(rest):
                break  # the marker (or more punctuation) may still be on its way
            done.append(sentence)
            self._buffer = rest
        return done


def rarity_weight(read: int, holding: int) -> float:
    """How much a word held by `holding` of `read` texts tells them apart: log((n + 1) / (df + 0.5)), the one
    rarity weight of the composer's distinguishing words and the retriever's role holders."""
    return math.log((read + 1) / (holding + 0.5))


def names_body(text: str) -> bool:
    """Whether a text names a body at all: an organ's name (`lexicon.ORGAN`: 「省民政厅」, 「海西州人民政府」,
    「林草部门」; not 「定向委托」, 「城市布局」, 「各有关部门」) or a responsibility label (「牵头单位：…」). The one
    reading of an organ's name: a body question's quotes must name one (`rag.refusal`), and `names_body_in_role` reads
    the same names in a role."""
    return bool(ORGAN.search(text) or VALUE["body"].search(text))


def names_body_in_role(text: str, roles: Iterable[str] = ()) -> bool:
    """Whether a text names a body in a role: one made responsible (「牵头单位：省财政厅」, 「由省公安厅牵头」,
    「承办单位：…」; `lexicon.VALUE["body"]`), an organ (`names_body`) given a task (「由各市州应急指挥部统一发布」,
    「林草部门负责…」: `lexicon.BODY_IN_ROLE`), or a holder of one of `roles` (「组长：…」, 「组长由…担任」:
    `lexicon.holds_role`). The composer's body opening uses it; a refusal asks only `names_body` (an answering
    sentence may name its body in words no verb list holds)."""
    roles = tuple(roles)
    return bool(VALUE["body"].search(text) or BODY_IN_ROLE.search(text)) or (bool(roles) and holds_role(text, roles))


def split_sentences(text: str) -> list[str]:
    """Sentences of a complete text, as `SentenceSplitter` would release them (blank ones dropped)."""
    splitter = SentenceSplitter()
    return [s for s in [*splitter.feed(text), *splitter.flush()] if s.strip()]


def sentences(text: str) -> list[str]:
    """Sentences of clause text, verbatim.

    A line ending in a label (「（责任单位：」, broken off from its list by a page break) stays with the line that
    follows: a label alone answers nothing.
    """
    spans = [[m.start(), m.end()] for m in SENTENCE.finditer(text) if m.group().strip()]
    merged: list[list[int]] = []
    for span in spans:
        if merged and LABEL_END.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return [text[a:b].strip() for a, b in merged]


def clause_figures(hit: Evidence) -> frozenset[str]:
    """Every figure a clause offers: in its text, 文号, title and heading path; a percentage also as a bare value."""
    parts: list[str] = [hit.doc_title, hit.doc_number or "", *hit.section, *hit.text.split("\n")]
    found: set[str] = set()
    for part in parts:  # each part on its own, so figures at the end of one and start of the next never merge
        text = norm(part)
        for m in ARABIC_FIGURE.finditer(text):
            found.add(canonical_figure(m.group(1)))
            if m.group(2):
                found.add(canonical_figure(m.group(1)) + m.group(2))
        for m in CHINESE_FIGURE.finditer(text):
            value = chinese_number(m.group(1))
            if value is not None:
                found.add(str(value))
    row = TableRow.read(hit.text, hit.section) if getattr(hit, "kind", "clause") == "table_row" else None
    unit = row.unit if row is not None else None
    if row is not None and unit in ("%", "‰"):
        # a row giving its figures under 「单位：%」 states each value as a percentage (「2025 年：96」 is 96%): the
        # values of its cells only: not the years of its column names, its serial number (「序号：11」) nor its
        # indicator's name (「PM2.5浓度」)
        found |= {
            canonical_figure(m.group(1)) + unit
            for name, value in row.cells
            if name and not SERIAL_CELL.match(f"{name}：") and not INDICATOR_COLUMN.search(name)
            for m in ARABIC_FIGURE.finditer(norm(value))
        }
    return frozenset(found)


@dataclass(frozen=True)
class TableRow:
    """A table row chunk as `index.clauses` made it: the table's title (if printed), the group label of the rows
    below a spanning cell (if any), and the row's cells as (column header, value) pairs."""

    title: str | None
    group: str | None
    cells: tuple[tuple[str, str], ...]
    body: str = field(repr=False, metadata={"doc": "The quotable row: group label and cells as printed."})

    @property
    def is_label(self) -> bool:
        """Whether the row is a group label alone (「序号：盐湖化工产业建设 (2 项)」: one cell, spanning the table from
        its serial column): it names the rows below it and states no value of its own (its 「2 项」 counts them). A
        one-column table's rows (no serial column) are not labels: each is its table's content."""
        return len(self.cells) == 1 and bool(SERIAL_CELL.match(f"{self.cells[0][0]}："))

    @property
    def unit(self) -> str | None:
        """The unit the row's figures are given in, when stated once for the row: its 「单位」 cell, else a bracket
        closing its indicator cell (「…床位数（张）」); None when it states none."""
        for name, value in self.cells:
            if UNIT_COLUMN.match(name):
                return None if NO_UNIT.match(value) else value.strip()
        for name, value in self.cells:
            m = INDICATOR_UNIT.search(value) if INDICATOR_COLUMN.search(name) else None
            if m:
                return m.group(1)
        return None

    @cached_property
    def indicator_cells(self) -> tuple[tuple[str, str], ...]:
        """The cells naming what the row's figures are of (`lexicon.INDICATOR_NAME`: 「指标」, 「二级指标」…, not
        「指标属性」 or 「指标说明」), as (column, value) in row order: the finest (「二级指标」) last."""
        return tuple((name, v.strip()) for name, v in self.cells if INDICATOR_NAME.match(name) and v.strip())

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """The indicators the row's indicator cells name, each without its group (the part after 「／」:
        「产值规模／总产值」 names 「总产值」). The one reading of what a row measures, for the lead (`measure_of`),
        for choosing a row per document (`rag.units.indicator_share`) and, as printed, for an opening
        (`with_indicator`)."""
        return tuple(INDICATOR_GROUP.split(v)[-1] for _, v in self.indicator_cells)

    @classmethod
    def read(cls, text: str, section: Sequence[str]) -> TableRow:
        lines = text.split("\n")
        title = section[-1] if section and len(lines) > 1 and lines[0] == table_title_line(section[-1]) else None
        rest = lines[1:] if title is not None else lines
        group = rest[0] if len(rest) > 1 else None
        cells = []
        for cell in rest[-1].split("；"):
            name, sep, value = cell.partition("：")
            cells.append((name, value) if sep else ("", cell))
        return cls(title=title, group=group, cells=tuple(cells), body="\n".join(rest))


@dataclass(frozen=True)
class Clause:
    """A retrieved clause, read once. It is itself `Evidence` (its chunk, document and source are the hit's)."""

    hit: Evidence = field(repr=False)
    kind: ChunkKind
    units: tuple[str, ...] = field(metadata={"doc": "Quotable pieces: the sentences, or a table row whole."})
    table: TableRow | None
    context: str = field(repr=False, metadata={"doc": "Normalised title, 文号, heading path and text."})
    context_bigrams: frozenset[str] = field(repr=False)
    title_bigrams: frozenset[str] = field(repr=False)
    heading_bigrams: frozenset[str] = field(repr=False)

    @classmethod
    def read(cls, hit: Evidence) -> Clause:
        """Read a hit once; a `Clause` is returned as it is."""
        if isinstance(hit, Clause):
            return hit
        kind: ChunkKind = getattr(hit, "kind", "clause")
        table = TableRow.read(hit.text, hit.section) if kind == "table_row" else None
        whole = f"{hit.doc_title}{hit.doc_number or ''}{''.join(hit.section)}{hit.text}"
        return cls(
            hit=hit,
            kind=kind,
            units=(table.body,) if table else tuple(sentences(hit.text)),
            table=table,
            context=norm(whole),
            context_bigrams=frozenset(key_bigrams(whole)),
            title_bigrams=frozenset(key_bigrams(f"{hit.doc_title}{hit.doc_number or ''}")),
            # A table row's path is its table's place in the document; its column names are in its text already.
            heading_bigrams=frozenset(key_bigrams("".join(hit.section))) if hit.section and not table else frozenset(),
        )

    # ---------- read on first use (most answers need none of them) ----------

    @cached_property
    def figures(self) -> frozenset[str]:
        """Every figure the clause offers (text, 文号, title, heading path), canonical; see `clause_figures`."""
        return clause_figures(self.hit)

    @cached_property
    def years(self) -> frozenset[str]:
        """The years the clause text names."""
        return frozenset(YEAR.findall(norm(self.hit.text)))

    def other_plan(self, asked: frozenset[str] | set[str], quote: str) -> bool:
        """Whether a quote of this clause is about another five-year plan than those asked (「十四五」 asked, a quote
        under a 「“十三五”…成就」 heading): the quote itself decides first, then the heading path, then the title."""
        if not asked:
            return False
        for where in (quote, "".join(self.section), self.doc_title):
            stated = set(FIVE_YEAR_PLAN.findall(norm(where)))
            if stated:
                return not stated & asked
        return False

    @cached_property
    def dating_opening(self) -> re.Match[str] | None:
        """The year the clause opens with (「到2035年，…」, `lexicon.DATING_OPENING`), which dates each of its sentences
        stating no year of its own; None when it opens with none."""
        return DATING_OPENING.match(norm(self.hit.text))

    def of_group(self, group: frozenset[str], quote: str) -> bool:
        """Whether a quote of this clause is of the group whose own name's bigrams are `group` (of
        「示例湿地保护领导小组」: `Part.group`, `Question.group`): at least half of them in the quote or the clause's
        context (title, 文号, heading path, text). No group named (「副组长是谁」), or only its kind (「领导小组」):
        any is."""
        return 2 * len(group & (self.context_bigrams | key_bigrams(quote))) >= len(group)

    @cached_property
    def bare_title(self) -> str:
        """Its document's title as another document names it (`without_issuer`): what `units.restates` looks for."""
        return without_issuer(self.hit.doc_title)

    @cached_property
    def titles_quoted(self) -> frozenset[str]:
        """The titles its text quotes in 《》 (「落实《青海省推动…实施方案》」), each as `without_issuer` gives it."""
        return frozenset(without_issuer(t.strip("《》")) for t in TITLE_NAMED.findall(self.hit.text))

    @cached_property
    def dates(self) -> tuple[str, ...]:
        """Dates and deadlines as stated: 「2025年12月底前」, 「2023年6月30日」."""
        return tuple(m.group(0) for m in _DATE.finditer(norm(self.hit.text)))

    # ---------- the hit's own fields (so a Clause is Evidence) ----------

    @property
    def chunk_id(self) -> str:
        return self.hit.chunk_id

    @property
    def doc_title(self) -> str:
        return self.hit.doc_title

    @property
    def doc_number(self) -> str | None:
        return self.hit.doc_number

    @property
    def section(self) -> list[str]:
        return self.hit.section

    @property
    def text(self) -> str:
        return self.hit.text

    @property
    def source(self) -> SourceSpan:
        return self.hit.source

    @property
    def is_table_row(self) -> bool:
        return self.table is not None

    @property
    def doc_key(self) -> str:
        """Which document the clause belongs to (attachments share their notice's 文号, and so count as one)."""
        return self.hit.doc_number or self.hit.doc_title


def without_issuer(title: str) -> str:
    """A document title normalised, without the issuer and 「关于印发」 before it (`lexicon.TITLE_ISSUER`): a title
    quoted 「《青海省推动…实施方案》」 and the document's own 「推动…实施方案」 compare alike."""
    return TITLE_ISSUER.sub("", norm(title))


def read_clauses(hits: Sequence[Evidence]) -> list[Clause]:
    """Each hit read once (clauses already read are kept as they are)."""
    return [Clause.read(h) for h in hits]
