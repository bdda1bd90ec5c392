"""Questions about a document itself (its 文号, issuer, signing date, gazette issue, issuing notice), answered from
the document's card (`index.cards`) like any clause: the card's lines for the fields asked are the quote.

A question naming a document the corpus only mentions (a State Council document cited in a notice) has no card:
it is refused, and the clauses mentioning it are offered as `see_also`. A field the gazette does not state for that
document (a chronicle has no 文号) is refused too: nothing is guessed from another document's card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from index.cards import CARD_LABELS
from index.lookup import MIN_TITLE_SCORE, title_score
from index.text import norm
from rag.config import DEFAULT, AnswerConfig
from rag.cuts import without_formula
from rag.evidence import Clause
from rag.lexicon import (
    APPROVED_TEXT,
    BASIS_TEXT,
    CARD_DATE,
    ISSUED_NAME,
    NOTICE_END,
    ORDER_Q,
    PIECE_END,
    QUOTED_TITLE,
    TITLE_END,
    TITLE_PERIOD,
    key_bigrams,
)
from rag.question import Question

_FIELD_NAMES = {
    "title": "标题",
    "doc_number": "文号",
    "issuer": "发文机关",
    "signed": "成文日期",
    "parent": "印发它的通知",
    "gazette": "刊登的公报期数",
    "approved": "审议通过的会议",
    "basis": "依据的文件",
}


@dataclass(frozen=True)
class ClauseField:
    """A field of a document no card line states: a clause of the document (its opening, its issuing notice) says
    it, in a sentence `said` finds; `unquoted` is what a refusal names when no quote says it."""

    said: re.Pattern[str]
    unquoted: str


# The fields no card line states, each with how a clause says it (read here and by `rag.refusal`).
FROM_CLAUSES: Mapping[str, ClauseField] = {
    "approved": ClauseField(APPROVED_TEXT, "经哪次会议审议通过"),
    "basis": ClauseField(BASIS_TEXT, "依据哪些文件制定"),
}


@dataclass(frozen=True)
class CardQuote:
    """The lines of one card (the hit at `hit_index`) that answer a metadata question; for a question about several
    documents (「…哪个先印发」, 「…分别由哪个机关印发」), the other documents' cards as `others` and, when the question
    asks which came first and both cards state a date, `order`: the sentence that says so. For a question asking which
    meetings approved a document, the notice's sentence saying so (a clause, not a card) with the card as `others`."""

    hit_index: int
    lines: tuple[str, ...]
    others: tuple[CardQuote, ...] = ()
    order: str | None = None


# A document is identified by its 文号 and date: an answer about it states them unless the question does.
IDENTIFYING = ("doc_number", "signed")


def card_fields(text: str) -> dict[str, str]:
    """A card's lines by field, read back by their labels (「文号：青政办〔2022〕30号。」 → doc_number)."""
    by_label = {label: name for name, label in CARD_LABELS.items()}
    out = {}
    for line in text.splitlines():
        label, sep, _ = line.partition("：")
        if sep and label in by_label:
            out[by_label[label]] = line
    return out


def names_document(question: Question, clause: Clause) -> bool:
    """Whether the question names the clause's document: by its 文号, as one of the documents it names
    (`Question.named`), or by most of its title's words (≥ MIN_TITLE_SCORE of the question's title bigrams are in
    the title, as citation lookups resolve titles)."""
    if question.doc_number and clause.doc_number == question.doc_number:
        return True
    doc_id = getattr(clause.hit, "doc_id", None)  # a Hit has one; a baseline's chunk may not
    if doc_id is not None and any(doc_id in doc_ids for doc_ids in question.named_families):
        return True  # named by an abbreviated title (index.names), one of several a comparison names
    words = question.document_words
    return len(words) >= 2 and title_score(words, clause.doc_title) >= MIN_TITLE_SCORE


def cards_read(question: Question, clauses: Sequence[Clause]) -> list[Clause]:
    """The clauses an answer reads, cards only where they describe what is asked: none for a question about a
    document's content (a card says nothing of it), and for a question naming its document by 文号 only that
    document's card (another's card states another document's date: 「X号是哪天印发的，讲的什么」 was answered
    from the card of the 文号 next to it, which names the notice issuing it). Clauses stay when nothing else is
    left."""
    if not question.metadata:
        return [c for c in clauses if c.kind != "card"] or list(clauses)
    if question.doc_number:  # several documents named (「X号和Y号分别是哪天印发的」): each one's card
        return [c for c in clauses if c.kind != "card" or names_document(question, c)] or list(clauses)
    return list(clauses)


