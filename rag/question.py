"""The question model: what a question asks, read once per request.

`Question.read(text, history)` reads the raw question (and the conversation before it) once; the retriever, the
composer, refusal, verification and the citation lookup take the resulting `Question` and never parse the raw
string again. Every pattern and word list used here lives in `rag.lexicon`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import jieba
import jieba.posseg

from index.lookup import Reference
from index.names import How, Naming
from index.text import DOC_NUMBER, canonical_doc_number, norm, spell_doc_numbers
from rag.config import READING, ReadingConfig
from rag.lexicon import (
    AMOUNT_Q,
    ASKED_BY_MARK,
    ASKED_UNIT,
    ASKS,
    ASKS_AGAIN,
    ASKS_VALUE,
    BARE_WHEN,
    COUNT_Q,
    DATE_Q,
    DAY_Q,
    DEFINITION_Q,
    DEGREE_ASKED,
    DOCUMENT_NAMED,
    DOCUMENT_PLACE,
    DOCUMENT_TYPE,
    DOCUMENT_YEAR,
    EACH,
    EACH_WORD,
    FIVE_YEAR_PLAN,
    FOLLOW_ON,
    FOLLOW_ON_LEAD,
    FOLLOW_UP,
    FREQUENCY_ASKED,
    FUNCTION_START,
    GENERIC,
    GROUP_HEAD,
    GROUP_NAMED,
    HALF_YEAR,
    INDICATOR_TARGET,
    INTERROGATIVE,
    ISSUE_VERB,
    LEADING_COMPARE,
    LEADS_Q,
    LIST_HEAD_AFTER,
    LIST_HEAD_BEFORE,
    LIST_Q,
    MAY_Q,
    META_Q,
    META_WORDS,
    MONEY,
    MONTH,
    NAMING,
    NOT_MEASURED,
    NOT_SUBJECT,
    NUMBER_Q,
    PER_UNIT,
    PERIOD,
    PERIOD_Q,
    PERSON_NAMED,
    PERSON_Q,
    POINTS_BACK,
    PREDICATE,
    PROCEDURE_Q,
    QUALIFYING_FIGURE,
    QUANTITY_Q,
    QUOTED_TERM,
    RATIO_Q,
    REPEAL,
    RESPONSIBLE_Q,
    ROLE,
    SEGMENT_SPLIT,
    SEVERAL_NAMED,
    SIDE_AFTER_END,
    SIDE_AFTER_TITLE,
    SIDE_BEFORE_END,
    SIDE_JOIN,
    SIDE_JOIN_LOOSE,
    SIDES_Q,
    SOURCE_AFTER,
    TIME_ONLY,
    TITLE_END,
    UNIT_WORD,
    VALIDITY_Q,
    YEAR,
    YES_NO_Q,
    canonical_figure,
    grades_in,
    key_bigrams,
    numbers_in,
    plan_end_year,
)

QuestionForm = Literal["number", "responsible", "list", "definition", "general"]
# How a question names a document (`Question.named`): as `index.names` reads it, or by a comparison's side alone
# (`rag.retriever.Retriever.resolve`: the index knows no sides).
NamedHow = How | Literal["side"]
# The kind of value a question expects: the direct answer opens with one of these when a quote states it.
AnswerType = Literal[
    "quantity",
    "ratio",
    "date",
    "period",
    "count",
    "body",
    "person",
    "list",
    "definition",
    "procedure",
    "yes_no",
    "other",
]
# What a question about a document's validity asks (「…还有效吗」, 「…什么时候施行」, 「…有效期到什么时候」,
# 「…废止了哪个文件」); answered from index.validity's statements, not from retrieved sentences.
ValidityAsk = Literal["repeals", "expiry", "effective", "in_force"]
VALUE_TYPES: frozenset[str] = frozenset({"quantity", "ratio", "date", "period", "count", "body", "person"})
FIGURE_OR_TIME: frozenset[str] = frozenset({"quantity", "ratio", "count", "date", "period"})
History = Sequence[Mapping[str, str]]

FOLLOW_UP_MAX_CHARS = 8  # a question this short cannot stand alone
EARLIER_QUESTION_CHARS = 2000  # of an earlier question, as much as a question may hold
INDICATOR_SPAN = 12  # characters before a target's asking words where a second indicator would be named
NAME_CHARS = 4  # characters of the name after a period qualifier that must agree for two names to be "the same"
_HAN = re.compile("[\u4e00-\u9fd5]")  # the characters jieba.posseg's HMM tags (its re_han_detail)


def tagging_work(text: str) -> int:
    """An upper bound on the Viterbi steps jieba.posseg's HMM may take on `text`: for each run of Chinese characters,
    the sum over characters of its tag states times the previous character's (a character the HMM has not seen can
    take any of the 256 states). The HMM only runs on the characters the dictionary leaves single, so the true work
    is less; measured, a million steps take 0.4–1.3 s of a core (reports/reliability.md)."""
    every = len(jieba.posseg.trans_P)
    work, before = 0, 0
    for ch in text:
        if _HAN.match(ch):
            states = len(jieba.posseg.char_state_tab_P.get(ch, ())) or every
            work += states * max(before, 1)
            before = states
        else:
            before = 0
    return work


def question_form(text: str) -> QuestionForm:
    """Classify a question (or one part of it) by what kind of answer it wants."""
    if RESPONSIBLE_Q.search(text):
        return "responsible"
    if LIST_Q.search(text) and not NUMBER_Q.search(text):
        return "list"
    if NUMBER_Q.search(text):
        return "number"
    if DEFINITION_Q.search(text):
        return "definition"
    return "general"


def indicator_target(text: str) -> re.Match[str] | None:
    """Where a question asks the target or standard of one indicator (`lexicon.INDICATOR_TARGET`: 「破案率有什么指标」),
    or None. Not of several at once (「亮灯率、处理率有啥要求」, 「办学网络和覆盖率提出了什么目标」): one of them may be
    answered in words, and each would need a figure of its own."""
    m = INDICATOR_TARGET.search(text)
    if m is None or SEVERAL_NAMED.search(text, max(0, m.start("ask") - INDICATOR_SPAN), m.start("ask")):
        return None
    return m


def answer_type(text: str) -> AnswerType:
    """The kind of value a question (or one part of it) expects, from its question words alone.

    A person before a body (「组长是谁」 names a person, 「由哪个部门牵头」 a body), a date before a count
    (「几月底前」), a count before a ratio or an amount (「多少家」 counts), a ratio before an amount (「比例是多少」).
    """
    t = norm(text)
    if PERSON_Q.search(t):
        return "person"
    if RESPONSIBLE_Q.search(t):
        return "body"
    if PERIOD_Q.search(t):
        return "period"
    if DATE_Q.search(t):
        return "date"
    if COUNT_Q.search(t):
        return "count"
    if AMOUNT_Q.search(t) or NUMBER_Q.search(t) or indicator_target(t):
        return "ratio" if RATIO_Q.search(t) else "quantity"
    if LIST_Q.search(t):
        return "list"
    if YES_NO_Q.search(t):
        return "yes_no"
    if PROCEDURE_Q.search(t):
        return "procedure"
    if DEFINITION_Q.search(t):
        return "definition"
    return "other"


def validity_ask(text: str) -> ValidityAsk | None:
    """What a validity question asks (see `ValidityAsk`), or None for any other question."""
    t = norm(text)
    for ask, pattern in VALIDITY_Q.items():
        if pattern.search(t):
            return ask  # type: ignore[return-value]
    return None


def years_in(text: str) -> frozenset[str]:
    """The years a text names (「2022年」, 「2025 年」), as four-digit strings."""
    return frozenset(YEAR.findall(norm(text)))


def years_covered(text: str) -> frozenset[str]:
    """The years a text names or closes: 「2025年」, and a five-year plan's last year (「“十四五”末」 → 2025), as a
    range 「2021—2025年」 gives its last year."""
    return years_in(text) | {plan_end_year(p) for p in FIVE_YEAR_PLAN.findall(norm(text))}


def periods_in(text: str) -> tuple[tuple[str, str], ...]:
    """(period, the name that follows it) pairs: 「2022年上半年青海省…目录」 → ("2022年上半年", "青海省人")."""
    out = []
    for m in PERIOD.finditer(text):
        period = m.group(1) + "年" + re.sub(r"\s", "", m.group(2) or "")
        name = "".join(ch for ch in text[m.end() : m.end() + 12] if "\u4e00" <= ch <= "\u9fff")[:NAME_CHARS]
        if len(name) == NAME_CHARS:
            out.append((period, name))
    return tuple(out)


def asked_bigrams(text: str) -> frozenset[str]:
    """Content bigrams of a question less those holding a question word (「谁负责」 is no subject)."""
    return frozenset(g for g in key_bigrams(text) if not INTERROGATIVE.search(g))


@dataclass(frozen=True)
class Part:
    """One of the things a several-part question asks (「…由哪些单位负责」, 「什么时候完成」)."""

    text: str
    form: QuestionForm
    years: frozenset[str]
    asked: frozenset[str] = field(repr=False)
    answer_type: AnswerType = "other"
    roles: tuple[str, ...] = ()  # the roles whose holders it asks (`asked_roles`: 「…召集人是谁」)
    # the bigrams of the own name of the group it names, whose roles it asks (`group_asked`: 示例湿地保护 of
    # 「示例湿地保护领导小组组长是谁」); empty when it names none (「副组长是谁」) or only its kind (「领导小组」)
    group: frozenset[str] = field(default=frozenset(), repr=False)
    # a bare label asking by its question mark alone (`bare_labels`: 「完成时限？」): it names no subject of its own,
    # so a quote giving its kind of answer answers it whatever words it holds
    label: bool = False

    @classmethod
    def read(cls, text: str, label: bool = False) -> Part:
        return cls(
            text=text,
            label=label,
            form=question_form(text),
            years=years_in(text),
            asked=asked_bigrams(MAY_Q.sub("，", text)),  # 「能不能」 asks; it is not what the part is about
            answer_type=answer_type(text),
            roles=asked_roles(text),
            group=group_asked(text),
        )


def question_parts(text: str) -> list[str]:
    """The parts of a question that asks several things; [] for a question asking one.

    「高原医学研究中心建设由哪些单位负责，什么时候完成？」 → 「…由哪些单位负责」, 「什么时候完成」;
    「到2025年管理费用率、医疗服务收入占比和人员薪酬固定部分占比分别是什么目标？」 → its three items. A clause
    without an interrogative (「为推进盐湖产业基地建设，」) only sets the scene and is not a part, unless a question
    mark closes it (「…提高到多少？完成时限？」 asks the time limit too: `ASKED_BY_MARK`).
    """
    parts: list[str] = []
    labels = bare_labels(text)
    for segment, _ in _segments(text):
        if not (ASKS.search(segment) or MAY_Q.search(segment) or segment in labels):
            continue
        items = segment.split("、")
        if len(items) > 1:  # 「A、B和C」: the last item is joined by 和
            items[-1:] = items[-1].split("和", 1)
        items = [x for x in items if len(key_bigrams(ASKS.sub("", x))) >= 2]  # 「谁负责」 alone names nothing
        parts += items
    return parts if len(parts) > 1 else []


def bare_labels(text: str) -> frozenset[str]:
    """The segments of a question that ask by the question mark closing them alone (`ASKED_BY_MARK`): a bare label
    after an earlier question (「…提高到多少？完成时限？」) asks that value of the same subject. Not one closed by a
    comma (「为推进…建设，」 sets the scene), nor a follow-on (「…多少？Ⅱ级呢？」 asks the same again, `ASKS_AGAIN`)."""
    return frozenset(
        segment
        for segment, at in _segments(text)
        if ASKED_BY_MARK.fullmatch(text[at + len(segment) : at + len(segment) + 1])
        and not (ASKS.search(segment) or MAY_Q.search(segment) or ASKS_AGAIN.search(segment))
    )


def measured_terms(text: str, hmm: bool = True) -> tuple[str, ...]:
    """What a quantity question is about: the naming words of its segments that ask for a figure, the documents it
    names included (some relevant clause, with its title, must name each)."""
    return tuple(
        t
        for segment in SEGMENT_SPLIT.split(norm(text))
        if QUANTITY_Q.search(segment)
        for t in naming_words(segment, True, hmm)
    )


@functools.lru_cache(maxsize=2048)  # a segment is read for its naming words and its head: segment it once
def _words(segment: str, names: bool, hmm: bool) -> tuple[tuple[str, str], ...]:
    """(word, word class) of a segment, its years cut out first (checked on their own; left in, 「2030年产值」
    segments into a word 「年产值」 no clause has), and a place in a document (「第三部分」); with `names` false, also
    any document it names (in 《》, by the words before its type: `DOCUMENT_NAMED`, or by its 文号), which is where a
    value is stated, not what it is of. With `hmm` false, only the dictionary's words (see `ReadingConfig.hmm_work`).
    Every argument is required, so that the two readers of one segment share one cache entry."""
    cut = DOCUMENT_PLACE if names else DOCUMENT_NAMED
    if not names:  # a 文号 names a document too (「青政〔2021〕54号定了多少」): its issuer's prefix is no measured noun
        segment = DOC_NUMBER.sub("，", segment)
    words = [(p.word, p.flag) for p in jieba.posseg.lcut(YEAR.sub("，", cut.sub("，", segment)), HMM=hmm)]
    return tuple(
        (w[1:], f) if i and words[i - 1][0] == "多" and len(w) >= 3 and w[0] in DEGREE_ASKED else (w, f)
        for i, (w, f) in enumerate(words)
    )


def _naming(word: str, flag: str) -> bool:
    return (
        len(word) >= 2
        and flag in NAMING
        and word not in GENERIC
        and word[0] not in FUNCTION_START  # a segmentation slip such as 「和钾」
        and not NOT_MEASURED.search(word)  # interrogatives are not what is measured
    )


def naming_words(segment: str, names: bool = False, hmm: bool = True) -> tuple[str, ...]:
    """The naming words of one segment of a question: what it asks about, less interrogatives, years, the nouns
    that are not what a value is of (`GENERIC`) and, unless `names`, the documents it names (see `_words`)."""
    return tuple(w for w, f in _words(segment, names, hmm) if _naming(w, f))


def dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary holds the word, rather than its tagger having guessed it from unknown characters
    (「入青要保障」 → 「青要」): a guess may join the end of one word to the start of the next."""
    jieba.dt.check_initialized()
    return bool(jieba.dt.FREQ.get(word))


