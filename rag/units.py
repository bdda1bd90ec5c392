"""The quotable units of the retrieved clauses and their scores: how much of the question a sentence or table row
says (`score_units`), which of the question's words tell the clauses apart (`rarity`), and, for a question asking a
figure or a time, how well a unit's value is of what is asked (`measured`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.text import YEAR, norm
from rag.config import DEFAULT, AnswerConfig
from rag.direct import asked_types, held_share, value_piece
from rag.evidence import Clause, rarity_weight
from rag.lexicon import (
    BOILERPLATE,
    DIGIT,
    DOC_NUMBER,
    ENUMERATION,
    ENUMERATION_END,
    EXPLAINS,
    HEADING_ONLY,
    INDICATOR_UNIT,
    LIST_TAIL,
    RESPONSIBLE_TEXT,
    SIDES_Q,
    holds_role,
    key_bigrams,
)
from rag.question import Question, QuestionForm
from rag.values import CUT_TYPES


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
    小组」): the first item runs back into the lead-in words, the last one on into the rest of the clause. Empty when
    the sentence enumerates none (`enumerates`)."""
    items: set[str] = set()
    for run in _head_runs(sentence, head):
        first, *rest = norm(run).split("、")
        items.add(first[-cfg.list_item_chars :])  # 「…下设综合协调组」: the lead-in words are no item
        items.update(LIST_TAIL.split(x, 1)[0][: cfg.list_item_chars] for x in rest)
    return items


def enumeration_spans(sentence: str, cfg: AnswerConfig = DEFAULT) -> list[tuple[int, int]]:
    """Where a normalised sentence enumerates items (three or more joined by 、: 「西宁市、格尔木市、玉树市…等5个」):
    from `cfg.list_item_chars` characters before its first 、 (the first item, not the lead-in words) to the end of its
    last item (「等」, the clause's end, or `cfg.list_item_chars` characters on)."""
    spans: list[tuple[int, int]] = []
    for m in ENUMERATION.finditer(sentence):
        if spans and m.start() < spans[-1][1]:
            continue  # a later piece of a list already spanned
        end = ENUMERATION_END.search(sentence, m.end())
        run_end = end.start() if end else len(sentence)
        first, last = sentence.index("、", m.start()), sentence.rindex("、", m.start(), run_end)
        tail = LIST_TAIL.search(sentence, last + 1, run_end)
        stop = min(tail.start() if tail else run_end, last + 1 + cfg.list_item_chars)
        spans.append((max(m.start(), first - cfg.list_item_chars), stop))
    return spans


def listed_only(sentence: str, word: str, cfg: AnswerConfig = DEFAULT) -> bool:
    """Whether a sentence names `word` only as one item of an enumeration (`enumeration_spans`): 「在西宁市、格尔木市、
    玉树市…等5个城镇开展试点」 says what the five have in common, nothing of 格尔木市 alone."""
    t = norm(sentence)
    at = [m.start() for m in re.finditer(re.escape(word), t)]
    spans = enumeration_spans(t, cfg) if at else []
    return bool(at) and all(any(a <= i and i + len(word) <= b for a, b in spans) for i in at)


def sentence_score(
    q: frozenset[str],
    sentence: str,
    form: QuestionForm,
    years: frozenset[str],
    cfg: AnswerConfig,
    heading: frozenset[str] = frozenset(),
    head: str = "",
    dated: frozenset[str] = frozenset(),
) -> float:
    """How well a sentence answers what `q` (content bigrams of the question, a part or a side) says: the share of them
    it holds (those of its heading path `heading` count `cfg.heading_weight`), with bonuses for what the question's
    `form` asks (a figure, a responsible unit, items of `head`) and a year asked (less for another year), weighed down
    as boilerplate or a bare heading. A sentence stating no year is of the years `dated` (its clause's opening
    「到2035年，」), if any: of another year than asked, it loses the bonus as one stating it would; of the year
    asked, it gains none (every sentence of its clause is, so it singles out none)."""
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
        elif stated or (dated and not dated & years):
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
    doc_weight = document_weights(question, clauses[: cfg.depth], cfg)
    for i, clause in enumerate(clauses[: cfg.depth]):
        q = asked_of_clause(question.asked, clause)
        # a holder of the role asked, in a document the question names (any, naming none): not another group's
        role_bonus = bool(question.roles) and (not named or getattr(clause.hit, "doc_id", None) in named)
        # the retriever's order counts, but a better sentence lower down wins
        weight = doc_weight[i] / (1 + cfg.rank_decay * i)
        opening = clause.dating_opening if cfg.opening_dates else None
        dated = frozenset(opening.groups()) if opening else frozenset()
        for s in clause.units:
            score = sentence_score(q, s, question.form, question.years, cfg, clause.heading_bigrams, head, dated)
            if any(e.search(s) for e in explains):
                score += cfg.explains_bonus
            if role_bonus and holds_role(s, question.roles):
                score += cfg.role_bonus  # who holds the role asked, not a sentence merely about the group
            scored.append(Picked(i, s, score * weight))
    scored.sort(key=lambda p: -p.score)
    return scored


