"""Extractive answers: pick the sentences of the retrieved clauses that answer the question, cite each one.

No language model: the answer is made of verbatim sentences, each followed by [n] pointing at the clause it
came from, so nothing in it can be invented. What is picked depends on the question's form:
numbers/dates → sentences or table rows carrying them; lists, definitions and procedures → the clause whole;
「谁负责」 → the sentences naming 牵头单位/责任单位.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from index.models import SourceSpan
from index.text import norm

QuestionForm = Literal["number", "responsible", "list", "definition", "general"]

_NUMBER_Q = re.compile(
    r"多少|几[个项家年月天条次%]|比例|比重|百分|目标|何时|什么时候|哪一年|哪年|期限|截至|金额|标准是|上限|下限|达到"
)
_RESPONSIBLE_Q = re.compile(r"谁|哪个部门|哪些部门|哪家|牵头|负责|责任单位|配合单位|主管|承办")
_LIST_Q = re.compile(r"哪些|哪几|包括|包含|有什么|列举|分别")
_DEFINITION_Q = re.compile(
    r"什么是|是什么意思|指什么|含义|定义|如何|怎么|怎样|程序|流程|步骤|机制|讲了什么|规定了什么|内容"
)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_RESPONSIBLE_TEXT = re.compile(r"牵头|责任单位|责任部门|配合单位|负责")
_DIGIT = re.compile(r"\d")
_STOP = set("的了和与及在是有对为将把被就都而之其或等中上下个这那么吗呢啊请问")

MAX_SENTENCES = 4
MAX_WHOLE_CLAUSE = 700


class Evidence(Protocol):
    """What the composer needs of a retrieved hit."""

    chunk_id: str
    doc_title: str
    doc_number: str | None
    section: list[str]
    text: str
    source: SourceSpan


@dataclass
class Picked:
    """A verbatim quote from one hit, and the hit's position in the hit list."""

    hit_index: int
    quote: str
    score: float


def question_form(question: str) -> QuestionForm:
    """Classify the question by what kind of answer it wants."""
    if _RESPONSIBLE_Q.search(question):
        return "responsible"
    if _LIST_Q.search(question) and not _NUMBER_Q.search(question):
        return "list"
    if _NUMBER_Q.search(question):
        return "number"
    if _DEFINITION_Q.search(question):
        return "definition"
    return "general"


def key_bigrams(text: str) -> set[str]:
    """Content bigrams of a text (question words and particles removed), used for overlap scores."""
    t = "".join(ch for ch in norm(text) if ch not in _STOP and not re.match(r"[?？,，。、:：;；!！\"“”]", ch))
    return {t[i : i + 2] for i in range(len(t) - 1)}


def sentences(text: str) -> list[str]:
    """Sentences of a chunk, verbatim (table rows stay whole)."""
    if text.startswith("表："):
        return [text.split("\n", 1)[-1]]
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _sentence_score(q: set[str], sentence: str, form: QuestionForm) -> float:
    if not q:
        return 0.0
    score = len(q & key_bigrams(sentence)) / len(q)
    if form == "number" and _DIGIT.search(sentence):
        score += 0.15
    if form == "responsible" and _RESPONSIBLE_TEXT.search(sentence):
        score += 0.25
    return score


def pick(question: str, hits: Sequence[Evidence], form: QuestionForm | None = None) -> list[Picked]:
    """Choose the quotes that answer `question`, most direct first, clause order kept within a clause."""
    if not hits:
        return []
    form = form or question_form(question)
    q = key_bigrams(question)
    top = hits[0]
    if form in ("list", "definition") and len(top.text) <= MAX_WHOLE_CLAUSE:
        return [Picked(0, top.text, 1.0)]  # the clause whole: every item of a list, every step of a procedure
    scored: list[Picked] = []
    for i, hit in enumerate(hits[:5]):
        weight = 1.0 / (1 + 0.35 * i)  # the retriever's order counts, but a better sentence lower down wins
        scored += [Picked(i, s, _sentence_score(q, s, form) * weight) for s in sentences(hit.text)]
    scored.sort(key=lambda p: -p.score)
    best = scored[0].score if scored else 0.0
    chosen: list[Picked] = []
    seen: list[set[str]] = []
    for p in scored:
        if len(chosen) >= MAX_SENTENCES or p.score < max(0.5 * best, 0.05):
            break
        grams = key_bigrams(p.quote)
        if any(len(grams & g) > 0.8 * max(1, min(len(grams), len(g))) for g in seen):
            continue  # near-duplicate of a sentence already chosen
        chosen.append(p)
        seen.append(grams)
    if not chosen:
        chosen = [Picked(0, sentences(top.text)[0] if sentences(top.text) else top.text, 0.0)]
    lead = chosen[0]
    rest = sorted(chosen[1:], key=lambda p: (p.hit_index, _position(hits[p.hit_index].text, p.quote)))
    return [lead, *rest]


def _position(text: str, quote: str) -> int:
    pos = text.find(quote)
    return pos if pos >= 0 else len(text)