def measured_head(segment: str, hmm: bool = True) -> str | None:
    """The word a figure is of: the noun after the interrogative (「新建多少个台站」 → 台站), else the last content word
    before it, past the predicate (「达到」, 「是」) and a noun naming the kind of value (「企业停产比例是多少」 → 停产,
    「稳岗返还比例提高到多少」 → 返还, 「每人补贴多少元」 → 补贴). A word the tagger only guessed from unknown
    characters is none (「入青要配套多少个充电桩」 → 「青要」, the end of one word and the start of the next): like
    the value's naming words (`asked_values`), what no text holds cannot be asked of the answering sentence."""
    words = _words(segment, False, hmm)
    at = next((i for i, (w, _) in enumerate(words) if ASKS_VALUE.search(w) or w == "多少"), None)
    if at is None and (target := indicator_target("".join(w for w, _ in words))):
        # 「破案率有什么指标」: the indicator before the asking words is what the figure is of
        ends = itertools.accumulate(len(w) for w, _ in words)
        at = next((i for i, end in enumerate(ends) if end > target.start("ask")), None)
    if at is None:
        return None
    after = [w for w, f in words[at + 1 :] if _naming(w, f) and not UNIT_WORD.fullmatch(w)]  # not 「工作日」
    if after:
        return after[-1] if dictionary_word(after[-1]) else None
    kind_named = False  # a verb before a noun naming the kind of value qualifies it (「停产比例」); else it is the
    # predicate (「压减了多少」) and the noun before it is what the figure is of
    for word, flag in reversed(words[:at]):
        if word in GENERIC or NOT_MEASURED.search(word):
            kind_named = kind_named or word in GENERIC
            continue
        if len(word) >= 2 and (flag in NAMING or (flag == "v" and kind_named)) and not PREDICATE.fullmatch(word):
            return word if word[0] not in FUNCTION_START and dictionary_word(word) else None
        if flag in NAMING and not PREDICATE.fullmatch(word):  # a predicate tagged a noun (「突破」: vn) is passed
            return None  # a one-character noun ends the phrase: nothing to hold
    return None


