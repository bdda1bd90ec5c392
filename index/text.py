"""Text helpers shared by the parser and the search layers: normalisation, and the text rules of the index layer.

This is the lowest layer's one place for patterns and word lists: the parser, the citation lookup
(`index.lookup`) and `rag/lexicon.py` (which builds the answering code's lexicon on top of it) import them from
here; `index/` cannot import `rag/`, so a rule both layers need lives here, once.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_MARKUP = re.compile(r"[*#]")

# Particles that neither begin nor end a document's name as a question abbreviates it (「…的实施方案」, 「…方案和…」).
NAME_EDGE = frozenset("的和与及或对在把被从向中里之")
# Characters no issuer abbreviation of a 文号 holds: those particles (but 中, as in 中办发), the 号 ending a 文号
# just before, the copulas and prepositions that lead into one (是, 为, 以, 由, 即, 见), and the last character of
# the words that do so in a question (请问, 关于, 根据, 按照, 比较). Without them the issuer runs back over the
# sentence: 「请问青政办〔2022〕30号」 read 请问青政办, 「…30号和青政〔2021〕54号」 和青政, 「文号是青政办…」 是青政办.
_NOT_ISSUER = "".join(sorted((NAME_EDGE - {"中"}) | set("号问于据照较是为以由即见")))
# 文号 such as 青政办〔2022〕30号, 青政办函〔2020〕138号, 青政人〔2023〕14号; tolerant of spaces and bracket styles.
DOC_NUMBER = re.compile(
    rf"(?P<prefix>(?:(?![{_NOT_ISSUER}])[\u4e00-\u9fa5]){{1,12}})"
    r"\s*[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]\s*(?P<seq>\d{1,4})\s*号"
)
# A 文号 a question shortens after a whole one of the same issuer and year (「青政办〔2021〕118号和124号」, 「…30号、
# 32号」): a join of a list (not a comma: 「…5号，12号上午开会吗」 is a day), then only the number and 号, not a
# line, a building or a decree (「3号线」, 「12号令」).
_SHORTENED_NUMBER = re.compile(r"\s*(?:以及|[和与及跟、])\s*(\d{1,4})\s*号(?![\d线楼院令])")
# A year as written in questions and clauses (「2022年」, 「2025 年」); not the tail of a longer number.
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
# The roles a roster or a clause gives a holder (「组长：李杰翔」, 「召集人由省长担任」); 副 before one is another role.
ROLE_WORDS = ("组长", "召集人", "主任", "指挥长", "总指挥", "负责人", "联络员", "联系人", "秘书长")
ROLE_RANKS = "(?:常务副|第一副|副)?"
# A roster entry's label at the start of a line (「主任：」, 「副组长：」, 「- 成 员：」, printed spaced out): a new
# entry, not the rest of a sentence broken across lines, though the entry before it ends without punctuation
# (「主任：杨志文 副省长」).
_ROSTER_WORDS = "|".join(r"\s*".join(word) for word in (*ROLE_WORDS, "成员", "委员"))
ROSTER_LABEL = re.compile(rf"^(?:[-•·]\s*)?{ROLE_RANKS}(?:{_ROSTER_WORDS})\s*[:：]")
# The line opening a document's list of annexes (「附件：1.…方案」, printed 「附 件：」 too): it names them, the
# clauses that follow are theirs (index/documents.py), and it says nothing of its own (rag/retriever.py).
ANNEX_LIST = re.compile(r"^附\s*件\s*[:：]\s*")
SENTENCE_END = "。！？；!?;"
# A sentence of clause text: up to and including its end punctuation, or up to a line break (the one splitter of
# printed text; rag/evidence.py streams generated text with the same ends).
SENTENCE = re.compile(rf"[^{SENTENCE_END}\n]+[{SENTENCE_END}]?")
# The Chinese numeral alphabet of headings, clause labels and counts (第八条, 三、, （十二）, 两年).
CN_NUMERALS = "一二三四五六七八九十百零〇两"

CN_DIGITS = "零〇一二两三四五六七八九"
CN_MAGNITUDES = "十百千万亿"


def chinese_number(run: str) -> int | None:
    """The value of a Chinese numeral (三, 十五, 两百, 一百零五, 二〇二二), read by `cn2an`; None when it is not one.

    Four digits without magnitudes are a year written digit by digit (二〇二二 → 2022); two or three digits
    without magnitudes (三四) are an approximate range, not a number, and give None (see `rag.lexicon.number_range`).
    The project's one numeral parser: the parser, validity extraction and the answering code all read numerals here.
    """
    if not run or any(ch not in CN_DIGITS + CN_MAGNITUDES for ch in run):
        return None
    if not any(ch in CN_MAGNITUDES for ch in run) and len(run) > 1 and len(run) != 4:
        return None
    import cn2an  # here, not at the top: `python -m index.words` needs only `norm` and starts without its ~0.5 s

    try:
        value = cn2an.cn2an(run, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value)


# How a citation names a clause (index.lookup): 第八条 / 第三章 / 第二部分, （三） / (3), 二、, 4., 4.3节, 专栏3 — a
# label, not a heading name.
CLAUSE_LABEL = re.compile(
    rf"(?P<label>专栏\s*[{CN_NUMERALS}\d]+|第?\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}[条节款项]|第\d{{1,2}}(?:[.．]\d{{1,2}}){{1,3}}"
    rf"|第[{CN_NUMERALS}\d]+(?:[编章节条款项]|部分)|第?[（(][{CN_NUMERALS}\d]+[)）][条款项]?"
    rf"|(?<![{CN_NUMERALS}])[{CN_NUMERALS}]{{1,3}}、"
    r"|\d{1,2}[.．、](?!\d))"
)
# A decimal heading cited as 「第4.3条」, 「4.3节」 or 「第4.3.1」 (read as 4.3: the heading is printed 「4.3 …」).
DECIMAL_LABEL = re.compile(r"^第?(\d{1,2}(?:[.．]\d{1,2}){1,3})[条节款项]?$")
# 第8条 written with arabic digits (read as 第八条), and 第八条 / 第八项 itself, which may cite an item printed
# 「八、」, 「（八）」, 「8.」 or 「(8)」 in a document numbered that way (index.lookup tries them in that order).
ARABIC_ARTICLE = re.compile(r"^第(\d+)(部分|.)$")
CN_ARTICLE = re.compile(rf"^第([{CN_NUMERALS}]+)(?:[条项款节]|部分)$")
COLUMN_BOX = re.compile(rf"^专栏\s*([{CN_NUMERALS}\d]+)$")  # 「专栏3」 may be printed 「专栏三」, and the other way
ITEM_STYLES = ("{cn}、", "（{cn}）", "{n}.", "{n}、", "（{n}）")
# The words around a reference that are no part of the title it names: 「…第八条讲了什么？」, 「请问…的原文」.
REFERENCE_FILLER = re.compile(
    r"讲了什么|讲的是什么|讲什么|说了什么|规定了什么|是什么|写了什么|内容|规定|原文|条款|请问|的|？|\?|。|“|”|「|」"
)
# A quoted span (a heading name quoted after its label: 第七章“三、持续加大…”).
QUOTED_SPAN = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")


def norm(text: str) -> str:
    """Normalise for matching: NFKC (full-width to half-width), no whitespace or markdown, one bracket style."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("〈", "《").replace("〉", "》").replace("[", "〔").replace("]", "〕")
    return _MARKUP.sub("", _WS.sub("", text))


