"""Extractive answers: pick the sentences of the retrieved clauses that answer the question, cite each one.

No language model: the answer is made of verbatim sentences, each followed by [n] pointing at the clause it
came from, so nothing in it can be invented. What is picked depends on the question's form:
numbers/dates → sentences or table rows carrying them; 「谁负责」 → the sentences naming 牵头单位/责任单位; lists,
definitions and procedures → the sentences that answer (a clause whole only when short, and then without its own
heading sentence, which the citation's heading path shows). A sentence that only names its subject
(「推进以产定销销售模式。」) is quoted with the sentence after it. A table row is always quoted whole: its cells
(牵头单位, 完成时限, 2025 年目标…) only mean something together.

Beyond the single best quote:
- a question asking several things (「由哪些单位负责，什么时候完成？」, 「A、B和C分别是多少」) gets the best quote for
  each part, preferring the lead clause's siblings (「3. 完成时限」 next to 「4. 责任单位」 under one item);
- a list question whose best clause is one of several retrieved siblings under the same heading (the items
  「（一）…」「（二）…」 of 「四、工作措施」) quotes those siblings too, in reading order (bounded);
- a list question is led by the sentence enumerating items of the noun it asks (「下设哪几个工作组」: 「下设监测预警组、
  应急响应组…」), and other sentences follow it only when they list such items it does not name yet;
- a short clause is quoted whole: its other sentence is usually the rest of the answer (the year, the unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.text import YEAR, norm
from rag.comparison import compared_documents, compared_quotes, person_quotes, side_documents
from rag.config import DEFAULT, AnswerConfig
from rag.cuts import cut_to_values, cut_untyped, with_figures, without_formula, without_row_labels
from rag.direct import Direct, asked_types, direct_answer, role_direct, with_asides
from rag.earning import QuotesCheck, adding_quotes, earned_quotes, without_body_notes, without_restating_cells
from rag.evidence import Clause, read_clauses
from rag.lexicon import (
    ANY_YEAR,
    FIGURE,
    HEADING_ONLY,
    doc_number_year,
    grades_in,
    key_bigrams,
    numbers_in,
    of_other_grades,
)
from rag.models import Evidence
from rag.parts import answers_part, part_answers, part_quotes
from rag.question import Question, QuestionForm, as_question
from rag.roles import asked_roles_only, body_rows, role_quotes
from rag.units import (
    Picked,
    asked_of_clause,
    bigram_rarity,
    enumerates,
    indicator_share,
    is_sibling,
    list_items,
    listed_only,
    measured,
    rarity,
    reading_position,
    score_units,
)
from rag.values import other_years, states_value, value_kinds

__all__ = ["compose", "pick"]


def pick(
    question: Question | str,
    hits: Sequence[Evidence],
    form: QuestionForm | None = None,
    cfg: AnswerConfig = DEFAULT,
) -> list[Picked]:
    """Choose the quotes that answer `question`, most direct first, clause order kept within a clause."""
    return compose(question, hits, form, cfg)[1]


def compose(
    question: Question | str,
    hits: Sequence[Evidence],
    form: QuestionForm | None = None,
    cfg: AnswerConfig = DEFAULT,
    check: QuotesCheck | None = None,
) -> tuple[Direct | None, list[Picked]]:
    """The quotes that answer `question` (see `pick`) and, for a question asking a value, the direct answer's
    opening: the piece of one of those quotes that states it (`rag.direct`). `check` is the answer's check of the
    quotes it ends with (of this question and these hits), which choosing them asks too (`earned_quotes`)."""
    if not hits:
        return None, []
    question = as_question(question)
    if form is not None and form != question.form:
        question = replace(question, form=form)
    clauses = read_clauses(hits)
    if check is None or not check.fits(question, clauses, cfg):  # a question read again, of another form, …
        check = QuotesCheck(question, clauses, cfg)
    scored = score_units(question, clauses, cfg)
    if not scored or not asked_types(question):
        return None, _untyped_quotes(question, clauses, scored, cfg, check)
    # A question asking a value opens with the piece of a best-scored unit stating it (the asked type, the question's
    # distinguishing words), quotes that unit as its lead, and adds only what answers another part or aspect.
    weights = rarity(question, clauses, cfg)
    unit_score = {(p.hit_index, p.quote): p.score for p in scored}
    # the opening is searched in the units of the usual few best quotes (lead, parts), best-scored first
    pool = _quotes(question, clauses, scored, cfg, cfg.direct_pool)
    ranked = sorted(
        {
            (p.hit_index, u, unit_score.get((p.hit_index, u), 0.0))
            for p in pool
            for u in clauses[p.hit_index].units
            if u in p.quote
        },
        # ties in reading order: a set's order changes from run to run (string hashing), an answer must not
        key=lambda t: (-t[2], t[0], reading_position(clauses[t[0]].text, t[1])),
    )
    if cfg.lead_measure_weight:
        ranked = measured(question, clauses, ranked, weights, cfg)
    if cfg.opening_asides and "body" in asked_types(question):
        ranked = with_asides(clauses, ranked)
    direct = (role_direct(question, clauses, ranked, cfg, weights) if question.roles else None) or direct_answer(
        question, clauses, ranked, cfg, weights
    )
    if direct is None:
        return None, _untyped_quotes(question, clauses, scored, cfg, check, weights)
    lead = Picked(direct.hit_index, direct.unit, unit_score.get((direct.hit_index, direct.unit), direct.score))
    chosen = _quotes(question, clauses, scored, cfg, cfg.direct_max_sentences, lead)
    chosen = _supporting(question, direct, chosen, clauses, unit_score, scored[0].score, cfg)
    chosen += _aspects(question, clauses, scored, chosen, weights, cfg)
    chosen = cut_to_values(question, direct, chosen, clauses, cfg)
    chosen = with_figures(question, direct, chosen, cfg)
    chosen = asked_roles_only(question, direct, chosen, clauses)
    chosen = body_rows(question, direct, chosen, clauses, cfg)
    # the quote the opening stands on comes first
    chosen.sort(key=lambda p: not (p.hit_index == direct.hit_index and direct.unit in p.quote))
    quotes = _without_formulas(earned_quotes(question, clauses, chosen, cfg, weights, direct, check), clauses, cfg)
    quotes = adding_quotes(question, clauses, direct, quotes, cfg, check)
    quotes = without_restating_cells(question, clauses, quotes, cfg, check, direct)
    return without_body_notes(question, clauses, quotes, cfg, check, direct)


def _untyped_quotes(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    cfg: AnswerConfig,
    check: QuotesCheck,
    weights: dict[str, float] | None = None,
) -> list[Picked]:
    """The quotes of an answer without an opening: the best sentences (`_quotes`), cut as an untyped question's
    (`cut_untyped`), each clause earning its citation (`earned_quotes`)."""
    untyped = cut_untyped(question, _quotes(question, clauses, scored, cfg, cfg.max_sentences), clauses, cfg)
    quotes = _without_formulas(earned_quotes(question, clauses, untyped, cfg, weights, check=check), clauses, cfg)
    quotes = without_restating_cells(question, clauses, quotes, cfg, check)
    return without_body_notes(question, clauses, quotes, cfg, check)[1]


def _without_formulas(chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig) -> list[Picked]:
    """The quotes without the issuing formula and requests closing them (`cuts.without_formula`), and a table row
    quoted whole without its heading lines, serial number and group label (`cuts.without_row_labels`, with
    `cfg.row_labels_out`)."""
    out = []
    for p in chosen:
        text = clauses[p.hit_index].text
        # a row whole: its text, or its last line (the heading lines above it left out already)
        row = cfg.row_labels_out and clauses[p.hit_index].is_table_row and p.quote in (text, text.rpartition("\n")[2])
        out.append(Picked(p.hit_index, without_row_labels(p.quote) if row else without_formula(p.quote), p.score))
    return out


def _aspects(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    chosen: list[Picked],
    weights: dict[str, float],
    cfg: AnswerConfig,
) -> list[Picked]:
    """Further quotes for the aspects of a typed question the quotes so far leave open (「Ⅱ级和Ⅰ级…分别」,
    「总数和使用率」): each states a value of an asked type not stated yet and holds distinguishing words (by
    `rarity`) worth at least `cfg.aspect_gain` of the question's that no chosen quote holds, or is a sibling value:
    holding `cfg.aspect_hold` of what the quotes so far hold, or scoring near the best unit (see
    `AnswerConfig.aspect_tie`: for a question asking one thing, only a near tie in the lead's document)."""
    total = sum(weights.values())
    kinds = value_kinds(question)
    if not total or not scored:
        return []
    lead_doc = clauses[chosen[0].hit_index].doc_key if chosen else None
    covered = {b for p in chosen for b in key_bigrams(p.quote) if b in weights}
    lead_hold = sum(weights[b] for b in covered)
    # Once the opening answers a question asking one thing, a unit is no further answer for scoring half the lead's
    # score: a row of another indicator of the same 「“十三五”」 table does, on the period and a figure alone. A
    # question asking several things may have one the lead leaves open, unless each of its parts is answered already.
    loose = question.asks_several if cfg.aspect_single else False
    if loose and cfg.aspect_parts_answered and question.parts:
        part_weights = bigram_rarity(frozenset().union(*(q.asked for q in question.parts)), clauses, cfg)
        loose = not all(
            any(answers_part(q, clauses[p.hit_index], p.quote, part_weights, cfg) for p in chosen)
            for q in question.parts
        )
    if loose and cfg.aspect_documents_answered:
        # a comparison of documents asks one thing of each: once each has its quote, no side is left open
        docs = [k for k in side_documents(question, clauses, cfg) if k] or compared_documents(question, clauses, cfg)
        loose = len(docs) < 2 or not set(docs) <= {clauses[p.hit_index].doc_key for p in chosen}
    seen = [p.quote for p in chosen]
    stated = {v for p in chosen for v in _values(p.quote)} if cfg.aspect_indicators else set()
    best = scored[0].score
    out: list[Picked] = []
    for p in scored:
        if len(out) >= cfg.max_aspects or p.score < cfg.aspect_share * best:
            break
        clause = clauses[p.hit_index]
        if clause.doc_key != lead_doc and p.score < cfg.other_doc_share * best:
            continue  # another document answers an aspect only when clearly close (citation precision)
        if any(p.quote in q or q in p.quote or repeats(p.quote, q) for q in seen):
            continue
        if not states_value(p.quote, question, kinds):
            continue
        if _of_another_time(question, clause, p.quote):
            continue
        if cfg.other_grades_out and of_another_grade(question, clause, p.quote):
            continue  # 「Ⅲ级响应措施」's figure beside the Ⅰ级 ones asked
        if cfg.aspect_indicators and not _of_asked_indicator(question, clause, p.quote, stated, cfg):
            continue  # 「产值规模／钠产业」's row beside the 「总产值」 asked: its figures are another indicator's
        said = {b for b in key_bigrams(p.quote) | clause.heading_bigrams if b in weights}
        new = sum(weights[b] for b in said - covered) >= cfg.aspect_gain * total
        # a sibling value: as close to the question as the lead, for a figure the quotes do not state yet
        # (「Ⅰ级…停驶50%」 and 「Ⅱ级…停驶30%」 differ only in their headings); by score alone only a near tie in the
        # lead's document (the lead may be the wrong reading) unless the question asks several things
        near = cfg.aspect_hold if loose else cfg.aspect_tie
        tie = (clause.doc_key == lead_doc or loose) and p.score >= near * best
        sibling = sum(weights[b] for b in said) >= cfg.aspect_hold * lead_hold or tie
        if not (new or sibling):
            continue
        out.append(p)
        covered |= said
        seen.append(p.quote)
    return out


def of_another_grade(question: Question, clause: Clause, quote: str) -> bool:
    """Whether a quote is of another grade than the question asks (`Question.grades`: 「Ⅰ级响应」, 「橙色预警」): it or
    its heading path names grades of a series the question names one of (levels, colours), none of them asked
    (`lexicon.of_other_grades`). A plan states its measures level by level in the same words (「公务车停驶30%」 under
    Ⅱ级, 「停驶50%」 under Ⅰ级), so the words alone do not tell them apart; a quote naming the grade asked too
    (「当发布橙色预警时，启动Ⅱ级应急响应」) or no grade stays."""
    asked = question.grades
    return bool(asked) and of_other_grades(grades_in(norm("".join(clause.section)) + norm(quote)), asked)


def _of_asked_indicator(question: Question, clause: Clause, quote: str, stated: set[str], cfg: AnswerConfig) -> bool:
    """Whether a quote of `clause` may be of what the question asks by its indicator: a table row with an indicator
    cell states the values of that indicator, so it answers an aspect only when the question names it (by
    `cfg.indicator_share` of its bigrams, `units.indicator_share`), the words the question shares with the row's
    document title left out (`asked_of_clause`: 「盐湖产业」 of 「世界级盐湖产业基地行动方案」 names every row of its
    table, 「钠产业」 among them), or when it states a value the quotes so far state (`stated`, `_values`): it is the
    indicator they answer with, in the table's words, with its baseline (「期初值：44」 beside 「覆盖率达到100%」).
    A clause with no indicator cell may."""
    share = indicator_share(asked_of_clause(question.asked, clause), clause)
    return share is None or share >= cfg.indicator_share or bool(_values(quote) & stated)


def _values(quote: str) -> set[str]:
    """The figures a quote states less years, without their % (a row gives its unit once, in its 「单位」 cell or its
    indicator's bracket): 「2025 年：100」 and 「覆盖率达到100%」 state the same value."""
    return {f.rstrip("%‰") for f in numbers_in(quote) if not ANY_YEAR.fullmatch(f)}


def _of_another_time(question: Question, clause: Clause, quote: str) -> bool:
    """Whether a quote is of another time than the question asks: it states years, none asked (「2018年…比重超过90%」
    for a 2025 target), in a document not dated by an asked year (「2023年…方案」 names its document by the year, and
    that document's 「到2025年…」 answers it), or it is of another five-year plan (`Clause.other_plan`). A quote
    stating no year is of the year its clause opens with (`lexicon.DATING_OPENING`)."""
    if clause.other_plan(set(question.five_year_plans), quote):
        return True
    if not YEAR.search(norm(quote)) and (opening := clause.dating_opening):
        quote = opening.group(0) + quote  # dated by its clause's opening (「到2035年，…。产值达到1200亿元。」)
    return other_years(quote, question) and doc_number_year(clause.doc_number) not in question.target_years


def _supporting(
    question: Question,
    direct: Direct,
    chosen: list[Picked],
    clauses: Sequence[Clause],
    unit_score: dict[tuple[int, str], float],
    best: float,
    cfg: AnswerConfig,
) -> list[Picked]:
    """After a direct opening, the sentences that support it rather than whole clauses: of a clause quoted whole,
    the sentence the opening comes from, those scoring at least `cfg.support_share` of the best and those stating a
    value of an asked type (「2024 年 12 月底。」 of 「3. 完成时限。2024 年 12 月底。」)."""
    out: list[Picked] = []
    kinds = value_kinds(question)
    answering = part_answers(question, clauses, cfg)
    for p in chosen:
        units = [u for u in clauses[p.hit_index].units if u in p.quote]
        if len(units) <= 1:
            out.append(p)
            continue
        kept = [
            u
            for u in units
            if (p.hit_index == direct.hit_index and u == direct.unit)
            or unit_score.get((p.hit_index, u), 0.0) >= cfg.support_share * best
            or (states_value(u, question, kinds) and not other_years(u, question))
            or (p.hit_index, u) in answering  # the sentence answering another part (「办公室设在…」)
        ]
        out += [Picked(p.hit_index, u, p.score) for u in kept or units[:1]]
    return out


def _quotes(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    cfg: AnswerConfig,
    max_sentences: int,
    lead: Picked | None = None,
) -> list[Picked]:
    """The quotes: the lead (the best unit, unless given: the unit a direct opening comes from; its clause whole
    when short), the best quote for each part the question asks, and further sentences scoring close to the best."""
    if not scored:
        return [Picked(0, clauses[0].text, 0.0)]
    lead = lead or scored[0]
    lead_clause = clauses[lead.hit_index]
    whole: set[int] = set()  # hits quoted whole
    if not lead_clause.is_table_row and len(lead_clause.text) <= cfg.short_clause:
        # A short clause whole: its other sentence is usually the rest of the answer (the year, the unit, the other
        # items). A longer one, even for a list or a definition, is quoted by the sentences that answer: the list
        # or the definition is mostly one sentence of it, and the clause whole buried it (opening and length).
        lead = Picked(lead.hit_index, lead_clause.text, lead.score)
        whole.add(lead.hit_index)
    chosen = [lead]
    if question.form == "list" and lead.hit_index in whole and _asks_for_items(question, lead_clause, cfg):
        chosen += _siblings(clauses, lead.hit_index, whole, cfg)  # the items' headings are the answer: kept
    elif lead.hit_index in whole:
        lead = chosen[0] = Picked(lead.hit_index, without_heading(lead_clause), lead.score)
    else:
        lead = chosen[0] = Picked(lead.hit_index, with_what_follows(lead_clause, lead.quote, cfg), lead.score)
    chosen += part_quotes(question, clauses, lead, chosen, whole, cfg)
    chosen += compared_quotes(question, clauses, scored, chosen, cfg)
    chosen += person_quotes(question, clauses, scored, chosen, cfg)
    chosen += role_quotes(question, clauses, scored, chosen, cfg)
    if question.form in ("list", "definition") and lead.hit_index in whole:
        return chosen  # the clause (and its siblings) is the answer; stray sentences would only dilute it
    head = question.list_head
    # a lead naming the items asked is the answer: further quotes only where they name such items too (another
    # plan's list of them), not sentences that merely share the question's words
    listed = enumerates(lead.quote, head)
    said = "".join(norm(p.quote) for p in chosen)
    best = lead.score
    limit = max(max_sentences, len(chosen))
    seen = [p.quote for p in chosen]
    for p in scored[1:]:
        if len(chosen) >= limit:
            break
        if p.hit_index in whole:
            continue
        share = cfg.same_doc_share if clauses[p.hit_index].doc_key == lead_clause.doc_key else cfg.other_doc_share
        if p.score < max(share * best, 0.05):
            continue
        if any(repeats(p.quote, q) for q in seen):
            continue  # near-duplicate of a sentence already chosen
        if clauses[p.hit_index].other_plan(set(question.five_year_plans), p.quote):
            continue  # 「“十三五”…13项指标中有7项…」 scores close on the indicator's name, of another plan than asked
        # another clause naming what is asked as one of several (not a list question's answer): the lead's says more
        other = p.hit_index != lead.hit_index and question.form != "list"
        if other and _one_of_a_list(question, lead_clause.text, p.quote, cfg):
            continue
        # its items of what is asked, read once (`list_items`: none when it enumerates none)
        if listed and (not (items := list_items(p.quote, head, cfg)) or all(i in said for i in items)):
            continue  # no list of what is asked, or one naming no item the answer does not name already
        chosen.append(p)
        said += norm(p.quote)
        seen.append(p.quote)
    rest = sorted(chosen[1:], key=lambda p: (p.hit_index, reading_position(clauses[p.hit_index].text, p.quote)))
    return [lead, *rest]


def _one_of_a_list(question: Question, lead: str, quote: str, cfg: AnswerConfig) -> bool:
    """Whether `quote` names a word of the question that the lead's clause (`lead`, its text: a row's other cells
    too) names on its own (「试点城镇：格尔木市」) only as one
    item of a list (「在西宁市、格尔木市、玉树市…等5个城镇开展试点」, `listed_only`): about the thing asked, it says
    only that it is one of several, which the lead says better. A list question asks for such lists."""
    said = norm(lead)
    return any(w in said and not listed_only(said, w, cfg) and listed_only(quote, w, cfg) for w in question.words)


def without_heading(clause: Clause) -> str:
    """A clause's text from its first sentence that is more than the clause's own heading: 「（二）试点内容。」 is a
    label (the citation shows the heading path), and as the answer's opening it would say nothing."""
    units = clause.units
    if len(units) < 2 or not HEADING_ONLY.match(norm(units[0])):
        return clause.text
    start = clause.text.find(units[1])
    return clause.text[start:] if start >= 0 else clause.text


def with_what_follows(clause: Clause, unit: str, cfg: AnswerConfig = DEFAULT) -> str:
    """A unit that only names its subject (「坚持三定四融，统筹规划。」, 「推进以产定销销售模式。」: at most
    `cfg.label_chars` characters) quoted together with the sentence after it, which says what that subject is."""
    units = clause.units
    if clause.is_table_row or len(norm(unit)) > cfg.label_chars or unit not in units:
        return unit
    at = units.index(unit)
    if at + 1 >= len(units):
        return unit
    start, end = clause.text.find(unit), clause.text.find(units[at + 1])
    return clause.text[start : end + len(units[at + 1])] if 0 <= start < end else unit


def _asks_for_items(question: Question, clause: Clause, cfg: AnswerConfig) -> bool:
    """Whether the question names the heading above the clause (「工作措施分为哪几个方面」 over 「四、工作措施」):
    then the clause is one item of what is asked, and its siblings are the others."""
    if len(clause.section) < 2:
        return False
    q = asked_of_clause(question.asked, clause)
    named = q & key_bigrams(clause.section[-2])
    return len(named) >= 2 and len(named) >= cfg.parent_share * len(q)


def _siblings(clauses: Sequence[Clause], lead: int, whole: set[int], cfg: AnswerConfig) -> list[Picked]:
    """The retrieved siblings of a list answer's clause, whole and in reading order (each one an item)."""
    out: list[Picked] = []
    size = len(clauses[lead].text)
    sibs = [
        i
        for i, c in enumerate(clauses[: cfg.depth])
        if i != lead and not c.is_table_row and is_sibling(c, clauses[lead])
    ]
    for i in sorted(sibs, key=lambda i: clauses[i].source.line_start)[: cfg.max_siblings]:
        size += len(clauses[i].text)
        if size > cfg.max_list_chars:
            break
        out.append(Picked(i, clauses[i].text, 0.0))
        whole.add(i)
    return out


def repeats(quote: str, other: str) -> bool:
    """Whether `quote` says nothing that `other` does not (the same sentence in a notice and its attachment).

    Two table rows of one table share their column names, and two target sentences their wording
    (「到2025年…30%」, 「到2030年…60%」): neither repeats the other when it gives a figure of its own.
    """
    if set(FIGURE.findall(norm(quote))) - set(FIGURE.findall(norm(other))):
        return False
    a, b = key_bigrams(quote), key_bigrams(other)
    return len(a & b) > 0.8 * max(1, min(len(a), len(b)))