def list_head(text: str, hmm: bool = True) -> str:
    """The noun a list question asks items of (「设了哪几个工作专班」 → 工作专班, 「示范街道有哪些」 → 街道), or "":
    the nouns leading the words after the list word, read to the end of the noun phrase (「有哪些器械耗材改革措施」
    → 器械耗材改革措施, whose items end in 措施, not 改革); 「哪些人被免去职务」 → 人, too short to tell items by."""
    m = LIST_HEAD_AFTER.search(text) or LIST_HEAD_BEFORE.search(text)
    if not m:
        return ""
    head = ""
    for word in jieba.posseg.lcut(m.group(1), HMM=hmm):
        if not word.flag.startswith("n") and word.flag not in ("b", "vn"):
            break
        head += word.word
    return head if len(head) >= 2 else ""


def content_words(text: str, hmm: bool = True) -> tuple[str, ...]:
    """The naming words of a whole question, documents it names included (they say where to look)."""
    return tuple(dict.fromkeys(p.word for p in jieba.posseg.lcut(norm(text), HMM=hmm) if _naming(p.word, p.flag)))


def _value_segments(text: str, hmm: bool = True) -> Iterator[tuple[str, AnswerType]]:
    """Each segment that asks outright for a figure or a time, with its answer type: a segment naming nothing of its
    own (「2023年要达到多少」) joined to the segment before it that asks nothing (「DRG付费的占比，」) and names what it
    asks about."""
    topic = ""  # a segment that asks nothing names what the next one asks about (「DRG付费的占比，2023年要达到多少」)
    for segment in SEGMENT_SPLIT.split(norm(text)):
        kind = answer_type(segment)
        target = bool(indicator_target(segment))  # 「接通率有啥指标」 asks a figure (`answer_type`)
        if not (ASKS.search(segment) or target):
            topic += segment
            continue
        if not naming_words(segment, False, hmm) and topic:
            # the segment's 文号 cut first: joined to the topic, its issuer would run into the topic's words
            segment, kind = topic + DOC_NUMBER.sub("，", segment), answer_type(topic + segment)
        topic = ""
        if (ASKS_VALUE.search(segment) or target) and kind in FIGURE_OR_TIME:
            yield segment, kind
        elif kind == "yes_no" and FREQUENCY_ASKED.search(segment):
            yield segment, "period"  # 「是每年办一次吗」 asks how often, to be confirmed


