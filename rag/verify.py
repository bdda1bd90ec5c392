"""Checks on generated answer sentences: each must cite a retrieved clause, and its numbers must be in that clause.

Pure functions over text and hits, no model and no network, so the LLM answer mode (`rag.llm`) can only pass on
sentences whose citations exist and whose figures (amounts, percentages, years, counts) are found in the clauses
they cite. Numbers are compared after `index.text.norm` (full-width → half-width, no spaces), Arabic digits always,
simple Chinese numerals (三年, 两个, 十条) too; 「一」 is left alone because it is mostly not a count (一体化, 进一步).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rag.evidence import Clause, sentences
from rag.lexicon import (
    MARKER,
    MARKER_SEPARATOR,
    REFUSAL,
    WORD_CHAR,
    key_bigrams,
    numbers_in,
    strip_markers,
)
from rag.models import Evidence
from rag.question import Question


def citations_in(sentence: str) -> list[int]:
    """The clause numbers a sentence cites, in order of first appearance: 「…[1][3]」, 「…［2］」, 「…[1,2]」."""
    cited: list[int] = []
    for m in MARKER.finditer(sentence):
        for n in MARKER_SEPARATOR.split(m.group(1)):
            if int(n) not in cited:
                cited.append(int(n))
    return cited


def canonical_markers(sentence: str) -> str:
    """Markers rewritten in the one form the service uses: 「［1，2］」 → 「[1][2]」."""
    return MARKER.sub(lambda m: "".join(f"[{n}]" for n in citations_in(m.group())), sentence)


def has_content(sentence: str) -> bool:
    """Whether a sentence says anything: not blank, not only markers, punctuation or markdown."""
    return bool(WORD_CHAR.search(strip_markers(sentence)))


def clause_numbers(hit: Evidence) -> frozenset[str]:
    """Every figure a clause offers (see `rag.evidence.Clause.figures`)."""
    return Clause.read(hit).figures


def verify_sentence(sentence: str, hits: Sequence[Evidence]) -> str | None:
    """Why a generated sentence may not be shown, or None when it passes.

    It must cite at least one [n] with 1 ≤ n ≤ len(hits), and every figure in it must be found in one of the
    clauses it cites.
    """
    cited = citations_in(sentence)
    if not cited:
        return "没有标注引用的条款编号[n]"
    unknown = [n for n in cited if not 1 <= n <= len(hits)]
    if unknown:
        listed = "".join(f"[{n}]" for n in unknown)
        return f"引用了不存在的条款{listed}（只检索到{len(hits)}条）"
    offered: set[str] = set()
    for n in cited:
        offered |= clause_numbers(hits[n - 1])
    missing = sorted(numbers_in(sentence) - offered)
    if missing:
        listed = "".join(f"[{n}]" for n in cited)
        return f"数字{'、'.join(missing)}不在所引条款{listed}中"
    return None


def is_refusal(sentence: str, question: Question | str = "") -> bool:
    """Whether a sentence only says the clauses do not answer (「现有公报中未找到…」) and asserts no new figure.

    A figure is allowed only when the question itself names it (「未找到2024年的目标」), so a refusal can never
    carry an unverified number.
    """
    if not REFUSAL.search(sentence):
        return False
    asked = question.figures if isinstance(question, Question) else numbers_in(question)
    return numbers_in(sentence) <= asked


def supporting_quote(text: str, claims: Iterable[str], units: Sequence[str] | None = None) -> str:
    """The part of a clause that supports the claims citing it: a verbatim substring of `text`.

    For each claim the clause sentence sharing the most figures and words with it is chosen; the quote runs from
    the first chosen sentence to the last (so it stays one verbatim span). Without any overlap the clause whole.
    `units` are the clause's quotable pieces when read already (`Clause.units`: a table row is one piece).
    """
    candidates = [(s, text.find(s)) for s in (sentences(text) if units is None else units)]
    candidates = [(s, pos) for s, pos in candidates if pos >= 0]
    spans: list[tuple[int, int]] = []
    for claim in claims:
        figures, grams = numbers_in(claim), key_bigrams(strip_markers(claim))
        best, best_score = None, 0.0
        for s, pos in candidates:
            shared = len(figures & numbers_in(s))
            overlap = len(grams & key_bigrams(s)) / len(grams) if grams else 0.0
            score = shared + overlap
            if score > best_score:
                best, best_score = (pos, pos + len(s)), score
        if best is not None:
            spans.append(best)
    if not spans:
        return text
    return text[min(start for start, _ in spans) : max(end for _, end in spans)]
