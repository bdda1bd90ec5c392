"""Cited answers: extractive by default; refusal when the corpus does not answer; citation lookups verbatim."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from index.lookup import LookupResult
from index.text import norm
from rag.cards import CardQuote, card_quote, cards_read, of_named_number, shown_lines
from rag.comparison import document_labels, side_documents
from rag.compose import compose
from rag.config import DEFAULT, AnswerConfig
from rag.direct import Direct, opening
from rag.earning import QuotesCheck
from rag.evidence import Clause, read_clauses
from rag.lexicon import numbers_in
from rag.models import Answer, Citation, Evidence
from rag.question import Question, Side, as_question
from rag.refusal import refusal_reason, unquoted_reason
from rag.units import Picked
from rag.verify import verify_sentence

NOT_FOUND = "现有公报中未找到能回答这个问题的条款。"


def _assemble(
    picked: list[Picked],
    hits: Sequence[Evidence],
    direct: Direct | None = None,
    cfg: AnswerConfig = DEFAULT,
    labels: Mapping[int, str] | None = None,
) -> tuple[str, list[Citation], str | None]:
    """The answer text (the direct opening first, when there is one), its citations and the opening alone. `labels`
    (hit index → 「文号：」, `rag.comparison.document_labels`) name each compared document before its first line.

    A quote the opening already states nearly whole (the opening holds `cfg.repeat_share` of it) is not repeated as a
    line of its own: 「2—3年内实现每个县二级甲等医院全覆盖[1]。」 needs no second line saying the same; the citation
    still quotes it."""
    numbers: dict[int, int] = {}
    quotes: dict[int, list[str]] = {}
    lines: list[tuple[Picked, str]] = []
    for p in picked:
        n = numbers.setdefault(p.hit_index, len(numbers) + 1)
        quotes.setdefault(p.hit_index, []).append(p.quote)
        lines.append((p, f"{p.quote}[{n}]"))
    short = None
    if direct is not None and direct.hit_index in numbers:
        # the opening is a piece of one of the quotes, so it cites that quote's clause; like a generated sentence it
        # is shown only when every figure in it is found there (rag.verify), which a verbatim piece always passes
        short = opening(direct, numbers[direct.hit_index])
        cited = [hits[i] for i in sorted(numbers, key=numbers.__getitem__)]
        if verify_sentence(short, cited) is not None:
            short = None
        else:
            for said in (direct.piece, direct.named):
                if said and not any(said in q for q in quotes[direct.hit_index]):
                    # the quotes were cut to what the opening does not say (a row's other cells, the indicator it
                    # names): the citation still quotes it
                    quotes[direct.hit_index].append(said)
    parts = [(p.hit_index, line) for p, line in lines if short is None or not _restates(direct, p, cfg)]
    if short is not None and direct is not None:
        parts.insert(0, (direct.hit_index, short))
    if labels:
        # each compared document named once, before its first line (the opening's document before the opening)
        named: set[str] = set()
        for at, (i, line) in enumerate(parts):
            if (label := labels.get(i)) and label not in named:
                named.add(label)
                parts[at] = (i, label + line)
    citations = [Citation.from_hit(n, hits[i], _joined(hits[i].text, quotes[i])) for i, n in numbers.items()]
    return "\n".join(line for _, line in parts), citations, short


def _restates(direct: Direct | None, p: Picked, cfg: AnswerConfig) -> bool:
    """Whether the opening states a quote nearly whole, every figure of it included (see `_assemble`): 「到2025年，」
    left out of the opening keeps its quote."""
    if direct is None or p.hit_index != direct.hit_index or direct.piece not in p.quote:
        return False
    if not numbers_in(p.quote) <= numbers_in(direct.piece):
        return False
    return len(norm(direct.piece)) >= cfg.repeat_share * len(norm(p.quote).rstrip("。；;，,"))


def _joined(text: str, quotes: list[str]) -> str:
    """A clause's quotes as one verbatim quote: in clause order, run together where they adjoin in the clause (only
    blanks or the comma between pieces of a sentence apart), else on lines of their own (each verbatim)."""
    placed = sorted(dict.fromkeys(quotes), key=lambda q: text.find(q) if q in text else len(text))  # each once
    out = placed[0]
    for prev, quote in itertools.pairwise(placed):
        end = text.find(prev) + len(prev)
        start = text.find(quote, end)
        adjoining = prev in text and start >= 0 and text[end:start].strip() in ("", "，", ",", "；", ";")
        out += text[end:start] + quote if adjoining else "\n" + quote  # (the quote itself was left out when adjoining)
    return out


def see_also(hits: Sequence[Evidence], cfg: AnswerConfig = DEFAULT) -> list[Citation]:
    """The nearest clauses, offered when the answer is a refusal."""
    return [Citation.from_hit(i + 1, h, h.text[: cfg.see_also_quote]) for i, h in enumerate(hits[: cfg.see_also])]


def extractive_answer(
    question: Question | str, hits: Sequence[Evidence], started: float | None = None, cfg: AnswerConfig = DEFAULT
) -> Answer:
    """Answer from the hits' own sentences, or refuse plainly with the nearest clauses as "see also".

    The first `cfg.depth` hits are read (each once, as `rag.evidence.Clause`) by the refusal checks and the composer.
    """
    started = started or time.perf_counter()
    question = as_question(question)
    clauses = read_clauses(hits[: cfg.depth])
    clauses = cards_read(question, clauses)  # a card is quoted only for what it states, of its own document
    clauses = of_named_number(question, clauses)
    hits = clauses
    card = card_quote(question, clauses, cfg)
    if isinstance(card, CardQuote):
        return _card_answer(card, hits, started)
    reason = card or refusal_reason(question, hits, cfg)
    unstated: list[SideCheck] = []
    if not card and (by_side := unstated_sides(question, clauses, cfg)) is not None:
        # a comparison answers the sides the text answers, and says which side it does not (refused whole or not)
        reason, unstated = None, by_side
    if reason:
        return _refusal(reason, clauses, started, cfg)
    check = QuotesCheck(question, hits, cfg)
    direct, picked = compose(question, hits, cfg=cfg, check=check)
    if unstated:
        unstated, picked = _without_unstated(clauses, unstated, direct, picked, cfg)
    # the quotes chosen must answer too, not only some retrieved sentence: a near miss quoted is no answer (choosing
    # them asked the same of the quotes it trimmed a citation from: those are not checked twice)
    reason = check.of(picked, direct)
    if reason:
        return _refusal(reason, clauses, started, cfg)
    text, citations, short = _assemble(picked, hits, direct, cfg, document_labels(question, clauses, picked, cfg))
    if unstated:
        text += "\n" + "".join(f"（检索到的条款未写明{c.side.words}的相应内容。）" for c in unstated)
    return Answer(
        text=text,
        short_answer=short,
        answerable=True,
        citations=citations,
        mode="extractive",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def _refusal(reason: str, clauses: Sequence[Clause], started: float, cfg: AnswerConfig) -> Answer:
    """A plain refusal saying why, with the nearest clauses as "see also"."""
    return Answer(
        text=f"{NOT_FOUND}（{reason}。）",
        answerable=False,
        citations=[],
        # a card is no clause to read on: the nearest clauses (those mentioning the document asked) come first
        see_also=see_also([c for c in clauses if c.kind != "card"] + [c for c in clauses if c.kind == "card"], cfg),
        mode="extractive",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


@dataclass(frozen=True)
class SideCheck:
    """One side of a comparison as checked on its own (`unstated_sides`): the side, the document (doc key) it names
    among the clauses, and its own question (`Side.query`), read once and used again when the answer is composed."""

    side: Side
    key: str
    question: Question


def _without_unstated(
    clauses: Sequence[Clause],
    unstated: list[SideCheck],
    direct: Direct | None,
    picked: list[Picked],
    cfg: AnswerConfig,
) -> tuple[list[SideCheck], list[Picked]]:
    """The sides still unstated once the answer is composed, and the quotes kept, so that the answer never cites a
    document it says is silent: a side whose document's quotes state a figure or a value of the kind its own question
    asks (`unquoted_reason`), or on which the opening stands, is stated after all (its note goes: the reader judges
    the figure by its quote); the quotes of a side still unstated go (they answer nothing of it)."""
    opening = clauses[direct.hit_index].doc_key if direct else None
    silent: set[str] = set()
    for check in unstated:
        own = [(p.hit_index, p.quote) for p in picked if clauses[p.hit_index].doc_key == check.key]
        states = any(numbers_in(q) for _, q in own) or not unquoted_reason(check.question, clauses, own, cfg)
        if check.key != opening and (not own or not states):
            silent.add(check.key)
    kept = [p for p in picked if clauses[p.hit_index].doc_key not in silent]
    if not kept:  # nothing else quoted: the answer stands as composed, with no note contradicting its citations
        return [], picked
    return [c for c in unstated if c.key in silent], kept


def unstated_sides(
    question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT
) -> list[SideCheck] | None:
    """For a comparison, each side checked on its own: the sides whose own question (`Side.query`) the clauses of the
    side's document do not answer (`refusal_reason`); None when no side is answered, or a side names no document
    among the clauses (its document unknown: the question is judged whole). 「甲方案和乙任务的X分别是多少」 where
    乙任务 states no X answers 甲方案's X and says that 乙任务 does not state it, rather than refusing both. Each side
    is read (`Question.read`) and resolved to its document once here; `_without_unstated` takes the checks as they
    are."""
    if len(question.sides) < 2:
        return None
    keys = side_documents(question, clauses, cfg)
    unstated = []
    for side, key in zip(question.sides, keys, strict=True):
        if key is None:
            return None
        own = [c for c in clauses if c.doc_key == key]
        check = SideCheck(side, key, Question.read(side.query))
        if refusal_reason(replace(check.question, named=question.named), own, cfg):
            unstated.append(check)
    return None if len(unstated) == len(question.sides) else unstated


def _card_answer(card: CardQuote, hits: Sequence[Evidence], started: float) -> Answer:
    """A question about a document itself, answered with its card's lines for the fields asked (each cited [1]);
    the first line is the short answer. A question about several documents quotes each one's card ([1], [2], …),
    and opens with which came first when it asks so (`CardQuote.order`)."""
    cards = [card, *card.others]
    lines = [f"{line}[{n}]" for n, shown in enumerate(shown_lines(card), 1) for line in shown]
    if card.order:
        lines.insert(0, card.order)
    return Answer(
        text="\n".join(lines),
        short_answer=lines[0],
        answerable=True,
        citations=[Citation.from_hit(n, hits[c.hit_index], "\n".join(c.lines)) for n, c in enumerate(cards, 1)],
        mode="extractive",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def lookup_answer(
    result: LookupResult, hits: Sequence[Evidence], started: float | None = None, cfg: AnswerConfig = DEFAULT
) -> Answer:
    """A citation lookup answered verbatim from the clause(s) it names (hits are those clauses). With
    `cfg.lookup_head`, a first line names the document (《title》（文号）) and each clause follows its heading path;
    without, its citations name the document, and with `cfg.lookup_path` each clause follows its heading path less
    its last heading when the clause opens with it (「第七条 …」 says 第七条 itself, 「11. 落实…」 its heading
    「11.落实…」: spaces aside); without that either, the citation shows the path too, and one clause is preceded only
    by its own heading when it does not open with it; clauses under different headings keep their paths, which tell
    them apart (「三、主要任务：（三）…」 and 「四、保障措施：（三）…」)."""
    started = started or time.perf_counter()
    parts, citations = [], []
    apart = len({tuple(hit.section[:-1]) for hit in hits}) > 1  # clauses under different headings
    for n, hit in enumerate(hits, start=1):
        section = list(hit.section)
        if not cfg.lookup_head:
            opens = bool(section) and _opens_with(hit.text, section[-1])
            above = section[:-1] if cfg.lookup_path or apart else []
            section = above + ([] if opens else section[-1:])
        parts.append(f"{' '.join(section)}：{hit.text}[{n}]" if section else f"{hit.text}[{n}]")
        citations.append(Citation.from_hit(n, hit, hit.text))
    head = f"《{result.document.title}》（{result.document.doc_number or '无文号'}）"
    return Answer(
        text="\n".join([head, *parts] if cfg.lookup_head else parts),
        answerable=True,
        citations=citations,
        mode="lookup",
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def _opens_with(text: str, heading: str) -> bool:
    """Whether a clause's text opens with its heading as printed, spaces aside (「11. 落实老年村医保障待遇。」 opens
    with the heading 「11.落实老年村医保障待遇」)."""
    return norm(text).startswith(norm(heading))