def asked_values(text: str, hmm: bool = True) -> tuple[tuple[AnswerType, tuple[str, ...], str | None], ...]:
    """Each segment that asks outright for a figure or a time (「A提高多少」, 「B何时完成」), as its answer type and,
    for a figure, its naming words and the word the figure is of (`measured_head`): each is answered, or not, by a
    sentence of its own."""
    out: list[tuple[AnswerType, tuple[str, ...], str | None]] = []
    for segment, kind in _value_segments(text, hmm):
        # A date is asked of what the clause is about (「…什么时候完成」): its words are qualifiers the clauses
        # paraphrase (「省市级」 for 「省、市州」), so only a figure or a length of time (「多久召开一次全体
        # 会议」, 「任期几年」) is held to the words of its segment.
        if kind == "date":
            out.append((kind, (), None))
        else:
            # a word the tagger only guessed from unknown characters may straddle two (「入青要保障」 →
            # 「青要」): no text holds it, so it cannot be asked of the answering sentence
            words = tuple(w for w in naming_words(segment, False, hmm) if dictionary_word(w))
            out.append((kind, words, measured_head(segment, hmm)))
    return tuple(out)


def units_asked(text: str) -> frozenset[str]:
    """The units a question (or a piece of one) asks its figures in (「多少万元」 → 元, 「几家」 → 家: `ASKED_UNIT`,
    money spelled one way: `MONEY`)."""
    return frozenset(MONEY.get(u, u) for u in ASKED_UNIT.findall(norm(text)))


def value_units(text: str, hmm: bool = True) -> tuple[frozenset[str], ...]:
    """Per value a question asks outright (`asked_values`, in order), the units asked in its own segment
    (「多少天内办结，补助多少元」 → 天 of the first, 元 of the second): each is answered in its own unit, by a sentence
    of its own. A unit asked in a segment that asks no value outright is asked of every value."""
    own = [units_asked(segment) for segment, _ in _value_segments(text, hmm)]
    rest = units_asked(text) - frozenset().union(*own)
    return tuple(units | rest for units in own)


# The fields asking how a document was issued: a bare 「什么时候」 after one asks when (`BARE_WHEN`).
_ISSUED = frozenset({"doc_number", "issuer", "parent", "signed"})


def metadata_asked(text: str) -> tuple[tuple[str, ...], bool]:
    """The card fields (`index.cards.CARD_LABELS`) a question asks about a document itself, and whether that is all
    it asks.

    「助企纾困十条是什么时候印发的？文号是什么？」 → (("doc_number", "signed"), True); 「…依据哪个文件制定？什么时候
    印发？」 → (("signed",), False): its clauses answer the rest.
    """
    fields: set[str] = set()
    only = True
    before: set[str] = set()  # what the segment before asked
    for segment in SEGMENT_SPLIT.split(EACH_WORD.sub("", norm(text))):
        asked: set[str] = set()
        for item in _with_verb(segment):
            asked |= {name for name, pattern in META_Q.items() if pattern.search(item)}
        if not asked and before & _ISSUED and BARE_WHEN.fullmatch(segment):
            asked = {"signed"}  # 「…是哪个文印发的？什么时间？」: when that was
        before = asked
        if not asked and ASKS.search(segment):
            only = False
        fields |= asked
    if not only:
        # a question also asking its content is answered by its clauses, which state an approval themselves (a
        # chronicle's 「会议审议通过…」); "approved" and "basis" are read from clauses by the card answer only
        fields -= {"approved", "basis"}
    return tuple(name for name in META_Q if name in fields), only and bool(fields)


def _with_verb(segment: str) -> list[str]:
    """A segment's items asked before one issuing verb, each with that verb (「是谁、哪天、以什么文号印发的」 →
    「是谁印发」, 「哪天印发」, 「以什么文号印发」); the segment itself, whole, besides. `segment` is one of
    `SEGMENT_SPLIT`'s pieces: `_asked_before_verb` reads across commas and stops, which such a piece never holds."""
    found = _asked_before_verb(segment)
    if found is None:
        return [segment]
    asked, verb = found
    return [segment, *(item + verb for item in asked.split("、") if item)]


def _asked_before_verb(segment: str) -> tuple[str, str] | None:
    """The text before the issuing verb that follows the segment's last enumeration pause (「、」) followed by one, and
    that verb: 「是谁、哪天印发的」 → (「是谁、哪天」, 「印发」); None without such a pause. Linear: each pause's
    stretch up to the next pause is searched once, last pause first (a verb holds no 「、」, so none spans one)."""
    end = len(segment)
    pause = segment.rfind("、")
    while pause >= 0:
        verb = ISSUE_VERB.search(segment, pause + 1, end)
        if verb is not None:
            return segment[: verb.start()], verb.group(0)
        end, pause = pause, segment.rfind("、", 0, pause)
    return None


def asked_roles(text: str) -> tuple[str, ...]:
    """The roles whose holders a question asks (「零碳产业园区建设领导小组组长由谁担任」 → 组长; 「召集人和副召集人是
    谁」 → both): the roles named in the segments asking for a person; in a segment asking who leads a group
    without naming a role (「领导小组和教材委员会分别由哪位省领导牵头」), the role of each group's head
    (`lexicon.GROUP_HEAD`)."""
    roles: list[str] = []
    said = ""  # the question up to the segment: 「…领导小组和省教材委员会，分别由谁牵头」 names them before it asks
    for s in SEGMENT_SPLIT.split(norm(text)):
        said += s
        person = bool(PERSON_Q.search(s))
        named = ROLE.findall(s) if person else []
        if not named and (person or LEADS_Q.search(s)):
            named = [role for group, role, by_leads in GROUP_HEAD if (person or by_leads) and group.search(said)]
        roles += named
    return tuple(dict.fromkeys(roles))


