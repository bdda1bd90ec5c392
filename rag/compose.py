"""Extractive answers: pick the sentences of the retrieved clauses that answer the question, cite each one.

No language model: the answer is made of verbatim sentences, each followed by [n] pointing at the clause it
came from, so nothing in it can be invented. What is picked depends on the question's form:
numbers/dates → sentences or table rows carrying them; lists, definitions and procedures → the clause whole;
「谁负责」 → the sentences naming 牵头单位/责任单位. A table row is always quoted whole: its cells (牵头单位,
完成时限, 2025 年目标…) only mean something together.

Beyond the single best quote:
- a question asking several things (「由哪些单位负责，什么时候完成？」, 「A、B和C分别是多少」) gets the best quote for
  each part, preferring the lead clause's siblings (「3. 完成时限」 next to 「4. 责任单位」 under one item);
- a list question whose best clause is one of several retrieved siblings under the same heading (the items
  「（一）…」「（二）…」 of 「四、工作措施」) quotes those siblings too, in reading order (bounded);
- a short clause is quoted whole: its other sentence is usually the rest of the answer (the year, the unit).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index.text import YEAR, norm
from rag.lexicon import (
    ASKS,
    BOILERPLATE,
    DEFINITION_Q,
    DIGIT,
    DROP,
    EACH,
    EXPLAINS,
    FIGURE,
    HEADING_ONLY,
    INTERROGATIVE,
    LABEL_END,
    LIST_Q,
    NUMBER_Q,
    QUOTED_TERM,
    RESPONSIBLE_Q,
    RESPONSIBLE_TEXT,
    SEGMENT_SPLIT,
)
from rag.models import Evidence

QuestionForm = Literal["number", "responsible", "list", "definition", "general"]
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")

MAX_SENTENCES = 4
MAX_QUOTES = 7  # with the parts of a several-part question and a list's siblings
MAX_WHOLE_CLAUSE = 700
SHORT_CLAUSE = 220  # a clause this short is quoted whole rather than sentence by sentence
HEADING_WEIGHT = 0.5  # a question word found only in the clause's heading path counts this much
EXPLAINS_BONUS = 0.5  # a sentence that explains a term the question quotes
PART_MIN = 0.4  # share of a part's content bigrams a quote must hold to answer that part
SIBLING_BONUS = 0.15  # a quote from the lead clause or one of its siblings, for a part of the same question
MAX_SIBLINGS = 8
PARENT_SHARE = 0.25  # share of the question a parent heading must name for its items to be listed
MAX_LIST_CHARS = 1200  # the siblings of a list answer stop here
DEPTH = 8  # how many hits the composer reads
BOILERPLATE_WEIGHT = 0.5  # score kept by a sentence that only issues or forwards a document
# A quote from another document than the lead one must score at least this share of the best quote: a
# question about one document is rarely answered by a stray sentence of another (citation precision).
OTHER_DOC_SHARE = 0.8
SAME_DOC_SHARE = 0.5


@dataclass
class Picked:
    """A verbatim quote from one hit, and the hit's position in the hit list."""

    hit_index: int
    quote: str
    score: float


def question_form(question: str) -> QuestionForm:
    """Classify the question by what kind of answer it wants."""
    if RESPONSIBLE_Q.search(question):
        return "responsible"
    if LIST_Q.search(question) and not NUMBER_Q.search(question):
        return "list"
    if NUMBER_Q.search(question):
        return "number"
    if DEFINITION_Q.search(question):
        return "definition"
    return "general"


def key_bigrams(text: str) -> set[str]:
    """Content bigrams of a text (question words and particles removed), used for overlap scores."""
    t = DROP.sub("", norm(text))
    return {t[i : i + 2] for i in range(len(t) - 1)}


def is_table_row(hit: Evidence) -> bool:
    """Whether the hit is a table row (the retriever's hits say so; other evidence is judged by its shape)."""
    kind = getattr(hit, "kind", None)
    return kind == "table_row" if kind is not None else hit.text.startswith("表：")


