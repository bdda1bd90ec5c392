"""Every Chinese word list and numeral rule the answering code uses, in one place.

The question model (`rag.question`) and the evidence model (`rag.evidence`) read questions and clauses with these;
the retriever, composer, refusal and verification hold no patterns or word lists of their own. A word is added
here, once. Groups, in order: numerals (with `cn2an`), years/months/periods, question words and forms, follow-up
words, units and unit families, stop words and generic nouns, and the shapes of clause text (boilerplate, labels).

The index layer's text rules live one layer down, in `index/text.py` (`index/` cannot import `rag/`): the numeral
alphabet, 文号, years, sentence ends, and the patterns the citation lookup reads a reference with (clause labels,
filler words around a title, quoted spans). This module imports what it shares with them from there, so each rule
is still written once, and so is the one numeral parser (`chinese_number`, re-exported here) and the one sentence
pattern of printed text (`SENTENCE`). `index/validity.py` keeps the validity statement patterns it alone reads
(self-reference words, effective, repeal and reference verbs), built on those shared rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from index.text import (
    ANNEX_LIST,
    CN_DIGITS,
    CN_MAGNITUDES,
    CN_NUMERALS,
    DOC_NUMBER,
    HEADING_ONLY,
    HOLLOW_KEEPS,
    ISSUING,
    ITEM_MARKER,
    LEAD_IN,
    QUOTED_TITLE,
    ROLE_RANKS,
    ROLE_WORDS,
    ROSTER_LABEL,
    SENTENCE_END,
    YEAR,
    chinese_number,
    norm,
)

__all__ = [
    "ABBREVIATED_GAP",
    "AMOUNT_Q",
    "ANNEX_LIST",
    "APPROVED_TEXT",
    "ARABIC_FIGURE",
    "ASKED_BY_MARK",
    "ASKED_UNIT",
    "ASKS",
    "ASKS_AGAIN",
    "ASKS_VALUE",
    "BASIS_TEXT",
    "BODY_ASIDE",
    "BODY_CELL",
    "BODY_CELL_VERB",
    "BODY_IN_ROLE",
    "BODY_NOTE_END",
    "BODY_SAYS_ROLE",
    "BOILERPLATE",
    "CARD_DATE",
    "CATEGORY_AFTER",
    "CHINESE_FIGURE",
    "CLOSERS",
    "CN_NUMERALS",
    "COMPARES",
    "COORDINATED",
    "COUNTERS",
    "COUNT_DIGIT",
    "COUNT_Q",
    "DATE_Q",
    "DATING_OPENING",
    "DAY_Q",
    "DAY_STATED",
    "DEFINES",
    "DEFINITION_Q",
    "DEGREE_ASKED",
    "DIGIT",
    "DOCUMENT_NAMED",
    "DOCUMENT_PLACE",
    "DOCUMENT_YEAR",
    "DOC_NUMBER",
    "DROP",
    "EACH",
    "EACH_OF",
    "EACH_WORD",
    "ENUMERATION",
    "ENUMERATION_END",
    "ENUMERATOR",
    "EXPLAINS",
    "FIGURE",
    "FIVE_YEAR_PLAN",
    "FOLLOW_ON",
    "FOLLOW_ON_LEAD",
    "FOLLOW_UP",
    "FREQUENCY",
    "FREQUENCY_ASKED",
    "FULL_STOP",
    "FUNCTION_START",
    "GENERIC",
    "GRADE",
    "GROUP_HEAD",
    "GROUP_NAMED",
    "HALF_YEAR",
    "HEADING_ONLY",
    "HOLLOW_KEEPS",
    "INDICATOR_TARGET",
    "INTERROGATIVE",
    "ISSUED_NAME",
    "ISSUE_VERB",
    "ISSUING",
    "ITEM_LAYOUT",
    "ITEM_MARKER",
    "LABEL_END",
    "LEADING_COMPARE",
    "LEADS_Q",
    "LEAD_IN",
    "LIST_HEAD_AFTER",
    "LIST_HEAD_BEFORE",
    "LIST_Q",
    "LIST_TAIL",
    "MARKER",
    "MARKER_BODY",
    "MARKER_SEPARATOR",
    "MAY_Q",
    "MEASURE_NOUNS",
    "META_Q",
    "META_WORDS",
    "MONEY",
    "MONTH",
    "NAMING",
    "NEAR_SYNONYMS",
    "NOTICE_END",
    "NOT_MEASURED",
    "NOT_SUBJECT",
    "NUMBER_Q",
    "ORDER_Q",
    "ORGAN",
    "PERIOD",
    "PERIOD_Q",
    "PERSON_Q",
    "PER_UNIT",
    "PIECE_END",
    "PIECE_JOIN",
    "PLACE_Q",
    "PLACE_TEXT",
    "POINTS_BACK",
    "PREDICATE",
    "PROCEDURE_Q",
    "QUALIFYING_FIGURE",
    "QUANTITY_CHARS",
    "QUANTITY_Q",
    "QUOTED_TERM",
    "QUOTED_TITLE",
    "RATE_PART",
    "RATIO_Q",
    "REFUSAL",
    "REPEAL",
    "REPEALED_NAME",
    "RESPONSIBLE_Q",
    "RESPONSIBLE_TEXT",
    "ROLE",
    "ROLE_VERB",
    "ROSTER_ENTRY",
    "ROSTER_LABEL",
    "SAYS_Q",
    "SECONDARY_BODY",
    "SECTION_NUMBER",
    "SEGMENT_SPLIT",
    "SENTENCE_END",
    "SERIAL_CELL",
    "SERIAL_CELLS",
    "SET_UP_Q",
    "SEVERAL_NAMED",
    "SHARE",
    "SHARE_STATED",
    "SIDES_Q",
    "SIDE_AFTER_END",
    "SIDE_AFTER_TITLE",
    "SIDE_BEFORE_END",
    "SIDE_JOIN",
    "SIDE_JOIN_LOOSE",
    "SOURCE_AFTER",
    "STATED_FAMILY",
    "STOP",
    "TIME_ONLY",
    "TITLE_END",
    "TITLE_ISSUER",
    "TITLE_NAMED",
    "TITLE_PERIOD",
    "TITLE_SPAN",
    "TYPE_NOUNS",
    "UNITS",
    "UNIT_SPELLINGS",
    "UNIT_WORD",
    "VALIDITY_PHRASE",
    "VALIDITY_Q",
    "VALIDITY_SUBJECT_TRAIL",
    "VALUE",
    "VALUE_FAMILY",
    "WORD_CHAR",
    "YEAR",
    "YEARLESS_PART",
    "YES_NO_Q",
    "abbreviation_of",
    "canonical_figure",
    "chinese_number",
    "coordinated",
    "doc_number_year",
    "grades_in",
    "holds_role",
    "key_bigrams",
    "key_text",
    "members_listed",
    "month_stated",
    "names_person",
    "number_range",
    "numbers_in",
    "of_other_grades",
    "plan_end_year",
    "quantity_in",
    "rate_stated",
    "role_named",
    "shortened_forms",
    "strip_markers",
    "unit_cell",
]

# ---------- numerals ----------

# The numeral alphabet (index.text: CN_DIGITS 零〇一二两三四五六七八九, CN_MAGNITUDES 十百千万亿) is shared with the
# heading parser; the sets below are cut from it, not spelled again.
_NONZERO_DIGITS = CN_DIGITS.lstrip("零〇")
# Digits and magnitudes that may start or continue a quantity in a clause (「三万元」, 「半年」).
QUANTITY_CHARS = _NONZERO_DIGITS + CN_MAGNITUDES + "半"
# A numeral below ten thousand (a count: 「三百」, 「一千二百」); 万/亿 follow it as magnitudes of a unit.
_SMALL_NUMERAL = CN_DIGITS + CN_MAGNITUDES[:3]
# A Chinese numeral counts as a figure only before a unit or measure word, and not as an ordinal (第三条).
CHINESE_FIGURE = re.compile(
    rf"(?<!第)(?<![{_SMALL_NUMERAL}])([{_SMALL_NUMERAL}]+)"
    r"(?=个月|个|项|条|家|次|倍|年|天|日|周|名|人|所|类|批|户|台|座|亿|万|元|月|成)"
)
# Arabic figures: 「1,200」, 「3.5」, 「90%」 (not the tail of a longer number).
# A run holding a digit other than zero (「百」 alone or 「〇〇」 counts nothing).
COUNT_DIGIT = re.compile(r"[一二两三四五六七八九十]")
ARABIC_FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\d)([%‰])?")
FIGURE = re.compile(r"\d+(?:\.\d+)?%?")
# A figure in digits that names or bounds a thing (「12315平台」, 「60岁以上」, 「“1119”体系」, 「60%」), not a date's
# year, month or day, an issue (「第3期」) or a place in a document (「第7条」).
QUALIFYING_FIGURE = re.compile(
    r"(?<![\d.第])(?!(?:19|20)\d{2}(?!\d))(\d+(?:\.\d+)?)(?![\d.])([%‰])?(?!\s*(?:年|月|日|号|条|款|项|章|节|期))"
)
DIGIT = re.compile(r"\d")
# List enumerators and bullets are layout, not figures: 「1. 」, 「（2）」, 「三、」, 「- 」.
ENUMERATOR = re.compile(
    r"^\s*(?:[-*•·]+\s*|\d{1,2}[.、)）](?!\d)\s*|[（(]\d{1,2}[)）]\s*|[（(]?[一二三四五六七八九十]{1,3}[、)）]\s*)"
)
# What opens a quoted item before its words: a cell's column name and the item's Arabic number (「主要任务：14. 」,
# 「4. 」, 「(3) 」). Layout: the citation shows the item. Not 「三、」: 「三、二、一级医疗机构」 counts levels.
ITEM_LAYOUT = re.compile(r"^\s*(?:[^：:；;，,。\d]{1,8}[：:]\s*)?(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）])\s*")
# A heading's number before its words: 「5.2 响应程序」, 「3 监测与预警」 (layout, not a value).
SECTION_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\s+(?=[\u4e00-\u9fff])")
# A range: 「三至五」, 「3—5」, 「2021-2025」, or two adjacent digits 「三四」 ("three or four").
_RANGE = re.compile(rf"^(?P<low>[\d{CN_DIGITS}{CN_MAGNITUDES[:4]}]+)\s*(?:至|到|—|－|-|~|～)\s*(?P<high>.+)$")


# Where a sentence ends for an opening that must be one sentence: a full stop, not a semicolon (「；」 joins the
# items of one statement, so a value and its qualifier may sit on either side of it).
FULL_STOP = re.compile(r"[。！!？?]")


# A grade of a graded series (「Ⅲ级响应」, 「二级医院」; coordinated: 「三、二、一级」) or a warning colour
# (「橙色预警」, 「橙色、红色预警措施」), in normalised text (Ⅲ reads III): the grades of one series share every other
# word, so a value stated of another grade (under 「Ⅱ级响应措施」) is not the asked grade's. Not 「哪一级」, 「上一级」,
# 「几级」 (which level, the next one, how many), 「县一级」 (a tier of government), nor 「十一级」; a heading's number
# may stand before a Roman level (「5.3.3 Ⅰ级响应措施」).
_LEVEL = r"(?:IV|III|II|I|[一二三四]|(?<![\d.])[1-4])"
GRADE = re.compile(
    rf"(?<![A-Za-z十哪这那每同上下本逐几省市州县区乡镇村])(?P<levels>(?:{_LEVEL}、)*{_LEVEL})级"
    r"|(?P<colour>[红橙黄蓝])色(?=(?:[、和与及或][红橙黄蓝]色)*预警)"
)
_GRADE_LEVEL = {"I": "1", "II": "2", "III": "3", "IV": "4", "一": "1", "二": "2", "三": "3", "四": "4"}


def grades_in(normalised: str) -> frozenset[str]:
    """The grades a normalised text names (`GRADE`): levels as digits, colours by name: 「III级响应」 → {"3"},
    「三、二、一级医院」 → {"3", "2", "1"}, 「橙色预警」 → {"橙色"}; empty when it names none."""
    out: set[str] = set()
    for m in GRADE.finditer(normalised):
        if m["colour"]:
            out.add(f"{m['colour']}色")
        else:
            out.update(_GRADE_LEVEL.get(g, g) for g in m["levels"].split("、"))
    return frozenset(out)


def of_other_grades(named: frozenset[str], asked: frozenset[str]) -> bool:
    """Whether the grades a text names (`grades_in`) are of another grade than those a question asks: in a series
    the question asks one of (levels, or colours: 「橙色预警」 asked says nothing of the levels a text names), the
    text names grades, none of them asked."""
    series = {g.endswith("色") for g in asked}
    return any((own := {g for g in named if g.endswith("色") == s}) and not own & asked for s in series)


def doc_number_year(doc_number: str | None) -> str | None:
    """The year in a 文号's brackets (青政办〔2022〕30号 → "2022"), or None."""
    m = DOC_NUMBER.search(doc_number or "")
    return m.group("year") if m else None