def document_weights(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[float]:
    """The share of its units' scores each clause keeps for the document it is of (a 文号's notice and attachments
    count as one, `Clause.doc_key`), for a question asking of one subject (no comparison, `lexicon.SIDES_Q`, no person
    looked for across documents): `cfg.unnamed_doc_weight` for a clause of a document the question does not name,
    when it names one; `cfg.restating_weight` for a clause restating another retrieved document (`restates`), unless
    the question names the restating one. A sentence of a later plan saying again what an earlier document decided
    (「落实《…实施方案》，在…开展试点」) scores as high as the original sentence by sentence; the original is the one
    to cite."""
    out = [1.0] * len(clauses)
    if len(question.sides) >= 2 or SIDES_Q.search(question.normalised) or question.persons:
        return out  # each side's document is asked, or the person's documents are not known before reading
    named_ids = {d for doc_ids in question.named_families for d in doc_ids}
    named = {c.doc_key for c in clauses if getattr(c.hit, "doc_id", None) in named_ids}
    titles: dict[str, set[str]] = {}
    for c in clauses:
        if c.kind != "card":
            titles.setdefault(c.doc_key, set()).add(c.bare_title)
    for i, c in enumerate(clauses):
        if c.doc_key in named:
            continue
        if named:
            out[i] *= cfg.unnamed_doc_weight
        if restates(c, {t for key, ts in titles.items() if key != c.doc_key for t in ts}, cfg):
            out[i] *= cfg.restating_weight
    return out


def restates(clause: Clause, titles: set[str], cfg: AnswerConfig = DEFAULT) -> bool:
    """Whether a clause restates a document of one of these titles (each as `Clause.bare_title` holds it): its
    heading path holds `cfg.restate_chars` characters of one of them in a row (「三、推动公立医院高质量发展」 under
    a later plan, of 「推动公立医院高质量发展实施方案」), or it quotes one of them in 《》 (「落实《青海省推动…实施
    方案》」, `Clause.titles_quoted`). A title
    quoted that only shares words with one (「《…高质量发展促进行动（2022—2025年）》」, a document still to be
    made) restates none."""
    n = cfg.restate_chars
    if not n:
        return False
    heading = norm("".join(clause.section))
    return bool(clause.titles_quoted & titles) or any(
        t[i : i + n] in heading for t in titles for i in range(len(t) - n + 1)
    )


def indicator_share(bigrams: frozenset[str], clause: Clause) -> float | None:
    """For a table row, the share of its indicator (「指标：产值规模／总产值」: the part after its group's 「／」)
    that the question names (`bigrams`), the best of its indicator cells, less a unit closing it: 「总产值」 is wholly
    named by 「盐湖产业总产值」,
    「农畜产品加工产值与农业总产值比」 hardly. None for a clause that is no row with an indicator cell."""
    names = clause.table.indicators if clause.table is not None else ()
    # a unit closing the name (「…覆盖率（%）」) is no word of it: its bracket bigrams would dilute the share
    said = [frozenset(key_bigrams(INDICATOR_UNIT.sub("", name))) for name in names]
    shares = [len(words & bigrams) / len(words) for words in said if words]
    return max(shares) if shares else None


def is_sibling(a: Clause, b: Clause) -> bool:
    """Whether two clauses sit under the same heading of the same document (「3. 完成时限」, 「4. 责任单位」)."""
    return a.doc_key == b.doc_key and len(a.section) >= 2 and a.section[:-1] == b.section[:-1]


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
    if not CUT_TYPES & set(asked_types(question)):
        return list(ranked)  # a body or a person is named in too many ways to say what it is "of"
    out = []
    for i, unit, score in ranked:
        table = clauses[i].table
        found = value_piece(unit, question, cfg, weights, table.unit if table is not None else None)
        # a 文号 (「国办发〔2021〕18号」) is no value: the notice quoting it restates no measure of what is asked
        if found is not None and not DOC_NUMBER.search(found[0]):
            score += cfg.lead_measure_weight * held_share(measure_of(clauses[i], found[0]), question, weights)
        out.append((i, unit, score))
    return sorted(out, key=lambda t: (-t[2], t[0], reading_position(clauses[t[0]].text, t[1])))


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


def reading_position(text: str, quote: str) -> int:
    """Where a quote stands in its clause's text (after the end when it is not found there), for reading order."""
    pos = text.find(quote)
    return pos if pos >= 0 else len(text)