def of_named_number(question: Question, clauses: Sequence[Clause]) -> list[Clause]:
    """For a question about the content of the one document it names, by 文号, that document's clauses alone when any
    was read (「X号免了谁的职」 is answered by X号, not by another notice's 「谁执法谁普法」 ranked above its one
    clause); every clause when none was, or when the question names more than one document or compares sides."""
    named = question.named or ()
    one_number = len(named) == 1 and named[0].how == "number"
    if not question.doc_number or question.metadata or not one_number or len(question.sides) >= 2:
        return list(clauses)
    own = [c for c in clauses if c.doc_number == question.doc_number]
    return own if any(c.kind != "card" for c in own) else list(clauses)


def _not_the_quoted(question: Question, clauses: Sequence[Clause], cards: list[tuple[int, dict[str, str]]]) -> set[int]:
    """The cards that are not of a title the question quotes in 《》, when some card's title holds that title: a title
    going on past it is a document about it (「X规划分领域编制工作任务分解表」 for 「《X规划》是哪天印发的」), and
    so is one not holding it. An issuing notice (「关于印发X规划的通知」) is of the document it issues. A quoted title
    no card holds (paraphrased, abbreviated) rules nothing out. The period a printed title adds after the name
    (「X规划（2021—2025年）」) is still the document quoted."""
    out: set[int] = set()
    titles = {i: norm(clauses[i].doc_title) for i, _ in cards}
    for m in QUOTED_TITLE.finditer(question.normalised):
        quoted = m.group(0)[1:-1]
        if not quoted or not any(quoted in t for t in titles.values()):
            continue
        out |= {i for i, t in titles.items() if quoted not in t or not _ends_title(t[t.find(quoted) + len(quoted) :])}
    return out


def _ends_title(rest: str) -> bool:
    """Whether what follows a quoted title in a card's title leaves it the same document: nothing, its period, or
    the end of the notice issuing it."""
    return TITLE_PERIOD.sub("", rest) in NOTICE_END


def card_lines(question: Question, fields: dict[str, str]) -> tuple[str, ...]:
    """The lines of a card answering the question: the fields asked, in the order asked, then the document's 文号
    and date (`IDENTIFYING`) where the question does not state them itself (「青政办〔2022〕30号是哪天签发的」)."""
    wanted = [*question.metadata]
    if question.metadata:
        wanted += [f for f in IDENTIFYING if f not in wanted and not (f == "doc_number" and question.doc_number)]
    return tuple(fields[f] for f in wanted if f in fields)


def _best_card(question: Question, named: list[tuple[int, dict[str, str]]]) -> tuple[int, dict[str, str]]:
    # A notice and its attached plan both match 「…实施方案」: the card stating more of the fields asked (only the
    # plan's names the notice that issued it) wins; the retriever's order breaks ties.
    return max(named, key=lambda n: sum(f in n[1] for f in question.metadata))


def _signed(fields: dict[str, str]) -> tuple[int, int, int] | None:
    m = CARD_DATE.search(fields.get("signed", ""))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _title(fields: dict[str, str]) -> str:
    return fields.get("title", "").partition("：")[2]


def issued_name(title: str) -> str:
    """The name a document is known by: of a notice issuing it (「《…办公厅关于印发青海省重污染天气应急预案的通知》」)
    the document issued (「《青海省重污染天气应急预案》」); any other title as it is. 《》 kept as given."""
    bare = title.removeprefix("《").removesuffix("》")
    m = ISSUED_NAME.search(bare)
    if not m:
        return title
    return f"《{m.group(1)}》" if title.startswith("《") else m.group(1)


def shown_lines(card: CardQuote) -> list[tuple[str, ...]]:
    """The lines an answer shows of each card of a card quote (the card's, then each of `others`), as quoted (the
    citations quote them verbatim), except where several documents are compared: there a title line names each by
    what it is known by (`issued_name`, not the notice's whole title: 「文件：《…应急预案》」), and the document the
    order sentence names already (「《…》先印发（…）[1]。」) is not named again."""
    cards = [card, *card.others]
    if not card.others:
        return [c.lines for c in cards]
    out = []
    title_label = f"{CARD_LABELS['title']}："
    for c in cards:
        lines = []
        for line in c.lines:
            if line.startswith(title_label):
                name = issued_name(line.removeprefix(title_label))
                if card.order and name in card.order:
                    continue
                line = title_label + name
            lines.append(line)
        out.append(tuple(lines))
    return out