def number_range(text: str) -> tuple[int, int] | None:
    """The bounds of a numeral or range: 「五」 → (5, 5), 「三至五」 → (3, 5), 「2021—2025」 → (2021, 2025),
    「三四」 → (3, 4); None when the text is not one."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text), int(text)
    if len(text) in (2, 3) and all(ch in CN_DIGITS for ch in text) and "零" not in text and "〇" not in text:
        values = [v for v in (chinese_number(ch) for ch in text) if v is not None]
        if len(values) == len(text) and values == sorted(values):
            return values[0], values[-1]
    single = chinese_number(text)
    if single is not None:
        return single, single
    m = _RANGE.match(text)
    if m:
        low, high = number_range(m.group("low")), number_range(m.group("high"))
        if low and high and low[0] <= high[1]:
            return low[0], high[1]
    return None


# The [n] citation markers of an answer: 「[1]」, 「［2］」, 「【3】」, 「[1,2]」.
MARKER_BODY = r"[\[［【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］】]"
MARKER = re.compile(MARKER_BODY)
MARKER_SEPARATOR = re.compile(r"\s*[,，、]\s*")  # between the numbers of one marker: 「[1,2]」, 「［1、3］」
CLOSERS = "”’」』）)"  # closing quotes and brackets that stay with the sentence they end
WORD_CHAR = re.compile(r"[\w\u4e00-\u9fff]")  # a sentence with none says nothing (only markers or markup)


def strip_markers(sentence: str) -> str:
    """The sentence without its [n] markers."""
    return MARKER.sub("", sentence)


def canonical_figure(number: str) -> str:
    """One spelling per value: no thousands separators, no leading/trailing zeros (08 = 8, 3.50 = 3.5)."""
    whole, _, fraction = number.replace(",", "").partition(".")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def numbers_in(text: str) -> set[str]:
    """The figures a sentence states: 「90%」, 「2022」, 「3.5」, and simple Chinese counts as digits (三年 → 「3」).

    Markers and a leading list enumerator are not figures. A percentage keeps its sign, so 「90%」 must be found
    as a percentage; 「一」 is ignored (一体化, 进一步 …).
    """
    text = norm(ENUMERATOR.sub("", strip_markers(text)))
    found = {canonical_figure(m.group(1)) + (m.group(2) or "") for m in ARABIC_FIGURE.finditer(text)}
    for m in CHINESE_FIGURE.finditer(text):
        value = chinese_number(m.group(1)) if COUNT_DIGIT.search(m.group(1)) else None
        if value is not None and value >= 2:
            found.add(str(value))
    return found


def _spelled_unit(unit: str) -> str:
    """The pattern of a unit family: its canonical unit and the other spellings the gazettes use for it."""
    return "|".join(re.escape(u) for u in (unit, *UNIT_SPELLINGS.get(unit, ())))


def quantity_in(unit: str) -> re.Pattern[str]:
    """A number given in `unit` or its family: 「340亿元」, 「三万元」, 「2—3次」, 「15个工作日」 for 天 (not an ordinal
    「第三次」)."""
    q = QUANTITY_CHARS
    # a day of the month (「12月31日」) is a date, not a number of days (but 「每月500元」 is a quantity)
    # (nor a rate's denominator: 「每千人」, 「5批次/千人」 count no people)
    before = ("第月" if "日" in (unit, *UNIT_SPELLINGS.get(unit, ())) else "第") + "每/／"
    return re.compile(rf"(?<![{before}\d{q}])[\d{q}][\d.,%{q}—\-～~]*\s*(?:万|亿)?\s*个?(?:{_spelled_unit(unit)})")


# ---------- dates and periods ----------


def month_stated(month: str) -> re.Pattern[str]:
    """A month as a clause states it: 「8月」 (not the tail of 「18月」)."""
    return re.compile(rf"(?<!\d){month}月")


def unit_cell(unit: str) -> re.Pattern[str]:
    """A table row's unit, given once: a 「单位：亿元」 cell or the indicator's bracket 「车数量（辆）」 (the row then
    gives its figures without the unit)."""
    return re.compile(rf"单位[:：](?:万|亿)?(?:{_spelled_unit(unit)})|[（(](?:万|亿)?(?:{_spelled_unit(unit)})[)）]")


@functools.lru_cache(maxsize=4096)
def abbreviation_of(term: str) -> re.Pattern[str]:
    """The words a short term abbreviates: a Chinese abbreviation keeps one character of each word, so its characters
    stand in order with at most ABBREVIATED_GAP others (no punctuation) after each: 二甲 in 二级甲等, 医保 in
    医疗保障, 老人 in 老年人."""
    gap = rf"[^{SENTENCE_END}，,、；;：:（）()“”\s]{{0,{ABBREVIATED_GAP}}}"
    return re.compile(gap.join(re.escape(ch) for ch in term))


@functools.lru_cache(maxsize=4096)
def shortened_forms(term: str, question: str) -> frozenset[str]:
    """The abbreviations the text may use for the phrase a question term starts (the term and the word after it in
    the question): a Chinese abbreviation keeps the term's first character and one character of the next word
    (限额以上 → 限上, 医疗保障 → 医保). Only the characters ABBREVIATED_GAP words long after the term count, and only
    within one segment of the question (no punctuation between)."""
    if len(term) < 2:
        return frozenset()
    out: set[str] = set()
    for m in re.finditer(re.escape(term), question):
        after = re.match(rf"[^{SENTENCE_END}，,、；;：:（）()“”\s？?！!]{{1,{ABBREVIATED_GAP}}}", question[m.end() :])
        if after:
            out.update(term[0] + ch for ch in after.group(0) if ch != term[1])
    return frozenset(out)


@functools.lru_cache(maxsize=4096)
def coordinated(term: str) -> re.Pattern[str]:
    """The term written as one of several items sharing its head: 「三、二、一级」 or 「三级和二级」 for 三级."""
    splits = [f"{re.escape(term[:i])}{COORDINATED}{re.escape(term[i:])}" for i in range(1, len(term))]
    return re.compile("|".join(splits) or re.escape(term))


# 「各」 before a noun: each of a category (「各行业」, 「各市州」), whose members the text lists rather than names it.
EACH_OF = "各"


@functools.lru_cache(maxsize=4096)
def members_listed(term: str) -> re.Pattern[str]:
    """A category noun written as two or more of its members sharing its head character, each item of the list
    perhaps with its value (「批发业20万元、零售业10万元」 for 行业, 「海东市、海西州」 does not hold 市州)."""
    head = re.escape(term[-1])
    item = rf"[^{SENTENCE_END}、，,；;：:\s]"
    return re.compile(rf"{item}{head}{item}{{0,10}}[、和及与]{item}{{1,10}}?{head}")


MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*月份")
# A period qualifier on a name: 「2022年」, 「2022年上半年」, 「2020年8月份」 (not the end of a range 「2021—2025年」).
PERIOD = re.compile(r"(?<![\d—\-－~～至到])((?:19|20)\d{2})\s*年\s*(上半年|下半年|第[一二三四]季度|\d{1,2}\s*月份)?")
# A planning period named by its five-year plan: 「十四五」, 「“十四五”」.
FIVE_YEAR_PLAN = re.compile(r"十[一二三四五六七八九]五")


def plan_end_year(plan: str) -> str:
    """The last year of a five-year plan: the tenth (十五) ended in 2005, each later one 5 years on (十四五: 2025)."""
    return str(2005 + 5 * (chinese_number(plan[1]) or 0))


HALF_YEAR = re.compile(r"上半年|下半年|第[一二三四]季度")

# ---------- question words and forms ----------

NUMBER_Q = re.compile(
    r"多少|(?<!哪)几[个项家年月天条次%]|比例|比重|百分|目标|何时|什么时候|哪一年|哪年|期限|截至|金额|标准是|上限|下限|达到"
)
RESPONSIBLE_Q = re.compile(r"谁|哪个部门|哪些部门|哪家|牵头|负责(?!制)|责任单位|配合单位|主管|承办")
LIST_Q = re.compile(r"哪些|哪几|包括|包含|有什么|列举|分别")
DEFINITION_Q = re.compile(
    r"什么是|是什么意思|指什么|含义|定义|如何|怎么|怎样|程序|流程|步骤|机制|讲了什么|规定了什么|内容"
)
# 「分别」 asks for every item of a set (全省 and each 市州): they sit side by side in one clause.
EACH = re.compile(r"分别|各(?:是|为|有)")
# A question setting documents side by side: 「两个规划…分别」, 「A和B对…的要求」, 「相比」.
COMPARES = re.compile(r"分别|两个|两份|二者|两者|相比|对比|比较|各自|异同")
# The words asking a value of each of several things (「文号分别是什么」): a document's field asked of each is still
# that field.
EACH_WORD = re.compile(r"分别|各自")
# A question setting two things side by side for one answer each (「A和B分别…」, 「…各定了多少」, 「…说法一致吗」).
# Not the adverb 比较 (「比较关心的政策」: a verb 比较 ends its clause), 差异化 (「差异化政策」), nor 同一 that does
# not ask whether two things are the same (「对同一企业有什么限制」; but 「是否同一天…」, 「同一次会议通过的吗」).
SIDES_Q = re.compile(
    rf"{EACH_WORD.pattern}|各(?:定|是|为|有|提|设|规定|要求)|一样|一致|相同|不同|异同|相比|对比|比较(?=一下|起来|$|[，,？?；;。！!])"
    r"|区别|差别|差异(?!化)|是否?在?同一|同一[天日次个年月][^，,？?；;。！!]*吗|哪个更"
    # whether two figures agree (「两个数字对得上吗」), when asked: 「…不相符的，如何处理」 is a condition
    r"|是否(?:对得上|相符|吻合)|(?:对得上|对不上|相符|吻合)(?=吗|么|呢|与否|[？?]|$)"
)
# A comparing verb opening its segment, before the two sides it compares (「比较一下A和B对…的要求」, 「请对比A与B」).
LEADING_COMPARE = re.compile(r"(?:请)?(?:比较|对比)(?:一下)?")
# A side of a comparison that is a time alone (「2021年3月」, 「上半年」) names nothing to search on its own: the year
# checks already prefer each year's sentence.
TIME_ONLY = re.compile(r"(?:\d+|[一二三四]?季度|上半年|下半年|[年月日号第])+")
# A later segment asking the same of another document (「…是多少？乡村卫生方案中又是多少？」, 「…？那盐湖方案呢？」):
# the second side of a comparison whose first side the segments before it name. The whole segment is the document's
# name between these (matched in full): a segment asking something new of its own (「…台账又要求平台何时建成」)
# is another part of a multi-part question, not the other side of a comparison.
FOLLOW_ON_LEAD = re.compile(r"(?:那么?|而)?在?")
FOLLOW_ON = re.compile(
    r"(?:中|里|的)?(?:又|也)(?:是|为|有|定|提|规定|要求)?了?(?:多少|什么|几[个项条])?呢?|(?:中|里|的)?呢"
)
# The words joining two sides (jieba words of their own: 「和」 in 「共和」 joins nothing).
SIDE_JOIN = frozenset({"和", "与", "及", "以及", "同"})
# A join that is as often a preposition (「跟部委联合印发」, 「企业跟高校合作的项目」): it joins two sides only
# where no other join does, and only when the side after it names a document or group whole (「盐湖方案跟生态规划说法
# 一致吗」).
SIDE_JOIN_LOOSE = frozenset({"跟"})
# Words ending a side after the join (「…行动方案各定了多少」, 「…台账说法一致吗」, 「…委员会分别由…」) or before it
# (「…对二级以上综合医院设立…」): the side is the naming run between them.
SIDE_AFTER_END = frozenset(
    {"的", "说法", "说", "分别", "各", "各自", "是否", "是", "由", "对", "在", "中", "有", "都", "提出", "规定"}
    | {"两个", "两份", "两项", "二者", "两者"}  # a count of the sides: what follows it names both (「A和B两个规划」)
)
# After a side naming a document whole (「…实施方案」), any word opening with one of these characters ends the side,
# whatever jieba glued on (「对村卫生室」 → 「对村」, 「中央财政」, 「是否」, 「有关」): a title is complete, and a word
# opening with a particle or preposition (的对在中由), 是/有/都/各, or the first character of 说法/分别/提出/规定 starts
# what is said of it. Only after a whole title: 「中」 does not end 「…和中小企业」.
SIDE_AFTER_TITLE = frozenset("的对在中由是有都各说分提规")
SIDE_BEFORE_END = frozenset(
    {"的", "对", "在", "中", "把", "将", "关于", "期间", "和", "与", "及", "以及", "同", "跟", "一下"}
)
# Bigrams holding a question word say what kind of answer is wanted, not what it is about: 「谁负责」 must not
# match 「谁建设谁负责」.
INTERROGATIVE = re.compile(r"[谁哪吗呢么]|什|多少|如何|怎")
# A segment asks something of its own only with an interrogative; 「为推进…建设，」 merely sets the scene.
ASKS = re.compile(r"什么|哪|谁|多少|几|如何|怎么|怎样|吗|是否|何时|多久|多长|多大|分别|有何")
# A segment of the question asking for a quantity (「…多少」, 「几次」; not 「哪几个」, which asks for a list).
QUANTITY_Q = re.compile(r"多少|(?<!哪)几[个项次年天家条类位种所名人]|多大|多长|多久")
# A segment asking the same again of something else (「一等奖奖励多少？二等奖呢？」): it asks, without an
# interrogative of its own.
ASKS_AGAIN = re.compile(r"呢$")
# A segment closed by a question mark asks though it holds no interrogative: a bare label after an earlier question
# (「…要提高到多少？完成时限？」, 「…由谁负责？办公地点？」) asks that value as a part of its own.
ASKED_BY_MARK = re.compile(r"[？?]")
# Where a question divides into parts: clauses (「，」「？」) and the items of an enumeration (「、」). One character
# a split, always: `question._segments` counts each segment's offset in the text as the lengths before it plus one.
SEGMENT_SPLIT = re.compile(r"[？?，,；;。！!]")
# A term the question quotes (「“六区”指哪六个区」, 「“债务风险”是什么意思」).
QUOTED_TERM = re.compile(r"[“「\"]([^”」\"]{1,12})[”」\"]")
# The verbs defining a term (「…是指…」, 「…指的是…」), one spelling for both patterns below; 是指 followed by
# 导/挥/引 is 「是指导」「是指挥」, no definition.
_DEFINING = r"是指(?![导挥引])|指的?是"
# What follows a term in a sentence that explains it: 「“六区”：…」, 「债务风险是指…」, 「四唯倾向：…」, or a gloss
# in brackets right after the quoted term (「落实“两个允许”（允许…）」), unless it only abbreviates (「（以下简称…）」).
EXPLAINS = (
    rf"(?:[”」\"]?(?:[，,]\s*(?={_DEFINING})|[^，。；,]{{0,4}}?)(?:[:：]|{_DEFINING}|即)"
    r"|[”」\"][（(](?!以下简称|简称))"
)
# A sentence defining a term: the term before 「是指」 (「债务风险是指…」), or after 「所称」 up to its first comma
# (「本办法所称基建项目，包括…」); group `after` marks the second form.
DEFINES = re.compile(rf"(?P<after>所称)|{_DEFINING}")
# ... or glosses it after a colon (「11. 揭榜挂帅制：指针对…」) or a 即 (「建设“两平台”，即，甲平台、乙平台」): such a
# sentence is a definition's answer whole.
DEFINITION = re.compile(rf"{DEFINES.pattern}|[:：]\s*指|[，,]\s*即")

# ---------- follow-ups ----------

# A follow-up leans on what was said before: it opens with 那/那么/还有/另外, points back with 它/其/该/这/上述,
# ends with 呢, or is too short to stand alone.
_BACK = "它|其|该|这|上述|同一|同样"  # words pointing back at what was said
FOLLOW_UP = re.compile(rf"^(那|那么|还有|另外|此外|{_BACK})|呢[？?]?$")
POINTS_BACK = re.compile(rf"^({_BACK})")
# What is not a subject: years, numbers, question words, particles and pointing-back words.
NOT_SUBJECT = re.compile(
    r"(?:19|20)\d{2}\s*年?|\d+|多少|什么|怎么样|怎样|如何|哪些|情况|目标|是|的|了|呢|吗|么|那|还有|另外|此外|它|其|该|这|呀|啊|[^\w]"
)

# ---------- units ----------

# 「每人每月」, 「每吨」, 「每张」: the denominator of a rate. 每年/每季度 are left out: clauses say 「年…」.
PER_UNIT = re.compile(r"每(?:人|户|张|吨|亩|件|台|名|份|套|辆|平方米|平方公里|公里|床|次)(?:每(?:月|年|天|日|次))?")
# The denominators of a rate, and how a clause may state each: 「每人」, 「人均」, 「元/人」 (「每人每月」 is two).
RATE_PART = re.compile(r"每(平方米|平方公里|公里|[人户张吨亩件台名份套辆床次月年天日])")


def rate_stated(denominator: str) -> re.Pattern[str]:
    """A rate's denominator as a clause states it: 「每人」, 「人均」, 「元/人」, 「按人」."""
    d = re.escape(denominator)
    return re.compile(rf"每{d}|{d}均|[/／]\s*{d}|按{d}")