def sentences(text: str) -> list[str]:
    """Sentences of a chunk, verbatim (table rows stay whole).

    A line ending in a label (「（责任单位：」, broken off from its list by a page break) stays with the line that
    follows: a label alone answers nothing.
    """
    if text.startswith("表："):
        return [text.split("\n", 1)[-1]]
    spans = [[m.start(), m.end()] for m in _SENTENCE.finditer(text) if m.group().strip()]
    merged: list[list[int]] = []
    for span in spans:
        if merged and LABEL_END.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return [text[a:b].strip() for a, b in merged]


def units(hit: Evidence) -> list[str]:
    """The quotable pieces of a hit: its sentences, or the row whole for a table row."""
    if is_table_row(hit):
        return [hit.text.split("\n", 1)[-1] if hit.text.startswith("表：") else hit.text]
    return sentences(hit.text)


def doc_key(hit: Evidence) -> str:
    """Which document a hit belongs to (attachments share their notice's 文号, and so count as one)."""
    return hit.doc_number or hit.doc_title


def asked_bigrams(question: str, hit: Evidence) -> set[str]:
    """The question's content bigrams less those naming the hit's document (its title and 文号).

    「高原美丽城镇示范省建设实施方案附件列出的提升行动有哪几项」 shares its title bigrams with every sentence of
    that plan, the preamble most of all; only 「附件…提升行动」 says what is asked.
    """
    q = {g for g in key_bigrams(question) if not INTERROGATIVE.search(g)}
    rest = q - key_bigrams(f"{hit.doc_title}{hit.doc_number or ''}")
    return rest if len(rest) >= 2 else q


def _sentence_score(
    q: set[str], sentence: str, form: QuestionForm, years: set[str], heading: set[str] | None = None
) -> float:
    if not q:
        return 0.0
    said = q & key_bigrams(sentence)
    score = len(said) / len(q)
    if heading:
        # 「规划内容」 asked, 「前言;指导思想…」 quoted: the heading says what the sentence is about.
        score += HEADING_WEIGHT * len((q & heading) - said) / len(q)
    if form == "number" and DIGIT.search(sentence):
        score += 0.15
    if form == "responsible" and RESPONSIBLE_TEXT.search(sentence):
        score += 0.25
    if years:
        # A target year asked for (「到2025年…多少」) singles out its sentence among the 2030 and 2035 ones.
        said = set(YEAR.findall(norm(sentence)))
        if said & years:
            score += 0.15
        elif said:
            score -= 0.15
    if BOILERPLATE.search(sentence):
        score *= BOILERPLATE_WEIGHT
    if HEADING_ONLY.match(norm(sentence)):
        score *= 0.5
    return score


def score_units(question: str, hits: Sequence[Evidence], form: QuestionForm, depth: int = DEPTH) -> list[Picked]:
    """Every quotable unit of the first `depth` hits with its score, best first."""
    years = set(YEAR.findall(norm(question)))
    explains = [re.compile(re.escape(t) + EXPLAINS) for t in QUOTED_TERM.findall(question)]
    scored: list[Picked] = []
    for i, hit in enumerate(hits[:depth]):
        q = asked_bigrams(question, hit)
        heading = heading_bigrams(hit)
        weight = 1.0 / (1 + 0.35 * i)  # the retriever's order counts, but a better sentence lower down wins
        for s in units(hit):
            score = _sentence_score(q, s, form, years, heading)
            if any(e.search(s) for e in explains):
                score += EXPLAINS_BONUS
            scored.append(Picked(i, s, score * weight))
    scored.sort(key=lambda p: -p.score)
    return scored