def group_asked(text: str) -> frozenset[str]:
    """The bigrams of the own name of the group a question names (`lexicon.GROUP_NAMED`: 示例湿地保护 of 「示例湿地保护
    领导小组组长是谁」), less a document named before it (「…发展规划专家论证组」 → 专家论证: the plan is where the
    group is set up, not which group); empty when it names none or only its kind (「领导小组」)."""
    named = GROUP_NAMED.search(norm(text))
    return frozenset(key_bigrams(re.split(DOCUMENT_TYPE, named.group("name"))[-1])) if named else frozenset()


def persons_named(text: str) -> tuple[str, ...]:
    """The people a question names (「李红梅在…领导小组里是什么身份」, 「某市市长周建国参加了哪些…」): a surname and one
    or two given characters where a question puts a name (its start, after a post; `lexicon.PERSON_NAMED`), and not a
    word jieba's dictionary knows other than as a name (「黄色」, 「方面」, 「任务」 start with a surname too)."""
    jieba.initialize()
    tags = jieba.posseg.dt.word_tag_tab
    found = (m.group(1) for m in PERSON_NAMED.finditer(norm(text)))
    return tuple(dict.fromkeys(n for n in found if not jieba.dt.FREQ.get(n) or tags.get(n, "").startswith("nr")))


@dataclass(frozen=True)
class Side:
    """One side of a comparison (「生态经济规划和盐湖产业基地行动方案各定了多少」): the words naming it, the
    question asked of it alone (the other side cut out), which is searched on its own, and the documents it names."""

    words: str
    query: str
    # The documents its words name (index.names, the attachments of a notice included), resolved against the corpus
    # with the question (`rag.retriever.Retriever.resolve`); () when they name none or before that.
    doc_ids: tuple[str, ...] = ()


def _is_break(word: str) -> bool:
    return not any(ch.isalnum() for ch in word)  # punctuation, quotes, spaces


def _ends_side(word: str, run: str) -> bool:
    if word == "的" and YEAR.fullmatch(run):
        return False  # 「2023年的…方案」: the year qualifies what follows
    if TITLE_END.search(run) and word[:1] in SIDE_AFTER_TITLE:
        return True  # a document named whole ends the side though jieba runs on (「…实施方案」「对村」)
    return word in SIDE_AFTER_END or _is_break(word) or bool(ASKS.search(word) or SIDES_Q.match(word))


def _segments(text: str) -> list[tuple[str, int]]:
    """The question's segments (split at SEGMENT_SPLIT) with where each starts in the text."""
    out, at = [], 0
    for segment in SEGMENT_SPLIT.split(text):
        out.append((segment, at))
        at += len(segment) + 1  # SEGMENT_SPLIT matches exactly one character
    return out


def _side_tokens(segment: str) -> list[str]:
    """`segment` cut into jieba words, a 文号 (「青政办〔2021〕122号」) and a quoted name (「“三北”」) kept whole: jieba
    cuts both at their brackets and quotes, which would end a side inside a name."""
    whole = sorted([m.span() for m in DOC_NUMBER.finditer(segment)] + [m.span() for m in QUOTED_TERM.finditer(segment)])
    out, at = [], 0
    for start, end in whole:
        if start < at:  # overlapping spans (a 文号 quoted): the first one read stands
            continue
        out += [*jieba.lcut(segment[at:start]), segment[start:end]]
        at = end
    return out + jieba.lcut(segment[at:])


def _after_year(words: list[str], i: int) -> bool:
    """Whether words[i] is a 「的」 after a year (「2023年的…方案」): the year qualifies what follows, one side."""
    return words[i] == "的" and any(YEAR.fullmatch("".join(words[k:i])) for k in range(max(0, i - 2), i))


def _sides_at(text: str, segment: str, at: int, joins_from: int, joins_to: int, last: bool) -> tuple[Side, ...]:
    """The two sides at a join of `segment` (which starts at `at` in `text`) lying between characters `joins_from`
    and `joins_to` of it (the last such join when `last`, else the first), or ()."""
    words = _side_tokens(segment)
    starts = list(itertools.accumulate(map(len, words), initial=0))[:-1]  # linear: questions can be long
    within = [i for i, start in enumerate(starts) if joins_from <= start < joins_to]
    joins = [i for i in within if words[i] in SIDE_JOIN] or [i for i in within if words[i] in SIDE_JOIN_LOOSE]
    if not joins:
        return ()
    j = joins[-1] if last else joins[0]
    end = j + 1
    # a side ends before the comparing word at the latest (jieba may glue it on: 「同一次」)
    while end < len(words) and starts[end] < joins_to and not _ends_side(words[end], "".join(words[j + 1 : end])):
        end += 1
    begin = j
    while (
        begin > 0
        and starts[begin - 1] >= joins_from
        and (_after_year(words, begin - 1) or not (words[begin - 1] in SIDE_BEFORE_END or _is_break(words[begin - 1])))
    ):
        begin -= 1
    run, right = "".join(words[begin:j]), "".join(words[j + 1 : end])
    names_whole = bool(TITLE_END.search(right) or any(group.search(right) for group, _, _ in GROUP_HEAD))
    if words[j] in SIDE_JOIN_LOOSE and not names_whole:
        return ()  # a preposition (「企业跟高校合作」, 「跟以前的规定相比」), not a join of two documents
    # the words naming the left side are as many as the right side's (「设立老年医学科」 of 「…综合医院设立老年医学科
    # 和感染性疾病科」): the rest of the run qualifies both; the right side's question leaves it out. A right side
    # naming a whole document or group (「…行动方案」, 「…委员会」) is matched by the whole run before the join.
    whole = names_whole or bool(TITLE_END.search(run))
    # a quoted name qualifies the word before it (「专精特新“小巨人”」): it adds no word to match on the left
    size = sum(not QUOTED_TERM.fullmatch(w) for w in words[j + 1 : end])
    left = run if whole else "".join(words[max(begin, j - size) : j])
    if len(left) < 2 or len(right) < 2 or any(TIME_ONLY.fullmatch(norm(side)) for side in (left, right)):
        return ()
    head, tail = text[: at + starts[begin]], text[at + (starts[end] if end < len(words) else len(segment)) :]
    return (Side(left, head + run + tail), Side(right, head + right + tail))


