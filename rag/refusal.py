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

import re
from collections.abc import Sequence

import jieba.posseg

from index.text import DOC_NUMBER, YEAR, norm
from rag.compose import key_bigrams, sentences
from rag.lexicon import (
    ASKED_UNIT,
    FUNCTION_START,
    GENERIC,
    MONEY,
    MONTH,
    NAMING,
    NOT_MEASURED,
    PER_UNIT,
    PERIOD,
    QUANTITY_Q,
    REPEAL,
    REPEALED_NAME,
    SEGMENT_SPLIT,
    quantity_in,
)
from rag.models import Evidence

# Share of the question's content bigrams that the best clause must hold (calibrated on the gold set).
MIN_COVERAGE = 0.34
# A clause counts as relevant to a question (and so as a place where its year or unit may be found) when it
# holds this share of the question's content bigrams.
RELEVANT_COVERAGE = 0.25
RELEVANT_SHARE = 0.7  # a relevant clause holds at least this share of the best clause's coverage
DEPTH = 8  # how many hits the checks read

_NAME_CHARS = 4  # characters of the name after a period qualifier that must agree for two names to be "the same"
_MIN_SHARED_NAME = 8  # characters a question must share with a repealed document's title to be about it
MAX_GAP = 2  # characters allowed between those of a word for an abbreviated spelling (三、二、一级 for 三级)


def coverage(question: str, hit: Evidence) -> float:
    """Share of the question's content bigrams present in the hit (text, title, 文号 and heading path)."""
    q = key_bigrams(question)
    if not q:
        return 0.0
    context = key_bigrams(f"{hit.doc_title}{hit.doc_number or ''}{''.join(hit.section)}{hit.text}")
    return len(q & context) / len(q)


def _context(hit: Evidence) -> str:
    return norm(f"{hit.doc_title}{hit.doc_number or ''}{''.join(hit.section)}{hit.text}")


def _missing_year(question: str, relevant: Sequence[Evidence]) -> str | None:
    years = sorted(set(YEAR.findall(norm(question))))
    text = "".join(_context(h) for h in relevant)
    missing = [y for y in years if y not in text]
    return f"检索到的条款中没有{'、'.join(missing)}年的内容" if missing else None


def _missing_month(question: str, relevant: Sequence[Evidence]) -> str | None:
    months = sorted(set(MONTH.findall(norm(question))))
    text = "".join(_context(h) for h in relevant)
    missing = [m for m in months if not re.search(rf"(?<!\d){m}月", text)]
    return f"检索到的条款中没有{'、'.join(missing)}月份的内容" if missing else None


def _periods(text: str) -> list[tuple[str, str]]:
    """(period, the name that follows it) pairs: 「2022年上半年青海省…目录」 → ("2022年上半年", "青海省人")."""
    out = []
    for m in PERIOD.finditer(text):
        period = m.group(1) + "年" + re.sub(r"\s", "", m.group(2) or "")
        name = "".join(ch for ch in text[m.end() : m.end() + 12] if "\u4e00" <= ch <= "\u9fff")[:_NAME_CHARS]
        if len(name) == _NAME_CHARS:
            out.append((period, name))
    return out


def _other_period(question: str, hits: Sequence[Evidence]) -> str | None:
    """The question names a period-qualified document that the gazettes hold for another period only."""
    asked = _periods(norm(question))
    if not asked:
        return None
    held = {p for h in hits for p in _periods(norm(h.doc_title))}
    for period, name in asked:
        same_name = {p for p, n in held if n == name}
        if same_name and period not in same_name:
            return f"现有公报只收录{'、'.join(sorted(same_name))}的这份文件，没有{period}的"
    return None


def _repealed(question: str, hits: Sequence[Evidence]) -> str | None:
    """The question is about a document that the retrieved clauses only record as repealed."""
    q = norm(question)
    if re.search(rf"{REPEAL}(?!的)", q):
        return None  # it asks about the repeal itself (「哪个文件同时废止」), which the clauses do state
    numbers = {n for h in hits if h.doc_number for n in [norm(h.doc_number)]}
    for hit in hits:
        for s in sentences(hit.text):
            if REPEAL not in s:
                continue
            s = norm(s)
            named = [m.group(0) for m in DOC_NUMBER.finditer(s)]
            if any(n in q and n not in numbers for n in named):
                return "该文件已废止，现有公报未收录其内容"
            for title in REPEALED_NAME.findall(s):
                if _shared(q, title) >= _MIN_SHARED_NAME and not _named_elsewhere(q, title, hits):
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


