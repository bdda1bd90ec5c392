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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from index.text import YEAR, norm
from rag.config import AnswerConfig
from rag.direct import (
    Direct,
    asked_types,
    direct_answer,
    held_share,
    qualifies,
    restated,
    role_direct,
    unit_pieces,
    value_piece,
)
from rag.evidence import Clause, names_body_in_role, rarity_weight, read_clauses, sentences
from rag.lexicon import (
    BOILERPLATE,
    BRACKETED_PAUSE,
    COMPARES,
    DEFINES,
    DEFINITION,
    DIGIT,
    DOC_NUMBER,
    ENUMERATION,
    ENUMERATION_END,
    EXPLAINS,
    FIGURE,
    FIVE_YEAR_PLAN,
    FULL_STOP,
    HEADING_ONLY,
    INDICATOR_NAME,
    LIST_TAIL,
    PIECE_JOIN,
    PLACE_Q,
    PLACE_TEXT,
    PROCEDURE_Q,
    RESPONSIBLE_TEXT,
    ROSTER_LABEL,
    SERIAL_CELL,
    UNIT_COLUMN,
    VALUE,
    VALUE_FAMILY,
    holds_role,
    key_bigrams,
    numbers_in,
)
from rag.models import Evidence
from rag.question import (
    VALUE_TYPES,
    Part,
    Question,
    QuestionForm,
    as_question,
    asked_bigrams,
    question_form,
    question_parts,
)
from rag.refusal import unquoted_reason

__all__ = ["Picked", "compose", "pick", "question_form", "question_parts", "score_units", "sentences"]

DEFAULT = AnswerConfig()
_PUNCTUATION = "，,；;。：: \t"


@dataclass(frozen=True)
class Picked:
    """A verbatim quote from one hit, and the hit's position in the hit list."""

    hit_index: int
    quote: str
    score: float


def asked_of_clause(asked: frozenset[str], clause: Clause) -> frozenset[str]:
    """The question's content bigrams less those naming the clause's document (its title and 文号).

    「高原美丽城镇示范省建设实施方案附件列出的提升行动有哪几项」 shares its title bigrams with every sentence of
    that plan, the preamble most of all; only 「附件…提升行动」 says what is asked.
    """
    rest = asked - clause.title_bigrams
    return rest if len(rest) >= 2 else asked


def _head_runs(sentence: str, head: str) -> list[str]:
    """The runs of 、-joined items in a sentence (each to the end of its clause) that are items of `head`: they end
    with the head's last character (「监测预警组、应急响应组」 for 工作组), or the run names it (「…祁连县等5个…城镇」,
    「…合法性审查和集体讨论决定等程序」). 「微博、微信等媒体平台」 is no list of 城镇."""
    runs: list[str] = []
    if not head:
        return runs
    for m in ENUMERATION.finditer(sentence):
        end = ENUMERATION_END.search(sentence, m.end())
        run = sentence[m.start() : end.start() if end else len(sentence)]
        if head[-2:] in run or run.count(head[-1] + "、") >= 2:
            runs.append(run)
    return runs


def enumerates(sentence: str, head: str) -> bool:
    """Whether a sentence enumerates items of `head`, the noun a list question asks items of (see `_head_runs`)."""
    return bool(_head_runs(sentence, head))


def list_items(sentence: str, head: str, cfg: AnswerConfig = DEFAULT) -> set[str]:
    """The items of `head` a sentence names (「监测预警组、应急响应组、…」), each by its first characters
    (`cfg.list_item_chars`; the first item by its last ones) and without what closes the list (「…技术支持组等4个
    小组」): the first item runs back into the lead-in words, the last one on into the rest of the clause."""
    items: set[str] = set()
    for run in _head_runs(sentence, head):
        first, *rest = norm(run).split("、")
        items.add(first[-cfg.list_item_chars :])  # 「…下设综合协调组」: the lead-in words are no item
        items.update(LIST_TAIL.split(x, 1)[0][: cfg.list_item_chars] for x in rest)
    return items


def _sentence_score(
    q: frozenset[str],
    sentence: str,
    form: QuestionForm,
    years: frozenset[str],
    cfg: AnswerConfig,
    heading: frozenset[str] = frozenset(),
    head: str = "",
) -> float:
    if not q:
        return 0.0
    said = q & key_bigrams(sentence)
    score = len(said) / len(q)
    if heading:
        # 「规划内容」 asked, 「前言;指导思想…」 quoted: the heading says what the sentence is about.
        score += cfg.heading_weight * len((q & heading) - said) / len(q)
    if form == "number" and DIGIT.search(sentence):
        score += cfg.number_bonus
    if form == "responsible" and RESPONSIBLE_TEXT.search(sentence):
        score += cfg.responsible_bonus
    if form == "list" and ENUMERATION.search(sentence):
        score += cfg.list_bonus  # the sentence naming the items (「西宁市、格尔木市、玉树市…」) answers 「哪些」
        if enumerates(sentence, head):
            score += cfg.list_head_bonus  # ... above all when they are items of what is asked
    if years:
        # A target year asked for (「到2025年…多少」) singles out its sentence among the 2030 and 2035 ones.
        stated = set(YEAR.findall(norm(sentence)))
        if stated & years:
            score += cfg.year_bonus
        elif stated:
            score -= cfg.year_bonus
    if BOILERPLATE.search(sentence):
        score *= cfg.boilerplate_weight
    if HEADING_ONLY.match(norm(sentence)):
        score *= cfg.heading_only_weight
    return score


def score_units(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[Picked]:
    """Every quotable unit of the first `cfg.depth` clauses with its score, best first."""
    explains = [re.compile(re.escape(t) + EXPLAINS) for t in question.quoted_terms]
    named = {d for doc_ids in question.named_families for d in doc_ids}
    head = question.list_head
    scored: list[Picked] = []
    for i, clause in enumerate(clauses[: cfg.depth]):
        q = asked_of_clause(question.asked, clause)
        # a holder of the role asked, in a document the question names (any, naming none): not another group's
        role_bonus = bool(question.roles) and (not named or getattr(clause.hit, "doc_id", None) in named)
        weight = 1.0 / (1 + cfg.rank_decay * i)  # the retriever's order counts, but a better sentence lower down wins
        for s in clause.units:
            score = _sentence_score(q, s, question.form, question.years, cfg, clause.heading_bigrams, head)
            if any(e.search(s) for e in explains):
                score += cfg.explains_bonus
            if role_bonus and holds_role(s, question.roles):
                score += cfg.role_bonus  # who holds the role asked, not a sentence merely about the group
            scored.append(Picked(i, s, score * weight))
    scored.sort(key=lambda p: -p.score)
    return scored


def is_sibling(a: Clause, b: Clause) -> bool:
    """Whether two clauses sit under the same heading of the same document (「3. 完成时限」, 「4. 责任单位」)."""
    return a.doc_key == b.doc_key and len(a.section) >= 2 and a.section[:-1] == b.section[:-1]


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
) -> tuple[Direct | None, list[Picked]]:
    """The quotes that answer `question` (see `pick`) and, for a question asking a value, the direct answer's
    opening: the piece of one of those quotes that states it (`rag.direct`)."""
    if not hits:
        return None, []
    question = as_question(question)
    if form is not None and form != question.form:
        question = replace(question, form=form)
    clauses = read_clauses(hits)
    scored = score_units(question, clauses, cfg)
    if not scored or not asked_types(question):
        return None, _untyped_quotes(question, clauses, scored, cfg)
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
        key=lambda t: (-t[2], t[0], _position(clauses[t[0]].text, t[1])),
    )
    if cfg.lead_measure_weight:
        ranked = measured(question, clauses, ranked, weights, cfg)
    direct = (role_direct(question, clauses, ranked, cfg, weights) if question.roles else None) or direct_answer(
        question, clauses, ranked, cfg, weights
    )
    if direct is None:
        return None, _untyped_quotes(question, clauses, scored, cfg, weights)
    lead = Picked(direct.hit_index, direct.unit, unit_score.get((direct.hit_index, direct.unit), direct.score))
    chosen = _quotes(question, clauses, scored, cfg, cfg.direct_max_sentences, lead)
    chosen = _supporting(question, direct, chosen, clauses, unit_score, scored[0].score, cfg)
    chosen += _aspects(question, clauses, scored, chosen, weights, cfg)
    chosen = _cut_to_values(question, direct, chosen, clauses, cfg)
    chosen = _with_figures(question, direct, chosen, cfg)
    chosen = _asked_roles_only(question, direct, chosen, clauses)
    chosen = _body_rows(question, direct, chosen, clauses, cfg)
    # the quote the opening stands on comes first
    chosen.sort(key=lambda p: not (p.hit_index == direct.hit_index and direct.unit in p.quote))
    return direct, _earned(question, clauses, chosen, cfg, weights, direct)


