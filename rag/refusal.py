"""When the retrieved clauses do not answer the question: refuse rather than quote a near miss.

The hard cases share their vocabulary with real clauses, so overall word overlap cannot catch them. After a
relevance floor (the best of the top three clauses holds `min_coverage` of the question's bigrams, or `min_words` of
its naming words), each check looks for one thing the question names or asks that the retrieved clauses lack:

- a year (「2040年」) or a month (「9月份」) the question names appears in no relevant clause;
- a period-qualified document (「2021年政务公开工作台账」) the gazettes hold for another period only;
- a repealed document: the clauses only record its repeal, not its content;
- a property (in force, issued, 文号) of a document named in 《》 that no retrieved clause belongs to: only mentioned;
- a role's holder (「…的召集人是谁」) where the clauses name that role only for other bodies (`_role_elsewhere`);
- a rate per unit (「每人每月」) no clause states, in any spelling (「人均」, 「元/人」);
- a quantity in a unit (「多少平方公里」; 万/亿 before it, 日 for 天) no clause gives;
- a measured noun no relevant clause names, even softly (see `holds`, `held_in`): of a typed question, its asked
  nouns;
- **typed answerability** (`_untyped`): each segment asking outright for a figure or a time is answered only by one
  sentence or table row that states a value of that type (not a heading number, not the question's own figure), in
  the asked unit, with the question's years in it, before it in its clause or in its path (a five-year plan counts
  as its last year, and a sentence naming another plan does not answer; a year naming one of the documents a
  comparison compares dates that document's clauses instead: `Question.target_years`), and with the word the figure
  is of (`measured_head`) in it, half of its other naming words too (its rarest word is asked of the quotes), and
  the digits the question names its
  subject with (「12315」, 「60岁以上」: `Question.qualifiers`), and not of another level of a graded series than the
  one asked (「Ⅲ级响应」 asked, the sentence under 「Ⅱ级响应措施」: `Question.grades`); each unit the question asks in
  (「多少人」, 「多少元」) by a sentence of the value it is asked of (`Question.value_units`), not all in one; from the
  document the question names as its source
  (「生态经济发展规划提出…」: `Question.sources`) when it names one. Nothing is pooled across clauses: a noun of one
  clause and a figure of another make no answer.
- **the quotes chosen** (`unquoted_reason`, asked by the answerer after composing): for a question asking a figure or
  a time, some quoted sentence must itself state a value of the asked kind, not repeated from the question, with the
  question's years, and for one of the figures asked, the word it is of (`measured_head`) in that sentence or row
  itself, its heading path or title (a sibling indicator's figure is not the one asked), and the rarest of the asked
  value's words among the retrieved clauses (`_rarest`: what tells it from the other rewards or indicators the
  clauses speak of); a share asked (「百分之几」, 「比例是多少」) is answered only by a quote stating a share in some
  form (`lexicon.SHARE_STATED`), not by an amount or a figure in a name; a sentence elsewhere that could answer does
  not make the quoted near miss an answer. A role's
  holder asks a quote (or its heading path) naming that role; a body (「由哪个部门牵头」), a quote naming an organ
  (`evidence.names_body`); where a body is set up (「办公室设在哪」), a quote saying where (「设在…」,「位于…」).

Every check reads only the question and the hits, so it applies unchanged to gazettes added later; no rule names
an evaluation item's words (word lists and families live in `rag.lexicon`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from index.text import DOC_NUMBER, norm
from rag.cards import FROM_CLAUSES
from rag.config import DEFAULT, AnswerConfig
from rag.direct import restated
from rag.evidence import Clause, names_body, read_clauses
from rag.lexicon import (
    ASKS_VALUE,
    CATEGORY_AFTER,
    DAY_STATED,
    EACH_OF,
    ENUMERATOR,
    FIVE_YEAR_PLAN,
    MEASURE_NOUNS,
    NEAR_SYNONYMS,
    PLACE_TEXT,
    RATE_PART,
    REPEAL,
    REPEALED_NAME,
    ROLE,
    SECTION_NUMBER,
    SEGMENT_SPLIT,
    SERIAL_CELLS,
    SET_UP_Q,
    SHARE,
    SHARE_STATED,
    STATED_FAMILY,
    TITLE_NAMED,
    TITLE_SPAN,
    TYPE_NOUNS,
    VALUE,
    abbreviation_of,
    coordinated,
    doc_number_year,
    grades_in,
    key_bigrams,
    members_listed,
    month_stated,
    names_person,
    numbers_in,
    of_other_grades,
    quantity_in,
    rate_stated,
    role_named,
    shortened_forms,
    unit_cell,
)
from rag.models import Evidence
from rag.question import Question, as_question, asked_bigrams, periods_in, years_covered, years_in

# Each quotable unit is normalised once, not by every check that reads it (norm is the cost of a long clause).
_norm = functools.lru_cache(maxsize=8192)(norm)
_MIN_SHARED_NAME = 8  # characters a question must share with a repealed document's title to be about it


def _section(clause: Clause) -> str:
    """A clause's heading path, normalised."""
    return _norm("".join(clause.section))