def comparison_sides(text: str) -> tuple[Side, ...]:
    """The two sides a comparison sets against each other, or () for a question that compares nothing.

    The sides are the naming runs on either side of the join (和, 与, 及) nearest before the comparing word
    (「分别」, 「各定」, 「一致吗」) in its segment: after the join up to a word ending a side (「的」, 「说法」,
    「分别」, a question word; not the 「的」 after a year: 「2023年的改革完善…方案」), before it back to one (「对」,
    「的」, punctuation). 「“十四五”期间青海对二级以上综合医院设立老年医学科和感染性疾病科的比例目标分别是多少」 →
    「二级以上综合医院设立老年医学科」, 「感染性疾病科」. When the comparing segment joins nothing before its comparing
    word, the sides are named in the segment before it (「生态经济规划和盐湖行动方案，对…各定了什么目标」), or after a
    comparing verb that leads (「比较一下卫生规划和乡村卫生方案对…的要求」)."""
    segments = _segments(text)
    for n, (segment, at) in enumerate(segments):
        if lead := LEADING_COMPARE.match(segment):
            sides = _sides_at(text, segment, at, lead.end(), len(segment), last=False)
        elif ask := SIDES_Q.search(segment):
            sides = _sides_at(text, segment, at, 0, ask.start(), last=True)
            if not sides and n > 0 and segments[n - 1][0]:
                before, before_at = segments[n - 1]
                sides = _sides_at(text, before, before_at, 0, len(before), last=True)
        else:
            continue
        if sides:
            return sides
    return _follow_on_sides(text, segments)


def _follow_on_sides(text: str, segments: list[tuple[str, int]]) -> tuple[Side, ...]:
    """The sides of a comparison asked in two questions, the second naming another document and leaning on the
    first (「甲方案中的X是多少？乙方案中又是多少？」, 「甲规划对X提了什么目标？那乙方案呢？」): the document the
    follow-on segment is made of (nothing asked of its own: `FOLLOW_ON`) and the one named last before it; the first
    side's question is the text before the second, the second's the same with its document. Each segment is read
    for document names once (questions may be long)."""
    last: tuple[str, int] | None = None  # the document named last so far, and where it starts in the text
    for n, (segment, at) in enumerate(segments):
        titles = [m for m in DOCUMENT_NAMED.finditer(segment) if TITLE_END.search(m.group(0))]
        right = _follow_on_document(segment, titles[0]) if n and titles else None
        if right and last and right != last[0]:
            before = text[:at]
            query = before[: last[1]] + right + before[last[1] + len(last[0]) :]
            return (Side(last[0], before), Side(right, query))
        if titles:
            last = (titles[-1].group(0), at + titles[-1].start())
    return ()


def _follow_on_document(segment: str, title: re.Match[str]) -> str | None:
    """The document a follow-on segment asks the same of (「乙方案中又是多少」, 「那乙方案呢」) when `title`, the
    first document it names, is all it says besides `FOLLOW_ON_LEAD` and `FOLLOW_ON`; else None."""
    if not FOLLOW_ON.fullmatch(segment, title.end()):
        return None
    lead = FOLLOW_ON_LEAD.match(title.group(0))  # 「那乙方案」: the name's pattern takes 那 in
    name = title.group(0)[lead.end() :] if lead else title.group(0)
    if not FOLLOW_ON_LEAD.fullmatch(segment[: title.start()] + title.group(0)[: len(title.group(0)) - len(name)]):
        return None
    return name


def qualifying_figures(normalised: str, years: frozenset[str], doc_number: str | None) -> frozenset[str]:
    """The figures a question names its subject with, in digits (「12315投诉举报」, 「60岁以上老年人口」, 「从60%提高到
    多少」), not its years (checked on their own) nor its 文号: a sentence answering it states them, or its clause or
    title does. A count in words (「两个规划」, 「十条」) counts documents or items, it qualifies nothing. Only the
    segments that ask are read: a figure the question states as its premise (「…将达82万左右，那…是多少」) is given,
    not asked about; and a year is never a qualifier, even listed without its 年 (「2025、2030年」)."""
    asking = "".join(s for s in SEGMENT_SPLIT.split(normalised) if ASKS.search(s))
    written = {canonical_figure(m.group(1)) + (m.group(2) or "") for m in QUALIFYING_FIGURE.finditer(asking)}
    return frozenset(written - years - numbers_in(doc_number or ""))


def source_names(normalised: str) -> tuple[str, ...]:
    """The documents a question names, without 《》, as the source of what it asks (「生态经济发展规划提出到2025年…」,
    「盐湖方案里…」): title words followed by 「提出」, 「中」, 「对」 (`SOURCE_AFTER`). A 《》 title may be what is
    asked about (「《…规划》在清单里要求什么时候出台」), so it is not read as the source."""
    return tuple(
        m.group(0)
        for m in DOCUMENT_NAMED.finditer(normalised)
        if not m.group(0).startswith("《")
        and not DOCUMENT_PLACE.fullmatch(m.group(0))
        and SOURCE_AFTER.match(normalised, m.end())
    )


def document_words(text: str) -> str:
    """A metadata question less its 文号 and its asking words: the (possibly abbreviated) title it names."""
    return META_WORDS.sub("", DOC_NUMBER.sub("", norm(text)))


def has_subject(text: str) -> bool:
    """Whether a question names what it asks about, beyond years, numbers and question words."""
    return len(NOT_SUBJECT.sub("", norm(text))) >= 2


def earlier_question(history: History | None) -> str | None:
    """The latest user question before this one (its first EARLIER_QUESTION_CHARS), if the conversation has one.

    Only that much of the conversation is read: a document pasted into the history must not reach the embedder
    whole."""
    for message in reversed(history or []):
        content = message.get("content", "")
        if message.get("role") == "user" and content.strip():
            return content[:EARLIER_QUESTION_CHARS]
    return None