def _untyped_quotes(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    cfg: AnswerConfig,
    weights: dict[str, float] | None = None,
) -> list[Picked]:
    """The quotes of an answer without an opening: the best sentences (`_quotes`), cut as an untyped question's
    (`_cut_untyped`), each clause earning its citation (`_earned`)."""
    untyped = _cut_untyped(question, _quotes(question, clauses, scored, cfg, cfg.max_sentences), clauses, cfg)
    return _earned(question, clauses, untyped, cfg, weights)


def _earned(
    question: Question,
    clauses: Sequence[Clause],
    chosen: list[Picked],
    cfg: AnswerConfig,
    weights: dict[str, float] | None = None,
    direct: Direct | None = None,
) -> list[Picked]:
    """The quotes whose clause earns its citation (`earning`), all of them when dropping the others would leave quotes
    that no longer answer (`_still_answering`)."""
    return _still_answering(question, clauses, chosen, earning(question, chosen, clauses, cfg, weights), cfg, direct)


def _still_answering(
    question: Question,
    clauses: Sequence[Clause],
    chosen: list[Picked],
    earned: list[Picked],
    cfg: AnswerConfig,
    direct: Direct | None = None,
) -> list[Picked]:
    """The earned quotes, unless dropping the others leaves quotes that no longer answer (`unquoted_reason`, the check
    the answer makes of them) where all of them did: a clause restating the subject is no answer, but a question the
    quotes answered together is not refused for a citation too many."""
    if len(earned) == len(chosen):
        return earned
    opening = [(direct.hit_index, direct.unit)] if direct is not None else []

    def refused(quotes: list[Picked]) -> bool:
        return unquoted_reason(question, clauses, [(p.hit_index, p.quote) for p in quotes] + opening, cfg) is not None

    return chosen if refused(earned) and not refused(chosen) else earned


def earning(
    question: Question,
    chosen: list[Picked],
    clauses: Sequence[Clause],
    cfg: AnswerConfig = DEFAULT,
    weights: dict[str, float] | None = None,
) -> list[Picked]:
    """The quotes whose clause earns its citation: each clause cited after the first must add something to the answer
    the clauses cited before it lack. A clause answering a part of the question always does. Otherwise it must hold
    distinguishing question words (`rarity`, in its quotes or its heading path) worth `cfg.earn_gain` of them that no
    earlier cited clause holds, when

    - it is of another document than the lead's, and the question compares no documents (`_compares`): a later plan or
      register restating the measure (「…处理率达到100%」 beside the asked city and county rates) answers nothing the
      lead's document does not; or
    - the question asks a figure or a time and the clause states no value of an asked kind the earlier ones do not
      (`_states_value`): a sentence restating the subject (「…培育计划」) beside the row stating the asked figure.

    In a comparison the first clause cited of each document earns (it answers that side, though its value may equal the
    other side's). Quotes of a clause already cited cost no citation and stay (0: off)."""
    if not cfg.earn_gain or len({p.hit_index for p in chosen}) < 2:
        return chosen
    weights = rarity(question, clauses, cfg) if weights is None else weights
    total = sum(weights.values())
    if not total:
        return chosen
    compares = _compares(question, clauses, cfg)
    figures = bool(_CUT_TYPES & set(asked_types(question)))
    kinds = _value_kinds(question)
    answering = {i for i, _ in part_answers(question, clauses, cfg)}
    lead_doc = clauses[chosen[0].hit_index].doc_key
    kept: set[int] = set()
    docs: set[str] = set()
    covered: set[str] = set()
    values: set[str] = set()
    verdict: dict[int, bool] = {}
    for p in chosen:
        i = p.hit_index
        if i in verdict:
            continue
        clause = clauses[i]
        quotes = [q.quote for q in chosen if q.hit_index == i]
        said = {b for q in quotes for b in key_bigrams(q) | clause.heading_bigrams if b in weights}
        stated = {v for q in quotes for v in _values(q, question, kinds)}
        earns = (
            not kept
            or i in answering
            or (compares and clause.doc_key not in docs)  # a comparison's first quote of each document answers a side
            or sum(weights[b] for b in said - covered) >= cfg.earn_gain * total
            or not (
                (clause.doc_key != lead_doc and not compares)
                or (figures and not (stated - values and not all(_other_years(q, question) for q in quotes)))
            )
        )
        verdict[i] = earns
        if earns:
            kept.add(i)
            docs.add(clause.doc_key)
            covered |= said
            values |= stated
    return [p for p in chosen if verdict[p.hit_index]]


def _values(quote: str, question: Question, kinds: frozenset[str]) -> set[str]:
    """The values of the asked kinds a quote states that the question does not itself state (see `_states_value`)."""
    return {
        m.group(0) for kind in kinds for m in VALUE[kind].finditer(quote) if not restated(m.group(0), question, kind)
    }


def _compares(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig) -> bool:
    """Whether a question asks of several documents: it has sides, names several, or compares those it reads."""
    if len(question.sides) >= 2 or len(question.named_families) >= 2:
        return True
    return len(compared_documents(question, clauses, cfg)) >= 2


def measured(
    question: Question,
    clauses: Sequence[Clause],
    ranked: Sequence[tuple[int, str, float]],
    weights: dict[str, float],
    cfg: AnswerConfig = DEFAULT,
) -> list[tuple[int, str, float]]:
    """The opening's candidate units (hit index, unit, score) re-scored, for a question asking a figure or a time (not
    a body or a person only): a unit stating a value of an asked type gains `cfg.lead_measure_weight` × the share of
    the question's distinguishing words (`weights`, by rarity) held by what that value measures: the piece stating it,
    and for a table row its indicator cells (`measure_of`). A unit holding the question's topic words elsewhere (a
    register row naming the 「高效节水灌溉行动」 asked in one cell and stating the 滴灌面积 share in another, a
    background sentence restating the subject with a past figure) leads no more than the clause whose value is of
    what is asked. Best first; ties in reading order."""
    if not _CUT_TYPES & set(asked_types(question)):
        return list(ranked)  # a body or a person is named in too many ways to say what it is "of"
    out = []
    for i, unit, score in ranked:
        table = clauses[i].table
        found = value_piece(unit, question, cfg, weights, table.unit if table is not None else None)
        # a 文号 (「国办发〔2021〕18号」) is no value: the notice quoting it restates no measure of what is asked
        if found is not None and not DOC_NUMBER.search(found[0]):
            score += cfg.lead_measure_weight * held_share(measure_of(clauses[i], found[0]), question, weights)
        out.append((i, unit, score))
    return sorted(out, key=lambda t: (-t[2], t[0], _position(clauses[t[0]].text, t[1])))


