"""Direct answers: a typed question opens with one short sentence stating the asked value in a quote's own words.

「中小微企业稳岗返还比例是多少？」 → 「中小微企业稳岗返还比例由60%提高至90%[1]。」, then the sentences that support
it. The opening is a verbatim piece of one quotable unit (a sentence, or a table row's cells) of a retrieved
clause: the comma- or semicolon-delimited piece that holds a value of the question's type (`Question.answer_type`:
a ratio, a date, a count, an amount, a body, a person) that the question does not itself state, widened by the
piece before it when that one says what the value is of. Being verbatim, every figure in it is in the clause it
cites, so the verification rules of generated sentences (`rag.verify.verify_sentence`) hold for it unchanged.
An opening naming who is said as a sentence of the same words (`as_statement`: 「牵头单位：省市场监管局」 opens
「由省市场监管局牵头」, 「召集人：吴晓军；省长」 opens 「召集人为省长吴晓军」); its quotes stay as printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.text import YEAR, norm
from rag.config import DEFAULT, AnswerConfig
from rag.evidence import Clause, TableRow
from rag.lexicon import (
    ANY_YEAR,
    BARE_FIGURE_END,
    BODY_ASIDE,
    BODY_CELL,
    BODY_CELL_VERB,
    BODY_SAYS_ROLE,
    FREQUENCY,
    FULL_STOP,
    ITEM_LAYOUT,
    NO_VALUE,
    PIECE_END,
    PIECE_JOIN,
    PLAN_PERIOD,
    ROSTER_ENTRY,
    SECONDARY_BODY,
    SEGMENT_SPLIT,
    SERIAL_CELL,
    VALUE,
    YEAR_MONTH,
    YEARLESS_DATE,
    YEARLESS_PART,
    holds_role,
    key_bigrams,
    key_text,
    numbers_in,
)
from rag.question import VALUE_TYPES, Question, answer_type

# The types named in too many ways to open with an indicator: who is responsible is no indicator's value.
_NAMES = frozenset({"body", "person"})
_TRAILING = "，,；;：:、 \t"


@dataclass(frozen=True)
class Direct:
    """The opening of a direct answer: `span` is verbatim from `unit`, a quotable unit of hit `hit_index` (a table
    row's cell with the unit the row states once put back after its figure, `with_unit`, after the row's indicator,
    `with_indicator`)."""

    hit_index: int
    unit: str
    span: str
    score: float
    verbatim: str | None = None  # the span as the unit prints it, when `span` differs (a unit put back)
    named: str | None = None  # the row's indicator cell whose value the span opens with, verbatim (`with_indicator`)

    @property
    def piece(self) -> str:
        """The span exactly as printed in `unit`."""
        return self.span if self.verbatim is None else self.verbatim


def asked_types(question: Question) -> tuple[str, ...]:
    """The value types the question asks: the whole question's first, then those of its parts and of each of its
    clauses and enumerated items (「由谁牵头、何时完成」 asks a body and a date)."""
    pieces = [p for segment in SEGMENT_SPLIT.split(question.normalised) for p in segment.split("、")]
    types = [question.answer_type, *(p.answer_type for p in question.parts), *(answer_type(p) for p in pieces if p)]
    return tuple(t for t in dict.fromkeys(types) if t in VALUE_TYPES)


def restated(value: str, question: Question, kind: str) -> bool:
    """Whether a value only repeats the question (「2025年」 asked, 「2025年」 found)."""
    if kind in ("body", "person"):
        return False
    if kind == "date":  # 「2023年底前」 answers 「2021—2023年…何时」: a date is repeated only as written
        return norm(value) in question.normalised
    figures = numbers_in(value)
    if figures:
        return figures <= question.figures
    return norm(value) in question.normalised


def unit_pieces(unit: str) -> list[tuple[int, int, str]]:
    """The pieces of a unit between its commas, semicolons and sentence ends: (start, end, the mark before)."""
    out, start, before = [], 0, ""
    for m in PIECE_END.finditer(unit):
        if unit[start : m.start()].strip():
            out.append((start, m.start(), before))
        start, before = m.end(), m.group()
    if unit[start:].strip():
        out.append((start, len(unit), before))
    return out


def held_share(text: str, question: Question, weights: Mapping[str, float] | None = None) -> float:
    """How much of the question a text holds: the share of its content bigrams, each weighted by how much it
    distinguishes what is asked (`weights`, rag.units.rarity; unweighted without)."""
    said = key_bigrams(text) & question.asked
    if weights is None:
        return len(said) / max(1, len(question.asked))
    return sum(weights.get(b, 0.0) for b in said) / max(1e-9, sum(weights.values()))


def _typed_piece(
    unit: str,
    pieces: list[tuple[int, int, str]],
    kind: str,
    question: Question,
    cfg: AnswerConfig,
    weights: Mapping[str, float] | None = None,
    row_unit: str | None = None,
) -> tuple[int, int, float] | None:
    """The best piece of `unit` stating a value of `kind` not repeated from the question: (start, end, score).
    In a table row whose figures are percentages (`row_unit` 「%」), a bare figure states a ratio."""
    best: tuple[int, int, float] | None = None
    found = [*VALUE[kind].finditer(unit), *(FREQUENCY.finditer(unit) if kind == "period" else ())]
    if kind == "ratio" and row_unit in ("%", "‰"):
        found += VALUE["quantity"].finditer(unit)
    for m in found:
        if restated(m.group(0), question, kind):
            continue
        at = next((i for i, (a, b, _) in enumerate(pieces) if a <= m.start() < b), None)
        if at is None:
            continue
        a, b, before = pieces[at]
        if SERIAL_CELL.match(unit[a:b]):
            continue  # a row's serial number (「序号：11」) counts rows, it states no value
        said = key_bigrams(unit[a:b]) & question.asked
        prev = pieces[at - 1] if at > 0 and PIECE_JOIN.match(before) else None
        names = prev is not None and bool((key_bigrams(unit[prev[0] : prev[1]]) & question.asked) - said)
        if prev is not None and (
            not said or b - a < cfg.direct_min_piece or (names and b - prev[0] <= cfg.direct_max_chars)
        ):
            a = prev[0]  # the piece before, across a comma, says what the value is of
        elif prev is not None and b - prev[0] <= cfg.direct_max_chars and qualifies(unit[prev[0] : prev[1]], cfg):
            a = prev[0]  # 「到2025年，」: when the value holds (else its sentence is quoted again for it)
        if kind == "body":
            b = through_bodies(unit, pieces, at, (m.start(), m.end()), a, cfg)
        score = held_share(unit[a:b], question, weights)
        if kind == "body" and SECONDARY_BODY.match(m.group(0)):
            score -= cfg.secondary_body_penalty  # 「配合单位」 helps; the question asks who is responsible
        stated = set(YEAR.findall(norm(unit[a:b])))
        if question.target_years:
            if stated & question.target_years:
                score += cfg.year_bonus
            elif stated:
                score -= cfg.year_bonus
        elif stated and max(stated) == max(YEAR.findall(norm(unit))):
            score += cfg.latest_year_bonus  # no year asked: a target (2025) rather than its baseline (2020)
        if best is None or score > best[2]:
            best = (a, b, score)
    return best


def through_bodies(
    unit: str, pieces: list[tuple[int, int, str]], at: int, statement: tuple[int, int], start: int, cfg: AnswerConfig
) -> int:
    """Where a body opening ends: the piece `at` stating a responsible body, and the pieces after it that the same
    statement (its place in `unit`) runs on through: the co-bodies of 「责任单位：省卫生健康委牵头，各市（州）政府，
    省政府各部门配合」, the 配合单位 of 「（牵头单位：省财政厅，配合单位：省发展改革委）」, up to the bracket that
    closes the aside, within `cfg.direct_max_chars` of `start`. Who helps is part of who is responsible."""
    depth, end = 0, statement[1]
    for k in range(statement[0], end):
        if unit[k] in "（(":
            depth += 1
        elif unit[k] in "）)":
            if depth == 0:
                # the aside the statement sits in closes here (its bracket kept if the opening holds the opening one)
                opened = unit[start : statement[0]]
                end = k + 1 if opened.count("（") + opened.count("(") > opened.count("）") + opened.count(")") else k
                break
            depth -= 1
    b = pieces[at][1]
    for a2, b2, _ in pieces[at + 1 :]:
        if a2 >= end or min(b2, end) - start > cfg.direct_max_chars:
            break
        b = min(b2, end)
    return b


def qualifies(piece: str, cfg: AnswerConfig) -> bool:
    """Whether a piece only says when (「到2025年」, 「“十四五”末」): short, and a date or a planning period."""
    return len(norm(piece)) <= cfg.qualifier_chars and bool(VALUE["date"].search(piece) or PLAN_PERIOD.search(piece))


def value_piece(
    unit: str,
    question: Question,
    cfg: AnswerConfig = DEFAULT,
    weights: Mapping[str, float] | None = None,
    row_unit: str | None = None,
) -> tuple[str, float] | None:
    """The verbatim piece of `unit` stating the value the question asks, and how much of the question it holds
    (`row_unit`: the unit a table row states once, see `_typed_piece`).

    A question asking values of two types (「由谁牵头、何时完成」) gets both when they sit close in one unit
    (「牵头单位：省医保局；完成时限：2022年6月底」), the span between them included.
    """
    pieces = unit_pieces(unit)
    typed = (_typed_piece(unit, pieces, k, question, cfg, weights, row_unit) for k in asked_types(question))
    found = [p for p in typed if p]
    if not found:
        return None
    a, b, score = found[0]
    for a2, b2, score2 in found[1:]:
        lo, hi = min(a, a2), max(b, b2)
        if hi - lo <= cfg.direct_max_chars and not FULL_STOP.search(unit[lo:hi]):
            a, b, score = lo, hi, score + score2
    if b - a > cfg.direct_max_chars:
        b = a + cfg.direct_max_chars
    span = unit[a:b].strip(_TRAILING)
    layout = ITEM_LAYOUT.match(span) if cfg.opening_without_layout else None
    if layout is not None and len(span) - layout.end() >= cfg.direct_min_piece:
        span = span[layout.end() :]  # 「主要任务：14. 改造…」 opens at 「改造…」: the citation shows the item
    if span[:1] in "（(" and not any(c in span for c in "）)"):
        span = span[1:]  # 「（责任单位：…」 quoted without its closing bracket
    elif span[:1] in "（(" and span[-1:] in "）)" and _closing(span) == len(span) - 1:
        span = span[1:-1].strip(_TRAILING)  # 「（责任单位：…）」, one whole aside: the opening is what it says
    opened = max(span.rfind("（"), span.rfind("("))
    if opened > 0 and not any(c in span[opened:] for c in "）)"):
        # an aside cut off by the length limit (「…提高至90%（牵头单位：省人力资源社会保障」) goes whole
        span = span[:opened].strip(_TRAILING)
    return span, score


def _closing(text: str) -> int:
    """Where the bracket opening `text` closes (-1 when it does not)."""
    depth = 0
    for k, c in enumerate(text):
        depth += (c in "（(") - (c in "）)")
        if depth == 0:
            return k
    return -1


def direct_answer(
    question: Question,
    clauses: Sequence[Clause],
    ranked: Sequence[tuple[int, str, float]],
    cfg: AnswerConfig = DEFAULT,
    weights: Mapping[str, float] | None = None,
) -> Direct | None:
    """The opening for a typed question: among the best-scored units (`ranked`: hit index, unit, score, best
    first), the one whose value piece best combines the unit's score, the piece's own hold on the question and the
    unit's hold on the question's distinguishing words (`weights`: how rare each is among the clauses read), so
    that of 「服务业增加值…53%」 and 「金融业增加值…8.5%」 the one naming 金融业 opens."""
    if not asked_types(question) or not ranked:
        return None
    top = ranked[0][2]
    best: Direct | None = None
    # what the rows read are of: an indicator the question names is said in the opening only to tell it from another
    indicators = [c.table.indicator_cells[-1][1] for c in clauses if c.table is not None and c.table.indicator_cells]
    for i, unit, score in ranked[: cfg.direct_candidates]:
        if score < cfg.direct_share * top:
            break
        table = clauses[i].table
        row_unit = table.unit if table is not None else None
        if clauses[i].other_plan(set(question.five_year_plans), unit):
            continue  # a 「“十三五”…成就」 clause states no 「十四五」 target: no opening rather than a wrong one
        found = value_piece(unit, question, cfg, row_unit=row_unit)
        if found is None:
            continue
        span, piece_score = found
        printed = span
        if row_unit:
            span = with_unit(span, row_unit)
        if cfg.opening_year:
            span = with_year(span, unit, clauses[i])
        if cfg.opening_statement and _NAMES & set(asked_types(question)):
            span, printed = as_statement(span, unit, printed, whole=_ends_cell(unit, printed))
        named = None
        if table is not None and cfg.opening_indicator and not _NAMES & set(asked_types(question)):
            span, named = with_indicator(span, table, cfg, question, indicators)
        total = score + cfg.direct_piece_weight * piece_score
        if weights is not None:
            context = unit + "".join(clauses[i].section) if not clauses[i].is_table_row else unit
            total += cfg.direct_rare_weight * held_share(context, question, weights)
        years = clauses[i].years
        if question.target_years and years and not years & question.target_years:
            total -= cfg.year_bonus  # a clause about other years (2035 asked for 2025)

        if best is None or total > best.score:
            best = Direct(i, unit, span, total, None if printed == span else printed, named)
    return best


def with_asides(clauses: Sequence[Clause], ranked: Sequence[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """The ranked units (hit index, unit, score, best first) with each responsibility aside (`lexicon.BODY_ASIDE`:
    「（责任单位：省公安厅）」 after 「…举报机制。」) scored as the sentence it closes: it holds none of the question's
    words, which that sentence holds, yet it is what says who does it."""
    scores = {(i, u): score for i, u, score in ranked}
    out = list(ranked)
    for i, unit, score in ranked:
        units = clauses[i].units
        at = units.index(unit) if unit in units else -1
        if 0 <= at < len(units) - 1 and BODY_ASIDE.match(units[at + 1]) and scores.get((i, units[at + 1]), -1) < score:
            scores[(i, units[at + 1])] = score
            out = [t for t in out if t[:2] != (i, units[at + 1])]
            out.insert(out.index((i, unit, score)) + 1, (i, units[at + 1], score))
    return out


def role_direct(
    question: Question,
    clauses: Sequence[Clause],
    ranked: Sequence[tuple[int, str, float]],
    cfg: AnswerConfig = DEFAULT,
    weights: Mapping[str, float] | None = None,
) -> Direct | None:
    """The opening for a question asking who holds a role (`Question.roles`: 「召集人和副召集人是谁」): the direct
    answer (`direct_answer`) among the units stating a holder of the first role asked that some unit states
    (`lexicon.holds_role`), so that the opening names the role asked first, and never a deputy for the role
    (「副召集人：刘涛」 is no opening for 「召集人…是谁」, though its 「召集人：刘涛」 reads as a holder's label).
    None when no unit states a holder of any role asked (the usual opening then)."""
    for role in question.roles:
        holding = [t for t in ranked if holds_role(t[1], (role,))]
        found = direct_answer(question, clauses, holding, cfg, weights) if holding else None
        if found is not None:
            return found
    return None


def _ends_cell(unit: str, piece: str) -> bool:
    """Whether `piece` of `unit` runs to the end of its cell (a ；, a sentence end, a closing bracket, the unit's end):
    not a list cut short by the opening's length."""
    at = unit.find(piece)
    tail = unit[at + len(piece) :].lstrip(" \t") if at >= 0 else "?"
    return not tail or tail[0] in "；;。）)\n!！"


def as_statement(span: str, unit: str, printed: str, whole: bool = True) -> tuple[str, str]:
    """An opening naming who, said as a sentence rather than as a table's cells, and the piece of `unit` it states
    (`printed`, the whole roster entry when the post is added). A roster entry (「召集人：吴晓军；省长」,
    `lexicon.ROSTER_ENTRY`) opening with the span says its holder's post before the name, as prose does
    (「召集人为省长吴晓军」); a body cell (「牵头单位：省市场监管局」, `lexicon.BODY_CELL`) says the body's role by the
    verb its label names (「由省市场监管局牵头」; a 配合 cell after it: 「，省卫生健康委配合」), unless its last cell is
    cut short (not `whole`: a role said after part of a list would leave out the others) and does not say the role
    itself. Only the words of the unit
    and the verb of its own label: the quotes under the opening and the citation keep the cells as printed."""
    entry = ROSTER_ENTRY.match(unit.strip())
    if entry is not None and norm(unit).startswith(norm(span)) and norm(span).startswith(norm(entry["role"])):
        role, name, post = norm(entry["role"]), norm(entry["name"]), entry["post"].strip()
        return f"{role}为{post}{name}", unit.strip()
    out: list[str] = []
    led = False  # a body cell said already: a 配合 cell after it adds who helps
    cells = re.split(r"(?<=[；;])", span)
    for k, cell in enumerate(cells):
        mark = cell[-1] if cell[-1:] in "；;" else ""
        m = BODY_CELL.match(cell.removesuffix(mark).strip())
        if m is not None and not (whole or k < len(cells) - 1 or BODY_SAYS_ROLE.search(m["bodies"])):
            m = None  # 「由甲、乙负责」 of a list cut short leaves out the rest (「省甲厅牵头」 says its role itself)
        if m is None or NO_VALUE.match(norm(m["bodies"])):
            out.append(cell)
            led = led and m is not None  # 「配合部门：——」 says no one helps
            continue
        bodies = m["bodies"].strip().rstrip("，,、")
        said = bodies if BODY_SAYS_ROLE.search(bodies) else bodies + BODY_CELL_VERB[m["verb"]]
        if led and m["verb"] == "配合" and out and out[-1][-1:] in "；;":
            out[-1] = out[-1][:-1] + "，"
            out.append(said + mark)
        else:
            out.append(f"由{said}{mark}")
        led = True
    return "".join(out), printed


def with_unit(span: str, unit: str) -> str:
    """A table cell's bare figure with the unit its row states once (「2025 年：96」 under 「单位：%」 →
    「2025 年：96%」): a reader of the opening alone does not see the 单位 cell."""
    m = BARE_FIGURE_END.search(span)
    if m is None or span.endswith(unit):
        return span
    return f"{span[: m.end(1)]}{unit}{m.group(2)}"


def with_year(span: str, unit: str, clause: Clause) -> str:
    """An opening's yearless dates (「●8月26日 …」, 「时限要求：12 月底」) with the year the clause's document title
    and heading path state (「省政府2020年8月份大事记」 → 「●2020年8月26日 …」), and its yearless quarters and
    halves (「决策时间安排：第二季度」 of a 「2022年上半年…目录」 → 「2022年第二季度」): a chronicle's entries and a
    yearly task list's deadlines print their year once, in the title, and the opening read alone would not say it.
    Only when the title and heading path name exactly one year (not a period, 「（2021—2035年）」), the unit the opening
    comes from states none of its own (its dates are of that year then), and, where the title names a month too
    (「2020年8月份」), the date is of that month. The year is printed in the title, which the citation shows, so the
    opening still states only figures of the clause it cites (`rag.verify.verify_sentence`)."""
    context = norm(f"{clause.doc_title}{''.join(clause.section)}")
    years = set(ANY_YEAR.findall(context))
    if len(years) != 1 or YEAR.search(norm(unit)):
        return span
    (year,) = years
    months = {int(m) for y, m in YEAR_MONTH.findall(context)}
    out, at = [], 0
    for m in YEARLESS_DATE.finditer(span):
        if m.group("year") is None and (not months or int(m.group("month")) in months):
            out.append(f"{span[at : m.start('month')]}{year}年")
            at = m.start("month")
    span = "".join(out) + span[at:]
    if months:
        return span  # a month's chronicle: its quarters are of that month's year, but said as printed
    return YEARLESS_PART.sub(lambda m: f"{year}年{m['part']}", span)


def with_indicator(
    span: str,
    row: TableRow,
    cfg: AnswerConfig = DEFAULT,
    question: Question | None = None,
    others: Sequence[str] = (),
) -> tuple[str, str | None]:
    """A table row's value cell after the indicator it is a value of (「2025 年目标：3.28人」 →
    「每千人口执业（助理）医师数（人），2025 年目标：3.28人」), and that indicator's cell as the row prints it
    (「主要指标：每千人口执业（助理）医师数（人）」): without it the opening states a figure without saying of
    what, unless the reader opens the citation. Unchanged (None) when the row names no indicator
    (`lexicon.INDICATOR_NAME`), the span names it already, or both do not fit `cfg.direct_max_chars`. When the
    `question` names the indicator itself (holds `cfg.indicator_asked_share` of its content bigrams: 「森林覆盖率的
    目标是多少」) and names no other indicator of the rows read (`others`: 「森林覆盖率和草原综合植被盖度」 asks
    two, the opening says which), the span stays as it is, with the cell: the asker knows what the figure is of, the
    citation still quotes the cell, and the quotes under the opening do not repeat it."""
    if not row.indicator_cells:
        return span, None
    name, value = row.indicator_cells[-1]
    if norm(value) in norm(span) or FULL_STOP.search(value):
        return span, None
    shown = f"{value}，{span}"
    cell = next((c for c in row.body.split("\n")[-1].split("；") if c.startswith(name) and value in c), None)
    if cell is None:
        return span, None
    words = key_bigrams(value)
    if question is not None and _named_alone(words, question, others, cfg):
        return span, cell
    return (shown, cell) if len(shown) <= cfg.direct_max_chars else (span, None)


def _named_alone(words: set[str], question: Question, others: Sequence[str], cfg: AnswerConfig) -> bool:
    """Whether the question names an indicator (its content bigrams `words`, `cfg.indicator_asked_share` of them) and
    no other of `others` (one it names as fully, by words this one lacks)."""

    def named(bigrams: set[str]) -> bool:
        return bool(bigrams) and len(bigrams & question.asked) >= cfg.indicator_asked_share * len(bigrams)

    if not named(words) or not _stretch_is(words, question.text, cfg):
        return False
    return not any(named(b) and (b & question.asked) - words for b in map(key_bigrams, others))


def _stretch_is(words: set[str], text: str, cfg: AnswerConfig) -> bool:
    """Whether the stretch of `text` from its first to its last bigram among `words` (an indicator's) is that
    indicator, not a narrower one: a qualifier inside it (「每万人口高价值发明专利拥有量」 of a row for
    「每万人口发明专利拥有量」) names another indicator, whose figure the row does not give, so the opening must say
    which indicator its figure is of."""
    t = key_text(text)  # read as `words` were (`key_bigrams`)
    at = [i for i in range(len(t) - 1) if t[i : i + 2] in words]
    stretch = {t[i : i + 2] for i in range(at[0], at[-1] + 1)} if at else set()
    return bool(stretch) and len(stretch & words) >= cfg.indicator_asked_share * len(stretch)


def opening(direct: Direct, n: int) -> str:
    """The opening sentence as shown: the span, its [n], a full stop."""
    return f"{direct.span}[{n}]。"
