"""Comparisons: the documents a question compares (`compared_documents`) or each of its sides names
(`side_documents`), and the quote each document or side gets of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text import YEAR, norm
from rag.config import DEFAULT, AnswerConfig
from rag.evidence import Clause
from rag.lexicon import COMPARES, DIGIT, LABEL_END, QUOTED_TITLE, holds_role, key_bigrams, names_person
from rag.question import Question, asked_bigrams
from rag.units import Picked, asked_of_clause, indicator_share, sentence_score
from rag.values import states_value, value_kinds


def compares_documents(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig) -> bool:
    """Whether a question asks of several documents: it has sides, names several, or compares those it reads."""
    if len(question.sides) >= 2 or len(question.named_families) >= 2:
        return True
    return len(compared_documents(question, clauses, cfg)) >= 2


def document_labels(
    question: Question, clauses: Sequence[Clause], picked: Sequence[Picked], cfg: AnswerConfig = DEFAULT
) -> dict[int, str]:
    """For an answer comparing documents (`compares_documents`) that quotes two or more of them, the label each
    quoted clause's document is named by (hit index → 「文号：」): the quotes of a comparison seldom say which
    document they are from (「比例达到35%以上」, 「逐步提高到60%」), and the reader should not have to open each
    citation to tell the sides apart. A document with no 文号, or whose quotes name it already (`_named_in`), gets
    none."""
    keys = list(dict.fromkeys(clauses[p.hit_index].doc_key for p in picked))
    if not cfg.label_compared or len(keys) < 2 or not compares_documents(question, clauses, cfg):
        return {}
    labels: dict[int, str] = {}
    for p in picked:
        clause = clauses[p.hit_index]
        if clause.doc_number and not _named_in(
            clause, [q.quote for q in picked if clauses[q.hit_index].doc_key == clause.doc_key]
        ):
            labels[p.hit_index] = f"{clause.doc_number}："
    return labels


def _named_in(clause: Clause, quotes: Sequence[str]) -> bool:
    """Whether the quotes of a clause name its document themselves: by its 文号, or by its title in 《》
    (「《某规划》已经…审议通过」)."""
    title, number = norm(clause.doc_title), norm(clause.doc_number or "")
    for quote in map(norm, quotes):
        if number and number in quote:
            return True
        if any(t and (t in title or title in t) for t in (m.group(0)[1:-1] for m in QUOTED_TITLE.finditer(quote))):
            return True
    return False


def compared_documents(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[str]:
    """The documents (doc keys) a comparison is about among the retrieved ones, first named first; [] for a question
    about one document.

    A question naming two or more documents (`Question.named`: 「…示范省建设实施方案和服务业高质量发展实施意见…」,
    「助企纾困措施…政务公开台账又…」) is about each of those retrieved. Otherwise a comparison (lexicon.COMPARES) is
    about the retrieved documents whose title (and 文号) shares enough of the question's bigrams, and some apart
    from the best-named one's: 「改革完善医疗卫生服务体系实施方案」 does not name the 「医疗卫生服务体系规划」 too,
    「市场监管…和科技创新规划」 names two.
    """
    named = _named_keys(question, clauses[: cfg.depth])
    if len(named) > 1:
        return named[: cfg.max_compared]
    if not COMPARES.search(question.normalised):
        return []
    titles: dict[str, frozenset[str]] = {}
    for clause in clauses[: cfg.depth]:
        shared = question.bigrams & clause.title_bigrams
        if len(shared) > len(titles.get(clause.doc_key, ())):
            titles[clause.doc_key] = shared
    if not titles:
        return []
    ranked = sorted(titles, key=lambda k: -len(titles[k]))
    lead = titles[ranked[0]]
    floor = max(cfg.compared_title_bigrams, cfg.compared_title_share * len(lead))
    keys = [ranked[0]] + [
        k for k in ranked[1:] if len(titles[k]) >= floor and len(titles[k] - lead) >= cfg.compared_distinct_bigrams
    ]
    return keys[: cfg.max_compared] if len(keys) > 1 else []


def _named_keys(question: Question, clauses: Sequence[Clause]) -> list[str]:
    """The doc keys of the retrieved clauses of each document the question names, one per naming, in its order."""
    keys: list[str] = []
    for doc_ids in question.named_families:
        key = next((c.doc_key for c in clauses if getattr(c.hit, "doc_id", None) in doc_ids), None)
        if key is not None and key not in keys:
            keys.append(key)
    return keys


def compared_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For a comparison, a quote from each side's own document (`side_documents`) when no chosen quote of that
    document states the asked value, then the best quote of each document it names that no quote chosen so far comes
    from, then the best quote of each side (`Question.sides`) no quote chosen so far speaks of (`_side_quotes`)."""
    out = _side_document_quotes(question, clauses, scored, chosen, cfg)
    quoted = {clauses[p.hit_index].doc_key for p in chosen + out}
    for key in compared_documents(question, clauses, cfg):
        if key in quoted:
            continue
        if value_kinds(question) or question.roles:
            best = _document_quote(question, clauses, scored, key, question.asked, cfg)
        else:  # nothing typed to prefer: the document's best-scored unit
            best = next((p for p in scored if clauses[p.hit_index].doc_key == key and p.score > 0), None)
        if best is not None:
            out.append(best)
            quoted.add(key)
    return out + _side_quotes(question, clauses, scored, chosen + out, cfg)