def heading_bigrams(hit: Evidence) -> set[str]:
    """Content bigrams of the hit's heading path (「（一）高原医学研究中心建设 › 4. 责任单位」).

    A table row's path is its table's place in the document; its column names are in its text already.
    """
    return key_bigrams("".join(hit.section)) if hit.section and not is_table_row(hit) else set()


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks several things; [] for a question asking one.

    「高原医学研究中心建设由哪些单位负责，什么时候完成？」 → 「…由哪些单位负责」, 「什么时候完成」;
    「到2025年管理费用率、医疗服务收入占比和人员薪酬固定部分占比分别是什么目标？」 → its three items. A clause
    without an interrogative (「为推进盐湖产业基地建设，」) only sets the scene and is not a part.
    """
    parts: list[str] = []
    for segment in SEGMENT_SPLIT.split(question):
        if not ASKS.search(segment):
            continue
        items = segment.split("、")
        if len(items) > 1:  # 「A、B和C」: the last item is joined by 和
            items[-1:] = items[-1].split("和", 1)
        items = [x for x in items if len(key_bigrams(ASKS.sub("", x))) >= 2]  # 「谁负责」 alone names nothing
        parts += items
    return parts if len(parts) > 1 else []


def is_sibling(a: Evidence, b: Evidence) -> bool:
    """Whether two clauses sit under the same heading of the same document (「3. 完成时限」, 「4. 责任单位」)."""
    return doc_key(a) == doc_key(b) and len(a.section) >= 2 and a.section[:-1] == b.section[:-1]


def pick(question: str, hits: Sequence[Evidence], form: QuestionForm | None = None) -> list[Picked]:
    """Choose the quotes that answer `question`, most direct first, clause order kept within a clause."""
    if not hits:
        return []
    form = form or question_form(question)
    scored = score_units(question, hits, form)
    if not scored:
        return [Picked(0, hits[0].text, 0.0)]
    lead = scored[0]
    lead_hit = hits[lead.hit_index]
    whole: set[int] = set()  # hits quoted whole
    if not is_table_row(lead_hit) and (
        len(lead_hit.text) <= SHORT_CLAUSE
        or ((form in ("list", "definition") or EACH.search(question)) and len(lead_hit.text) <= MAX_WHOLE_CLAUSE)
    ):
        # The clause whole: every item of a list, every step of a procedure; or a short clause's other sentence.
        lead = Picked(lead.hit_index, lead_hit.text, lead.score)
        whole.add(lead.hit_index)
    chosen = [lead]
    if form == "list" and lead.hit_index in whole and _asks_for_items(question, lead_hit):
        chosen += _siblings(hits, lead.hit_index, whole)
    chosen += _parts(question, hits, lead, chosen, whole)
    if form in ("list", "definition") and lead.hit_index in whole:
        return chosen  # the clause (and its siblings) is the answer; stray sentences would only dilute it
    best = lead.score
    lead_doc = doc_key(lead_hit)
    limit = max(MAX_SENTENCES, len(chosen))
    seen = [p.quote for p in chosen]
    for p in scored[1:]:
        if len(chosen) >= limit:
            break
        if p.hit_index in whole:
            continue
        share = SAME_DOC_SHARE if doc_key(hits[p.hit_index]) == lead_doc else OTHER_DOC_SHARE
        if p.score < max(share * best, 0.05):
            continue
        if any(_repeats(p.quote, q) for q in seen):
            continue  # near-duplicate of a sentence already chosen
        chosen.append(p)
        seen.append(p.quote)
    rest = sorted(chosen[1:], key=lambda p: (p.hit_index, _position(hits[p.hit_index].text, p.quote)))
    return [lead, *rest]


def _asks_for_items(question: str, hit: Evidence) -> bool:
    """Whether the question names the heading above the clause (「工作措施分为哪几个方面」 over 「四、工作措施」):
    then the clause is one item of what is asked, and its siblings are the others."""
    if len(hit.section) < 2:
        return False
    q = asked_bigrams(question, hit)
    named = q & key_bigrams(hit.section[-2])
    return len(named) >= 2 and len(named) >= PARENT_SHARE * len(q)


def _siblings(hits: Sequence[Evidence], lead: int, whole: set[int]) -> list[Picked]:
    """The retrieved siblings of a list answer's clause, whole and in reading order (each one an item)."""
    out: list[Picked] = []
    size = len(hits[lead].text)
    sibs = [i for i, h in enumerate(hits[:DEPTH]) if i != lead and not is_table_row(h) and is_sibling(h, hits[lead])]
    for i in sorted(sibs, key=lambda i: hits[i].source.line_start)[:MAX_SIBLINGS]:
        size += len(hits[i].text)
        if size > MAX_LIST_CHARS:
            break
        out.append(Picked(i, hits[i].text, 0.0))
        whole.add(i)
    return out


