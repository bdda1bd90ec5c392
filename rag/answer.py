"""Cited answers: extractive by default; refusal when the corpus does not answer; citation lookups verbatim."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from index.lookup import LookupResult
from index.text import norm
from rag.compose import Evidence, Picked, key_bigrams, pick, question_form
from rag.models import Answer, Citation

# Refusal thresholds, calibrated on the gold set (reports/eval.md): share of the question's content bigrams
# found in the best clause, and whether a year the question names appears in the retrieved text at all.
MIN_COVERAGE = 0.34
_YEAR = re.compile(r"(20\d{2})\s*年")
NOT_FOUND = "现有公报中未找到能回答这个问题的条款。"


def coverage(question: str, hit: Evidence) -> float:
    """Share of the question's content bigrams present in the hit (text, title and heading path)."""
    q = key_bigrams(question)
    if not q:
        return 0.0
    context = key_bigrams(f"{hit.doc_title}{''.join(hit.section)}{hit.text}")
    return len(q & context) / len(q)


def refusal_reason(question: str, hits: Sequence[Evidence]) -> str | None:
    """Why the retrieved clauses do not answer the question, or None when they may."""
    if not hits:
        return "没有检索到相关条款"
    best = max(coverage(question, h) for h in hits[:3])
    if best < MIN_COVERAGE:
        return "检索到的条款与问题关联度低"
    years = set(_YEAR.findall(question))
    text = norm("".join(f"{h.doc_title}{h.text}" for h in hits[:5]))
    missing = [y for y in years if y not in text]
    if missing:
        return f"检索到的条款中没有{'、'.join(missing)}年的内容"
    return None


def _citation(n: int, hit: Evidence, quote: str) -> Citation:
    return Citation(
        n=n,
        chunk_id=hit.chunk_id,
        doc_title=hit.doc_title,
        doc_number=hit.doc_number,
        section=list(hit.section),
        quote=quote,
        source=hit.source,
    )


def _assemble(picked: list[Picked], hits: Sequence[Evidence]) -> tuple[str, list[Citation]]:
    numbers: dict[int, int] = {}
    quotes: dict[int, list[str]] = {}
    parts = []
    for p in picked:
        n = numbers.setdefault(p.hit_index, len(numbers) + 1)
        quotes.setdefault(p.hit_index, []).append(p.quote)
        parts.append(f"{p.quote}[{n}]")
    citations = [_citation(n, hits[i], "".join(quotes[i])) for i, n in numbers.items()]
    return "\n".join(parts), citations


def extractive_answer(question: str, hits: Sequence[Evidence], started: float | None = None) -> Answer:
    """Answer from the hits' own sentences, or refuse plainly with the nearest clauses as "see also"."""
    started = started or time.perf_counter()
    reason = refusal_reason(question, hits)
    if reason:
        see_also = [_citation(i + 1, h, h.text[:120]) for i, h in enumerate(hits[:3])]
        return Answer(
            text=f"{NOT_FOUND}（{reason}。）",
            answerable=False,
            citations=[],
            see_also=see_also,
            mode="extractive",
            latency_ms=(time.perf_counter() - started) * 1000,
        )
    text, citations = _assemble(pick(question, hits, question_form(question)), hits)
    return Answer(
        text=text,
        answerable=True,
        citations=citations,
        mode="extractive",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def lookup_answer(result: LookupResult, hits: Sequence[Evidence], started: float | None = None) -> Answer:
    """A citation lookup answered verbatim from the clause(s) it names (hits are those clauses)."""
    started = started or time.perf_counter()
    parts, citations = [], []
    for n, hit in enumerate(hits, start=1):
        parts.append(f"{' '.join(hit.section)}：{hit.text}[{n}]" if hit.section else f"{hit.text}[{n}]")
        citations.append(_citation(n, hit, hit.text))
    head = f"《{result.document.title}》（{result.document.doc_number or '无文号'}）"
    return Answer(
        text=head + "\n" + "\n".join(parts),
        answerable=True,
        citations=citations,
        mode="lookup",
        latency_ms=(time.perf_counter() - started) * 1000,
    )