# Units a quantity may be asked in (「多少平方公里」, 「几次」); longest first so 平方公里 wins over 公里.
UNITS = ("平方公里", "平方米", "公里", "亿元", "万元", "元", "件", "天", "次", "吨", "亩", "张", "辆", "户", "人次")
# The counter a count question names (「多少人」, 「多少家」, 「每千人多少批次」) is its unit too: a figure of another
# measure (「30%」, 「100万吨」, a 「5批次/千人」 of another indicator beside no 批次 of the asked one) counts no
# people, firms or batches. Not a counter that starts a noun (「多少人口」, 「多少家庭」, 「多少所有制」).
COUNTERS = ("批次", "人(?![口员才均力群])", "家(?![庭长属])", "所(?![有属在得])")
ASKED_UNIT = re.compile(
    r"(?:多少|(?<![第哪])几)(?:万|亿)?(" + "|".join(UNITS) + r"|钱|" + "|".join(COUNTERS) + ")"
)  # 万/亿 before: 「多少万吨」; not 「哪几家」, which asks which ones
# A noun that is a unit of time or count, not what a figure is of (「多少个工作日内办结」).
UNIT_WORD = re.compile(r"(?:工作)?(?:日|天|年|月|周|小时|季度)(?:内|以内)?|人次|个月")
# The unit family an asked unit belongs to: 「多少钱」 and 「多少万元」 are asked in 元 (a figure in 万元 or 亿元
# answers either: quantity_in allows 万/亿 before the unit), 「多少天」 in 天.
MONEY = {"钱": "元", "万元": "元", "亿元": "元"}
# Other spellings of a family's unit: 「30日」, 「15个工作日」 answer 「多少天」.
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "天": ("日", "工作日"),
    "次": ("人次",),
    # a counter's family: people are counted in 名, 位 or 人次 too; bodies and firms in 个, 所 or 户, schools and
    # hospitals in 个 or 家; batches in 批
    "人": ("名", "位", "人次"),
    "家": ("个", "所", "户"),
    "所": ("个", "家"),
    "批次": ("批",),
}

