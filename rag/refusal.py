"""When the retrieved clauses do not answer the question: refuse rather than quote a near miss.

The hard cases share their vocabulary with real clauses, so overall word overlap cannot catch them. Each check
below looks for one specific thing the question names or asks for that the retrieved clauses lack:

- overlap: the best clause shares too little of the question at all (a topic the gazettes do not cover);
- a year (「2040年」) or a month (「9月份」) the question names appears in no relevant clause;
- a period-qualified document (「2021年政务公开工作台账」, 「2022年下半年…目录」) when the gazettes hold the
  same document for another period only;
- a repealed document (「被废止的…（青政办〔2015〕198号）」): the clauses only record its repeal, not its content;
- a rate the question asks per unit (「每人每月多少元」, 「每吨」) that no clause states per that unit;
- a quantity in a unit (「多少平方公里」, 「几次」, 「多少亿元」) that no clause gives as a number in that unit.

Every check reads only the question and the hits, so it applies unchanged to gazettes added later.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text import DOC_NUMBER, norm
from rag.config import AnswerConfig
from rag.direct import restated
from rag.evidence import Clause, read_clauses
from rag.lexicon import (
    ASKS_VALUE,
    REPEAL,
    REPEALED_NAME,
    VALUE,
    doc_number_year,
    month_stated,
    quantity_in,
    spelled_loosely,
    unit_cell,
)
from rag.models import Evidence
from rag.question import Question, as_question, periods_in, years_in

DEFAULT = AnswerConfig()
_MIN_SHARED_NAME = 8  # characters a question must share with a repealed document's title to be about it
MAX_GAP = 2  # characters allowed between those of a word for an abbreviated spelling (三、二、一级 for 三级)


def coverage(question: Question, clause: Clause) -> float:
    """Share of the question's content bigrams present in the clause (text, title, 文号 and heading path)."""
    q = question.bigrams
    if not q:
        return 0.0
    return len(q & clause.context_bigrams) / len(q)


