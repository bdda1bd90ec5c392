"""Citations and quotes that earn their place: each clause cited after the first must add something to the answer
(`earning`), after an opening stating a figure each quote after the first must add a fact (`adding_quotes`), a
table row's lone cell restating what the question names is no quote of its own (`without_restating_cells`), and a
note of the bodies responsible closes a quote only when the question asks who (`without_body_notes`), unless
dropping them leaves quotes that no longer answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rag.comparison import compares_documents
from rag.config import DEFAULT, AnswerConfig
from rag.direct import Direct, asked_types
from rag.evidence import Clause
from rag.lexicon import BODY_NOTE_END, INDICATOR_NAME, RESPONSIBLE_Q, SAYS_Q, key_bigrams, names_person, numbers_in
from rag.parts import part_answers
from rag.question import Question
from rag.refusal import unquoted_reason
from rag.units import Picked, rarity
from rag.values import CUT_TYPES, other_years, stated_values, value_kinds


@dataclass
class QuotesCheck:
    """`unquoted_reason` of one question over one answer's clauses, worked out once for each set of quotes: the
    composer asks it of the quotes it would trim an unearned citation from (`earned_quotes`), and the answer asks it
    again of the quotes it ends with, most often the same ones."""

    question: Question
    clauses: Sequence[Clause]
    cfg: AnswerConfig = DEFAULT
    _reasons: dict[tuple[tuple[int, str], ...], str | None] = field(default_factory=dict, init=False, repr=False)

    def fits(self, question: Question, clauses: Sequence[Clause], cfg: AnswerConfig) -> bool:
        """Whether it checks this question over these clauses with these knobs (a check made for others would
        answer for quotes it never read)."""
        return self.question is question and list(self.clauses) == list(clauses) and self.cfg == cfg

    def reason(self, quoted: Sequence[tuple[int, str]]) -> str | None:
        """Why `quoted` ((clause index, quote) pairs) does not answer the question (`unquoted_reason`), or None."""
        key = tuple(quoted)
        if key not in self._reasons:
            self._reasons[key] = unquoted_reason(self.question, self.clauses, key, self.cfg)
        return self._reasons[key]

    def of(self, quotes: Sequence[Picked], direct: Direct | None) -> str | None:
        """`reason` of the quotes and the opening (the unit it comes from), as an answer quotes them."""
        opening = [(direct.hit_index, direct.unit)] if direct is not None else []
        return self.reason([(p.hit_index, p.quote) for p in quotes] + opening)


def earned_quotes(
    question: Question,
    clauses: Sequence[Clause],
    chosen: list[Picked],
    cfg: AnswerConfig,
    weights: dict[str, float] | None = None,
    direct: Direct | None = None,
    check: QuotesCheck | None = None,
) -> list[Picked]:
    """The quotes whose clause earns its citation (`earning`), all of them when dropping the others would leave quotes
    that no longer answer (`_still_answering`). `check` is the answer's (what is checked here it does not check again);
    one of this question and these clauses is made when none is given."""
    earned = earning(question, chosen, clauses, cfg, weights)
    return _still_answering(question, clauses, chosen, earned, cfg, direct, check)


def _still_answering(
    question: Question,
    clauses: Sequence[Clause],
    chosen: list[Picked],
    earned: list[Picked],
    cfg: AnswerConfig,
    direct: Direct | None = None,
    check: QuotesCheck | None = None,
) -> list[Picked]:
    """The earned quotes, unless dropping the others leaves quotes that no longer answer (`unquoted_reason`, the check
    the answer makes of them) where all of them did: a clause restating the subject is no answer, but a question the
    quotes answered together is not refused for a citation too many."""
    if len(earned) == len(chosen):
        return earned
    check = check if check is not None else QuotesCheck(question, clauses, cfg)
    return chosen if check.of(earned, direct) is not None and check.of(chosen, direct) is None else earned


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

    - it is of another document than the lead's, and the question compares no documents (`compares_documents`): a
      later plan or register restating the measure (「…处理率达到100%」 beside the asked city and county rates)
      answers nothing the lead's document does not; or
    - the question asks a figure or a time and the clause states no value of an asked kind the earlier ones do not
      (`states_value`): a sentence restating the subject (「…培育计划」) beside the row stating the asked figure.

    In a comparison the first clause cited of each document earns (it answers that side, though its value may equal the
    other side's). Quotes of a clause already cited cost no citation and stay (0: off)."""
    if not cfg.earn_gain or len({p.hit_index for p in chosen}) < 2:
        return chosen
    weights = rarity(question, clauses, cfg) if weights is None else weights
    total = sum(weights.values())
    if not total:
        return chosen
    compares = compares_documents(question, clauses, cfg)
    figures = bool(CUT_TYPES & set(asked_types(question)))
    kinds = value_kinds(question)
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
        stated = {v for q in quotes for v in stated_values(q, question, kinds)}
        earns = (
            not kept
            or i in answering
            or (compares and clause.doc_key not in docs)  # a comparison's first quote of each document answers a side
            # so does the first quote of each document holding a person the question names: it says who they are there
            or (clause.doc_key not in docs and any(names_person(q, n) for n in question.persons for q in quotes))
            or sum(weights[b] for b in said - covered) >= cfg.earn_gain * total
            # without new words: a clause of the lead's document (of any, in a comparison) that, when a figure or a time
            # is asked, states a value of an asked kind the earlier ones do not, and not only of other years
            or (
                (clause.doc_key == lead_doc or compares)
                and (not figures or (bool(stated - values) and not all(other_years(q, question) for q in quotes)))
            )
        )
        verdict[i] = earns
        if earns:
            kept.add(i)
            docs.add(clause.doc_key)
            covered |= said
            values |= stated
    return [p for p in chosen if verdict[p.hit_index]]