def is_follow_up(text: str, history: History | None) -> bool:
    """Whether a question leans on the conversation (「那2030年的目标呢？」, 「它的牵头单位是谁」)."""
    if not any(m.get("role") == "user" for m in history or []):
        return False
    q = text.strip()
    return bool(FOLLOW_UP.search(q)) or len(norm(q)) <= FOLLOW_UP_MAX_CHARS


@dataclass(frozen=True)
class Question:
    """A question as read once: its text, what it names, what kind of answer it wants, how it leans on the
    conversation. Build it with `Question.read`; every field is derived from the text (and history) there."""

    text: str = field(metadata={"doc": "The question as asked, a 文号 it shortens spelled whole."})
    normalised: str = field(repr=False, metadata={"doc": "index.text.norm of the text (half-width, no spaces)."})
    form: QuestionForm = "general"
    answer_type: AnswerType = "other"
    years: frozenset[str] = frozenset()
    asked_years: frozenset[str] = frozenset()  # of a follow-up read in context: the years it names itself
    months: frozenset[str] = frozenset()
    periods: tuple[tuple[str, str], ...] = ()
    five_year_plans: tuple[str, ...] = ()
    half_years: tuple[str, ...] = ()
    doc_number: str | None = field(default=None, metadata={"doc": "The first 文号 it names (`doc_numbers`)."})
    # Every 文号 it names, canonical (青政办〔2022〕30号), in order: read once here, for the retriever and the rest.
    doc_numbers: tuple[str, ...] = ()
    reference: Reference = field(default_factory=lambda: Reference(None, "", None))
    parts: tuple[Part, ...] = ()
    quoted_terms: tuple[str, ...] = ()
    asks_each: bool = False
    asks_about_repeal: bool = False
    asks_validity: ValidityAsk | None = None
    rates: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    bigrams: frozenset[str] = field(default=frozenset(), repr=False)
    asked: frozenset[str] = field(default=frozenset(), repr=False)
    # How it leans on the conversation.
    earlier: str | None = None
    follow_up: bool = False
    own_subject: bool = True
    points_back: bool = False
    # The two sides it compares (「A和B分别…」), each searched and quoted on its own; () for no comparison.
    sides: tuple[Side, ...] = ()
    # The roles whose holders it asks (「组长是谁」): sentences stating a holder of one are preferred.
    roles: tuple[str, ...] = ()
    # The people it names (`persons_named`): each is searched by name, and each document holding the name is quoted.
    persons: tuple[str, ...] = ()
    # What it asks about a document itself (its card's fields), and whether that is all it asks.
    metadata: tuple[str, ...] = ()
    only_metadata: bool = False
    # The documents it names (by 文号, 《》 title or abbreviated title: index.names), resolved against the corpus by
    # `rag.retriever.Retriever.resolve` before searching, which adds after them a naming of how "side" for each side
    # of a comparison whose documents only the side's own words name (a label of rag's: the index knows no sides);
    # None until then.
    named: tuple[Naming[NamedHow], ...] | None = None
    # Whether its words are part-of-speech tagged with jieba's HMM (unknown words found); false when that would cost
    # more than `ReadingConfig.hmm_work` (a long run of rare characters): the dictionary's words only.
    hmm: bool = field(default=True, repr=False)

    @classmethod
    def read(cls, text: str, history: History | None = None, cfg: ReadingConfig = READING) -> Question:
        """Read a question (and the conversation before it) once, within the limits of `cfg`; a 文号 it shortens
        after a whole one (「青政办〔2021〕118号和124号」) is read spelled whole (`index.text.spell_doc_numbers`)."""
        text = spell_doc_numbers(text)
        normalised = norm(text)
        numbers = tuple(n for m in DOC_NUMBER.finditer(normalised) if (n := canonical_doc_number(m.group(0))))
        earlier = earlier_question(history)
        metadata, only_metadata = metadata_asked(text)
        labels = bare_labels(text)
        return cls(
            text=text,
            normalised=normalised,
            form=question_form(text),
            answer_type=answer_type(text),
            years=years_in(text),
            months=frozenset(MONTH.findall(normalised)),
            periods=periods_in(normalised),
            five_year_plans=tuple(FIVE_YEAR_PLAN.findall(normalised)),
            half_years=tuple(HALF_YEAR.findall(normalised)),
            doc_number=numbers[0] if numbers else None,
            doc_numbers=numbers,
            reference=Reference.read(text),
            parts=tuple(Part.read(p, p in labels) for p in question_parts(text)[: cfg.max_parts]),
            quoted_terms=tuple(QUOTED_TERM.findall(text)),
            asks_each=bool(EACH.search(text)),
            asks_about_repeal=bool(re.search(rf"{REPEAL}(?!的)", normalised)),
            asks_validity=validity_ask(text),
            rates=frozenset(m.group(0) for m in PER_UNIT.finditer(normalised)),
            units=units_asked(normalised),
            figures=frozenset(numbers_in(text)),
            bigrams=frozenset(key_bigrams(text)),
            asked=asked_bigrams(text),
            earlier=earlier,
            follow_up=bool(earlier) and is_follow_up(text, history),
            own_subject=has_subject(text),
            points_back=bool(POINTS_BACK.match(text.strip())),
            roles=asked_roles(text),
            persons=persons_named(text),
            sides=comparison_sides(text),
            metadata=metadata,
            only_metadata=only_metadata,
            hmm=tagging_work(normalised) <= cfg.hmm_work,
        )

    # Read when first asked for (cached), not in `read`: these part-of-speech tag the text (jieba.posseg, most of
    # a reading's time), and only answering needs them, not a search.
    @functools.cached_property
    def measured(self) -> tuple[str, ...]:
        """What a quantity question is about (`measured_terms`)."""
        return measured_terms(self.text, self.hmm)

    @functools.cached_property
    def asked_values(self) -> tuple[tuple[AnswerType, tuple[str, ...], str | None], ...]:
        """The segments asking outright for a figure or a time: their answer types and naming words
        (`asked_values`)."""
        return asked_values(self.text, self.hmm)

    @functools.cached_property
    def value_units(self) -> tuple[frozenset[str], ...]:
        """Per value it asks outright (`asked_values`), the units asked of it (`value_units`): a question asking
        多少人 of one part and 多少元 of another is not asking one sentence to hold both."""
        return value_units(self.text, self.hmm)

    @functools.cached_property
    def value_words(self) -> tuple[tuple[str, ...], ...]:
        """Per value it asks outright (`asked_values`), the naming words that can tell its answer apart: not the
        predicate (「预计」, 「达到」: the text words it otherwise, 「将达」)."""
        return tuple(tuple(w for w in words if not PREDICATE.fullmatch(w)) for _, words, _ in self.asked_values)

    @functools.cached_property
    def counts_only(self) -> bool:
        """Whether every value it asks outright is a count (「一共有多少所」; 「提高了几个百分点」 reads as a ratio): a
        share then answers nothing it asks."""
        values = self.asked_values
        return bool(values) and all(kind == "count" for kind, _, _ in values)

    @functools.cached_property
    def list_head(self) -> str:
        """For a list question, the noun it asks items of (`list_head`), else ""."""
        return list_head(self.text, self.hmm) if self.form == "list" else ""

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """Its naming words (`content_words`)."""
        return content_words(self.text, self.hmm)

    @functools.cached_property
    def qualifiers(self) -> frozenset[str]:
        """The digit figures it names its subject with (`qualifying_figures`): read once, not per clause checked."""
        return qualifying_figures(self.normalised, self.years, self.doc_number)

    @functools.cached_property
    def sources(self) -> tuple[str, ...]:
        """The documents it names, without 《》, as the source of what it asks (`source_names`)."""
        return source_names(self.normalised)

    @functools.cached_property
    def asks_several(self) -> bool:
        """Whether it asks for several things: parts (「A、B和C…」), comparison sides, 「分别」/「各是」, two segments
        asking (「…多少？二等奖呢？」), or a join (和, 与, 及, 、) in a segment that asks (「主任和副主任是谁」). A join
        inside a name asking one thing counts too: the looser quoting rule it keeps (rag.compose._aspects) is the one
        every question had."""
        asking = [s for s in SEGMENT_SPLIT.split(self.normalised) if ASKS.search(s) or ASKS_AGAIN.search(s)]
        return bool(
            self.parts
            or self.sides
            or self.asks_each
            or len(asking) > 1
            or any("、" in s or SIDE_JOIN & set(jieba.lcut(s)) for s in asking)
        )

    @functools.cached_property
    def target_years(self) -> frozenset[str]:
        """The years whose values are asked: a follow-up's own, else all the question names. Less the years that
        name the documents a comparison compares (「2022年医改任务和2023年…方案分别定的多少」): each dates its own
        document, whose title or 文号 dates its clauses, and no one sentence answering a side holds the other side's
        year. The sides name documents when one of them, its years aside, reads as a document's name
        (`DOCUMENT_NAMED`) or is one the corpus resolves (`named`), and each says more than a year or a period;
        sides that are years, periods or an indicator's targets (「2025年目标和2030年目标分别…」) name none, and
        their years are asked."""
        years = self.asked_years or self.years
        named = [n.words for n in self.named or ()]
        sides = [side.words for side in self.sides]
        rests = [PERIOD.sub("", words) for words in sides]
        documents = any(
            DOCUMENT_NAMED.search(rest) or any(words in n or n in words for n in named)
            for words, rest in zip(sides, rests, strict=True)
        )
        naming = sides if documents and all(key_bigrams(rest) for rest in rests) else []
        if len(named) >= 2:
            naming = naming + named
        if len(naming) < 2:
            return years
        return years - {y for words in naming for y in years_in(words)}

    @functools.cached_property
    def asks_day(self) -> bool:
        """Whether it asks a day (`lexicon.DAY_Q`: 「哪天开始施行」), which a quarter or a year does not state."""
        return bool(DAY_Q.search(self.normalised))

    @functools.cached_property
    def grades(self) -> frozenset[str]:
        """The grades of a graded series it names (`lexicon.grades_in`: 「Ⅲ级响应」 → 3, 「橙色预警」 → 橙色): a value
        stated of another grade only is not the one asked."""
        return grades_in(self.normalised)

    @functools.cached_property
    def group(self) -> frozenset[str]:
        """The bigrams of the own name of the group it names, whose roles it asks (`group_asked`)."""
        return group_asked(self.text)

    @functools.cached_property
    def document_years(self) -> frozenset[str]:
        """The years it gives the documents it names (`lexicon.DOCUMENT_YEAR`: 「2023年…实施方案」): each is the year
        a document was issued, which its 文号 carries, whatever years its sentences state."""
        return frozenset(DOCUMENT_YEAR.findall(self.normalised))

    @property
    def document_words(self) -> str:
        """The title words it names, for a question about a document itself (see `document_words`)."""
        return document_words(self.text)

    @property
    def typed_titles(self) -> tuple[str, ...]:
        """The documents it names by a run of its title words ending in a document's type (「…应急预案」,
        「…三年行动方案」), as `DOCUMENT_NAMED` and `TITLE_END` read a title everywhere."""
        return tuple(m.group(0) for m in DOCUMENT_NAMED.finditer(self.document_words) if TITLE_END.search(m.group(0)))

    @property
    def named_families(self) -> tuple[tuple[str, ...], ...]:
        """The documents it names, one tuple of doc ids per naming (a document with the plans it issued)."""
        return tuple(n.doc_ids for n in self.named or ())

    @property
    def borrows_subject(self) -> bool:
        """A follow-up without a subject of its own (「那2030年的呢？」) or pointing back (「它的…」)."""
        return self.follow_up and (not self.own_subject or self.points_back)

    def in_context(self) -> Question:
        """The question read together with the earlier one when it borrows that one's subject; else itself."""
        if not self.borrows_subject or not self.earlier:
            return self
        # the years the follow-up names are the ones it asks about (「那2030年的呢？」 after a 2025 question)
        return replace(Question.read(f"{self.earlier} {self.text}"), asked_years=self.years)


def as_question(question: Question | str) -> Question:
    """A `Question` for callers (tests, baselines) that hold only the text."""
    return question if isinstance(question, Question) else Question.read(question)