def _missing_year(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    missing = [y for y in sorted(question.years) if y not in text]
    return f"检索到的条款中没有{'、'.join(missing)}年的内容" if missing else None


def _missing_month(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    missing = [m for m in sorted(question.months) if not month_stated(m).search(text)]
    return f"检索到的条款中没有{'、'.join(missing)}月份的内容" if missing else None


def _other_period(question: Question, clauses: Sequence[Clause]) -> str | None:
    """The question names a period-qualified document that the gazettes hold for another period only."""
    if not question.periods:
        return None
    held = {p for c in clauses for p in periods_in(norm(c.doc_title))}
    for period, name in question.periods:
        same_name = {p for p, n in held if n == name}
        if same_name and period not in same_name:
            return f"现有公报只收录{'、'.join(sorted(same_name))}的这份文件，没有{period}的"
    return None


def _repealed(question: Question, clauses: Sequence[Clause]) -> str | None:
    """The question is about a document that the retrieved clauses only record as repealed."""
    q = question.normalised
    if question.asks_about_repeal:
        return None  # it asks about the repeal itself (「哪个文件同时废止」), which the clauses do state
    numbers = {n for c in clauses if c.doc_number for n in [norm(c.doc_number)]}
    for clause in clauses:
        for s in clause.units:
            if REPEAL not in s:
                continue
            s = norm(s)
            named = [m.group(0) for m in DOC_NUMBER.finditer(s)]
            if any(n in q and n not in numbers for n in named):
                return "该文件已废止，现有公报未收录其内容"
            for title in REPEALED_NAME.findall(s):
                if _shared(q, title) >= _MIN_SHARED_NAME and not _named_elsewhere(q, title, clauses):
                    return "该文件已废止，现有公报未收录其内容"
    return None


def _shared(a: str, b: str) -> int:
    """Length of the longest common substring of two short strings."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _named_elsewhere(question: str, title: str, clauses: Sequence[Clause]) -> bool:
    """Whether the part of `title` the question names also occurs outside any repeal sentence."""
    for i in range(len(question) - _MIN_SHARED_NAME + 1):
        piece = question[i : i + _MIN_SHARED_NAME]
        if piece not in title:
            continue
        for clause in clauses:
            if any(piece in norm(s) and REPEAL not in s for s in clause.units) or piece in norm(clause.doc_title):
                return True
    return False


def _missing_rate(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    missing = sorted(r for r in question.rates if r not in text)
    return f"检索到的条款没有按{'、'.join(missing)}规定的标准" if missing else None


def _missing_unit(question: Question, relevant: Sequence[Clause]) -> str | None:
    for unit in sorted(question.units):
        number = quantity_in(unit)
        # a table row gives its unit once, in a 单位 cell: 「单位：亿元；2025 年：340」
        if not any(number.search(norm(c.text)) or unit_cell(unit).search(norm(c.text)) for c in relevant):
            return f"检索到的条款中没有以{unit}计的数字"
    return None


def _spelled(term: str, text: str) -> bool:
    """Whether `text` holds the term, or its characters in order with at most MAX_GAP others between them."""
    if term in text:
        return True
    return spelled_loosely(term, MAX_GAP).search(text) is not None


def _missing_term(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    missing = [t for t in dict.fromkeys(question.measured) if not _spelled(t, text)]
    return f"检索到的条款没有提到{'、'.join(missing)}" if missing else None


# The value kinds that answer a type: figures are one family (a count may be stated as a row number, a share as a
# bare figure under a 「单位：%」 cell), dates and periods another.
_FAMILY = {
    "quantity": ("quantity", "count", "ratio"),
    "ratio": ("quantity", "count", "ratio"),
    "count": ("quantity", "count", "ratio"),
    "date": ("date", "period"),
    "period": ("date", "period"),
}


def _stated_years(clause: Clause) -> set[str]:
    """The years a clause is about: in its text, heading path, title, and the year of its 文号 (〔2023〕)."""
    year = doc_number_year(clause.doc_number)
    return set(years_in(clause.context)) | ({year} if year else set())


def _missing_value(question: Question, relevant: Sequence[Clause]) -> str | None:
    """The question asks outright for a figure or a time (「多少」, 「几次」, 「何时」) and no sentence or row of a
    relevant clause about the question's year (if it names one) states a value of that family that the question
    does not state itself."""
    kinds = _FAMILY.get(question.answer_type)
    if not kinds or not ASKS_VALUE.search(question.normalised):
        return None
    for clause in relevant:
        if question.years and not _stated_years(clause) & question.years:
            continue
        for unit in clause.units:
            for kind in kinds:
                if any(not restated(m.group(0), question, kind) for m in VALUE[kind].finditer(unit)):
                    return None
    return "检索到的条款没有给出所问的数值"


def refusal_reason(question: Question | str, hits: Sequence[Evidence], cfg: AnswerConfig = DEFAULT) -> str | None:
    """Why the retrieved clauses do not answer the question, or None when they may."""
    if not hits:
        return "没有检索到相关条款"
    q = as_question(question)
    top = read_clauses(hits[: cfg.depth])
    scores = [coverage(q, c) for c in top]
    if max(scores[:3]) < cfg.min_coverage:
        return "检索到的条款与问题关联度低"
    floor = max(cfg.relevant_coverage, cfg.relevant_share * max(scores))
    relevant = [c for c, s in zip(top, scores, strict=True) if s >= floor]
    for check in (
        lambda: _missing_year(q, relevant),
        lambda: _missing_month(q, relevant),
        lambda: _other_period(q, top),
        lambda: _repealed(q, top),
        lambda: _missing_rate(q, relevant),
        lambda: _missing_unit(q, relevant),
        lambda: _missing_term(q, relevant),
        lambda: _missing_value(q, relevant),
    ):
        reason = check()
        if reason:
            return reason
    return None
