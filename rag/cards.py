"""Questions about a document itself (its 文号, issuer, signing date, gazette issue, issuing notice), answered from
the document's card (`index.cards`) like any clause: the card's lines for the fields asked are the quote.

A question naming a document the corpus only mentions (a State Council document cited in a notice) has no card:
it is refused, and the clauses mentioning it are offered as `see_also`. A field the gazette does not state for that
document (a chronicle has no 文号) is refused too: nothing is guessed from another document's card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.cards import CARD_LABELS
from index.lookup import MIN_TITLE_SCORE, title_score
from rag.evidence import Clause
from rag.question import Question

_FIELD_NAMES = {
    "doc_number": "文号",
    "issuer": "发文机关",
    "signed": "成文日期",
    "parent": "印发它的通知",
    "gazette": "刊登的公报期数",
}


@dataclass(frozen=True)
class CardQuote:
    """The lines of one card (the hit at `hit_index`) that answer a metadata question."""

    hit_index: int
    lines: tuple[str, ...]


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


def card_quote(question: Question, clauses: Sequence[Clause]) -> CardQuote | str | None:
    """The card lines answering a question about a document itself; a refusal reason when the corpus holds no card
    of the document it names, or the card lacks the field; None for any other question (answered from clauses)."""
    if not question.only_metadata:
        return None
    if not question.doc_number and len(question.document_words) < 2:
        return None  # names no document (「它是什么时候印发的」): nothing to look a card up by
    named = [
        (i, card_fields(c.text)) for i, c in enumerate(clauses) if c.kind == "card" and names_document(question, c)
    ]
    if not named:
        return "现有公报中没有所问文件本身，只有提到它的条款"
    # A notice and its attached plan both match 「…实施方案」: the card stating more of the fields asked (only the
    # plan's names the notice that issued it) wins; the retriever's order breaks ties.
    found, fields = max(named, key=lambda n: sum(f in n[1] for f in question.metadata))
    lines = tuple(fields[f] for f in question.metadata if f in fields)
    if not lines:
        missing = "、".join(_FIELD_NAMES[f] for f in question.metadata)
        return f"公报未载明该文件的{missing}"
    return CardQuote(found, lines)