def canonical_doc_number(text: str) -> str | None:
    """The first 文号 in `text`, written canonically (青政办〔2022〕30号), or None."""
    m = DOC_NUMBER.search(text)
    if not m:
        return None
    return f"{m.group('prefix')}〔{m.group('year')}〕{m.group('seq')}号"


def spell_doc_numbers(text: str) -> str:
    """`text` with each 文号 it shortens after a whole one spelled whole, with that one's issuer and year:
    「青政办〔2021〕118号和124号」 → 「青政办〔2021〕118号和青政办〔2021〕124号」 (a chain, 「…30号、32号和35号」, too).
    A bare 「124号」 names no document on its own; after a whole 文号 it is the same series' (the way such lists are
    written)."""
    pieces: list[str] = []
    pos = 0
    for m in DOC_NUMBER.finditer(text):
        issuer = f"{m.group('prefix')}〔{m.group('year')}〕"
        end = m.end()
        while short := _SHORTENED_NUMBER.match(text, end):
            pieces += [text[pos : short.start(1)], issuer]
            pos, end = short.start(1), short.end()
    return "".join(pieces) + text[pos:] if pieces else text


def join_title(lines: list[str]) -> str:
    """Join title lines as printed, dropping the spaces that line-wrapping left between Chinese characters."""
    text = " ".join(s.strip() for s in lines if s.strip())
    # Keep a space only between two ASCII letters/digits (e.g. "CN 63"); CJK text never needs one.
    return re.sub(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])", "", text)


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends where a sentence could end (so the next line starts a new one)."""
    text = text.rstrip()
    if not text:
        return True
    last = text[-1]
    if last in SENTENCE_END or last in ":：…）)】」』":
        return True
    # A closing quote ends a sentence only after sentence punctuation: 。” but not “四地”.
    return last in '”"’' and len(text) > 1 and text[-2] in SENTENCE_END


def annex_rest(line: str) -> str | None:
    """What follows 「附件：」 at the start of a line (the first annex's title, or "" when the titles follow on the next
    lines), or None for a line that does not open an annex list."""
    m = ANNEX_LIST.match(line)
    return line[m.end() :] if m else None


# ---------- clauses saying nothing of their own ----------
# Read once per chunk when the index is built (index.corpus_store stores the code per chunk row) and weighed down by
# the retriever (rag/retriever.py): a candidate's kind is then an array read, not a chunk decoded at search time.

# A clause that is only a heading (「（三）领导小组办公室主要工作职责。」) names a topic but answers nothing.
# (「3. 完成时限。2025年12月底。」 is not one: it goes on after the heading.)
HEADING_ONLY = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*[^。；;：:\s]{1,30}[。：:]?$")
# What a chunk saying nothing of its own is made of, for retrieval (rag.retriever): the formula that issues a
# document (「现将《…》印发给你们」) or a lead-in announcing what follows (「…通知如下：」, 「…提出如下意见。」);
# it keeps its full weight when it also says something: a date or a meeting (「已经省政府第95次常务会议审议通过」),
# outside the titles it quotes. A purpose clause (「为…，制定本办法。」) is not hollow: it says what the document is
# for.
ISSUING = re.compile(r"印发给你们|现予印发|现予公布")
LEAD_IN = re.compile(r"如下(?:意见|实施意见)?[。:：]?$")
HOLLOW_KEEPS = re.compile(r"\d|第[一二三四五六七八九十百]+次")
# The item numbers of a list of annexes (ANNEX_LIST: 「附件：1.…方案 2.…清单」), taken off before HOLLOW_KEEPS looks
# for a figure: the list names the annexes and says nothing of them, like a heading.
ANNEX_NUMBER = re.compile(r"\d{1,2}[.．、]")
# the number an item heading starts with: 「（三）」「3.」「三、」 (taken off before HOLLOW_KEEPS looks for a figure)
ITEM_MARKER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]")
QUOTED_TITLE = re.compile(r"《[^《》]*》")  # innermost first: a title quoting a title is cut in two passes
HOLLOW_NONE = -1  # `hollow_code`: the clause says something of its own
HOLLOW_HEADING = -2  # `hollow_code`: a heading alone, or a list of annexes


def hollow_code(text: str) -> int:
    """What makes a clause's text say nothing of its own, as one int (stored per chunk row when the index is built).

    HOLLOW_HEADING: a heading alone (「（三）领导小组办公室主要工作职责。」; not 「(3) …公务车停驶50%。」, which
    states a figure), or a list of the document's annexes (「附件：1.…提升行动2.…重大工程」: their names only). A
    length n >= 0: only the formula issuing a document or a lead-in to what follows, without a date or meeting of
    its own, in n normalised characters (the retriever counts it hollow up to its `hollow_max_chars`: a longer
    clause says more than the formula). HOLLOW_NONE: anything else.
    """
    t = norm(text)
    if ANNEX_LIST.match(t):
        return HOLLOW_HEADING if HOLLOW_KEEPS.search(ANNEX_NUMBER.sub("", t)) is None else HOLLOW_NONE
    if HEADING_ONLY.match(t):
        return HOLLOW_HEADING if HOLLOW_KEEPS.search(ITEM_MARKER.sub("", t)) is None else HOLLOW_NONE
    if not (ISSUING.search(t) or LEAD_IN.search(t)):
        return HOLLOW_NONE
    return len(t) if HOLLOW_KEEPS.search(QUOTED_TITLE.sub("", QUOTED_TITLE.sub("", t))) is None else HOLLOW_NONE
