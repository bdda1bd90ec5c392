"""Extractive answers: pick the sentences of the retrieved clauses that answer the question, cite each one.

No language model: the answer is made of verbatim sentences, each followed by [n] pointing at the clause it
came from, so nothing in it can be invented. What is picked depends on the question's form:
numbers/dates → sentences or table rows carrying them; lists, definitions and procedures → the clause whole;
「谁负责」 → the sentences naming 牵头单位/责任单位. A table row is always quoted whole: its cells (牵头单位,
完成时限, 2025 年目标…) only mean something together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index.text import YEAR, norm
from rag.models import Evidence

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
_STOP = "的了和与及在是有对为将把被就都而之其或等中上下个这那么吗呢啊请问"
# Particles, question words and punctuation dropped before taking bigrams (one pass: this runs per sentence).
_DROP = re.compile("[" + _STOP + r"?？,，。、:：;；!！\"“”]")
# Sentences that issue, forward or introduce a document rather than say anything about its subject: they share
# the document's name with the question, so without a penalty they outrank the clause that answers it.
_BOILERPLATE = re.compile(
    r"印发给你们|现予印发|现予公布|请结合实际|请认真|抓好贯彻落实|认真贯彻执行|提出如下|通知如下|制定本(?:方案|办法|规划|细则|意见)"
    r"|编制本规划|安排如下|如下意见"
)
# A clause that is only a heading (「（三）领导小组办公室主要工作职责。」) names a topic but answers nothing.
_HEADING_ONLY = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*\S{1,30}[。：:]?$")

MAX_SENTENCES = 4
MAX_WHOLE_CLAUSE = 700
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
    t = _DROP.sub("", norm(text))
    return {t[i : i + 2] for i in range(len(t) - 1)}


def is_table_row(hit: Evidence) -> bool:
    """Whether the hit is a table row (the retriever's hits say so; other evidence is judged by its shape)."""
    kind = getattr(hit, "kind", None)
    return kind == "table_row" if kind is not None else hit.text.startswith("表：")


def sentences(text: str) -> list[str]:
    """Sentences of a chunk, verbatim (table rows stay whole)."""
    if text.startswith("表："):
        return [text.split("\n", 1)[-1]]
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


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
    q = key_bigrams(question)
    rest = q - key_bigrams(f"{hit.doc_title}{hit.doc_number or ''}")
    return rest if len(rest) >= 2 else q


def _sentence_score(q: set[str], sentence: str, form: QuestionForm, years: set[str]) -> float:
    if not q:
        return 0.0
    score = len(q & key_bigrams(sentence)) / len(q)
    if form == "number" and _DIGIT.search(sentence):
        score += 0.15
    if form == "responsible" and _RESPONSIBLE_TEXT.search(sentence):
        score += 0.25
    if years:
        # A target year asked for (「到2025年…多少」) singles out its sentence among the 2030 and 2035 ones.
        said = set(YEAR.findall(norm(sentence)))
        if said & years:
            score += 0.15
        elif said:
            score -= 0.15
    if _BOILERPLATE.search(sentence):
        score *= BOILERPLATE_WEIGHT
    if _HEADING_ONLY.match(norm(sentence)):
        score *= 0.5
    return score


def score_units(question: str, hits: Sequence[Evidence], form: QuestionForm, depth: int = DEPTH) -> list[Picked]:
    """Every quotable unit of the first `depth` hits with its score, best first."""
    years = set(YEAR.findall(norm(question)))
    scored: list[Picked] = []
    for i, hit in enumerate(hits[:depth]):
        q = asked_bigrams(question, hit)
        weight = 1.0 / (1 + 0.35 * i)  # the retriever's order counts, but a better sentence lower down wins
        scored += [Picked(i, s, _sentence_score(q, s, form, years) * weight) for s in units(hit)]
    scored.sort(key=lambda p: -p.score)
    return scored


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
    if form in ("list", "definition") and not is_table_row(lead_hit) and len(lead_hit.text) <= MAX_WHOLE_CLAUSE:
        # The clause whole: every item of a list, every step of a procedure.
        return [Picked(lead.hit_index, lead_hit.text, lead.score)]
    best = lead.score
    lead_doc = doc_key(lead_hit)
    chosen = [lead]
    seen = [key_bigrams(lead.quote)]
    for p in scored[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        share = SAME_DOC_SHARE if doc_key(hits[p.hit_index]) == lead_doc else OTHER_DOC_SHARE
        if p.score < max(share * best, 0.05):
            continue
        grams = key_bigrams(p.quote)
        if any(len(grams & g) > 0.8 * max(1, min(len(grams), len(g))) for g in seen):
            continue  # near-duplicate of a sentence already chosen
        chosen.append(p)
        seen.append(grams)
    rest = sorted(chosen[1:], key=lambda p: (p.hit_index, _position(hits[p.hit_index].text, p.quote)))
    return [lead, *rest]


def _position(text: str, quote: str) -> int:
    pos = text.find(quote)
    return pos if pos >= 0 else len(text)