def _frame(clause: Clause) -> str:
    """What frames a clause's sentences: its document's title and its heading path, normalised."""
    return _norm(clause.doc_title) + _section(clause)


def coverage(question: Question, clause: Clause) -> float:
    """Share of the question's content bigrams present in the clause (text, title, 文号 and heading path)."""
    q = question.bigrams
    if not q:
        return 0.0
    return len(q & clause.context_bigrams) / len(q)


def held_words(question: Question, clause: Clause) -> float:
    """Share of the question's naming words the clause holds (soft, see `holds`): a colloquial question shares few
    bigrams with the clause that answers it (「能拿到多少一次性奖励」) but names the same things."""
    if not question.words:
        return 0.0
    return sum(holds(w, clause.context) for w in question.words) / len(question.words)


def _missing_year(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    covered = years_covered(text)
    missing = [y for y in sorted(question.years) if y not in text and y not in covered]
    return f"检索到的条款中没有{'、'.join(missing)}年的内容" if missing else None


def _missing_month(question: Question, relevant: Sequence[Clause]) -> str | None:
    text = "".join(c.context for c in relevant)
    missing = [m for m in sorted(question.months) if not month_stated(m).search(text)]
    return f"检索到的条款中没有{'、'.join(missing)}月份的内容" if missing else None


def _other_period(question: Question, clauses: Sequence[Clause]) -> str | None:
    """The question names a period-qualified document that the gazettes hold for another period only."""
    if not question.periods:
        return None
    held = {p for c in clauses for p in periods_in(norm(c.doc_title))}
    for period, name in question.periods:
        same_name = {p for p, n in held if n == name}
        if same_name and period not in same_name:
            return f"现有公报只收录{'、'.join(sorted(same_name))}的这份文件，没有{period}的"
    return None


def _repealed(question: Question, clauses: Sequence[Clause]) -> str | None:
    """The question is about a document that the retrieved clauses only record as repealed."""
    q = question.normalised
    if question.asks_about_repeal:
        return None  # it asks about the repeal itself (「哪个文件同时废止」), which the clauses do state
    numbers = {n for c in clauses if c.doc_number for n in [norm(c.doc_number)]}
    for clause in clauses:
        for s in clause.units:
            if REPEAL not in s:
                continue
            s = norm(s)
            named = [m.group(0) for m in DOC_NUMBER.finditer(s)]
            if any(n in q and n not in numbers for n in named):
                return "该文件已废止，现有公报未收录其内容"
            for title in REPEALED_NAME.findall(s):
                if _shared(q, title) >= _MIN_SHARED_NAME and not _named_elsewhere(q, title, clauses):
                    return "该文件已废止，现有公报未收录其内容"
    return None


def _only_mentioned(question: Question, clauses: Sequence[Clause]) -> str | None:
    """The question asks a property of a document it names in 《》 (when it takes effect, when it was issued, its
    文号) and no retrieved clause is of that document: the clauses only mention it, and its own text (which
    states the property) is not in the gazettes."""
    if not (question.asks_validity or question.metadata):
        return None
    if any(n.how == "quoted" for n in question.named or ()):
        return None  # its 《》 title is (nearly all of) a corpus title: the document is in the gazettes
    titles = [norm(c.doc_title) for c in clauses]
    for m in TITLE_NAMED.finditer(question.normalised):
        named = m.group(0)[1:-1]
        if named and not any(named in t or t in named for t in titles if t):
            return f"现有公报只提到《{named}》，未收录其全文"
    return None


def _shared(a: str, b: str) -> int:
    """Length of the longest common substring of two short strings."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _named_elsewhere(question: str, title: str, clauses: Sequence[Clause]) -> bool:
    """Whether the part of `title` the question names also occurs outside any repeal sentence."""
    for i in range(len(question) - _MIN_SHARED_NAME + 1):
        piece = question[i : i + _MIN_SHARED_NAME]
        if piece not in title:
            continue
        for clause in clauses:
            if any(piece in norm(s) and REPEAL not in s for s in clause.units) or piece in norm(clause.doc_title):
                return True
    return False


def _missing_rate(question: Question, relevant: Sequence[Clause]) -> str | None:
    """A rate the question asks per unit (「每人每月多少元」) whose denominators no relevant clause states together,
    each in any of its spellings (「人均」, 「元/人」: see `rate_stated`)."""
    missing = []
    for rate in sorted(question.rates):
        parts = RATE_PART.findall(rate)
        if not any(all(rate_stated(p).search(c.context) for p in parts) for c in relevant):
            missing.append(rate)
    return f"检索到的条款没有按{'、'.join(missing)}规定的标准" if missing else None


def _unit_stated(unit: str, text: str) -> bool:
    """A number in the asked unit (万/亿 before it allowed), or a table row giving the unit once (「单位：亿元」)."""
    return bool(quantity_in(unit).search(text) or unit_cell(unit).search(text))


def _missing_unit(question: Question, relevant: Sequence[Clause]) -> str | None:
    for unit in sorted(question.units):
        if not any(_unit_stated(unit, norm(c.text)) for c in relevant):
            return f"检索到的条款中没有以{unit}计的数字"
    return None


def holds(term: str, text: str, kinds: Collection[str] = ()) -> bool:
    """Whether `text` holds what a measured noun names: the noun itself; the noun as one of several coordinated
    items (「三、二、一级」 for 三级); the words a short noun abbreviates (「二级甲等」 for 二甲); the noun with a
    near-synonym in place of a part of it (「补助」 for 「补贴」); for a noun naming the kind of value asked
    (「期限」, 「比例」), a value of that kind (`kinds`); for a noun naming a measure (「年龄」, 「面积」), a figure
    in its unit family (「16岁以上」, 「20平方米」: `lexicon.MEASURE_NOUNS`)."""
    if term in text:
        return True
    ends = len(term) > 1 and term[0] in text and term[-1] in text
    if ends and (coordinated(term).search(text) or (len(term) <= 3 and abbreviation_of(term).search(text))):
        return True
    if any(term in TYPE_NOUNS.get(kind, ()) for kind in kinds):
        return True
    if term in MEASURE_NOUNS and MEASURE_NOUNS[term].search(text):  # 「16岁以上」 states the age 「多大年龄」 asks
        return True
    for group in NEAR_SYNONYMS:
        for word in group:
            if word in term and any(term.replace(word, other) in text for other in group if other != word):
                return True
    return False


def held_in(question: Question, term: str, text: str, kinds: Collection[str] = ()) -> bool:
    """`holds`, or the text uses an abbreviation of the phrase the term starts in the question (「限上」 for a
    question's 「限额以上」: `lexicon.shortened_forms`), or, for a category the question asks of each (「各行业」), the
    text lists its members (`lexicon.members_listed`)."""
    return (
        holds(term, text, kinds)
        or any(a in text for a in shortened_forms(term, question.normalised))
        or (EACH_OF + term in question.normalised and bool(members_listed(term).search(text)))
    )


def _role_elsewhere(question: Question, top: Sequence[Clause], cfg: AnswerConfig) -> str | None:
    """The question asks who holds a role (「…联席会议的召集人是谁」) and the retrieved clauses name that role only
    for other bodies: no sentence naming it holds `cfg.held_share` of the question's naming words (soft, see
    `holds`) in itself, before it in its clause, in its heading path or its title. A roster is one clause per
    body, so a role named there without the body asked is another body's. When no sentence names the role at all
    nothing is concluded: retrieval may have missed the roster."""
    if question.answer_type != "person":
        return None
    roles = set(question.roles)  # read once, in Question.read
    words = [w for w in question.words if not ROLE.fullmatch(w)]
    if not roles or not words:
        return None
    named = False
    for clause in top:
        frame = _frame(clause)
        scope = ""
        for unit in clause.units:
            text = _norm(unit)
            scope += text
            if not any(role_named(r).search(text) for r in roles):
                continue
            named = True
            if sum(holds(w, frame + scope) for w in words) >= cfg.held_share * len(words):
                return None
    return f"检索到的条款只写明了其他机构的{'、'.join(sorted(roles))}" if named else None


def _missing_term(question: Question, relevant: Sequence[Clause]) -> str | None:
    """A measured noun (soft: see `holds`) that no relevant clause names at all. For a question the typed check reads
    (`_typed`), only the naming words of its asked values, less a category noun after 等 (「二氧化硫等污染物」: the
    clauses list the members, not the category): the documents it names are checked as its source (`_of_source`),
    and a comparison's relevant clauses may all be of one of them."""
    if _typed(question):
        q = question.normalised
        terms: Sequence[str] = [
            t for _, words, _ in question.asked_values for t in words if CATEGORY_AFTER + t not in q
        ]
    else:
        terms = question.measured
    text = "".join(c.context for c in relevant)
    missing = [t for t in dict.fromkeys(terms) if not held_in(question, t, text)]
    return f"检索到的条款没有提到{'、'.join(missing)}" if missing else None


def _plain(unit: str) -> str:
    """A quotable unit without what states no value of its own: its list enumerator or heading number (「（1）」,
    「5.2 」) is layout, and the years and figures of a title it names (`lexicon.TITLE_SPAN`) are that document's
    name."""
    return TITLE_SPAN.sub("《》", SECTION_NUMBER.sub("", ENUMERATOR.sub("", unit)))


def _units_held(question: Question, unit: str, before: str = "") -> frozenset[str]:
    """The units the question asks (`Question.units`) in which `unit` states a figure: with the figure, or once in a
    unit cell or bracket of the unit or `before` it in its clause (「单位：亿元；」)."""
    text = _norm(_plain(unit))
    return frozenset(u for u in question.units if _unit_stated(u, text) or unit_cell(u).search(before))


def _unit_kinds(question: Question, unit: str, kinds: Sequence[str]) -> tuple[str, ...]:
    """The kinds of value `unit` states that the question does not state itself (its layout and the titles it names
    left out: `_plain`); whether in the asked unit is `_units_held`'s to say. A question asking a day
    (`Question.asks_day`) is answered by a date stating one (`lexicon.DAY_STATED`), not by a quarter or a year. A
    table row's serial cell (「序号：8；」) counts the rows (「目录一共列了多少项」 is answered by the last one): it
    states a value of a count question only."""
    unit = _plain(unit)
    day = question.asks_day
    # a yes/no question asks to confirm the value it names (「是每年办一次吗」): stating it again is the answer
    confirming = question.answer_type == "yes_no"
    if not any(kind == "count" for kind, _, _ in question.asked_values):
        unit = SERIAL_CELLS.sub("", unit)
    elif question.counts_only:
        unit = SHARE.sub("，", unit)  # a share is how large a part is, not how many: no count (see lexicon.SHARE)
    return tuple(
        k
        for k in kinds
        if any(
            (confirming or not restated(m.group(0), question, k))
            and (k != "date" or not day or DAY_STATED.search(m.group(0)))
            for m in VALUE[k].finditer(unit)
        )
    )


def _asked_units(question: Question, i: int) -> list[str | None]:
    """The units the `i`-th value a question asks is asked in (`Question.value_units`), each to be answered by a
    sentence of its own; [None] when it asks none (any unit answers it)."""
    return [*sorted(question.value_units[i])] or [None]


@dataclass(frozen=True)
class Support:
    """How near one quotable unit of a clause comes to answering a typed question."""

    kinds: tuple[str, ...]  # the value kinds it states (none: it answers nothing)
    years_held: bool  # the question's years are in it, an earlier sentence of its clause, its path, title or 文号,
    # and a five-year plan it or its path names (「“十三五”目标值」) is the one the question names
    missing: tuple[tuple[str, ...], ...]  # per asked value, the naming words neither it, what precedes it in its
    # clause, its heading path nor its title holds
    figures_held: bool = True  # the figures the question qualifies its subject with (「12315平台」, 「60岁以上」) are
    # there too, or earlier in its clause, in its path, title or 文号
    units: frozenset[str] = frozenset()  # the units the question asks in which it states a figure (`_units_held`)
    other_level: bool = False  # it is of another level of the graded series the question asks (`_other_level`)

    def states(self, question: Question, i: int, unit: str | None = None) -> bool:
        """Whether it states a value of the kind the `i`-th value asks, in `unit` (one of those the value asks:
        `Question.value_units`), or when None in one of them if the value asks any."""
        asked = question.value_units[i]
        if self.other_level or not set(self.kinds) & set(STATED_FAMILY[question.asked_values[i][0]]):
            return False
        if unit is not None:
            return unit in self.units
        return not asked or bool(asked & self.units)


def _other_level(question: Question, text: str, section: str) -> bool:
    """Whether a unit (normalised `text`, under the normalised heading path `section`) is of another level of the
    graded series the question asks (`Question.grades`: 「Ⅲ级响应时…停驶多少」): it names levels, none asked, itself
    or, when it names none, in its heading path (「5.3.2 Ⅱ级响应措施」 over 「公务车停驶30%」). The levels of one series
    share every other word, so the measured nouns cannot tell the Ⅱ级 figure from the Ⅲ级 one; a unit naming the
    asked level among others (「在Ⅲ级响应措施的基础上」) is not another level's."""
    asked = question.grades
    if not asked:
        return False
    return of_other_grades(grades_in(text) or grades_in(section), asked)


def _dated(clause: Clause) -> tuple[frozenset[str], frozenset[str]]:
    """The years a clause is dated by outside its text: the years its title and heading path name, and a five-year
    plan its heading path names (not its title's: a 「“十四五”…规划」 also reviews 十三五 and looks ahead to 2035, so
    its title does not date each figure); and apart, the year of its 文号, which is when the document was issued:
    it dates a sentence stating no year of its own (an annual task list's 「…不低于30%」) and the document a question
    names by that year (「2020年的服务业意见」, `Question.document_years`), not a value of a sentence stating another
    year (「到2025年，…比重50%左右」 in a 〔2020〕 document is no 2020 figure)."""
    year = doc_number_year(clause.doc_number)
    section = "".join(clause.section)
    return years_in(clause.doc_title) | years_covered(section), frozenset({year} if year else ())


def supports(question: Question, clause: Clause, kinds: Sequence[str]) -> list[Support]:
    """Each quotable unit of a clause read as an answer to a typed question: the kinds of value it states that the
    question does not, whether the question's years are there or earlier in the clause (「到2025年，…」 heads the
    sentences that follow it), and which of the question's naming words (soft, see `holds`) neither it, what precedes
    it in the clause, its heading path nor its document title holds (the word the figure is of: not what precedes)."""
    section = _section(clause)
    frame = _frame(clause)
    dated, issued = _dated(clause)
    qualifiers = question.qualifiers
    figures = numbers_in(frame + (clause.doc_number or "")) if qualifiers else set()
    asked_years = question.target_years
    out = []
    scope = ""
    years: set[str] = set()  # those named so far in the clause (read unit by unit: a clause may be long)
    for unit in clause.units:
        text = _norm(unit)
        found = _unit_kinds(question, unit, kinds)
        held_units = _units_held(question, unit, scope) if question.units else frozenset()
        scope += text
        years |= years_covered(text)
        # the word the figure is of in this sentence (or its path, title); the others may head the clause
        missing = tuple(
            tuple(t for t in terms if not held_in(question, t, frame + scope, found))
            + ((head,) if head and not held_in(question, head, frame + text, found) else ())
            for _, terms, head in question.asked_values
        )
        plans = set(FIVE_YEAR_PLAN.findall(section + text))
        other_plan = bool(question.five_year_plans) and bool(plans) and not plans & set(question.five_year_plans)
        # the 文号's year dates a sentence stating no year, or a document the question dates by it
        held = asked_years <= (dated | years | (issued if not years else issued & question.document_years))
        held = held and not other_plan
        if qualifiers:
            figures |= numbers_in(text)
        other_level = _other_level(question, text, section)
        out.append(Support(found, held, missing, qualifiers <= figures, held_units, other_level))
    return out


def _of_source(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig) -> list[Clause]:
    """The clauses of the documents the question names as its source (`Question.sources`): a title holding
    `cfg.source_title_share` of a name's bigrams, or a document the name resolved to (`Question.named`). All of them
    when it names none: a figure of one document does not answer what another sets."""
    names = [b for b in (key_bigrams(n) for n in question.sources) if b]
    if not names:
        return list(clauses)
    resolved = {d for n in question.named or () for d in n.doc_ids}
    return [
        c
        for c in clauses
        if getattr(c.hit, "doc_id", None) in resolved
        or any(len(b & c.title_bigrams) >= cfg.source_title_share * len(b) for b in names)
    ]


def _typed(question: Question) -> bool:
    """Whether the question asks outright for a figure or a time (see `_untyped`), or asks to confirm one
    (「是每年办一次吗」: `lexicon.FREQUENCY_ASKED`)."""
    return question.answer_type in (*STATED_FAMILY, "yes_no") and bool(question.asked_values)


def _untyped(question: Question, relevant: Sequence[Clause], cfg: AnswerConfig) -> str | None:
    """The question asks outright for a figure or a time (「多少」, 「几次」, 「何时」) and, for one of the values it
    asks, no sentence or row of a relevant clause answers: a value of that kind not repeated from the question, with
    the question's years, the word the value is of and `cfg.held_share` of its other naming words in that sentence,
    before it in its clause, in its heading path or its document title (see `supports`). Each sentence is judged on
    its own: a measured noun in one clause and a figure in another make no answer. The rarest of the value's words is
    asked of the quoted sentences (`_of_rarest`), where it tells a near miss apart; asked here as well, it refused
    answerable questions and no unanswerable one that the quote check leaves answered."""
    if not _typed(question):
        return None
    kinds = tuple(dict.fromkeys(k for kind, _, _ in question.asked_values for k in STATED_FAMILY[kind]))
    sourced = _of_source(question, relevant, cfg)
    found = [s for c in sourced for s in supports(question, c, kinds) if s.kinds and s.years_held and s.figures_held]
    for i, (kind, terms, head) in enumerate(question.asked_values):
        need = math.ceil(cfg.held_share * len(terms))
        # the word the figure is of must be held, and a share of the rest (the rarest word is asked of the quotes:
        # `_of_rarest`)
        heads = {head} if head else set()
        # each unit the value asks (「多少家机构、多少所医院」) by a sentence of its own; one asking none, by any
        for unit in _asked_units(question, i):
            typed = [s for s in found if s.states(question, i, unit)]
            if not typed:
                return "检索到的条款没有给出所问的" + ("时间" if kind in ("date", "period") else "数值")
            if not any(not (heads & set(s.missing[i])) and len(terms) - len(s.missing[i]) >= need for s in typed):
                missing = min((s.missing[i] for s in typed), key=len)
                return f"检索到的条款没有就{'、'.join(dict.fromkeys(missing))}给出所问的数值"
    return None


def _segments(question: Question, cfg: AnswerConfig) -> list[frozenset[str]]:
    """The content bigrams of each segment of a question asking two or more values (「…的比例要多少？…停驶多少」,
    「…提到多少？什么时候完成」: a figure or a time, `ASKS_VALUE`), each with at least `cfg.segment_bigrams` of them:
    a clause answering one segment (「3. 完成时限。…」) shares few of the whole's."""
    segments = [
        b
        for segment in SEGMENT_SPLIT.split(question.normalised)
        if ASKS_VALUE.search(segment) and len(b := asked_bigrams(segment)) >= cfg.segment_bigrams
    ]
    return segments if len(segments) > 1 else []


def _relevant(
    question: Question, top: Sequence[Clause], scores: Sequence[float], named: Sequence[bool], cfg: AnswerConfig
) -> list[Clause]:
    """The clauses close enough to the question (or, for a question asking several figures, to one of its segments)
    to be where its terms, years and units are looked for: `cfg.relevant_coverage`, and `cfg.relevant_share` of the
    best clause's coverage; or naming most of what it names (`named`). Each floor is worked out once."""
    floor = max(cfg.relevant_coverage, cfg.relevant_share * max(scores))
    parts = []
    for segment in _segments(question, cfg):
        best = max(len(segment & c.context_bigrams) for c in top) / len(segment)
        parts.append((segment, max(cfg.relevant_coverage, cfg.relevant_share * best)))
    return [
        c
        for c, score, n in zip(top, scores, named, strict=True)
        if n or score >= floor or any(len(seg & c.context_bigrams) / len(seg) >= low for seg, low in parts)
    ]


def refusal_reason(question: Question | str, hits: Sequence[Evidence], cfg: AnswerConfig = DEFAULT) -> str | None:
    """Why the retrieved clauses do not answer the question, or None when they may."""
    if not hits:
        return "没有检索到相关条款"
    q = as_question(question)
    top = read_clauses(hits[: cfg.depth])
    scores = [coverage(q, c) for c in top]
    named = [held_words(q, c) >= cfg.min_words for c in top]  # names most of what the question names
    if max(scores[:3]) < cfg.min_coverage and not any(named[:3]):
        return "检索到的条款与问题关联度低"
    # a clause holding a person the question names is about what it asks (「X…2023年呢」: X's 2023 appointment)
    named = [n or any(names_person(c.text, p) for p in q.persons) for c, n in zip(top, named, strict=True)]
    relevant = _relevant(q, top, scores, named, cfg)
    for check in (
        lambda: _missing_year(q, relevant),
        lambda: _missing_month(q, relevant),
        lambda: _other_period(q, top),
        lambda: _repealed(q, top),
        lambda: _only_mentioned(q, top),
        lambda: _role_elsewhere(q, top, cfg),
        lambda: _missing_rate(q, relevant),
        lambda: _missing_unit(q, relevant),
        lambda: _missing_term(q, relevant),
        lambda: _untyped(q, relevant, cfg),
    ):
        reason = check()
        if reason:
            return reason
    return None


def unquoted_reason(
    question: Question | str,
    clauses: Sequence[Clause],
    quoted: Sequence[tuple[int, str]],
    cfg: AnswerConfig = DEFAULT,
) -> str | None:
    """Why the quotes an answer chose do not answer a question asking for a figure, a time or a role's holder, or
    None.

    `quoted` holds each quote as (index of its clause in `clauses`, the quote). `refusal_reason` asks whether some
    sentence of the retrieved clauses could answer; this asks the sentences actually quoted (the composer's own pick
    of the best ones): for each value asked, one of them must state a value of its kind that the question does not
    state itself, with the question's years in it or before it in its clause, its path or title (`supports`). A
    quote of the subject with no value of the asked kind (「建立中期评估制度」 for 「哪一年」, 「定期通报」 for
    「多长时间一次」) is a near miss, not an answer; so is a figure of another indicator of the same table or paragraph
    (`_of_head`), an amount or a figure in a name where a share is asked (`lexicon.SHARE_STATED`), or a figure whose
    unit lacks the words that tell the asked value apart from the rest of what was
    retrieved (`_of_rarest`). A role's holder asks a quote naming the role (`_role_unquoted`); a body, a quote naming
    an organ (`_body_unquoted`)."""
    q = as_question(question)
    if q.metadata and set(q.metadata) <= FROM_CLAUSES.keys():
        return _clause_field_unquoted(q.metadata, quoted)
    if q.metadata:  # a question about a document itself is answered by its card
        return None
    if q.answer_type == "person" and q.roles:
        return _role_unquoted(q, clauses, quoted)
    if q.answer_type == "body":
        return _body_unquoted(q, clauses, quoted)
    asked = [kind for kind, _, _ in q.asked_values] if _typed(q) else []
    if not asked:
        return None
    kinds = tuple(dict.fromkeys(k for kind in asked for k in STATED_FAMILY[kind]))
    stating = _stating(q, clauses, quoted, kinds)
    for i, kind in enumerate(asked):
        # each unit the value asks by some quote (the quotes for 多少人 and for 多少元 may be two)
        if not all(any(s.states(q, i, unit) for s, _ in stating) for unit in _asked_units(q, i)):
            return "引用的句子没有给出所问的" + ("时间" if kind in ("date", "period") else "数值")
    shares = (text for s, text in stating if any(s.states(q, i) for i in range(len(asked))))
    if all(kind == "ratio" for kind in asked) and not any(SHARE_STATED.search(text) for text in shares):
        # the figure family answers whether some figure is stated; a share asked is answered by a share only
        return "引用的句子没有给出所问的比例"
    supports_ = [s for s, _ in stating]
    if not any(_of_head(q, i, supports_) for i in range(len(q.asked_values))):  # `asked`: the question is typed
        heads = "、".join(dict.fromkeys(head for _, _, head in q.asked_values if head))
        return f"引用的句子没有给出{heads}的数值"
    rarest = [_rarest(q, i, clauses) for i in range(len(q.asked_values))]
    if not any(_of_rarest(q, i, words, stating) for i, words in enumerate(rarest)):
        named = "、".join(dict.fromkeys(w for words in rarest for w in sorted(words)))
        return f"引用的句子没有提到{named}"
    return None


def _rarest(question: Question, i: int, clauses: Sequence[Clause]) -> frozenset[str]:
    """The words that tell the `i`-th value a question asks apart from the rest of what was retrieved: of its
    `Question.value_words`, those the fewest retrieved clauses hold (soft, see `held_in`). 「科技创新券」 asked where
    the clauses speak of other rewards to 企业: 科技 is the rare word, 企业 is in every clause. A word no retrieved
    clause holds is the question's own wording (「全区」 where the text says 全省), not a tell: no quote could hold
    it."""
    counts = ((w, sum(held_in(question, w, c.context) for c in clauses)) for w in question.value_words[i])
    held = {w: n for w, n in counts if n}
    if not held:
        return frozenset()
    fewest = min(held.values())
    return frozenset(w for w, n in held.items() if n == fewest)


def _of_rarest(question: Question, i: int, rarest: frozenset[str], stating: Sequence[tuple[Support, str]]) -> bool:
    """Whether a quoted unit stating a value of the kind the `i`-th value asks holds one of its rarest words
    (`_rarest`) in itself, its heading path or its title: the figure of another reward, population or indicator in
    the same clause holds the common words of the question (the subject retrieval found), not the rare one. A
    value with no such word asks nothing more."""
    return any(
        s.states(question, i) and (not rarest or any(held_in(question, w, text, s.kinds) for w in rarest))
        for s, text in stating
    )


def _stating(
    question: Question, clauses: Sequence[Clause], quoted: Sequence[tuple[int, str]], kinds: Sequence[str]
) -> list[tuple[Support, str]]:
    """The quoted units (as `supports` reads them) that state a value of one of `kinds` with the question's years,
    each with its text, heading path and title (normalised)."""
    stating: list[tuple[Support, str]] = []
    for i in sorted({i for i, _ in quoted if 0 <= i < len(clauses)}):
        quotes = [quote for j, quote in quoted if j == i]
        clause = clauses[i]
        frame = _frame(clause)
        for unit, support in zip(clause.units, supports(question, clause, kinds), strict=True):
            if support.years_held and support.kinds and any(quote in unit or unit in quote for quote in quotes):
                stating.append((support, frame + _norm(unit)))
    return stating


def _of_head(question: Question, i: int, stating: Sequence[Support]) -> bool:
    """Whether the `i`-th value a question asks is stated by a quoted unit together with the word it is of (its
    `measured_head`, soft: see `holds`) in that unit itself, its heading path or its title: a figure of a sibling
    indicator (「社工数」 in the row quoted for 「床位数」) is a value of the asked kind, but not the one asked. Held
    to the unit, not to what precedes it in its clause: a table or a paragraph lists several indicators, each
    with its own figure. A value with no head (「规模多大」) asks nothing more of its unit."""
    head = question.asked_values[i][2]
    return not head or any(s.states(question, i) and head not in s.missing[i] for s in stating)


def _role_unquoted(question: Question, clauses: Sequence[Clause], quoted: Sequence[tuple[int, str]]) -> str | None:
    """A question asking who holds a role (「…办公室主任是谁」) is answered only by a quote naming that role (a roster
    row 「组长：…」, 「召集人由…担任」), in itself or its heading path: a quote about the body that names no holder of
    the role is a near miss. Of the group the question names (「示例医改领导小组组长是谁」), the role must be that
    group's (`Clause.of_group` of `Question.group`, as a part asks in `rag.parts`); another group's 组长
    (「省应急领导小组组长由…担任」) is not the one asked."""
    group = question.group
    named = False
    for i, quote in quoted:
        if not (
            0 <= i < len(clauses)
            and any(role_named(r).search(_norm(quote) + _section(clauses[i])) for r in question.roles)
        ):
            continue
        named = True
        if clauses[i].of_group(group, quote):
            return None
    if named:
        return f"引用的句子只写明了其他机构的{'、'.join(question.roles)}"
    return f"引用的句子没有写明{'、'.join(question.roles)}由谁担任"


def _clause_field_unquoted(asked: Sequence[str], quoted: Sequence[tuple[int, str]]) -> str | None:
    """A question asking only which meeting approved a document, or which documents it rests on, is answered by a
    quote saying so (an issuing notice's 「…已经省政府第95次常务会议审议通过」, `lexicon.APPROVED_TEXT`; its opening's
    「根据《…》（国办发〔2022〕8号）要求」, `lexicon.BASIS_TEXT`); no card line states it, and another clause of the
    document (what the plan is part of, who funds it) is no answer: `cards.FROM_CLAUSES` holds the fields."""
    said = {field: any(FROM_CLAUSES[field].said.search(_norm(quote)) for _, quote in quoted) for field in asked}
    missing = [FROM_CLAUSES[field].unquoted for field in asked if not said[field]]
    return f"引用的句子没有写明该文件{'、'.join(missing)}" if missing else None


def _body_unquoted(question: Question, clauses: Sequence[Clause], quoted: Sequence[tuple[int, str]]) -> str | None:
    """A question asking which body does something (「由哪个部门牵头」) is answered only by a quote naming a body
    (`evidence.names_body`: 「省民政厅」, 「林草部门」, 「牵头单位：…」), in itself or its heading path: a quote that
    names none (「各有关部门要加强协调」), or only a word ending like an organ's name (「试行定向委托」, 「城市布局」),
    is about the subject, not its answer. Not held to a body *in a role* (`names_body_in_role`): the answering
    sentence often names the body as its subject in words no pattern lists (「以省人民医院为依托医院」). A question
    asking where a body is set up (「办公室设在哪个部门」, `lexicon.SET_UP_Q`) is answered only by a quote saying where
    it sits (「办公室设在省水利厅」, `lexicon.PLACE_TEXT`): one that only sets it up (「成立工作专班办公室」) or has it
    act beside an organ (「专班办公室和省统计局定期通报」) names a body, not where the asked one sits."""
    with_paths = list(_with_paths(clauses, quoted))
    if SET_UP_Q.search(question.normalised):
        if any(PLACE_TEXT.search(text) for text in with_paths):
            return None
        return "引用的句子没有写明设在哪个部门或单位"
    if any(names_body(text) for text in with_paths):
        return None
    return "引用的句子没有写明由哪个部门或单位负责"


def _with_paths(clauses: Sequence[Clause], quoted: Sequence[tuple[int, str]]) -> Iterator[str]:
    """Each quote with its clause's heading path, normalised: where a role or a body may be named for it."""
    for i, quote in quoted:
        if 0 <= i < len(clauses):
            yield _norm(quote) + _section(clauses[i])