def measure_of(clause: Clause, piece: str) -> str:
    """What a value piece is a value of, as text: the piece, and for a table row the indicators its indicator cells
    name (「主要指标：居家社区养老服务覆盖率（%）」 for 「2025 年目标值：≥90」; the part after a group's 「／」)."""
    table = clause.table
    if table is None:
        return piece
    return "；".join([*table.indicators, piece])


def rarity(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> dict[str, float]:
    """How much each of the question's content bigrams distinguishes what it asks (see `bigram_rarity`)."""
    return bigram_rarity(question.asked, clauses, cfg)


def bigram_rarity(bigrams: frozenset[str], clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> dict[str, float]:
    """How much each bigram distinguishes what is asked: log((n + 1) / (df + 0.5)) over the n clauses read, df of
    them holding it (in text, heading path or title). 「盐湖产业」 in every retrieved clause tells them apart no more
    than 「目标」; 「金融业」 in one of them does. Bigrams no clause holds are left out."""
    read = clauses[: cfg.depth]
    out: dict[str, float] = {}
    for b in bigrams:
        df = sum(b in c.context_bigrams for c in read)
        if df:
            out[b] = rarity_weight(len(read), df)
    return out


def _other_years(quote: str, question: Question) -> bool:
    """Whether a quote states years, none of them one the question asks about (「到2025年…」 for a 2030 question)."""
    stated = set(YEAR.findall(norm(quote)))
    return bool(stated and question.target_years) and not stated & question.target_years


def _value_kinds(question: Question) -> frozenset[str]:
    """The value types whose values answer the question: its asked types and their families (a figure: a ratio, an
    amount or a count; a time: a date or a period). 「总数和使用率分别…多少」 asks a count and a ratio, though its
    words name only the ratio."""
    return frozenset(k for t in asked_types(question) for k in VALUE_FAMILY.get(t, (t,)))


def _states_value(quote: str, question: Question, kinds: frozenset[str] | None = None) -> bool:
    """Whether a quote states a value of a kind the question asks (`_value_kinds`, read once per answer when given)
    that the question does not itself state."""
    kinds = _value_kinds(question) if kinds is None else kinds
    return any(not restated(m.group(0), question, kind) for kind in kinds for m in VALUE[kind].finditer(quote))


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
    kinds = _value_kinds(question)
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
            any(_answers_part(q, clauses[p.hit_index], p.quote, part_weights, cfg) for p in chosen)
            for q in question.parts
        )
    if loose and cfg.aspect_documents_answered:
        # a comparison of documents asks one thing of each: once each has its quote, no side is left open
        docs = [k for k in side_documents(question, clauses, cfg) if k] or compared_documents(question, clauses, cfg)
        loose = len(docs) < 2 or not set(docs) <= {clauses[p.hit_index].doc_key for p in chosen}
    seen = [p.quote for p in chosen]
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
        if not _states_value(p.quote, question, kinds):
            continue
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
    kinds = _value_kinds(question)
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
            or (_states_value(u, question, kinds) and not _other_years(u, question))
            or (p.hit_index, u) in answering  # the sentence answering another part (「办公室设在…」)
        ]
        out += [Picked(p.hit_index, u, p.score) for u in kept or units[:1]]
    return out


# The answer types whose values are figures or times: a sentence stating one is cut to the pieces that state it. Not a
# body or a person: they are named in too many ways (「办公室设在…」, 「…等部门参与」) for a cut to keep them all.
_CUT_TYPES = frozenset({"ratio", "quantity", "count", "date", "period"})


