"""The values a quote states of the kinds a question asks (figures, times: `rag.lexicon.VALUE`), less those the
question itself states.
"""

from __future__ import annotations

import re

from index.text import YEAR, norm
from rag.direct import asked_types, restated
from rag.lexicon import VALUE, VALUE_FAMILY
from rag.question import Question

# The answer types whose values are figures or times: a sentence stating one is cut to the pieces that state it. Not a
# body or a person: they are named in too many ways (「办公室设在…」, 「…等部门参与」) for a cut to keep them all.
CUT_TYPES = frozenset({"ratio", "quantity", "count", "date", "period"})

# An operator before a figure makes it a factor of a formula (「…人次/总人次×100%」 defines an indicator): it states
# no value of what the formula measures.
_FACTOR = re.compile(r"[×*＊÷]\s*$")


def _values(quote: str, question: Question, kinds: frozenset[str]) -> list[str]:
    """The values of the asked kinds a quote states, less those the question states and a formula's factors."""
    return [
        m.group(0)
        for kind in kinds
        for m in VALUE[kind].finditer(quote)
        if not restated(m.group(0), question, kind) and not _FACTOR.search(quote[: m.start()])
    ]


def stated_values(quote: str, question: Question, kinds: frozenset[str]) -> set[str]:
    """The values of the asked kinds a quote states that the question does not itself state (see `states_value`)."""
    return set(_values(quote, question, kinds))


def other_years(quote: str, question: Question) -> bool:
    """Whether a quote states years, none of them one the question asks about (「到2025年…」 for a 2030 question)."""
    stated = set(YEAR.findall(norm(quote)))
    return bool(stated and question.target_years) and not stated & question.target_years


def value_kinds(question: Question) -> frozenset[str]:
    """The value types whose values answer the question: its asked types and their families (a figure: a ratio, an
    amount or a count; a time: a date or a period). 「总数和使用率分别…多少」 asks a count and a ratio, though its
    words name only the ratio."""
    return frozenset(k for t in asked_types(question) for k in VALUE_FAMILY.get(t, (t,)))


def states_value(quote: str, question: Question, kinds: frozenset[str] | None = None) -> bool:
    """Whether a quote states a value of a kind the question asks (`value_kinds`, read once per answer when given)
    that the question does not itself state."""
    kinds = value_kinds(question) if kinds is None else kinds
    return bool(_values(quote, question, kinds))