# ---------- stop words, naming words and generic nouns ----------

STOP = "的了和与及在是有对为将把被就都而之其或等中上下个这那么吗呢啊请问"
# Particles, question words and punctuation dropped before taking bigrams (one pass: this runs per sentence).
DROP = re.compile("[" + STOP + r"?？,，。、:：;；!！\"“”]")


def key_text(text: str) -> str:
    """A text as its content bigrams are read (`key_bigrams`): normalised, question words and particles removed."""
    return DROP.sub("", norm(text))


def key_bigrams(text: str) -> set[str]:
    """Content bigrams of a text (question words and particles removed), used for overlap scores."""
    t = key_text(text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


# Word classes (jieba.posseg) that name what is measured: nouns, place and organisation names, idioms.
NAMING = frozenset({"n", "nz", "ns", "nt", "nr", "nrt", "vn", "l", "j", "b"})
# Nouns that are not what a figure is of, so a clause need not repeat them: the kind of figure asked (a share, a
# target, a size: a clause gives 「30%」 for 「多大比例」 without the word 比例, see TYPE_NOUNS), the source (the
# province, a document type: the document's title names it, and retrieval found the document) and vague nouns.
_SOURCE_NOUNS = "青海 青海省 全省 我省 省政府 省人民政府 青海省人民政府 规划 方案 意见 措施 通知 文件 政策"
_VAGUE_NOUNS = "情况 方面 领域 内容 要求 工作 地方 规定 阶段 期间 实际 具体"
# The nouns that name the kind of value asked, by answer type: a sentence stating a value of that type answers them
# (「补贴标准」 is answered by 「每人每月200元」, 「比例」 by 「90%」, 「期限」 by 「30日内」).
TYPE_NOUNS: dict[str, frozenset[str]] = {
    kind: frozenset(words.split())
    for kind, words in {
        "ratio": "比例 比重 占比 百分比 比率",
        "quantity": "金额 数额 额度 标准 数量 规模 总量 数值 水平 目标 指标 上限 下限",
        "count": "数量 个数 次数 数目 总数",
        "date": "期限 时限 时间 日期 时点",
        "period": "期限 时限 时间 时长 周期 年限",
    }.items()
}
GENERIC = frozenset(_SOURCE_NOUNS.split() + _VAGUE_NOUNS.split()) | frozenset().union(*TYPE_NOUNS.values())
# Words the gazettes use for one another: a measured noun is found when the text holds it with one of its
# near-synonyms in its place (「补助标准」 for 「补贴金额」 is this and a type noun).
NEAR_SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "补贴 补助 奖补 津贴 资助 补偿",
        "奖励 奖补 奖金",
        "费用 经费 资金",
        "全省 青海省 我省 全域",
        "提高 提升 增加 增长",
        "人员 人数",
        "人员 者",  # the agent suffix: 参保者 for 参保人员 (not for 参保人数: a count is no person)
        "完成率 达成率 实现率",
        "交易 成交",  # 「土地交易额」 and 「成交额」 (invented): one trade
        "房屋 房子 住房",  # the written and the spoken word for a dwelling
    )
)
# A document named by its title in book-title marks: it is the source of the figure, not what is measured.
TITLE_NAMED = re.compile(r"《[^》]*》")
# A document named without them, by the words before its type (「生态经济规划」, 「盐湖产业基地行动方案」), and a
# place in a document (「第三部分第（七）项」): where a value is stated, not what it is of.
DOCUMENT_PLACE = re.compile(
    r"第[一二三四五六七八九十百\d]+(?:部分|章|节|条|项|款)|第?[（(][一二三四五六七八九十\d]+[)）]项?"
)
# The words a document's name ends with (its type): 「…规划」, 「…实施方案」, 「助企纾困十条」.
_DOCUMENT_TYPES = "规划|方案|意见|办法|细则|条例|预案|台账|目录|十条|措施"
DOCUMENT_TYPE = f"(?:{_DOCUMENT_TYPES})"
# Words ending a document's title, laws and decisions included (「…安全生产法」, 「…电梯安全条例」): a question's
# document words ending so name a document by its title, not by what it says.
TITLE_END = re.compile(f"(?:{_DOCUMENT_TYPES}|法|决定|规定|纲要|计划)$")
DOCUMENT_NAMED = re.compile(
    rf"《[^》]*》|[^，,。？?！!、的和与及在中里对给]{{2,16}}?{DOCUMENT_TYPE}(?![^，,。？?]*》)"
    r"|" + DOCUMENT_PLACE.pattern
)
# A year a question gives a document (「2023年医疗卫生服务体系实施方案」, 「2020年的服务业实施意见」): the year it was
# issued, which its 文号 carries, not the year of a value asked (「2022年登记金额要达到多少」 names no document).
DOCUMENT_YEAR = re.compile(
    rf"((?:19|20)\d{{2}})\s*年(?:的|那个|那份|这个|这份)?(?=《|[^，,。？?！!、的和与及在中里对给]{{2,16}}?{DOCUMENT_TYPE})"
)
# The word after which a noun names the category of the items listed before it (「二氧化硫等污染物」).
CATEGORY_AFTER = "等"
# What follows a document named as the source of what is asked (「生态经济规划提出…」, 「盐湖方案里…」).
SOURCE_AFTER = re.compile(r"中|里|提出|规定|明确|要求|对")
# The characters a word keeps of itself in an abbreviation: 二级甲等 → 二甲 leaves out 级 and 等 (at most 2 after a
# kept one, the rest of a word of at most three characters).
ABBREVIATED_GAP = 2
# Items coordinated before a shared head: 「三、二、一级」 holds 三级 (and 二级, 一级).
COORDINATED = r"(?:[、和及与或][^、，。；,;]{1,4}?)+"
# Words the segmenter glued to a particle or locative (「方案中锂产业」 → 「中锂」) are not checked.
FUNCTION_START = frozenset("和与及或的在对把被从向中里")
# The predicate of a figure question (「要达到多少」, 「提高到多少」, 「降到多少天」): not what the figure is of.
PREDICATE = re.compile(
    r"(?:是|为|有|要|需|应|将|可|能|需要|应当)?(?:达到|提高|提升|增长|增加|降低|降到|下降|减少|控制|保持|超过|突破|低于|高于|不低于"
    r"|不少于|不超过|不高于|完成|实现|安排|提出|规定|要求|给予|发放|预计|计划|争取)?(?:到|至|在|为)?"
)
# Interrogatives, yes/no ones included (「是不是同几家」), and totals are not what is measured (「多少家」, 「一共」).
# The adjective of a 「多+adjective」 interrogative (「多大」, 「多长」): the segmenter may glue it to the noun after it
# (「多大面积」 → 多 / 大面积), which is then read without it (面积).
DEGREE_ASKED = "大长高宽深远厚"
NOT_MEASURED = re.compile(r"[\d哪几多什谁]|一共|总共|时候|是不是|是否|有没有|能不能|会不会|要不要")

# ---------- the shapes of clause text ----------