def _cut_to_values(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """After a direct opening, each quoted sentence (not a table row: its cells mean something only together) cut to
    the comma- or semicolon-bounded pieces that state a figure or a value of an asked type, each with the piece
    before it when that one names what the value is of; adjoining pieces stay one verbatim quote. Another table row
    than the opening's is quoted whole but for a long cell of several sentences (`row_sentences`)."""
    if not cfg.cut_to_values:
        return chosen
    if not _CUT_TYPES & set(asked_types(question)):
        return _without_opening(direct, chosen, clauses, cfg) if cfg.cut_opening else chosen
    kinds = _value_kinds(question)
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        if clause.is_table_row:
            if cfg.cut_rows and p.hit_index == direct.hit_index and direct.unit in p.quote:
                runs = row_runs(p.quote, question, direct.piece, kinds, cfg, direct.named)
                out += [Picked(p.hit_index, q, p.score) for q in runs]
            elif cfg.row_cell_sentences:
                out += [Picked(p.hit_index, q, p.score) for q in row_sentences(p.quote, question, cfg)]
            else:
                out.append(p)
            continue
        units = [u for u in clause.units if u in p.quote]
        if not units:
            out.append(p)
            continue
        for unit in units:
            if cfg.cut_opening and p.hit_index == direct.hit_index and unit == direct.unit:
                # the sentence the opening comes from: only what the opening does not say is quoted under it
                at = unit.find(direct.piece)
                runs = value_runs(unit, question, kinds, cfg, (at, at + len(direct.piece)) if at >= 0 else None)
                out += [Picked(p.hit_index, q, p.score) for q in runs or [direct.piece]]
            elif (
                cfg.drop_valueless
                and p.hit_index == direct.hit_index
                and not numbers_in(unit)
                and not _states_value(unit, question, kinds)
            ):
                # a sentence of the opening's clause stating no value at all (「深化…合作，推动…」 between two targets)
                # supports nothing the opening or the clause's value sentences say
                continue
            else:
                out += [Picked(p.hit_index, q, p.score) for q in value_runs(unit, question, kinds, cfg)]
    return out


def _with_figures(question: Question, direct: Direct, chosen: list[Picked], cfg: AnswerConfig) -> list[Picked]:
    """After an opening stating a figure or a time (every type the question asks is one of `_CUT_TYPES`), only the
    quotes that state one too (`numbers_in`, or a value of an asked kind such as 「年底前」): a quote stating none
    neither supports the opening's value nor adds an asked one. On dev these are the figureless pieces the cuts keep
    of the opening's own sentence or row: the cell naming the indicator the question names (「指标名称：…」 under
    「2025年目标值预测：12亿元」), the subject of a value too long to open with (「对…企业」 under 「给予…30万元」).
    An opening stating its value in words (a frequency 「每半年」) keeps its quotes: it was dev's only kind of answer
    whose gold holds no figure, so its quotes carry the facts. The opening's own quote stays as its verbatim piece
    when nothing of it is left (cited, not repeated: `rag.answer._assemble`)."""
    types = set(asked_types(question))
    if not cfg.drop_figureless or not types or not types <= _CUT_TYPES or not numbers_in(direct.span):
        return chosen  # an opening stating a time in words (「每半年」, 「年底前」): its sentence may say more in words
    if question.sides or any(p.answer_type not in VALUE_TYPES for p in question.parts):
        # a part asking no value (「…申领要交什么材料」) is answered in words; a compared document's only quote may
        # state none, and dropping it would leave the reader not knowing that document was read
        return chosen
    kinds = _value_kinds(question)
    # a digit counts, an item's number too (「14. …」: numbers_in leaves it out, a question may ask 第几项)
    # and the indicator cell of the opening's row when the opening could not name it (too long to open with): without
    # it the opening's figure is of nothing the answer says
    kept = [
        p
        for p in chosen
        if numbers_in(p.quote)
        or DIGIT.search(p.quote)
        or _states_value(p.quote, question, kinds)
        or (direct.named is None and p.hit_index == direct.hit_index and _names_indicator(p.quote))
    ]
    if not any(p.hit_index == direct.hit_index for p in kept):
        kept.insert(0, Picked(direct.hit_index, direct.piece, chosen[0].score if chosen else direct.score))
    return kept


def _names_indicator(quote: str) -> bool:
    """Whether a quote of a table row starts with its indicator cell (「主要指标：…」, `lexicon.INDICATOR_NAME`)."""
    return bool(INDICATOR_NAME.match(quote.partition("：")[0]))


def _cut_untyped(
    question: Question, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """A question of no value type and no special form (「…在哪儿开幕」, 「…叫什么」): a clause quoted whole by its
    sentences holding at least `cfg.untyped_unit_bigrams` of the question's content bigrams or stating a figure (all of
    them when none or every one does; those kept stay whole); a quote of one sentence longer than
    `cfg.untyped_cut_chars` cut to its pieces holding at least `cfg.untyped_piece_bigrams` of the question's content
    bigrams, each with the piece after it (what is said of the subject the question names); a sentence with no such
    piece stays whole. A list question's long sentence is cut so too (`cfg.list_pieces`), its pieces naming items
    (`lexicon.ENUMERATION`) or stating figures kept as well, unless an aside in brackets would be cut open; its clause
    quoted whole stays whole (the items are its sentences). A definition question's one long sentence is cut so too
    (`cfg.definition_pieces`) when it defines or glosses nothing (`lexicon.DEFINITION`: 「…实行什么机制」 answered by
    「严格执行…机制，对…」) and the question does not ask how. A table row stays whole, but for a long cell of several
    sentences (`row_sentences`), whatever the question's form."""
    if cfg.row_cell_sentences:
        chosen = [
            Picked(p.hit_index, q, p.score)
            for p in chosen
            for q in (row_sentences(p.quote, question, cfg) if clauses[p.hit_index].is_table_row else [p.quote])
        ]
    defining = question.form == "definition"
    if defining:
        chosen = _defining_sentences(question, chosen, clauses, cfg) if cfg.defining_sentence else chosen
        # one asking how (「…机制怎么运用」) is answered by every step of its sentence
        if not cfg.definition_pieces or PROCEDURE_Q.search(question.normalised):
            return chosen
    listed = question.form == "list" and cfg.list_pieces
    if not cfg.untyped_cut_chars or (question.form != "general" and not listed and not defining):
        return chosen
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        units = [u for u in clause.units if u in p.quote]
        if cfg.untyped_unit_bigrams and not clause.is_table_row and len(units) > 1 and not listed and not defining:
            # a clause quoted whole (a short one, rag.compose._quotes): its sentences naming what is asked, and those
            # stating a figure (the date of 「●8月26日 …会议…举行。」 is the answer to 「…何时当选」), the others go
            held_units = [
                u for u in units if len(key_bigrams(u) & question.asked) >= cfg.untyped_unit_bigrams or numbers_in(u)
            ]
            if held_units and len(held_units) < len(units):
                out += [Picked(p.hit_index, u, p.score) for u in held_units]
                continue
        if (
            clause.is_table_row
            or len(units) != 1
            or len(norm(p.quote)) <= cfg.untyped_cut_chars
            or (listed and BRACKETED_PAUSE.search(units[0]))
            or (defining and DEFINITION.search(units[0]))  # a sentence that defines is the answer whole
        ):
            out.append(p)
            continue
        unit = units[0]
        pieces = unit_pieces(unit)
        held = [
            j
            for j, (a, b, _) in enumerate(pieces)
            if len(key_bigrams(unit[a:b]) & question.asked) >= cfg.untyped_piece_bigrams
            # a list's items (「以甲、乙、丙等3个…为重点」) and figures, whatever words name them
            or (listed and (ENUMERATION.search(unit[a:b]) or numbers_in(unit[a:b])))
        ]
        if not held:
            out.append(p)
            continue
        keep = set(held) | {j + 1 for j in held if j + 1 < len(pieces) and PIECE_JOIN.match(pieces[j + 1][2])}
        out += [Picked(p.hit_index, q, p.score) for q in _piece_runs(unit, pieces, keep)]
    return out


def _defining_sentences(
    question: Question, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """A definition question's clause quoted whole, by the sentences defining a term the question names (`defines`):
    「重污染天气是指…。本预案适用于…。因沙尘…不适用于本预案。」 answers 「重污染天气指什么」 with its first sentence;
    a clause with no such sentence, or only such sentences (「本办法所称基建项目，包括…。债务风险是指…。」, both
    terms named by a question about the 基建项目 rules' 债务风险), stays whole."""
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        units = [u for u in clause.units if u in p.quote]
        if clause.is_table_row or len(units) < 2:
            out.append(p)
            continue
        kept = [u for u in units if defines(u, question, cfg)]
        out += [Picked(p.hit_index, u, p.score) for u in kept] if 0 < len(kept) < len(units) else [p]
    return out


def defines(sentence: str, question: Question, cfg: AnswerConfig = DEFAULT) -> bool:
    """Whether a sentence defines a term the question names: the term (before 「是指」, or after 「所称」 up to the next
    comma) holds at least `cfg.untyped_unit_bigrams` of the question's content bigrams."""
    m = DEFINES.search(sentence)
    if m is None:
        return False
    if m.group("after"):
        comma = re.search(r"[，,（(]", sentence[m.end() :])
        term = sentence[m.end() : m.end() + comma.start()] if comma else sentence[m.end() :]
    else:
        term = sentence[: m.start()]
    return len(key_bigrams(term) & question.asked) >= max(1, cfg.untyped_unit_bigrams)


def _without_opening(
    direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT
) -> list[Picked]:
    """A body or person answer's quotes with the opening's own sentence quoted by its pieces the opening does not
    hold (「由省公安厅牵头」 opens; 「有关部门为…成员单位」 is what its sentence adds), its other sentences whole:
    a body is named in too many ways for its sentences to be cut to values, but what the opening says needs no
    second line. The table row the opening comes from is quoted by `body_row_cells` (with `cfg.cut_rows`); another
    row stays whole (its cells mean something only together)."""
    out: list[Picked] = []
    at = direct.unit.find(direct.piece)
    for p in chosen:
        clause = clauses[p.hit_index]
        if clause.is_table_row and cfg.cut_rows and p.hit_index == direct.hit_index and direct.unit in p.quote:
            out += [Picked(p.hit_index, q, p.score) for q in body_row_cells(p.quote, direct.piece, cfg)]
            continue
        if clause.is_table_row or p.hit_index != direct.hit_index or direct.unit not in p.quote or at < 0:
            out.append(p)
            continue
        start = p.quote.find(direct.unit)
        # nothing left: the verbatim opening piece stands for its sentence (cited, not repeated: rag.answer._assemble)
        rest = remaining_runs(direct.unit, (at, at + len(direct.piece))) or [direct.piece]
        before, after = p.quote[:start].strip(), p.quote[start + len(direct.unit) :].strip()
        out += [Picked(p.hit_index, q, p.score) for q in (before, *rest, after) if q]
    return out


def body_row_cells(row: str, opening: str, cfg: AnswerConfig = DEFAULT) -> list[str]:
    """The table row a body or person opening comes from (「副召集人：刘涛；副省长」 under 「副召集人：刘涛」) without
    the opening's own cell, when that cell says no more than the opening, and without the heading lines above the row
    (its citation shows the heading path); its other cells stay, adjoining ones one verbatim run: who leads is often
    answered with the other roles, the deadline and the serial number too, so the row is not cut to what is asked.
    When nothing is left the opening says it all: the verbatim opening piece stands for the row (cited, not
    repeated)."""
    cells = _row_cells(row)
    keep = [j for j, (a, b) in enumerate(cells) if not _says_no_more(row[a:b], opening, cfg)]
    out = [row[cells[run[0]][0] : cells[run[-1]][1]] for run in _adjoining(keep)]
    return out or [opening]


def _says_no_more(cell: str, opening: str, cfg: AnswerConfig) -> bool:
    """Whether a row's cell says no more than the opening: the opening holds it, or it holds the opening and fewer
    than `cfg.row_cell_slack` characters besides (its column name)."""
    return cell.strip() in opening or (opening in cell and len(cell) - len(opening) < cfg.row_cell_slack)


def row_sentences(row: str, question: Question, cfg: AnswerConfig = DEFAULT) -> list[str]:
    """A quoted table row whose cell longer than `cfg.row_cell_chars` holds several sentences (a 「重点任务」 of four
    measures), with that cell cut to its sentences holding the most of the question's content bigrams (at least
    `cfg.untyped_unit_bigrams`, and `cfg.row_sentence_share` of the most any of them holds): the measure asked about,
    not its neighbours. Those sentences come first; the other cells follow (who is responsible, by when), adjoining
    ones one verbatim run; the item's serial number and the heading lines above the row go (its citation shows
    them). The row whole when no cell is cut."""
    cells = _row_cells(row)
    held_sentences: list[str] = []
    out: list[str] = []  # the runs of other cells
    run: list[int] = []  # adjoining cells kept whole, not yet placed

    def place_run() -> None:
        if run:
            out.append(row[cells[run[0]][0] : cells[run[-1]][1]])
            run.clear()

    for j, (a, b) in enumerate(cells):
        if SERIAL_CELL.match(row[a:b]):  # 「序号：8」 numbers the row and tells nothing: the citation shows it
            place_run()
            continue
        value_at = a + len(row[a:b].partition("：")[0]) + 1 if "：" in row[a:b] else a
        units = sentences(row[value_at:b]) if b - a > cfg.row_cell_chars else []
        held = [len(key_bigrams(u) & question.asked) for u in units]
        best = max(held, default=0)
        floor = max(cfg.untyped_unit_bigrams, cfg.row_sentence_share * best)
        if len(units) < 2 or best < max(1, cfg.untyped_unit_bigrams) or min(held) >= floor:
            run.append(j)
            continue
        place_run()
        held_sentences += [u for u, n in zip(units, held, strict=True) if n >= floor]
    place_run()
    # what answers first (a row's other cells, e.g. who is responsible, after the measure asked about)
    return held_sentences + out if held_sentences else [row]


def _row_cells(row: str) -> list[tuple[int, int]]:
    """The (start, end) of each 「；」-separated cell of a table row's last line (its first lines are headings)."""
    start = row.rfind("\n") + 1
    cells = []
    for cell in row[start:].split("；"):
        cells.append((start, start + len(cell)))
        start += len(cell) + 1
    return cells


def remaining_runs(unit: str, said: tuple[int, int]) -> list[str]:
    """The verbatim runs of a sentence's pieces (`rag.direct.unit_pieces`) outside `said`, the opening's place in it."""
    pieces = unit_pieces(unit)
    keep = [j for j, (a, b, _) in enumerate(pieces) if not (said[0] <= a and b <= said[1])]
    return [q for q in _piece_runs(unit, pieces, keep) if q.strip(_PUNCTUATION)]


def row_runs(
    row: str,
    question: Question,
    opening: str,
    kinds: frozenset[str],
    cfg: AnswerConfig = DEFAULT,
    named: str | None = None,
) -> list[str]:
    """The table row a direct opening comes from, cut to the cells the opening does not state that give a figure or
    hold the question's words (「工程名称」 naming what is asked, the 2020 baseline next to the 2025 target), with the
    unit cell when figures are kept; adjoining cells stay one verbatim run; a row's serial number and group label go,
    and a long cell (over `cfg.row_cell_chars`) is cut like a sentence (`value_runs`). When nothing is left the
    opening says it all: the verbatim opening piece stands for the row (cited, not repeated: `rag.answer._assemble`).
    The indicator cell the opening names (`named`, verbatim: `rag.direct.with_indicator`) goes too: the opening says
    it."""
    cells = _row_cells(row)
    keep = []
    own: list[tuple[int, list[str]]] = []  # the opening's own cell, when it says more than the opening
    said = key_bigrams(opening)
    for j, (a, b) in enumerate(cells):
        cell = row[a:b]
        if SERIAL_CELL.match(cell) or "：" not in cell:
            continue  # the row's serial number, or its group label (a cell without a column name: 「卫生资源配置」)
        if _says_no_more(cell, opening, cfg) or cell == named:
            continue
        if opening in cell:
            # a long cell the opening is a piece of (「主要任务：40. …，到2025年，…比例达到20%。」): quoted by what
            # the opening does not say, like the sentence an opening comes from, never joined to the cells beside it
            value = cell.partition("：")[2]
            text = value if opening in value else cell  # without its column name (and so its enumerator 「40.」)
            at = text.find(opening)
            own.append((j, value_runs(text, question, kinds, cfg, (at, at + len(opening)))))
            continue
        # a figure of a kind asked (a date cell 「完成时限：2025 年」 answers no 「多少」), or words of the question the
        # opening does not hold (what the value is of: 「指标：城市绿地率」)
        if _states_value(cell, question, kinds) or (key_bigrams(cell) & question.asked) - said:
            keep.append(j)
    if any(numbers_in(row[cells[j][0] : cells[j][1]]) for j in keep):
        keep += [j for j, (a, b) in enumerate(cells) if UNIT_COLUMN.match(row[a:b].partition("：")[0])]
    placed: list[tuple[int, list[str]]] = list(own)
    for run in _adjoining(sorted(set(keep))):
        a, b = cells[run[0]][0], cells[run[-1]][1]
        if len(run) == 1 and b - a > cfg.row_cell_chars:
            value = row[a:b].partition("：")[2] or row[a:b]  # the cell's text without its column name
            placed.append((run[0], [q for q in value_runs(value, question, kinds, cfg) if q != opening]))
        else:
            placed.append((run[0], [row[a:b]]))
    out = [q for _, quotes in sorted(placed, key=lambda t: t[0]) for q in quotes]
    return out or [opening]


def _piece_runs(unit: str, pieces: Sequence[tuple[int, int, str]], keep: Iterable[int]) -> list[str]:
    """The verbatim text of each run of adjoining pieces of `unit` (`rag.direct.unit_pieces`) among `keep`."""
    out = []
    for run in _adjoining(sorted(keep)):
        a, b = pieces[run[0]][0], pieces[run[-1]][1]
        end = b + 1 if b < len(unit) and FULL_STOP.match(unit[b]) else b  # a sentence's own full stop stays
        out.append(unit[a:end].strip())
    return out


def _adjoining(indexes: list[int]) -> list[list[int]]:
    """Sorted indexes grouped into runs of consecutive ones."""
    runs: list[list[int]] = []
    for j in indexes:
        if runs and runs[-1][-1] == j - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    return runs


def value_runs(
    unit: str,
    question: Question,
    kinds: frozenset[str],
    cfg: AnswerConfig = DEFAULT,
    said: tuple[int, int] | None = None,
) -> list[str]:
    """The verbatim runs of a sentence's pieces that state a value (see `_cut_to_values`); the sentence whole when
    none does. Pieces within `said` (the opening's place in the sentence) are left out: [] when nothing else is."""
    pieces = unit_pieces(unit)
    keep: set[int] = set()
    explained: set[int] = set()  # value pieces kept with the piece before them, which names what they are of
    for j, (a, b, _) in enumerate(pieces):
        piece = unit[a:b]
        if numbers_in(piece) or _states_value(piece, question, kinds):
            keep.add(j)
            if not (numbers_in(piece) - question.figures) or qualifies(piece, cfg):
                continue  # 「到2025年」: kept as the value's qualifier, it is no value to explain
            if j > 0 and PIECE_JOIN.match(pieces[j][2]):
                a0, b0, _ = pieces[j - 1]
                if (key_bigrams(unit[a0:b0]) & question.asked) - key_bigrams(piece):
                    keep.add(j - 1)  # the piece before, across a comma, names what the value is of
                    explained.add(j)
    if not keep:
        return [unit]
    if said is not None:
        # what the opening says goes, unless the piece naming what it is of stays (the opening does not name it)
        stated = numbers_in(unit[said[0] : said[1]])
        covered = {
            j
            for j in keep
            if (said[0] <= pieces[j][0] and pieces[j][1] <= said[1])
            # a piece the opening holds all but an aside of (the opening stops before 「（牵头单位：…」): its figures
            # are all the opening's
            or (
                pieces[j][0] < said[1]
                and said[0] < pieces[j][1]
                and numbers_in(unit[pieces[j][0] : pieces[j][1]]) <= stated
            )
        }
        if cfg.requote_explained:
            keep = {j for j in keep if j not in covered or (j in explained and j - 1 not in covered)}
        else:
            # the opening states the value already: quoted again beside the piece naming what it is of, it was said
            # twice; that piece alone now says what the opening's value is of
            keep = {j for j in keep if j not in covered}
    return _piece_runs(unit, pieces, keep)


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
    chosen += _parts(question, clauses, lead, chosen, whole, cfg)
    chosen += _compared(question, clauses, scored, chosen, cfg)
    chosen += _role_quotes(question, clauses, scored, chosen, cfg)
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
        if listed and (not enumerates(p.quote, head) or all(i in said for i in list_items(p.quote, head, cfg))):
            continue  # no list of what is asked, or one naming no item the answer does not name already
        chosen.append(p)
        said += norm(p.quote)
        seen.append(p.quote)
    rest = sorted(chosen[1:], key=lambda p: (p.hit_index, _position(clauses[p.hit_index].text, p.quote)))
    return [lead, *rest]


def compared_documents(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[str]:
    """The documents (doc keys) a comparison is about among the retrieved ones, first named first; [] for a question
    about one document.

    A question naming two or more documents (`Question.named`: 「…示范省建设实施方案和服务业高质量发展实施意见…」,
    「助企纾困措施…政务公开台账又…」) is about each of those retrieved. Otherwise a comparison (lexicon.COMPARES) is
    about the retrieved documents whose title (and 文号) shares enough of the question's bigrams, and some apart
    from the best-named one's: 「改革完善医疗卫生服务体系实施方案」 does not name the 「医疗卫生服务体系规划」 too,
    「市场监管…和科技创新规划」 names two.
    """
    named = _named_keys(question, clauses[: cfg.depth])
    if len(named) > 1:
        return named[: cfg.max_compared]
    if not COMPARES.search(question.normalised):
        return []
    titles: dict[str, frozenset[str]] = {}
    for clause in clauses[: cfg.depth]:
        shared = question.bigrams & clause.title_bigrams
        if len(shared) > len(titles.get(clause.doc_key, ())):
            titles[clause.doc_key] = shared
    if not titles:
        return []
    ranked = sorted(titles, key=lambda k: -len(titles[k]))
    lead = titles[ranked[0]]
    floor = max(cfg.compared_title_bigrams, cfg.compared_title_share * len(lead))
    keys = [ranked[0]] + [
        k for k in ranked[1:] if len(titles[k]) >= floor and len(titles[k] - lead) >= cfg.compared_distinct_bigrams
    ]
    return keys[: cfg.max_compared] if len(keys) > 1 else []


def _named_keys(question: Question, clauses: Sequence[Clause]) -> list[str]:
    """The doc keys of the retrieved clauses of each document the question names, one per naming, in its order."""
    keys: list[str] = []
    for doc_ids in question.named_families:
        key = next((c.doc_key for c in clauses if getattr(c.hit, "doc_id", None) in doc_ids), None)
        if key is not None and key not in keys:
            keys.append(key)
    return keys


def _compared(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For a comparison, a quote from each side's own document (`side_documents`) when no chosen quote of that
    document states the asked value, then the best quote of each document it names that no quote chosen so far comes
    from, then the best quote of each side (`Question.sides`) no quote chosen so far speaks of (`_side_quote`)."""
    out = _side_document_quotes(question, clauses, scored, chosen, cfg)
    quoted = {clauses[p.hit_index].doc_key for p in chosen + out}
    for key in compared_documents(question, clauses, cfg):
        if key in quoted:
            continue
        if _value_kinds(question) or question.roles:
            best = _document_quote(question, clauses, scored, key, question.asked, cfg)
        else:  # nothing typed to prefer: the document's best-scored unit
            best = next((p for p in scored if clauses[p.hit_index].doc_key == key and p.score > 0), None)
        if best is not None:
            out.append(best)
            quoted.add(key)
    return out + _side_quotes(question, clauses, scored, chosen + out, cfg)


def _role_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For a question asking the holders of several roles (「召集人和副召集人是谁」, 「组长是谁？办公室主任由谁
    兼任」, two groups' heads), the best-scored unit stating a holder of each role no quote chosen so far states:
    each role is a part of its own, and a holder of one role does not answer another (「副召集人：」 is not the
    召集人). Within the documents the question names, when it names any."""
    if len(question.roles) < 2:
        return []
    named = {d for doc_ids in question.named_families for d in doc_ids}
    # one group asked (no sides): its other roles are held in the lead's document, whose title (and so the group's
    # name) the scores leave out; another group's 「…兼任办公室主任」 only when that document states none
    lead_doc = clauses[chosen[0].hit_index].doc_key if chosen and not question.sides else None
    out: list[Picked] = []
    for role in question.roles:
        if any(
            holds_role(p.quote, (role,)) and (lead_doc is None or clauses[p.hit_index].doc_key == lead_doc)
            for p in chosen + out
        ):
            continue
        holders = [
            p
            for p in scored
            if p.score > 0
            and (not named or getattr(clauses[p.hit_index].hit, "doc_id", None) in named)
            and holds_role(p.quote, (role,))
        ]
        best = next((p for p in holders if clauses[p.hit_index].doc_key == lead_doc), holders[0] if holders else None)
        if best is not None and not any(best.quote in p.quote for p in chosen + out):
            out.append(_holding_pieces(best, role, cfg))
    return out


def _holding_pieces(p: Picked, role: str, cfg: AnswerConfig) -> Picked:
    """A long quote stating a role's holder cut to its pieces that state it (「…王海红兼任办公室主任。」 of a roster
    run into a sentence by the page layout); a quote of at most `cfg.direct_max_chars` characters stays whole."""
    if len(p.quote) <= cfg.direct_max_chars:
        return p
    pieces = unit_pieces(p.quote)
    keep = [j for j, (a, b, _) in enumerate(pieces) if holds_role(p.quote[a:b], (role,))]
    return Picked(p.hit_index, "".join(_piece_runs(p.quote, pieces, keep)), p.score) if len(keep) == 1 else p


def _asked_roles_only(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause]
) -> list[Picked]:
    """A question asking who holds some roles (「组长是谁」) is answered without the roster lines of roles it does not
    name (「副组长：…」, 「成员：…」): a line opening with a roster label (`index.text.ROSTER_LABEL`) the question does
    not say names no holder asked. Asking of one group (no sides), it is answered without another document's holder
    of a role that a quote of the opening's document states (another group's 「…兼任办公室主任」). The quote the
    opening stands on stays."""
    if not question.roles:
        return chosen
    lead_doc = clauses[direct.hit_index].doc_key
    held = {
        r
        for p in chosen
        if clauses[p.hit_index].doc_key == lead_doc
        for r in question.roles
        if holds_role(p.quote, (r,))
    }
    out = []
    for p in chosen:
        if not question.sides and clauses[p.hit_index].doc_key != lead_doc:
            own = {r for r in question.roles if holds_role(p.quote, (r,))}
            if own and own <= held:
                continue

        label = ROSTER_LABEL.match(p.quote.strip())
        other = (
            label is not None
            and norm(label.group()).strip("-•·:：") not in question.normalised
            and not holds_role(p.quote, question.roles)  # 「主任：…」 for 「委员会由哪位省领导牵头」 (its head's role)
        )
        if other and not (p.hit_index == direct.hit_index and direct.unit in p.quote):
            continue
        out.append(p)
    return out


def _body_rows(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """After an opening naming a body from a table row (「牵头单位：人行西宁中心支行」), the rows that answer with it:
    the retrieved rows of the same item naming its other bodies (a row whose cells before the body's cell are the
    opening row's: 「条款：第8条；政策内容：融资支持」 printed once per 牵头单位; at most `cfg.co_body_rows`), and no
    other item's row (「主要任务：27. …；牵头单位：…」 under an opening for task 25 names the body of another task).
    Quotes that are no table row stay; a question asking several things or comparing keeps its quotes (another row
    may answer a part of it or a compared document)."""
    clause = clauses[direct.hit_index]
    several = bool(question.parts or question.sides) or len(question.named_families) > 1  # a part, a compared side
    if not cfg.co_body_rows or several or not clause.is_table_row or not names_body_in_role(direct.piece):
        return chosen
    at = direct.unit.find(direct.piece)
    item = [direct.unit[a:b] for a, b in _row_cells(direct.unit) if b <= at]  # the cells before the body's
    if at < 0 or not item:
        return chosen

    def same_item(c: Clause) -> bool:
        cells = _row_cells(c.units[0]) if c.is_table_row and c.doc_key == clause.doc_key else []
        return [c.units[0][a:b] for a, b in cells[: len(item)]] == item

    kept = [
        p
        for p in chosen
        if p.hit_index == direct.hit_index or not clauses[p.hit_index].is_table_row or same_item(clauses[p.hit_index])
    ]
    quoted = {p.hit_index for p in kept}
    more = [i for i, c in enumerate(clauses[: cfg.depth]) if i not in quoted and same_item(c)]
    return kept + [Picked(i, clauses[i].units[0], 0.0) for i in more[: max(0, cfg.co_body_rows - len(quoted) + 1)]]


def side_documents(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[str | None]:
    """The document (doc key) each side of a comparison names among the retrieved clauses, None for a side naming
    none: the first retrieved of those the retriever resolved the side to (`Side.doc_ids`), else the one whose title
    and 文号 hold the most of the side's words, at least `cfg.side_title_share` of them and
    `cfg.side_min_bigrams`, singled out (a tie names none; a year the side states decides between one plan's
    editions). 「生态经济规划」 names the 生态经济发展规划, 「2022年医改任务」 the 2022年综合医改重点工作任务; two
    sides naming one document name none (they are two things of it)."""
    keys: list[str | None] = []
    for side in question.sides:
        if side.doc_ids:  # resolved against the whole corpus with the question (Retriever.side_documents)
            own = (c.doc_key for c in clauses[: cfg.depth] if getattr(c.hit, "doc_id", None) in side.doc_ids)
            keys.append(next(own, None))
            continue
        # its naming words; a year it states (「2035年」, in the title 「…(2021—2035年)」) only tells editions apart
        words = frozenset(b for b in key_bigrams(side.words) if not DIGIT.search(b))
        years = set(YEAR.findall(norm(side.words)))
        held: dict[str, tuple[int, bool]] = {}
        for clause in clauses[: cfg.depth]:
            n = len(words & clause.title_bigrams)
            dated = bool(years) and bool(years & set(YEAR.findall(norm(clause.doc_title + (clause.doc_number or "")))))
            held[clause.doc_key] = max(held.get(clause.doc_key, (0, False)), (n, dated))
        floor = max(cfg.side_min_bigrams, cfg.side_title_share * len(words))
        ranked = sorted(((n, dated, k) for k, (n, dated) in held.items() if n >= floor), reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]):
            keys.append(None)
        else:
            keys.append(ranked[0][2])
    if len({k for k in keys if k is not None}) < sum(k is not None for k in keys):
        return [None] * len(keys)  # both sides in one document
    return keys


def _indicator_share(bigrams: frozenset[str], clause: Clause) -> float | None:
    """For a table row, the share of its indicator (「指标：产值规模／总产值」: the part after its group's 「／」)
    that the question names, the best of its indicator cells: 「总产值」 is wholly named by 「盐湖产业总产值」,
    「农畜产品加工产值与农业总产值比」 hardly. None for a clause that is no row with an indicator cell."""
    names = clause.table.indicators if clause.table is not None else ()
    shares = [len(said & bigrams) / len(said) for name in names if (said := frozenset(key_bigrams(name)))]
    return max(shares) if shares else None


def label_row(clause: Clause) -> bool:
    """Whether a clause is a table's group label row (`TableRow.is_label`: 「序号：盐湖化工产业建设 (2 项)」): it names
    the rows below it and states no value of its own (its 「2 项」 counts them)."""
    return clause.table is not None and clause.table.is_label


def _quote_rank(
    question: Question, clause: Clause, quote: str, asked: frozenset[str], kinds: frozenset[str], cfg: AnswerConfig
) -> tuple[bool, bool, int, float]:
    """How well a quote answers what `asked` (a question's or one side's content bigrams) says, for choosing one quote
    per document: a holder of a role asked first (`holds_role`), then a quote stating a value of an asked type (any
    when none is asked), then a table row of the indicator asked (its indicator cell
    named by at least `cfg.indicator_share`: the plan's own 「总产值」 row for 「盐湖产业总产值」, its columns naming a
    year asked when the question asks one: not the 「“十三五”目标值」 row for a 2025 target), then any quote that is
    no row, then a row of another indicator; then by its score for `asked` (its words less the document's title,
    as `_sentence_score` weighs them). A group label row (`label_row`) states no value and ranks below every row."""
    q = asked_of_clause(asked, clause)
    share = _indicator_share(asked, clause)
    targets = question.target_years
    dated = not targets or bool(targets & set(YEAR.findall(norm(quote))))
    label = label_row(clause)
    return (
        not question.roles or holds_role(quote, question.roles),
        not kinds or (not label and _states_value(quote, question, kinds)),
        -1 if label else 1 if share is None else 0 if share < cfg.indicator_share else 2 if dated else 1,
        _sentence_score(q, quote, question.form, question.years, cfg, clause.heading_bigrams),
    )


def _document_quote(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    key: str,
    asked: frozenset[str],
    cfg: AnswerConfig,
) -> Picked | None:
    """The best quote of document `key` among the scored units by `_quote_rank`, its score weighed down by rank as
    `score_units` weighs it (the retriever's order counts)."""
    kinds = _value_kinds(question)
    best: tuple[tuple[bool, bool, int, float], Picked] | None = None
    for p in scored:
        clause = clauses[p.hit_index]
        if clause.doc_key != key or p.score <= 0 or label_row(clause):  # a label row answers nothing
            continue
        role, value, indicator, score = _quote_rank(question, clause, p.quote, asked, kinds, cfg)
        rank = (role, value, indicator, score / (1 + cfg.rank_decay * p.hit_index))
        if best is None or rank > best[0]:
            best = (rank, p)
    return None if best is None else best[1]


def _side_document_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For each side naming its own document (`side_documents`) of a comparison asking a value or a role holder, the
    best quote of that document for the side's own question (the other side cut out; `_document_quote`), unless a
    chosen quote of that document answers it as well (ranks as high, its score within `cfg.side_quote_share`):
    「医护比…“十四五”医疗卫生服务体系规划和2022年综合医改任务台账说法一致吗」 quotes the plan's 医护比 row, not only the
    台账's; another row of the plan stating some value (「农畜产品加工产值与农业总产值比」 for 「盐湖产业总产值」) does
    not stand for it."""
    kinds = _value_kinds(question)
    if not question.sides or not (kinds or question.roles):
        return []
    out: list[Picked] = []
    for side, key in zip(question.sides, side_documents(question, clauses, cfg), strict=True):
        if key is None:
            continue
        asked = asked_bigrams(side.query)  # the side's own question words (no whole Question read per side)
        best = _document_quote(question, clauses, scored, key, asked, cfg)
        if best is None:
            continue
        top = _quote_rank(question, clauses[best.hit_index], best.quote, asked, kinds, cfg)
        answered = False
        for p in chosen + out:
            if clauses[p.hit_index].doc_key != key:
                continue
            rank = _quote_rank(question, clauses[p.hit_index], p.quote, asked, kinds, cfg)
            answered |= rank[:3] >= top[:3] and rank[3] >= cfg.side_quote_share * top[3]
        if not answered:
            out.append(best)
    return out


def _side_words(question: Question) -> list[frozenset[str]]:
    """Each side's distinguishing bigrams: those of its words the other side does not share."""
    said = [frozenset(key_bigrams(side.words)) for side in question.sides]
    return [s - frozenset().union(*(o for o in said if o is not s)) for s in said]


def _speaks_of(side: frozenset[str], clause: Clause, quote: str, cfg: AnswerConfig) -> bool:
    """Whether a quote (with its heading path and document title) holds `cfg.side_share` of a side's distinguishing
    bigrams, and at least `cfg.side_min_bigrams` of them (「市州」 alone does not speak of 「各市州」)."""
    held = side & (key_bigrams(quote) | clause.heading_bigrams | clause.title_bigrams)
    return bool(side) and len(held) >= min(len(side), max(cfg.side_min_bigrams, cfg.side_share * len(side)))


def _side_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For each side of a comparison no chosen quote speaks of (「感染性疾病科」 of 「老年医学科和感染性疾病科的比例
    目标分别是多少」), the best-scored unit that does, stating a value of the kind asked when the question asks one:
    each side gets its own quote, as each named document does."""
    out: list[Picked] = []
    kinds = _value_kinds(question)
    for side in _side_words(question):
        if any(_speaks_of(side, clauses[p.hit_index], p.quote, cfg) for p in chosen + out):
            continue
        best = next(
            (
                p
                for p in scored
                if p.score > 0
                and _speaks_of(side, clauses[p.hit_index], p.quote, cfg)
                and (not kinds or (not label_row(clauses[p.hit_index]) and _states_value(p.quote, question, kinds)))
            ),
            None,
        )
        if best is not None and not any(best.quote == p.quote for p in chosen + out):
            out.append(best)
    return out


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
    """For a question asking several things, the unit (hit index, unit) answering each of its parts best: giving the
    part's kind of answer about its period, holding the most of its distinguishing words (at least `cfg.part_min` of
    them), and of those the one scoring best for the part. A quote cut to what supports the opening keeps these,
    since the opening answers one part only."""
    parts = question.parts
    if not parts:
        return set()
    weights = bigram_rarity(frozenset().union(*(p.asked for p in parts)), clauses, cfg)
    out: set[tuple[int, str]] = set()
    for part in parts:
        held = [
            (
                _part_hold(part, c, u, weights),
                _sentence_score(asked_of_clause(part.asked, c), u, part.form, part.years, cfg, c.heading_bigrams),
                -i,
                u,
            )
            for i, c in enumerate(clauses[: cfg.depth])
            for u in c.units
            if _gives(u, part) and not qualifier_differs(part, c, u)
        ]
        if held and (best := max(held))[0] >= cfg.part_min:
            out.add((-best[2], best[3]))
    return out


def _answers_part(part: Part, clause: Clause, quote: str, weights: dict[str, float], cfg: AnswerConfig) -> bool:
    """A quote answers a part when it gives the part's kind of answer, about the part's period, holding at least
    `cfg.part_min` of the part's distinguishing words (weighted by rarity among the clauses read)."""
    return (
        _gives(quote, part)
        and not qualifier_differs(part, clause, quote)
        and _part_hold(part, clause, quote, weights) >= cfg.part_min
    )


def _parts(
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
        if any(_answers_part(part, clauses[p.hit_index], p.quote, weights, cfg) for p in chosen + out):
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
                score = _sentence_score(q, u, part.form, part.years, cfg, clause.heading_bigrams) + bonus - 0.02 * i
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


def repeats(quote: str, other: str) -> bool:
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