def _named_elsewhere(question: str, title: str, hits: Sequence[Evidence]) -> bool:
    """Whether the part of `title` the question names also occurs outside any repeal sentence."""
    for i in range(len(question) - _MIN_SHARED_NAME + 1):
        piece = question[i : i + _MIN_SHARED_NAME]
        if piece not in title:
            continue
        for hit in hits:
            if any(piece in norm(s) and REPEAL not in s for s in sentences(hit.text)) or piece in norm(hit.doc_title):
                return True
    return False


def _missing_rate(question: str, relevant: Sequence[Evidence]) -> str | None:
    rates = {m.group(0) for m in PER_UNIT.finditer(norm(question))}
    text = "".join(_context(h) for h in relevant)
    missing = sorted(r for r in rates if r not in text)
    return f"检索到的条款没有按{'、'.join(missing)}规定的标准" if missing else None


def _missing_unit(question: str, relevant: Sequence[Evidence]) -> str | None:
    asked = {MONEY.get(u, u) for u in ASKED_UNIT.findall(norm(question))}
    for unit in sorted(asked):
        number = quantity_in(unit)
        found = False
        for h in relevant:
            text = norm(h.text)
            # a table row gives its unit once, in a 单位 cell: 「单位：亿元；2025 年：340」
            if number.search(text) or re.search(rf"单位[:：]{unit}", text):
                found = True
                break
        if not found:
            return f"检索到的条款中没有以{unit}计的数字"
    return None


def _named_terms(question: str) -> list[str]:
    """What a quantity question is about: the naming words of its segments that ask for a figure."""
    terms = []
    for segment in SEGMENT_SPLIT.split(norm(question)):
        if not QUANTITY_Q.search(segment):
            continue
        # Years are checked on their own; left in, 「2030年产值」 segments into a word 「年产值」 no clause has.
        for pair in jieba.posseg.lcut(YEAR.sub("，", segment)):
            word, flag = pair.word, pair.flag
            if (
                len(word) >= 2
                and flag in NAMING
                and word not in GENERIC
                and word[0] not in FUNCTION_START  # a segmentation slip such as 「和钾」
                and not NOT_MEASURED.search(word)  # interrogatives are not what is measured
            ):
                terms.append(word)
    return terms


def _spelled(term: str, text: str) -> bool:
    """Whether `text` holds the term, or its characters in order with at most MAX_GAP others between them."""
    if term in text:
        return True
    gap = f".{{0,{MAX_GAP}}}"
    return re.search(gap.join(re.escape(ch) for ch in term), text) is not None


def _missing_term(question: str, relevant: Sequence[Evidence]) -> str | None:
    text = "".join(_context(h) for h in relevant)
    missing = [t for t in dict.fromkeys(_named_terms(question)) if not _spelled(t, text)]
    return f"检索到的条款没有提到{'、'.join(missing)}" if missing else None


def refusal_reason(question: str, hits: Sequence[Evidence]) -> str | None:
    """Why the retrieved clauses do not answer the question, or None when they may."""
    if not hits:
        return "没有检索到相关条款"
    top = hits[:DEPTH]
    scores = [coverage(question, h) for h in top]
    if max(scores[:3]) < MIN_COVERAGE:
        return "检索到的条款与问题关联度低"
    floor = max(RELEVANT_COVERAGE, RELEVANT_SHARE * max(scores))
    relevant = [h for h, s in zip(top, scores, strict=True) if s >= floor]
    for check in (
        lambda: _missing_year(question, relevant),
        lambda: _missing_month(question, relevant),
        lambda: _other_period(question, top),
        lambda: _repealed(question, top),
        lambda: _missing_rate(question, relevant),
        lambda: _missing_unit(question, relevant),
        lambda: _missing_term(question, relevant),
    ):
        reason = check()
        if reason:
            return reason
    return None