RESPONSIBLE_TEXT = re.compile(r"牵头|责任单位|责任部门|配合单位|负责")
# An organ's name (「省民政厅」, 「海西州人民政府」, 「省应急指挥部」, 「青海大学」, 「林草部门」): a name ends in the
# kind of organ it is, a department may be named by its sector. Words ending the same way name no organ (「布局」,
# 「格局」, 「定向委托」, 「大厅」, 「以人民为中心」, 「中心城区」, 「各级政府」, 「公立医院」); neither do
# 「各有关部门」, 「相关单位」 (boilerplate) nor a place alone (「各市」, 「城市」: where, not who).
ORGAN = re.compile(
    r"[\u4e00-\u9fff](?:(?<![大餐客展门舞])厅|(?<![布格大全结开当出变骗时战政])局(?![面部势限])"
    r"|委员会|(?<!向)委(?![托员屈婉身派])|办公室|(?:省|市|州|县|区|乡|镇|地|人民)政府|人大|法院|检察院|海关|党委"
    r"|(?<![为以核重心])中心(?![城区工任])|公司|集团|协会|联合会|商会|银行|(?<!公立)医院|大学|学院|研究所|研究院"
    r"|科学院|指挥部)"
    r"|(?<![各等])[\u4e00-\u9fff]{2}(?<!有关)(?<!相关)(?<!职能)(?<!主管)(?<!行业)(?<!成员)(?<!承办)(?<!责任)(?<!配合)(?<!牵头)"
    r"(?<!各级)(?<!上级)(?<!其他)(?:部门|单位|机构)"
)
# What a body is named for in a clause (「由省公安厅牵头」, 「省财政厅负责…」, 「由各市州应急指挥部统一发布」): the
# responsibility verbs a body question asks with.
ROLE_VERB = re.compile(
    r"牵头|负责|主管|承担|承办|主办|组织|统筹|会同|发布|审核|审批|指导|监督|实施|落实|制定|编制|印发|受理|认定|核定"
)
# A body in a role: 「由<organ>…」 (whatever it does: the clause says who), or an organ right before the verb of its
# role (「林草部门负责…」, 「人民政府主要负责同志为双组长」). See `rag.evidence.names_body_in_role`.
BODY_IN_ROLE = re.compile(
    rf"由[^，。；;,]{{0,20}}?(?:{ORGAN.pattern})|(?:{ORGAN.pattern})[^，。；;,]{{0,8}}?(?:{ROLE_VERB.pattern})"
)
# A question (or part) asking where something is set up or sits (「办公室设在哪」, 「在哪里」), and the text stating
# it (「办公室设在省教育厅」): a sentence merely naming the office does not say where it is. 「在哪些领域」,
# 「在哪个方面」, 「在哪一年」, 「在哪次会议」 ask no place; 「在哪个部门」 does.
PLACE_Q = re.compile(
    r"设在|在哪(?![些个一几天年次月日方])|在哪个(?:地方|部门|单位|地区|城市)|哪里|哪儿|何处|什么地方|什么位置"
)
PLACE_TEXT = re.compile(r"设在|设于|位于|坐落")
# A question asking where a body is set up (「办公室设在哪个部门」, 「挂靠在哪」): the text answering says so in the
# same verb family (PLACE_TEXT); a sentence that only sets the office up (「成立工作专班办公室」) or has it act
# (「专班办公室定期通报」) names the office, not where it sits.
SET_UP_Q = re.compile(r"设在|设于|设置在|挂靠")
LABEL_END = re.compile(r"[:：]\s*$")
# The patterns of a clause saying nothing of its own (HEADING_ONLY, ISSUING, LEAD_IN, HOLLOW_KEEPS, ANNEX_NUMBER,
# ITEM_MARKER, QUOTED_TITLE) live in index/text.py: the index build reads every clause with them once.
# Sentences that issue, forward or introduce a document rather than say anything about its subject: the issuing
# formula (ISSUING, spelled once) and the requests and lead-ins around it.
BOILERPLATE = re.compile(
    ISSUING.pattern
    + r"|请结合实际|请认真|抓好贯彻落实|认真贯彻执行|提出如下|通知如下|制定本(?:方案|办法|规划|细则|意见)"
    r"|编制本规划|安排如下|如下意见"
)
# What may follow a document's title in the title of the notice issuing it (「关于印发X的通知」), and the period a
# plan's printed title often adds after the name a question quotes (「X规划（2021—2025年）」).
NOTICE_END = ("", "的通知", "》的通知")
# The title of a notice issuing a document (「青海省人民政府办公厅关于印发青海省重污染天气应急预案的通知」): what it
# issues is the document's own name (group 1), by which it is known (「重污染天气应急预案由…以…号印发」).
ISSUED_NAME = re.compile(r"关于印发《?(.+?)》?的?通知$")
TITLE_PERIOD = re.compile(r"^[（(]\d{4}\s*[—–\-－]+\s*\d{4}\s*年?[)）]")
REPEAL = "废止"
# A clause opening with the year its targets are for (「到 2035 年，…体系基本建成。…产值达到1200亿元。」): that year
# dates each of its sentences that states none of its own (normalised text: no spaces).
DATING_OPENING = re.compile(r"^(?:到|至)((?:19|20)\d{2})年[，,]")
# The issuer and lead words a notice's title opens with (「青海省人民政府办公厅关于印发…」): shared by every notice
# of an issuer, they tell no document from another.
TITLE_ISSUER = re.compile(r"^(?:青海省)?(?:人民政府)?(?:办公厅)?(?:关于)?(?:印发|成立|建立)?")
REPEALED_NAME = re.compile(r"《([^》]{6,})》")
# A sentence that only says the clauses do not answer.
REFUSAL = re.compile(
    r"未找到|没有找到|未检索到|没有检索到|无法回答|不能回答|未涉及|没有涉及|未提及|没有提及|没有相关|未包含|没有包含"
)

# ---------- expected answer types (what kind of value a question asks for) ----------

# The role a question asks the holder of (「组长是谁」, 「由谁担任召集人」, 「办公室主任由谁兼任」): 副 makes it
# another role. A roster names each role with its holder.
ROLE = re.compile(rf"(?:办公室)?{ROLE_RANKS}(?:{'|'.join(ROLE_WORDS)})")


def holds_role(text: str, roles: Iterable[str]) -> bool:
    """Whether a text states who holds one of the roles: a label with its holder (「组 长：李杰翔」,
    「召集人：吴晓军」), the role given to someone (「组长由分管生态环境工作的副省长担任」, 「省长任双组长」,
    「王海红兼任办公室主任」), not a deputy's role for the role (「副组长：」 for 组长) nor a mention of the group."""
    t = norm(text)
    for role in roles:
        r = re.escape(role)
        deputy = "" if role.startswith(("副", "常务副", "第一副")) else "(?<!副)"
        if not role.startswith("办公室"):
            deputy += "(?<!公室)"  # the office's 主任 is not the body's
        if re.search(rf"{deputy}{r}(?:[:：]|由|为|是)|(?:任|兼任|担任)双?{r}", t):
            return True
    return False


# A person asked by role: 「组长是谁」, 「由谁担任」, 「哪位副省长」.
# 「办公室主任谁兼」 asks the holder as 「由谁兼任」 does (「…兼任办公室主任」 names one).
# 「承办单位是谁」 asks a body: 是谁 after a body's noun is no person asked.
PERSON_Q = re.compile(
    r"谁担任|由谁任|谁兼|(?<!单位)(?<!部门)(?<!机关)(?<!机构)是谁|哪位|(?:组长|主任|负责人|召集人|省长|书记)(?:是|为|由)"
)

# A group asked who leads it without naming the role (「领导小组由哪位省领导牵头」, 「委员会分别由谁牵头」): the role
# of its head, by the kind of group, as its member list prints it. A 领导小组 or 委员会 is led by a person, so
# 「由谁牵头」 asks one (LEADS_Q); a 联席会议 or 协调机制 「由谁牵头」 is a department (牵头单位), so its 召集人 is read
# only when a person is asked outright (PERSON_Q: 「哪位」).
GROUP_HEAD: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"(?:领导小组|工作小组|工作组)(?!办公室|成员)"), "组长", True),
    (re.compile(r"委员会(?!办公室|成员|委员)"), "主任", True),
    (re.compile(r"指挥部(?!办公室|成员)"), "总指挥", True),
    (re.compile(r"(?:联席会议|协调机制)(?!办公室|成员)"), "召集人", False),
)
LEADS_Q = re.compile(r"谁(?:来)?(?:牵头|领导|挂帅|负总责)")
# A group a text names, its own name before the kind of group (「省湿地保护领导小组」 → 省湿地保护): whose roles a
# question asks when it names one (「…领导小组组长是谁」).
# A group of experts or drafters is a 组 of its own (「专家论证组」, 「规划起草组」), not 组织, 组成, 组长 or 组员, nor
# the end of a 小组 or 工作组 that names only its kind (「领导小组组长是谁」).
GROUP_NAMED = re.compile(
    r"(?P<name>[\u4e00-\u9fff]+?)(?:领导小组|工作小组|工作组|委员会|指挥部|联席会议|协调机制|(?<![小作])组(?![织成建合长员]))"
)


@functools.lru_cache(maxsize=64)
def role_named(role: str) -> re.Pattern[str]:
    """A role as a sentence names it: 「召集人」 (not the deputy's 「副召集人」, a role of its own)."""
    return re.compile(re.escape(role) if role.startswith("副") else rf"(?<!副){re.escape(role)}")


# A day asked (「哪天开始施行」, 「几月几日批复」): a quarter, a month or a year (「第二季度」, 「2022年」) states
# no day; a day of a month, or the day of an act (「自公布之日起」), does.
DAY_Q = re.compile(r"哪一?天|哪一?日|几月几[日号]|具体日期|什么日子")
DAY_STATED = re.compile(r"\d{1,2}\s*[日号]|[一二三四五六七八九十廿卅]+[日号]|之日")
# A document's title as a sentence names it (「《…纲要（2021—2035年）》」, 「〈…〉」): the figures and years in it are
# part of its name, no value the sentence states.
TITLE_SPAN = re.compile(r"《[^》]*》|〈[^〉]*〉")
# A date or deadline: 「何时完成」, 「什么时候起施行」, 「期限是多久」, 「哪一年」. 截至/截止 before a date the question
# states (「截至2020年底有多少…」) dates what is asked, it does not ask a date.
DATE_Q = re.compile(
    r"何时|什么时候|什么时间|(?:什么|哪个|哪些)年份|哪一?年|哪一?天|几月|哪个月|期限|时限|截[止至](?!\s*(?:到\s*)?\d)"
    r"|日期|多久|多长时间|起施行"
)
# A length of time: 「任期几年」, 「多少个工作日内」, 「多长时间」.
PERIOD_Q = re.compile(r"(?:多少|(?<!哪)几)\s*个?(?:工作)?(?:年|日|天|周|月|小时)|多久|多长(?:时间|周期)|任期")
# A count: 「几项」, 「多少家」, 「一共多少个」; not 「几个百分点」, points of a rate (a ratio: RATIO_Q reads 百分).
COUNT_Q = re.compile(
    r"(?:多少|(?<!哪)几|一共|共有|总共)\s*(?:个(?!\s*百分点)|项|家|条|次|类|种|所|名|人|位|批|座|户|台|套|处|部分|方面|件)"
)
# A ratio: the measured noun is a share or a rate.
RATIO_Q = re.compile(r"比例|比重|占比|百分|[^\s，,？?]率")
# A quantity asked without a count word: 「多少」, 「多大」, 「金额」, 「标准是」, 「达到多少」.
AMOUNT_Q = re.compile(r"多少|多大|多高|多长|多远|金额|额度|标准是|上限|下限|目标值|达到")
# A question that asks for a magnitude or a time outright (「多少」, 「几次」, 「多大比例」, 「何时」): its answer must
# state a value of that kind; 「目标是什么」 may be answered in words.
ASKS_VALUE = re.compile(
    r"多少|(?<!哪)几(?!种|类|个方面|方面|部分)|多大|多高|多长|多久|何时|什么时候|哪一?年|哪一?天|几月"
)
# A target, standard or requirement asked of an indicator (「破案率有什么指标」, 「产能定了什么目标」, 「报告数要达到
# 什么水平」): the noun before the asking words names a measure (a rate, share, count, amount, capacity, area), so
# its target is a figure, asked as outright as by 「多少」 (「空气质量有什么要求」, 「服务能力要达到什么标准」 may be
# answered in words: their nouns name no measure). `ask` is where the asking words start.
INDICATOR_TARGET = re.compile(
    r"(?:率|比例|占比|比重|(?<![无对相类])比|(?<![多少无分倍指参函])数|(?<![质考能力])量|产能|产值|面积|(?:满意|强|密|贡献)度)"
    r"(?P<ask>(?:有|提出了?|定了?|提了?|设了?|规定了?|是|要|为|的)?(?:什么|啥|何|哪些)(?:样的?)?(?:目标|指标|要求|水平|标准)"
    r"|(?:要|需|应|须)?(?:达到|提高到|控制在)(?:什么|啥|何)(?:水平|程度|标准|目标)?)"
)
SEVERAL_NAMED = re.compile("[、和及与]")  # what joins two things named side by side (「亮灯率、处理率」)
YES_NO_Q = re.compile(r"是否|吗[？?]?$|是不是|有没有")
# A frequency a yes/no question asks to be confirmed (「论坛是每年办一次吗」, 「是不是一年两次」): it asks how often, as
# 「多久办一次」 does, and only a sentence stating a frequency or a period (「每年举办一次」, 「每两年」) answers it yes
# or no; 「定期举办」 says neither.
FREQUENCY_ASKED = re.compile(
    r"(?:每|一)个?(?:半年|季度|年度|年|季|月|周)[^，,。？?；;]{0,8}?[一两二三四五六七八九十\d]+次|[两二三四五\d]+年一次"
)
# A segment asking whether something may or will be done, in the A-not-A form (「县区能不能自行制定」, 「可否延期」): it
# asks a part of its own though `ASKS` finds no interrogative in it.
MAY_Q = re.compile(r"能不能|能否|可否|可不可以|可以不|会不会|要不要|需不需要|用不用")
PROCEDURE_Q = re.compile(r"程序|流程|步骤|如何|怎么|怎样|办理")