def adding_quotes(
    question: Question,
    clauses: Sequence[Clause],
    direct: Direct | None,
    quotes: list[Picked],
    cfg: AnswerConfig = DEFAULT,
    check: QuotesCheck | None = None,
) -> list[Picked]:
    """After an opening stating a figure or a time (every type the question asks is one of `CUT_TYPES`), the quotes
    each adding a fact the answer lacks so far: after the first, a quote stays when it states a figure neither the
    opening nor an earlier quote states (`numbers_in`), or holds question words (content bigrams of the question) no
    earlier quote holds, or is the first quote of the opening's clause (the opening is shown citing it). Another plan
    restating the opening's figure in its own words (「每年开展演练不少于2次」 under 「每年至少开展2次演练」) or a
    sentence repeating the subject and the figure of the quote before it goes. A quote stating no figure and no
    question word is left to the cuts before (`cuts.with_figures`). Not for a comparison (each side's quote answers
    that side, though it may state the other's figure); all quotes stay when dropping some leaves quotes that no
    longer answer (`unquoted_reason`, as `earned_quotes`)."""
    types = set(asked_types(question))
    if not cfg.adding_only or direct is None or len(quotes) < 2 or not types or not types <= CUT_TYPES:
        return quotes
    if question.sides:
        return quotes
    figures = numbers_in(direct.span) | numbers_in(quotes[0].quote)
    covered = (key_bigrams(direct.span) | key_bigrams(quotes[0].quote)) & question.asked
    kept = [quotes[0]]
    for p in quotes[1:]:
        said, words = numbers_in(p.quote), key_bigrams(p.quote) & question.asked
        # the opening cites its clause through that clause's quotes: its first one stays
        own = p.hit_index == direct.hit_index and all(k.hit_index != direct.hit_index for k in kept)
        if not own and (said or words) and said <= figures and words <= covered:
            continue  # says nothing the answer does not say already
        kept.append(p)
        figures |= said
        covered |= words
    if len(kept) == len(quotes):
        return quotes
    return _still_answering(question, clauses, quotes, kept, cfg, direct, check)