def order_sentence(cards: Sequence[dict[str, str]]) -> str | None:
    """Which of the documents was signed first (「《A》先印发（2021年12月21日）[1]。」: A the name it is known by,
    `issued_name`), or that all were signed on one day, from the dates on their cards (numbered [1], [2], … in
    order); None when a card states no date."""
    dates = [_signed(f) for f in cards]
    if len(cards) < 2 or any(d is None for d in dates):
        return None
    marks = "".join(f"[{n}]" for n in range(1, len(cards) + 1))
    if len(set(dates)) == 1:
        return f"同一天印发（{CARD_DATE.search(cards[0]['signed']).group(0)}）{marks}。"  # type: ignore[union-attr]
    first = min(range(len(cards)), key=lambda i: dates[i])  # type: ignore[arg-type, return-value]
    when = CARD_DATE.search(cards[first]["signed"]).group(0)  # type: ignore[union-attr]
    return f"{issued_name(_title(cards[first]))}先印发（{when}）[{first + 1}]。"


def said_by(
    question: Question, clauses: Sequence[Clause], cards: list[tuple[int, dict[str, str]]], share: float
) -> list[tuple[int, dict[str, str]]]:
    """The card of the document whose best clause says what the question names its document by, for a question
    naming it by its content (「阎柏任青海省行政学院院长是哪个文号的任免通知」: the appointment says it): the first
    clause, holding `share` of the question's title words' bigrams. Not for a question naming a 文号 or a title (in
    《》, or words ending as titles do: 「安全生产法」): a document the corpus only mentions has no card, and a clause
    mentioning it is not it. Nor when that clause names in its text a document the question names, ending in a
    document's type wherever it stands in the question (「X应急预案最后是哪天印发的」, 「目录里的X办法」), that is not
    its own (`_mentions`): that document is only mentioned, and the clause is the mention."""
    if question.doc_number or QUOTED_TITLE.search(question.text) or TITLE_END.search(question.document_words):
        return []
    first = next((c for c in clauses if c.kind != "card"), None)
    if first is not None and _mentions(question, first):
        return []
    words = key_bigrams(question.document_words)
    if first is None or not words or len(words & key_bigrams(first.text)) < share * len(words):
        return []
    doc_id = getattr(first.hit, "doc_id", None)
    return [(i, f) for i, f in cards if doc_id is not None and getattr(clauses[i].hit, "doc_id", None) == doc_id]


def _mentions(question: Question, clause: Clause) -> bool:
    """Whether the clause names, in its text, a document the question names (a run of its words ending in a
    document's type: 「…应急预案」, 「…三年行动方案」) that is not the clause's own document (its title does not hold
    it, as citation lookups resolve titles): a listing or a citation of another document, which its card does not
    describe."""
    text = norm(clause.text).replace(" ", "")
    return any(
        title in text and title_score(title, clause.doc_title) < MIN_TITLE_SCORE for title in question.typed_titles
    )