# The values a clause states, by type; the direct answer opens with the one that answers.
_NUM = r"\d+(?:\.\d+)?"
_CN = CN_DIGITS + CN_MAGNITUDES.replace("亿", "")  # (亿 is read as a scale word after a figure)
# The nouns naming a measure, each with a figure in that measure's unit family: the figure states what the noun
# asks (「16岁以上」 a 「多大年龄」, 「每百户不低于20平方米」 a 「多大面积」, 「3公里」 a 「多长距离」).
_FIGURE = rf"(?:{_NUM}|[{_CN}]+)\s*"
_MEASURE_FAMILIES = {
    "年龄 岁数 年纪": rf"{_FIGURE}周?岁",
    "面积 占地 建筑面积 用地面积": rf"{_FIGURE}(?:万|千)?(?:平方米|平方公里|平方千米|亩|公顷|㎡)",
    "长度 距离 里程 路程": rf"{_FIGURE}(?:万|千)?(?:公里|千米|(?<!平方)米)(?!/)",
    "重量 质量 载重": rf"{_FIGURE}(?:万|千)?(?:吨|千克|公斤|克)(?!/)",
    "比值": rf"{_NUM}\s*[:：∶]\s*{_NUM}",  # 「2.4 : 1」 (a time of day 「9:30」 reads so too: rare by a 比值)
}
MEASURE_NOUNS: dict[str, re.Pattern[str]] = {
    noun: re.compile(figure) for nouns, figure in _MEASURE_FAMILIES.items() for noun in nouns.split()
}
VALUE = {
    "ratio": re.compile(rf"{_NUM}\s*[%‰]|百分之[{_CN}点]+|[一二两三四五六七八九]成(?![立为果本效员])"),
    "date": re.compile(
        r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:年底|年末|底|末|前|以前|之前|起)*"
        r"|(?<!\d)\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|末|中旬|上旬|下旬)前?"
        rf"|[\d{_CN}]+\s*个?(?:工作)?(?:日|天|周|个月|年)(?:内|以内|之内)"
        r"|(?:公布|印发|发布)之日起|第[一二三四]季度|[上下]半年"
    ),
    "period": re.compile(rf"(?<![第\d{_CN}])[\d{_CN}]+\s*个?(?:工作)?(?:年|日|天|周|月|小时)(?:内|以内|之内)?(?!\d)"),
    # how often (「每季度」, 「每半年」): a length of time asked as 「多久…一次」
    "frequency": re.compile(r"每(?:个)?(?:半年|季度|年度|年|季|月|周|旬|日|天)"),
    "count": re.compile(
        rf"(?<![第\d{_CN}])(?:\d+|[二两三四五六七八九十][{_CN}]*|一[{_CN}]+)\s*(?:个|项|家|条|次|类|种|所|名|人|位|批|座|户|台|套|处|件|大)(?!\d)"
    ),
    # a figure that is not a year, an enumerator (「40.」) or part of a longer number; or an amount in 元
    # (not a year, month or day of a date: 「11月底前」 states a time, not a quantity)
    "quantity": re.compile(
        rf"(?<![\d.]){_NUM}(?![\d.])(?!\s*(?:年|月|日|号))\s*[%‰]?\s*(?:万|亿)?|[{_CN}]+\s*(?:万|亿)?\s*元"
    ),
    "body": re.compile(
        r"(?:牵头|责任|配合|承办|主管)(?:单位|部门)[:：]\s*[^；;。\n]+|由[^，。；,;]{2,30}?(?:牵头|负责|承担|承办)"
    ),
    "person": re.compile(r"[\u4e00-\u9fff]{2,4}同志|(?:组\s*长|主\s*任|召\s*集\s*人)\s*[:：为由]\s*[^，。；,;]{2,30}"),
}
# ---------- questions about a document itself (answered from its card, index.cards) ----------

_ISSUE_VERB = "(?:印发|发布|发文|下发|签发|公布)"
# 「…方案是谁发的？」, 「青政〔2021〕54号是哪个部门发的」: a bare 发 issues a document only right after one is named
# and at the question's end; 「补贴是谁发的」 asks who pays, 「哪个部门发的补贴」 a clause.
_NAMED_BEFORE = rf"(?:{DOCUMENT_TYPE}|通知|决定|文件|号)[》」”]?"
_SENT_END = r"发的[呢啊吗]?(?:[？?。，,、]|$)"
_BY_WHOM = r"(?:是由|是|由)?(?:谁|(?:哪个|哪一?个|哪家|哪一?级)(?:部门|机关|单位|机构|政府))"
_SENT_BY = rf"{_NAMED_BEFORE}{_BY_WHOM}(?:联合)?{_SENT_END}"
_SENT_WHEN = rf"{_NAMED_BEFORE}[、，,]?(?:是|在)?(?:何时|什么时候|哪一?天){_SENT_END}"
# What a question asks about the document rather than its content, by card field. Each pattern needs the asking
# words next to the field (「文号是什么」, 「什么时候印发」), so a question that merely mentions a 文号 or 「印发」
# (「青政办〔2022〕30号印发的十条措施第九条讲了什么」) asks its clause, not its card.
META_Q = {
    "doc_number": re.compile(
        r"(?:文号|发文字号|发文编号)(?:是|为)?(?:什么|多少|哪个|[？?]|$)|(?:什么|哪个|何)(?:文号|发文字号)"
        # enumerated with another field asked (「文号和日期？」)
        r"|(?:文号|发文字号)(?:和|及|与|、)(?:印发|发布|成文)?(?:日期|时间)"
    ),
    "signed": re.compile(
        rf"{_ISSUE_VERB}的?(?:时间|日期)|成文(?:时间|日期)|落款日期|签发日期"
        rf"|(?:何时|什么时候|什么时间|哪一?天|哪一?年|几月几[日号]|哪年哪月|哪个月|哪一?日)(?:正式)?{_ISSUE_VERB}"
        rf"|(?:{_ISSUE_VERB}|成文)于?(?:何时|哪一?天|哪一?年|哪年哪月|什么时候)"
        rf"|{_SENT_WHEN}"
        r"|(?:文号|发文字号)(?:和|及|与|、)(?:印发|发布|成文)?(?:日期|时间)"
        # which of two documents came first, or whether on one day: their dates compared
        rf"|(?:哪个|哪份|哪一?份|谁)先(?:{_ISSUE_VERB}|发|出台)|同一天(?:{_ISSUE_VERB}|发)|先后{_ISSUE_VERB}"
    ),
    "issuer": re.compile(
        rf"(?:哪个|哪一?个|什么|哪些|哪家|哪一?级)(?:部门|机关|单位|机构|政府)(?:联合)?{_ISSUE_VERB}"
        rf"|(?:由|是)谁(?:联合)?{_ISSUE_VERB}|谁(?:联合)?{_ISSUE_VERB}的|发文(?:机关|单位)|(?:印发|发布)(?:机关|单位|部门)|{_SENT_BY}"
        # who issued it jointly (「…和哪个部委联合印发的」, 「与哪些单位联合发布」): the issuers on its card
        rf"|(?:哪个|哪一?个|哪些|哪家|哪[两几]家|什么|谁)[^，。？?、；;]{{0,6}}联合{_ISSUE_VERB}"
        # which of two issuers (「是省政府还是办公厅印发的」)
        rf"|还是[^，。？?、；;]{{1,12}}{_ISSUE_VERB}的"
    ),
    "gazette": re.compile(r"哪一?期|第几期|(?:刊登|刊载|刊发|登载)(?:在|于)"),
    # which document it is, for a question naming it by what it says (「…任…主任，是哪个文件、哪天发的」)
    # (not 「依据是哪个文件」: the basis of a document is another document, named in its clauses)
    "title": re.compile(r"(?<!依据)(?<!根据)(?<!按照)(?:是|为)(?:哪个|哪份|哪一?份|什么)(?:文件|通知)(?:[，,、？?]|$)"),
    # which meeting approved it (「经哪次会议审议」, 「是哪些会议通过的」, 「哪天经常务会审议」): no card line
    # states it, the issuing notice does (`APPROVED_TEXT`); asked with its card fields, they are answered together.
    # A meeting asked without approving (「在哪次会议上当选」: a person elected) is no document's approval.
    # 「常务会」 is how a 常务会议 is said (「哪次常务会通过的」, 「哪天过的常务会」, 「是不是同一次常务会通过的」).
    "approved": re.compile(
        r"(?:哪次|哪一次|哪几次|哪些|哪个|什么|同一次)[^，。？?、；;]{0,8}(?:会议|常务会|常委会)(?:上)?(?:审议|通过|研究)"
        r"|经过?了?(?:哪次|哪一次|哪几次|哪些|哪个|什么)[^，。？?、；;]{0,8}(?:会议|常务会|常委会)"
        r"|(?:何时|什么时候|哪一?天)[^，。？?；;]{0,6}(?:审议|通过|过的?(?:常务会|常委会|会议))"
    ),
    # which documents it rests on (「依据哪个文件制定」, 「根据哪两个国家文件」, 「依据是什么」): no card line states
    # it, its opening or issuing notice does (`BASIS_TEXT`); asked with its card fields, they are answered together
    "basis": re.compile(
        r"(?:依据|根据|依照|按照)的?(?:是)?[^，。？?；;、]{0,6}?(?:哪个|哪一?份|哪[两几]个|哪些|什么)[^，。？?；;、]{0,4}?"
        r"(?:文件|文|意见|通知|精神)|依据(?:是|为)(?:什么|哪)"
    ),
    "parent": re.compile(
        # (「哪个文印发的」: 文 is how a 文件 is said)
        r"(?<!依据)(?<!根据)(?<!按照)(?:哪个|哪一?份|什么|哪一?件)(?:文件|通知|文)(?:印发|发布|下发)"
        r"|随(?:哪个|哪一?份|什么)(?:文件|通知)"
        r"|(?:以|通过|用)(?:哪个|什么)(?:文件|通知|文(?!号))|哪个(?:文件|通知)的附件|印发(?:它|其|该[^，。？?]{0,8})的(?:是)?(?:哪个|什么)?通知"
    ),
}
# A bare 「什么时候？」 asked right after a segment asking how or by whom a document was issued (「…是哪个文印发的？
# 什么时间？」, 「…用哪个文号一起印发的？哪天？」): it asks when that was, the date on its card.
BARE_WHEN = re.compile(r"(?:是|在)?(?:何时|什么时候|什么时间|哪一?天|哪年哪月)(?:印发|发布|下发|发)?的?")
# The sentence of an issuing notice saying which meetings approved the document (「…已经省政府第94次常务会议审议
# 通过，现印发给你们」): what a question asking `META_Q["approved"]` is answered by.
APPROVED_TEXT = re.compile(r"会议(?:审议)?(?:通过|同意)|审议通过")
# The sentence of a document's opening or issuing notice naming the documents it rests on (「根据《…工作要点的通知》
# （国办发〔2022〕8号）要求，…」, 「按照…《关于…的指导意见》（…）精神」, 「为深入贯彻《…》精神」): what a question
# asking `META_Q["basis"]` is answered by.
BASIS_TEXT = re.compile(r"(?:根据|依据|依照|按照|贯彻)[^。；;]{0,40}?《")
# Which of two documents' dates comes first, or whether they share one (「哪个先印发」, 「是同一天印发的吗」): answered
# by comparing the dates on their cards.
ORDER_Q = re.compile(r"(?:哪个|哪份|哪一?份|谁)(?:先|早|更早)|同一天|同一日|同日|先后")
# A date as a card states it (「成文日期：2021年12月21日。」), read back to compare two documents' dates.
CARD_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# A verb issuing a document: asking words enumerated before it (「是谁、哪天、以什么文号印发的」) go with it each
# (rag.question._with_verb finds them in linear time; a regex spanning the enumeration backtracked cubically).
ISSUE_VERB = re.compile(_ISSUE_VERB)
# Words that ask for the document's metadata, cut from a question before its title words are compared with a card's.
META_WORDS = re.compile(
    rf"文号|发文字号|发文编号|{_ISSUE_VERB}|成文|落款|日期|时间|时候|机关|部门|单位|机构|刊登|刊载|刊发|登载|公报|哪一?期|第几期"
    r"|何时|哪一?[天年日个件份]|几月几[日号]|哪年哪月|文件|通知|附件|正式|由谁|是谁|什么|哪个|哪些|哪家|是|为|的|在|于|了|？|\?|《|》"
    r"|具体"  # a colloquial filler (「具体是哪天印发的」), not a title word
    r"|[两三四几]个|[两三四几]份"  # how many documents are asked of (「反拐的两个文件」), not a title word
    # which meeting approved it (META_Q["approved"])
    r"|经过?了?|哪一?次|哪几次|同一次|会议|常务会|常委会|审议|通过|过的"
    r"|依据|根据|依照|按照|制定"  # which documents it rests on (META_Q["basis"])
)

