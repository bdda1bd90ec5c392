"""The parts of a question asking several things: which quote answers each part (`answers_part`, the one definition;
`part_answers` the best of each), and the best quote for a part the quotes so far leave open.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text import YEAR, norm
from rag.config import DEFAULT, AnswerConfig
from rag.evidence import Clause
from rag.lexicon import (
    DIGIT,
    FIVE_YEAR_PLAN,
    PLACE_Q,
    PLACE_TEXT,
    RESPONSIBLE_TEXT,
    VALUE,
    VALUE_FAMILY,
    holds_role,
    key_bigrams,
)
from rag.question import VALUE_TYPES, Part, Question
from rag.units import Picked, asked_of_clause, bigram_rarity, is_sibling, sentence_score


def qualifier_differs(part: Part, clause: Clause, quote: str) -> bool:
    """Whether a quote is about another planning period or year than the part asks (「十三五」 asked, the quote under a
    「十四五」 heading or title; 「2030年」 asked, 「到2025年…」 quoted): then it does not answer that part. The quote
    itself decides first, then its heading path, then its document's title."""
    asked = set(FIVE_YEAR_PLAN.findall(norm(part.text)))
    if asked:
        return clause.other_plan(asked, quote)
    if part.years:
        stated = set(YEAR.findall(norm(quote)))
        return bool(stated) and not stated & part.years
    return False


def _part_hold(part: Part, clause: Clause, quote: str, weights: dict[str, float]) -> float:
    """The share of a part's distinguishing words (its bigrams, weighted by `weights`; those naming the clause's
    document left out) that a quote and its heading path hold."""
    asked = asked_of_clause(part.asked, clause)
    total = sum(weights.get(b, 0.0) for b in asked)
    if not total:
        return 0.0
    said = asked & (key_bigrams(quote) | clause.heading_bigrams)
    return sum(weights.get(b, 0.0) for b in said) / total


def part_answers(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> set[tuple[int, str]]:
    """For a question asking several things, the unit (hit index, unit) answering each of its parts best: of those
    answering it (`answers_part`), the one holding the most of its distinguishing words, then scoring best for the
    part. A quote cut to what supports the opening keeps these, since the opening answers one part only."""
    parts = question.parts
    if not parts:
        return set()
    weights = bigram_rarity(frozenset().union(*(p.asked for p in parts)), clauses, cfg)
    out: set[tuple[int, str]] = set()
    for part in parts:
        held = [
            (
                hold,
                sentence_score(asked_of_clause(part.asked, c), u, part.form, part.years, cfg, c.heading_bigrams),
                -i,
                u,
            )
            for i, c in enumerate(clauses[: cfg.depth])
            for u in c.units
            if (hold := _answer_hold(part, c, u, weights, cfg)) is not None
        ]
        if held:
            best = max(held)
            out.add((-best[2], best[3]))
    return out


def answers_part(part: Part, clause: Clause, quote: str, weights: dict[str, float], cfg: AnswerConfig) -> bool:
    """Whether a quote answers a part: about the part's period, either stating a holder of a role it asks, of the
    group it asks (「召集人：吴某」 for 「…协调机制的召集人是谁」: the group's name is its document's title, which the
    hold leaves out; 「组长：某」 of another group answers no part asking this one's 组长), or giving the part's kind
    of answer holding at least `cfg.part_min` of the part's distinguishing words (weighted by rarity among the
    clauses read); for a bare label (`Part.label`: 「完成时限？」), giving its kind of answer."""
    return _answer_hold(part, clause, quote, weights, cfg) is not None


def _answer_hold(part: Part, clause: Clause, quote: str, weights: dict[str, float], cfg: AnswerConfig) -> float | None:
    """The `_part_hold` of a quote that answers a part (`answers_part`), None for one that does not: worked out
    once, since `part_answers` ranks the quotes answering a part by it."""
    if qualifier_differs(part, clause, quote):
        return None
    if holds_role(quote, part.roles) and clause.of_group(part.group, quote):
        return _part_hold(part, clause, quote, weights)
    if not _gives(quote, part):
        return None
    hold = _part_hold(part, clause, quote, weights)
    # a bare label (「完成时限？」) asks its kind of answer of the subject asked before it: giving it is answering it
    return hold if hold >= cfg.part_min or part.label else None


def part_quotes(
    question: Question,
    clauses: Sequence[Clause],
    lead: Picked,
    chosen: list[Picked],
    whole: set[int],
    cfg: AnswerConfig,
) -> list[Picked]:
    """For a question asking several things, the best quote for each part the quotes so far do not answer."""
    out: list[Picked] = []
    lead_clause = clauses[lead.hit_index]
    parts = question.parts
    if not parts:
        return out
    weights = bigram_rarity(frozenset().union(*(p.asked for p in parts)), clauses, cfg)
    for part in parts:
        if any(answers_part(part, clauses[p.hit_index], p.quote, weights, cfg) for p in chosen + out):
            continue  # a quote chosen already answers this part
        best: Picked | None = None
        for i, clause in enumerate(clauses[: cfg.depth]):
            q = asked_of_clause(part.asked, clause)
            near = i == lead.hit_index or is_sibling(clause, lead_clause)
            # Another document answers a part only clearly better than the lead's own (citation precision).
            same_doc = clause.doc_key == lead_clause.doc_key
            bonus = cfg.sibling_bonus if near else 0.0 if same_doc else -2 * cfg.sibling_bonus
            # A short clause counts whole: 「3. 完成时限。」 is what makes 「2025年12月底。」 answer 「何时完成」.
            short = not clause.is_table_row and len(clause.text) <= cfg.short_clause
            pieces = (clause.text,) if short else clause.units
            for u in pieces:
                if not _gives(u, part) or qualifier_differs(part, clause, u):
                    continue
                if cfg.part_hold and _part_hold(part, clause, u, weights) < cfg.part_hold:
                    continue  # the part's kind of answer about something else: its bonuses alone reached part_min
                score = sentence_score(q, u, part.form, part.years, cfg, clause.heading_bigrams) + bonus - 0.02 * i
                if best is None or score > best.score:
                    best = Picked(i, u, score)
        if best is None or best.score < cfg.part_min:
            continue
        if best.hit_index in whole or any(
            p.hit_index == best.hit_index and best.quote in p.quote for p in chosen + out
        ):
            continue  # this part is answered already
        clause = clauses[best.hit_index]
        if not clause.is_table_row and len(clause.text) <= cfg.short_clause:
            best = Picked(best.hit_index, clause.text, best.score)
            whole.add(best.hit_index)
        out.append(best)
    return out


def _gives(quote: str, part: Part) -> bool:
    """Whether a quote gives the kind of answer a part asks for: a value of its type's family when it asks one
    (a figure for 「多少」, a date for 「何时」), a unit for 「谁负责」, where it is set up for 「设在哪」."""
    if PLACE_Q.search(part.text):
        return bool(PLACE_TEXT.search(quote))
    kinds = VALUE_FAMILY.get(part.answer_type, (part.answer_type,)) if part.answer_type in VALUE_TYPES else ()
    if kinds and part.answer_type not in ("body", "person"):  # a body or person is often named without a label
        return any(VALUE[k].search(quote) for k in kinds)
    if part.form == "number":
        return bool(DIGIT.search(quote))
    if part.form == "responsible":
        return bool(RESPONSIBLE_TEXT.search(quote)) or "单位" in quote
    return True