def card_quote(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> CardQuote | str | None:
    """The card lines answering a question about a document itself; a refusal reason when the corpus holds no card
    of the document it names, or the card lacks the field; None for any other question (answered from clauses).

    A question naming several documents (`Question.named`) gets the card of each of them retrieved, each with its
    lines (「科技创新规划和生态经济发展规划哪个先印发」: both dates, and which came first)."""
    if not question.only_metadata:
        return None
    if not question.doc_number and len(key_bigrams(question.document_words)) < 2:
        # names no document (「它是什么时候印发的」), or too little of one to tell it (「反拐的两个文件」: one word of
        # its title): nothing to look a card up by
        return None
    cards = [(i, card_fields(c.text)) for i, c in enumerate(clauses) if c.kind == "card"]
    per_naming = []
    for doc_ids in question.named_families:
        named = [(i, f) for i, f in cards if getattr(clauses[i].hit, "doc_id", None) in doc_ids]
        if named and (best := _best_card(question, named)) not in per_naming:
            per_naming.append(best)
    if len(question.sides) >= 2 and len(per_naming) < len(question.sides):
        # a question about several documents (「A和B是同一次常务会议通过的吗」) whose cards are not all read: one card
        # answers one side only, the clauses may answer each
        return None
    if len(per_naming) >= 2:
        quotes = [(i, card_lines(question, f)) for i, f in per_naming]
        approvals = [approval_sentence(clauses, i) for i, _ in per_naming] if "approved" in question.metadata else []
        if approvals and all(approvals):
            # which meetings approved each: each document's notice sentence, then its card
            each = [
                q
                for a, (i, f) in zip(approvals, per_naming, strict=True)
                for q in _said_then_card((a,), i, f, question)
            ]
            return replace(each[0], others=tuple(each[1:]))
        if all(lines for _, lines in quotes):
            # each card after its title line, which a question asking what the documents are asks for too: once
            with_titles = [
                CardQuote(i, tuple(dict.fromkeys((f["title"], *card_lines(question, f))))) for i, f in per_naming
            ]
            order = order_sentence([f for _, f in per_naming]) if ORDER_Q.search(question.normalised) else None
            return replace(with_titles[0], others=tuple(with_titles[1:]), order=order)
    other = _not_the_quoted(question, clauses, cards)
    named = [(i, f) for i, f in cards if names_document(question, clauses[i]) and i not in other]
    named = named or said_by(question, clauses, cards, cfg.said_share)
    if not named:
        return "现有公报中没有所问文件本身，只有提到它的条款"
    found, fields = _best_card(question, named)
    approval = approval_sentence(clauses, found) if "approved" in question.metadata else None
    basis = basis_sentence(clauses, found) if "basis" in question.metadata else None
    if approval is not None or basis is not None:
        first, *rest = _said_then_card((approval, basis), found, fields, question)
        return replace(first, others=tuple(rest))
    if not any(f in fields for f in question.metadata):
        if set(question.metadata) <= FROM_CLAUSES.keys():
            return None  # no notice sentence retrieved says it: the clauses answer, or the refusal checks refuse
        missing = "、".join(_FIELD_NAMES[f] for f in question.metadata)
        return f"公报未载明该文件的{missing}"
    return CardQuote(found, card_lines(question, fields))


def _said_then_card(
    said: Sequence[tuple[int, tuple[str]] | None], card: int, fields: dict[str, str], question: Question
) -> list[CardQuote]:
    """The sentences found saying what was asked of the document (which meetings approved it, which documents it
    rests on: `FROM_CLAUSES`), in its clauses' words, first; then the card's lines identifying it (文号, date), when
    it states any."""
    lines = card_lines(question, fields)
    return [CardQuote(*s) for s in said if s is not None] + ([CardQuote(card, lines)] if lines else [])


def basis_sentence(clauses: Sequence[Clause], card: int) -> tuple[int, tuple[str]] | None:
    """The first retrieved sentence of the card's document naming the documents it rests on (`BASIS_TEXT`: 「根据
    《…》（国办发〔2022〕8号）要求，…」), with its clause's index; None when no clause read says so. Only a clause
    without a heading path counts, the document's opening or its issuing notice: a measure's 「按照《…》规定」 under a
    heading is the basis of that measure, not of the document."""
    found = _first_own_unit(clauses, card, FROM_CLAUSES["basis"].said, openings_only=True)
    return (found[0], (_naming_documents(found[1]),)) if found else None


def approval_sentence(clauses: Sequence[Clause], card: int) -> tuple[int, tuple[str]] | None:
    """The first retrieved sentence of the card's document saying which meetings approved it (`APPROVED_TEXT`:
    「…已经省政府第94次常务会议审议通过，现印发给你们」), with its clause's index; None when no clause read says so."""
    found = _first_own_unit(clauses, card, FROM_CLAUSES["approved"].said)
    return (found[0], (found[1],)) if found else None


def _first_own_unit(
    clauses: Sequence[Clause], card: int, said: re.Pattern[str], *, openings_only: bool = False
) -> tuple[int, str] | None:
    """The first unit (sentence, table row) of the card's document's clauses read (`_own_clauses`) that `said`
    finds, without its formula, with its clause's index; with `openings_only`, of a clause without a heading path
    only (the document's opening, its issuing notice)."""
    for i, c in _own_clauses(clauses, card):
        if openings_only and c.section:
            continue
        for unit in c.units:
            if said.search(unit):
                return i, without_formula(unit)
    return None


def _naming_documents(sentence: str) -> str:
    """A basis sentence to the end of the piece closing the last title it names (「…（国办发〔2020〕25号）要求，」):
    what it goes on to say (「进一步突出重点，…」) is the document's purpose, not its basis."""
    last = sentence.rfind("》")
    end = PIECE_END.search(sentence, last) if last >= 0 else None
    return sentence[: end.start()] if end else sentence


def _own_clauses(clauses: Sequence[Clause], card: int) -> list[tuple[int, Clause]]:
    """The clauses read of the card's document (not cards): the issuing notice shares its attachment's 文号, so a
    clause of either counts."""
    doc_id = getattr(clauses[card].hit, "doc_id", None)
    number = clauses[card].doc_number
    return [
        (i, c)
        for i, c in enumerate(clauses)
        if c.kind != "card"
        and (getattr(c.hit, "doc_id", None) == doc_id or (number is not None and c.doc_number == number))
    ]