def side_documents(question: Question, clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT) -> list[str | None]:
    """The document (doc key) each side of a comparison names among the retrieved clauses, None for a side naming
    none: the first retrieved of those the retriever resolved the side to (`Side.doc_ids`), else the one whose title
    and 文号 hold the most of the side's words, at least `cfg.side_title_share` of them and
    `cfg.side_min_bigrams`, singled out (a tie names none; a year the side states decides between one plan's
    editions). 「生态经济规划」 names the 生态经济发展规划, 「2022年医改任务」 the 2022年综合医改重点工作任务; two
    sides naming one document name none (they are two things of it)."""
    keys: list[str | None] = []
    for side in question.sides:
        if side.doc_ids:  # resolved against the whole corpus with the question (Retriever.side_documents)
            own = (c.doc_key for c in clauses[: cfg.depth] if getattr(c.hit, "doc_id", None) in side.doc_ids)
            keys.append(next(own, None))
            continue
        # its naming words; a year it states (「2035年」, in the title 「…(2021—2035年)」) only tells editions apart
        words = frozenset(b for b in key_bigrams(side.words) if not DIGIT.search(b))
        years = set(YEAR.findall(norm(side.words)))
        held: dict[str, tuple[int, bool]] = {}
        for clause in clauses[: cfg.depth]:
            n = len(words & clause.title_bigrams)
            dated = bool(years) and bool(years & set(YEAR.findall(norm(clause.doc_title + (clause.doc_number or "")))))
            held[clause.doc_key] = max(held.get(clause.doc_key, (0, False)), (n, dated))
        floor = max(cfg.side_min_bigrams, cfg.side_title_share * len(words))
        ranked = sorted(((n, dated, k) for k, (n, dated) in held.items() if n >= floor), reverse=True)
        if not ranked or (len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]):
            keys.append(None)
        else:
            keys.append(ranked[0][2])
    if len({k for k in keys if k is not None}) < sum(k is not None for k in keys):
        return [None] * len(keys)  # both sides in one document
    return keys


def label_row(clause: Clause) -> bool:
    """Whether a clause is a table's group label row (`TableRow.is_label`: 「序号：盐湖化工产业建设 (2 项)」): it names
    the rows below it and states no value of its own (its 「2 项」 counts them)."""
    return clause.table is not None and clause.table.is_label


def _quote_rank(
    question: Question, clause: Clause, quote: str, asked: frozenset[str], kinds: frozenset[str], cfg: AnswerConfig
) -> tuple[bool, bool, int, float]:
    """How well a quote answers what `asked` (a question's or one side's content bigrams) says, for choosing one quote
    per document: a holder of a role asked first (`holds_role`), then a quote stating a value of an asked type (any
    when none is asked), then a table row of the indicator asked (its indicator cell
    named by at least `cfg.indicator_share`: the plan's own 「总产值」 row for 「盐湖产业总产值」, its columns naming a
    year asked when the question asks one: not the 「“十三五”目标值」 row for a 2025 target), then any quote that is
    no row, then a row of another indicator; then by its score for `asked` (its words less the document's title,
    as `sentence_score` weighs them). A group label row (`label_row`) states no value and ranks below every row."""
    q = asked_of_clause(asked, clause)
    share = indicator_share(asked, clause)
    targets = question.target_years
    dated = not targets or bool(targets & set(YEAR.findall(norm(quote))))
    label = label_row(clause)
    return (
        not question.roles or holds_role(quote, question.roles),
        not kinds or (not label and states_value(quote, question, kinds)),
        -1 if label else 1 if share is None else 0 if share < cfg.indicator_share else 2 if dated else 1,
        sentence_score(q, quote, question.form, question.years, cfg, clause.heading_bigrams),
    )


def _document_quote(
    question: Question,
    clauses: Sequence[Clause],
    scored: list[Picked],
    key: str,
    asked: frozenset[str],
    cfg: AnswerConfig,
) -> Picked | None:
    """The best quote of document `key` among the scored units by `_quote_rank`, its score weighed down by rank as
    `score_units` weighs it (the retriever's order counts)."""
    kinds = value_kinds(question)
    best: tuple[tuple[bool, bool, int, float], Picked] | None = None
    for p in scored:
        clause = clauses[p.hit_index]
        if clause.doc_key != key or p.score <= 0 or label_row(clause):  # a label row answers nothing
            continue
        role, value, indicator, score = _quote_rank(question, clause, p.quote, asked, kinds, cfg)
        rank = (role, value, indicator, score / (1 + cfg.rank_decay * p.hit_index))
        if best is None or rank > best[0]:
            best = (rank, p)
    return None if best is None else best[1]