# How often something recurs (「每季度末」, 「每年」): what 「多久…一次」 asks, besides a length of time. Read by the
# direct answer only; whether a question is answerable at all does not rest on it (「每年」 is everywhere).
FREQUENCY = re.compile(r"每(?:个)?(?:季度|半年|年度|年|月|周)(?:末|初|底)?")
# A table row's unit, stated once for its figures: a 「单位」 cell (「单位：%」, 「单位：万吨」), or a bracket
# closing the indicator cell (「每千人口医疗卫生机构床位数（张）」); a dash or an empty cell states none.
UNIT_COLUMN = re.compile(r"^\s*单位\s*$")
# A table row's deadline cell (「完成时限：2025 年」, 「时限要求：11 月底」, 「决策时间安排：第二季度」): by when
# the row's task or target is to be met.
DEADLINE_COLUMN = re.compile(r"时限|完成时间|时间安排")
INDICATOR_COLUMN = re.compile(r"指标")
# An indicator cell names its group before 「／」 (「产值规模／总产值」): the indicator is the part after it. Not
# a 「/」 inside the brackets closing it: 「…的比重 (R&D/GDP)」 is one indicator, spelled out and abbreviated.
INDICATOR_GROUP = re.compile(r"[／/](?![^（(]*[)）])")
# The indicator cell naming what a row's figures are of (「指标」, 「主要指标」, 「指标名称」, 「二级指标」), not
# those describing it (「指标属性：预期性」, 「指标说明」); of a 「一级指标」 and a 「二级指标」 the later, finer one
# names it.
INDICATOR_NAME = re.compile(r"^\s*(?:主要|[一二三]级)?指标(?:名称)?\s*$")
INDICATOR_UNIT = re.compile(r"[（(]\s*([^（）()\d；;，,、含]{1,5}?)\s*[)）]\s*$")  # not 「（不含药品收入）」
NO_UNIT = re.compile(r"^[\s—\-–/／]*$")
# A cell value ending in a bare figure (「2025 年：96」, 「1.44 左右」): where the row's unit is put back in an opening.
BARE_FIGURE_END = re.compile(r"(\d+(?:\.\d+)?)(\s*(?:左右|以上|以下|以内)?)\s*$")
# A date without its year (「8月26日」, 「12 月底」): a chronicle's entry or a yearly task list's deadline, whose year
# the document's title states once (「省政府2020年8月份大事记」, 「…2022年综合医改重点工作任务台账」).
# (A date with its year matches too, `year` set: then its month is no yearless date's.)
YEARLESS_DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2}\s*年\s*)?(?<!\d)(?P<month>\d{1,2})\s*月(?=\s*(?:\d{1,2}\s*[日号]|底|末|中旬|上旬|下旬))"
)
# A part of a year printed without its year (「决策时间安排：第二季度」): of the year its list's title names.
YEARLESS_PART = re.compile(r"(?<![年\d])(?P<part>第[一二三四]季度|[上下]半年)")
# Any year a title or heading names, with 年 or not (「（2021—2035年）」 names two): a yearless date takes the title's
# year only when it names one.
ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A title's year and month (「2020年8月份大事记」): its entries' dates are of that month.
YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
# A planning period named as a time (「“十四五”末」, 「十四五期间」): with a date, what qualifies a target's piece.
PLAN_PERIOD = re.compile(rf"[“\"]?{FIVE_YEAR_PLAN.pattern}[”\"]?(?:末|期间|时期|初|中期)")
# A table row's serial-number cell: 「序号：11」 numbers the row, it states no value.
SERIAL_CELL = re.compile(r"^\s*(?:序号|编号)\s*[:：]")
# A share stated as such (「100%」, 「5‰」, 「百分之十」, 「三成」): it says how large a part is, never how many
# there are, so it answers no count (「有多少所社区学校」 is not answered by a coverage of 100%).
SHARE = VALUE["ratio"]
# Where a sentence or table row states a share, in any of its forms: a share itself (`SHARE`), points of one
# (「提高5个百分点」), a multiple (「翻一倍」), a ratio of two figures (「1∶1.07」), or a row giving its figures once in
# per cent (「单位：%」, 「达标率（%）」). A question asking a share (「百分之几」, 「占比多少」) is answered only by
# one of these: an amount (「贴息不超过100万元」) or a figure in a name (「“1+5”措施」) is no share.
SHARE_STATED = re.compile(
    rf"{SHARE.pattern}|百分点|倍|翻.?番|\d\s*[:：∶]\s*\d|单位\s*[:：]\s*[%‰％]|[（(]\s*[%‰％]\s*[)）]|\d\s*％"
)
SERIAL_CELLS = re.compile(r"(?:序号|编号)\s*[:：][^；;]*[；;]?")  # a row's serial cell, wherever it stands in the row
# An aside in brackets holding a comma or semicolon (「（责任单位：省交通运输厅、省商务厅，省供销社）」): cut at
# its commas, a sentence would be quoted with a bracket left open.
BRACKETED_PAUSE = re.compile(r"[（(][^）)]*[，,；;][^）)]*[）)]")
# A sentence naming several items: 「西宁市、格尔木市、玉树市」 (three or more, joined by 、).
ENUMERATION = re.compile(r"[^、，,。；;]{1,24}、[^、，,。；;]{1,24}、")
# The noun a list question asks items of: 「设了哪几个工作专班」 → 工作专班, 「须经过哪些审查环节」 → 审查环节 (after
# the list word, to the end of its noun phrase: up to ten characters, so a long phrase keeps its last noun), or
# 「示范街道有哪些」 → 街道 (before it). A sentence enumerating items of that noun answers the list.
LIST_HEAD_AFTER = re.compile(
    r"(?:哪些|哪几|哪[一二三四五六七八九十两]+)[个项类种家所条名位批大]?((?:(?![的是要有需在为])[\u4e00-\u9fff]){2,10})"
)
LIST_HEAD_BEFORE = re.compile(
    r"((?:(?![的了])[\u4e00-\u9fff]){2})(?:有|包括|包含|是|指)(?:哪些|哪几|哪[一二三四五六七八九十两]+)"
)
# Where an enumeration's clause ends: the items are joined by 、, the clause runs to the next comma or stop.
ENUMERATION_END = re.compile(r"[，,。；;]")
# What closes a list after its last item: 「…、技术支持组等4个专项小组」 (not 「二等奖」, 「等级」).
LIST_TAIL = re.compile(r"等(?![级奖次])")
# The value types that answer one another's aspects (「总数和使用率分别是多少」 asks a count and a ratio).
VALUE_FAMILY = {
    "ratio": ("ratio", "quantity", "count"),
    "quantity": ("ratio", "quantity", "count"),
    "count": ("ratio", "quantity", "count"),
    "date": ("date", "period"),
    "period": ("date", "period"),
}
# The kinds that state a value of each type at all, for whether a question is answered (rag.refusal): the same
# families, and a frequency (「每季度」) states how long a 「多久…一次」 period is; figures are one family there because
# a count may be stated as a row number, a share as a bare figure under a 「单位：%」 cell.
STATED_FAMILY = {**VALUE_FAMILY, "period": (*VALUE_FAMILY["period"], "frequency")}
# A bracketed note naming the bodies responsible for the measure a sentence states (「（牵头单位：省财政厅）」,
# 「（责任单位：省交通运输厅、省商务厅，省供销社）」; one bracket may nest inside): who carries the measure out, not
# what it is. BODY_NOTE_END is one closing a quote; BODY_ASIDE one printed after the sentence's full stop, a unit of
# its own (「…举报机制。（责任单位：省公安厅）」) that says who does what the sentence before it says.
_BODY_NOTE = (
    r"[（(]\s*(?:牵头|责任|配合|承办|主管)(?:单位|部门)\s*[:：][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]"
)
BODY_NOTE_END = re.compile(rf"{_BODY_NOTE}[。；;]?\s*$")
BODY_ASIDE = re.compile(rf"^\s*{_BODY_NOTE}\s*$")
# A question asking what a clause or an item says (「第八条讲了什么」, 「…规定了什么」, 「…的内容」): the clause whole
# answers it, its notes included.
SAYS_Q = re.compile(r"讲了?(?:什么|啥)|说了?(?:什么|啥)|规定了?(?:什么|啥)|讲的是|内容|第[^，。？?]{1,6}[条项款]")
# A body that only assists the responsible one (「配合单位：…」).
SECONDARY_BODY = re.compile(r"配合")
# A task table's body cell (「牵头单位：省市场监管局」, 「责任单位：省总工会、团省委负责」): its label names the body's
# role by a verb (BODY_CELL_VERB: 责任单位 is the body that 负责), which prose says after the body (「由省市场监管局
# 牵头」). No other cell's label inside it (「牵头部门：…指导部门：…」 run together by the layout).
BODY_CELL = re.compile(r"^(?P<verb>牵头|责任|承办|主管|配合)(?:单位|部门)\s*[:：]\s*(?P<bodies>[^；;。：:\n]+)$")
BODY_CELL_VERB = {"牵头": "牵头", "责任": "负责", "承办": "承办", "主管": "主管", "配合": "配合"}
# Bodies that say their role themselves (「省卫生健康委牵头，各市（州）政府配合」, 「…省残联负责」).
BODY_SAYS_ROLE = re.compile(r"(?:牵头|负责|配合|承办|主管)(?:[，,][^，,]*配合)?$|牵头")
# A value that is no body: a dash for 「none」 (「配合部门：——」).
NO_VALUE = re.compile(r"^[—\-－–/／无]*$")
# A roster entry, one holder per line (「组 长：李杰翔 省委常委、常务副省长」, 「召集人：吴晓军；省长」): the role, the
# holder's name (two to four characters, printed spaced out at times: 「张 杰」) and the post after it. Prose puts the
# post before the name (「组长为省委常委、常务副省长李杰翔」).
_ENTRY_ROLES = "|".join(r"\s*".join(word) for word in (*ROLE_WORDS, "成员", "委员"))
ROSTER_ENTRY = re.compile(
    rf"^(?P<role>{ROLE_RANKS}(?:{_ENTRY_ROLES}))\s*[:：]\s*(?P<name>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,3}})"
    r"(?:\s*[；;]\s*|\s+)(?P<post>[^；;。：:\s][^；;。：:\n]{1,39})$"
)
# Where a sentence divides into the short pieces a direct answer may quote; two pieces joined by a comma may be
# quoted together, not across a cell (；) or a sentence end.
PIECE_END = re.compile(r"[，,；;。！!？?]")
PIECE_JOIN = re.compile(r"^[，,]$")