def without_restating_cells(
    question: Question,
    clauses: Sequence[Clause],
    quotes: list[Picked],
    cfg: AnswerConfig = DEFAULT,
    check: QuotesCheck | None = None,
    direct: Direct | None = None,
) -> list[Picked]:
    """The quotes without a table row's lone cell that only restates what the question names (「政策名称：…意见」,
    「工作任务：推进适老化与无障碍改造」 under a question naming that policy or task): a quote of one cell (its column
    name and value, no other cell), stating no figure, whose value's content bigrams are at least
    `cfg.restating_cell_share` the question's; not an indicator's (「指标名称：…」 says what a figure is of). The row
    is cited through its other quotes (the cells that answer) or the opening it gives (its verbatim piece then stands
    for the row, as in `cuts.body_row_cells`), so a cell is left out only when its row is cited so; all stay when
    leaving them out leaves quotes that no longer answer (`unquoted_reason`, as `earned_quotes`). 0: off."""
    if not cfg.restating_cell_share or not quotes or (len(quotes) < 2 and direct is None):
        return quotes

    def restates(p: Picked) -> bool:
        column, colon, value = p.quote.partition("：")
        if not clauses[p.hit_index].is_table_row or not colon or "；" in value or "\n" in value:
            return False
        if INDICATOR_NAME.match(column):
            return False  # an indicator names what a figure is of (an opening without it needs it: `direct`)
        if numbers_in(p.quote):
            return False
        words = key_bigrams(value)
        return bool(words) and len(words & question.asked) >= cfg.restating_cell_share * len(words)

    gone = {j for j, p in enumerate(quotes) if restates(p)}
    cited = {p.hit_index for j, p in enumerate(quotes) if j not in gone}  # rows cited through another quote
    if direct is not None:
        cited.add(direct.hit_index)  # ... or through the opening: its verbatim piece stands for its row (below)
    kept: list[Picked] = []
    for j, p in enumerate(quotes):
        if j not in gone or p.hit_index not in cited:
            kept.append(p)
        elif direct is not None and p.hit_index == direct.hit_index and all(k.hit_index != p.hit_index for k in kept):
            # the opening's row: its piece is quoted for it (cited, not repeated: `rag.answer._assemble`)
            kept.append(Picked(p.hit_index, direct.piece, p.score))
    if kept == quotes:
        return quotes
    return _still_answering(question, clauses, quotes, kept, cfg, direct, check)


def asks_no_body(question: Question, cfg: AnswerConfig = DEFAULT) -> bool:
    """Whether, with `cfg.body_notes_out`, a question asks no body or person (no role, no `RESPONSIBLE_Q` word, no
    body or person type asked) and not what a clause says (`lexicon.SAYS_Q`: the clause whole answers that): then a
    closing note of the bodies responsible (`lexicon.BODY_NOTE_END`) answers nothing of it."""
    if not cfg.body_notes_out or question.roles:
        return False
    if RESPONSIBLE_Q.search(question.normalised) or SAYS_Q.search(question.normalised):
        return False
    return not {"body", "person"} & set(asked_types(question))


def without_body_note(text: str) -> str:
    """A quote (or an opening's span) before its closing note of the bodies responsible (「…贴息金额不超过100万元
    （牵头单位：省财政厅）。」 → 「…贴息金额不超过100万元」): still a verbatim piece of its clause. Unchanged when it
    closes with no such note or is nothing else."""
    note = BODY_NOTE_END.search(text)
    short = text[: note.start()].rstrip() if note else ""
    return short or text


def without_body_notes(
    question: Question,
    clauses: Sequence[Clause],
    quotes: list[Picked],
    cfg: AnswerConfig = DEFAULT,
    check: QuotesCheck | None = None,
    direct: Direct | None = None,
) -> tuple[Direct | None, list[Picked]]:
    """For a question asking no body (`asks_no_body`), the opening and the quotes without their closing notes of the
    bodies responsible (`without_body_note`): who carries a measure out is no part of what it is. All stay as they
    are when the shorter quotes no longer answer (`unquoted_reason`, as `earned_quotes`)."""
    if not quotes or not asks_no_body(question, cfg):
        return direct, quotes
    kept = [Picked(p.hit_index, without_body_note(p.quote), p.score) for p in quotes]
    short = direct
    if direct is not None and direct.verbatim is None and (span := without_body_note(direct.span)) != direct.span:
        short = replace(direct, span=span)  # (a span with a unit put back is no verbatim piece to cut)
    if kept == quotes or _still_answering(question, clauses, quotes, kept, cfg, direct, check) is kept:
        return short, kept
    return direct, quotes