def _side_document_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For each side naming its own document (`side_documents`) of a comparison, the best quote of that document for
    the side's own question (the other side cut out; `_document_quote`: of the asked type when one is asked, else
    the row or sentence naming what the side asks: 「…的数字对得上吗」 quotes each plan's 总产值 row), unless a
    chosen quote of that document answers it as well (ranks as high, its score within `cfg.side_quote_share`):
    「医护比…“十四五”医疗卫生服务体系规划和2022年综合医改任务台账说法一致吗」 quotes the plan's 医护比 row, not only the
    台账's; another row of the plan stating some value (「农畜产品加工产值与农业总产值比」 for 「盐湖产业总产值」) does
    not stand for it."""
    kinds = value_kinds(question)
    if not question.sides:
        return []
    out: list[Picked] = []
    for side, key in zip(question.sides, side_documents(question, clauses, cfg), strict=True):
        if key is None:
            continue
        asked = asked_bigrams(side.query)  # the side's own question words (no whole Question read per side)
        best = _document_quote(question, clauses, scored, key, asked, cfg)
        if best is None:
            continue
        top = _quote_rank(question, clauses[best.hit_index], best.quote, asked, kinds, cfg)
        answered = False
        for p in chosen + out:
            if clauses[p.hit_index].doc_key != key:
                continue
            rank = _quote_rank(question, clauses[p.hit_index], p.quote, asked, kinds, cfg)
            answered |= rank[:3] >= top[:3] and rank[3] >= cfg.side_quote_share * top[3]
        if not answered:
            out.append(best)
    return out


def person_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For each person the question names (`Question.persons`), a quote from each retrieved document whose clauses
    hold the name and no chosen quote of which does (up to `cfg.max_compared` documents): its best-scored unit holding
    the name. A person joins documents (a group's member list, an appointment notice): each says what the person is
    there, and the question asks it of the person, not of a title."""
    out: list[Picked] = []
    for name in question.persons:
        quoted = {clauses[p.hit_index].doc_key for p in chosen + out if names_person(p.quote, name)}
        keys = list(dict.fromkeys(c.doc_key for c in clauses[: cfg.depth] if names_person(c.text, name)))
        for key in keys[: cfg.max_compared]:
            if key in quoted:
                continue
            holding = (p for p in scored if clauses[p.hit_index].doc_key == key and names_person(p.quote, name))
            best = next(holding, None)
            if best is not None:
                label = _list_label(clauses[best.hit_index], best.quote)
                out += [Picked(best.hit_index, label, best.score)] if label else []
                out.append(best)
                quoted.add(key)
    return out


def _list_label(clause: Clause, quote: str) -> str | None:
    """The label a quoted item of a list stands under, when another item's sentence holds it (「免去：」 before the
    second of the people it lists, 「免去：\n甲同志…；\n乙同志…；」): what the list does to the person is said by the
    label, not by the item. None for an item holding its own label, or a quote under none."""
    if quote not in clause.units or LABEL_END.search(quote.split("\n", 1)[0]):
        return None
    for unit in reversed(clause.units[: clause.units.index(quote)]):
        head = unit.split("\n", 1)[0]
        if LABEL_END.search(head):
            return head.strip()
    return None


def _side_words(question: Question) -> list[frozenset[str]]:
    """Each side's distinguishing bigrams: those of its words the other side does not share."""
    said = [frozenset(key_bigrams(side.words)) for side in question.sides]
    return [s - frozenset().union(*(o for o in said if o is not s)) for s in said]


def _speaks_of(side: frozenset[str], clause: Clause, quote: str, cfg: AnswerConfig) -> bool:
    """Whether a quote (with its heading path and document title) holds `cfg.side_share` of a side's distinguishing
    bigrams, and at least `cfg.side_min_bigrams` of them (「市州」 alone does not speak of 「各市州」)."""
    held = side & (key_bigrams(quote) | clause.heading_bigrams | clause.title_bigrams)
    return bool(side) and len(held) >= min(len(side), max(cfg.side_min_bigrams, cfg.side_share * len(side)))


def _side_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For each side of a comparison no chosen quote speaks of (「感染性疾病科」 of 「老年医学科和感染性疾病科的比例
    目标分别是多少」), the best-scored unit that does, stating a value of the kind asked when the question asks one:
    each side gets its own quote, as each named document does."""
    out: list[Picked] = []
    kinds = value_kinds(question)
    for side in _side_words(question):
        if any(_speaks_of(side, clauses[p.hit_index], p.quote, cfg) for p in chosen + out):
            continue
        best = next(
            (
                p
                for p in scored
                if p.score > 0
                and _speaks_of(side, clauses[p.hit_index], p.quote, cfg)
                and (not kinds or (not label_row(clauses[p.hit_index]) and states_value(p.quote, question, kinds)))
            ),
            None,
        )
        if best is not None and not any(best.quote == p.quote for p in chosen + out):
            out.append(best)
    return out