# ---------- validity questions (answered from the statements index.validity reads) ----------

# An earlier document a reader asks about as replaced (「以前」, 「旧」, 「老」), and the words naming a document in
# such a question (「文」 short for 文件).
_OLD = "以前|之前|原来|原有|旧|老"
_REPEALABLE = "(?:文件|规定|通知|办法|预案|方案|文)"
# What a question about a named document's validity asks, tried in this order (a question asking what a document
# repealed is not asking whether it is itself in force). Matched on `norm`-alised text.
VALIDITY_Q: dict[str, re.Pattern[str]] = {
    "repeals": re.compile(
        r"废止了?(?:哪个|哪些|哪份|哪几个|哪几份|什么)(?:原有|以前的|旧的)?(?:文件|规定|通知)?"
        r"|(?:哪个|哪些|哪份|什么)(?:原有|以前的|旧的)?文件(?:被|同时|一并)?废止(?!了)"
        # as a reader asks it: the old document named before or after the asking word, 作废 / 废除 / 废了 for 废止
        # (「以前哪个文件作废了」, 「哪个老文件作废了」, 「旧预案哪个文废了」)
        rf"|(?:(?:{_OLD})的?{_REPEALABLE}?)?(?:哪个|哪些|哪份|哪几个|哪几份|什么)(?:{_OLD})?的?{_REPEALABLE}"
        r"(?:被|同时|一并|也)?(?:废止|作废|废除|废)(?!了?吗)了?"
    ),
    "expiry": re.compile(
        r"有效期(?:是|为)?(?:到|至|截至|截止到?)?(?:什么时候|何时|哪天|哪一天|多久|多长时间?|几年)"
        r"|(?:什么时候|何时|哪天)(?:到期|失效|截止)"
    ),
    "effective": re.compile(
        r"(?:什么时候|何时|哪天|哪一天|从何时|从什么时候|自何时|自什么时候|几月几日)(?:起|开始)?(?:施行|实施|生效|执行)"
        r"|(?:施行|实施|生效)(?:日期|时间)"
    ),
    "in_force": re.compile(
        r"(?:还|仍|仍然|现在|目前|现行)?(?:是否)?(?:还|仍|仍然)?有效吗\??$|是否(?:还|仍|仍然)?有效|还(?:在|处于)有效期"
        r"|(?:已经)?(?:失效|废止|过期)了?吗\??$|是否(?:已经?)?(?:失效|废止|过期)|还能(?:用|适用|执行)吗"
    ),
}
# What is left of a validity question once its phrase is taken off: the document's name (「…还有效吗」 → 「…」).
VALIDITY_PHRASE = re.compile("|".join(p.pattern for p in VALIDITY_Q.values()) + r"|[?？。]|的$|了$|现在|目前|请问")
# A version word opening the name, with the year it dates the document by (「2020年新版…预案」): no word of its title.
VALIDITY_SUBJECT_LEAD = re.compile(r"^(?:(?:19|20)\d{2}年的?)?(?:新版|最新版|新修订的?|修订版)的?")
# Words left at the end of the name once the phrase is off (「…细则是从」, 「…机制后，」, 「《…》公布后」).
VALIDITY_SUBJECT_TRAIL = re.compile(
    r"(?:[,，、;；:：\s]|(?:公布|印发|发布|施行|实施|出台|出来|建立)?(?:以?后|之后)|的|是|从|自|于|在|了|还|仍然?|到底|究竟|开始)+$"
)

# ---------- people named in a question ----------

# A person's name as a question writes it: a common Chinese surname (the category, not anyone's name) and one or two
# given characters. Characters that end an organ's or a place's name (省, 市, 厅, 委…) or make common words with a
# surname character (「全省」, 「高标准」) are no given name here.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施牛樊葛邢"
    "齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路"
    "辛靳管柴蒙鲍喻祁蒲房滕屈饶解牟艾尤穆卓缪简车项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞"
    "姬仇栾隋刁巫寇桑郎甄仲虞敖巩佘池迟邝"
)
_NOT_GIVEN = "省市州县区乡镇村厅局委办部院会组队所站室府级类个项条款年月日号期次届们"
# What a name stands before in a question (「X在…里是什么身份」, 「X被免去…」, 「X2020年…」, 「X同志」,
# 「X参加了哪些…」) or after (a post: 「海东市市长X」).
_NAME = rf"[{''.join(sorted(SURNAMES))}][^\W\d_{_NOT_GIVEN}a-zA-Z]{{1,2}}?"
PERSON_AFTER = r"(?=在|被|于|同志|的|是|任|担任|兼任|参加|参与|曾|从|后来|\d|[，,？?。；;、]|$)"
# A post a name follows (「海东市市长X」, 「办公室主任X」, 「党组书记X」).
_POSTS = ("长", "主任", "书记", "委员", "巡视员", "主席", "经理", "同志")
PERSON_NAMED = re.compile(rf"(?:^|{'|'.join(f'(?<={p})' for p in _POSTS)})({_NAME}){PERSON_AFTER}")
# What follows a name in a gazette's text, where the name ends: 「郑晓同志」, 「郑晓为组长」, 「郑晓任…」,
# 「郑晓兼任…」, 「郑晓等」, 「郑晓和…」, a post (「郑晓副省长」, 「郑晓省林草局副局长」: a member list prints
# name and post, its spacing gone once normalised), or no Han character at all (punctuation, a digit, the end).
# Any other Han character extends the name: 「郑晓东」 is not 郑晓.
_NAME_FOLLOWS = (
    "同志|为|任|兼|担任|的|等|和|与|及|是|在|被|于|不再|曾|从|参加|参与|分管|负责|牵头|主持"
    "|副|常务|省|市|州|县|区|乡|镇|党|书记|主任"
)


@functools.lru_cache(maxsize=64)
def _person_at_boundary(name: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(name)}(?:(?![\u4e00-\u9fff])|(?:{_NAME_FOLLOWS}))")


def names_person(text: str, name: str) -> bool:
    """Whether a text names a person (a name of `Question.persons`) where the name ends (`_NAME_FOLLOWS`), not as the
    start of a longer name: 「郑晓同志兼任…」, 「成员：郑 晓 省林草局副局长」 name 郑晓; 「郑晓东同志」 does not. The
    text as written first (a name followed by a space, 「郑晓 海东市副市长」), then normalised."""
    nfkc = unicodedata.normalize("NFKC", text)
    if re.search(rf"{re.escape(name)}\s", nfkc):
        return True
    return bool(_person_at_boundary(name).search(norm(text)))