def _parts(
    question: str, hits: Sequence[Evidence], lead: Picked, chosen: list[Picked], whole: set[int]
) -> list[Picked]:
    """For a question asking several things, the best quote for each part the quotes so far do not answer."""
    out: list[Picked] = []
    lead_hit = hits[lead.hit_index]
    for part in question_parts(question):
        form = question_form(part)
        years = set(YEAR.findall(norm(part)))
        if any(
            _gives(p.quote, form)
            and _sentence_score(asked_bigrams(part, hits[p.hit_index]), p.quote, form, years) >= PART_MIN
            for p in chosen + out
        ):
            continue  # a quote chosen already answers this part
        best: Picked | None = None
        for i, hit in enumerate(hits[:DEPTH]):
            q = asked_bigrams(part, hit)
            heading = heading_bigrams(hit)
            near = i == lead.hit_index or is_sibling(hit, lead_hit)
            # Another document answers a part only clearly better than the lead's own (citation precision).
            bonus = SIBLING_BONUS if near else 0.0 if doc_key(hit) == doc_key(lead_hit) else -2 * SIBLING_BONUS
            # A short clause counts whole: 「3. 完成时限。」 is what makes 「2025年12月底。」 answer 「何时完成」.
            pieces = [hit.text] if not is_table_row(hit) and len(hit.text) <= SHORT_CLAUSE else units(hit)
            for u in pieces:
                if not _gives(u, form):
                    continue
                score = _sentence_score(q, u, form, years, heading) + bonus - 0.02 * i
                if best is None or score > best.score:
                    best = Picked(i, u, score)
        if best is None or best.score < PART_MIN:
            continue
        if best.hit_index in whole or any(
            p.hit_index == best.hit_index and best.quote in p.quote for p in chosen + out
        ):
            continue  # this part is answered already
        hit = hits[best.hit_index]
        if not is_table_row(hit) and len(hit.text) <= SHORT_CLAUSE:
            best = Picked(best.hit_index, hit.text, best.score)
            whole.add(best.hit_index)
        out.append(best)
    return out


def _gives(quote: str, form: QuestionForm) -> bool:
    """Whether a quote gives the kind of answer a part asks for: a figure for 「多少」, a unit for 「谁负责」."""
    if form == "number":
        return bool(DIGIT.search(quote))
    if form == "responsible":
        return bool(RESPONSIBLE_TEXT.search(quote)) or "单位" in quote
    return True


def _repeats(quote: str, other: str) -> bool:
    """Whether `quote` says nothing that `other` does not (the same sentence in a notice and its attachment).

    Two table rows of one table share their column names, and two target sentences their wording
    (「到2025年…30%」, 「到2030年…60%」): neither repeats the other when it gives a figure of its own.
    """
    if set(FIGURE.findall(norm(quote))) - set(FIGURE.findall(norm(other))):
        return False
    a, b = key_bigrams(quote), key_bigrams(other)
    return len(a & b) > 0.8 * max(1, min(len(a), len(b)))


def _position(text: str, quote: str) -> int:
    pos = text.find(quote)
    return pos if pos >= 0 else len(text)
