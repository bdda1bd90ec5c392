"""Each side of a comparison resolved to its document before search, searched and quoted there, and a comparison
answered for the sides the text answers (issue #12, comparisons across two documents)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

import rag
from index.names import names_in
from index.vector_store import Where
from rag.answer import extractive_answer, unstated_sides
from rag.comparison import side_documents
from rag.evidence import TableRow, read_clauses
from rag.models import Hit
from rag.question import Question
from rag.retriever import Retriever
from tests.helpers import corpus_of, made_up_gazette, made_up_notice, make_hit


def _of(hit: Hit, doc_id: str) -> Hit:
    return hit.model_copy(update={"doc_id": doc_id})


def test_each_side_is_resolved_to_the_documents_its_words_name(service: rag.Gongbao) -> None:
    question = service.retriever.resolve("盐湖产业基地行动方案和生态经济规划里，锂资源综合回收率各自要达到什么水平？")
    docs = {d.doc_id: d.doc_number for d in service.corpus.documents}
    assert [{docs[d] for d in side.doc_ids} for side in question.sides] == [
        {"青政〔2021〕54号"},
        {"青政办〔2021〕122号"},
    ]
    # a side naming a plan the whole question's reading leaves out (another side's year, 2022, dates neither it
    # nor the notice issuing it): its own words name it
    question = service.retriever.resolve("医师数的目标，“十四五”医疗卫生服务体系规划和2022年综合医改任务台账一样吗？")
    assert [{docs[d] for d in side.doc_ids} for side in question.sides] == [
        {"青政办〔2021〕124号"},
        {"青政办函〔2022〕58号"},
    ]
    # a side whose words name no title names no document
    unnamed = service.retriever.resolve("有机肥产业和饲草产业的产值各自要达到多少？")
    assert unnamed.sides and all(side.doc_ids == () for side in unnamed.sides)


def test_each_sides_best_chunk_within_its_document_is_among_the_hits(service: rag.Gongbao) -> None:
    retriever = service.retriever
    question = retriever.resolve("每千人口医疗卫生机构床位数，医疗卫生服务体系规划和老龄事业规划分别是多少？")
    kept = Retriever(retriever.store, retriever.embedder, replace(retriever.config, side_slots=0))
    rows = {i for i, _ in retriever.rank(question, k=8)}
    for side in question.sides:
        vector = retriever.embedder.encode_queries([side.query])[0]
        within = Where(doc_ids=frozenset(side.doc_ids))
        ranking = retriever.store.hybrid(side.query, vector, within, retriever._spec())
        best = [i for i, _ in ranking if not retriever.store.is_card(i)][: retriever.config.side_slots]
        assert len(best) == 2 and set(best) <= rows
    # without the slots some side's second best is pushed out by the other document's clauses
    assert rows != {i for i, _ in kept.rank(question, k=8)}


def test_a_comparison_keeps_the_named_documents_own_clause_too(service: rag.Gongbao) -> None:
    # a personnel notice is its card and one clause, which a content question naming it by 文号 keeps among the hits
    # (tests/rag/test_retriever.py); compared within it, the sides name no document and keep no place of their own:
    # its clause stays all the same (the sides' kept places used to replace the named documents' own)
    question = "青政人〔2020〕11号里任命和免职分别涉及谁？"
    assert service.retriever.resolve(question).sides
    hits = service.retriever.search(question, k=2)
    assert any(h.doc_number == "青政人〔2020〕11号" and h.kind != "card" for h in hits), [h.chunk_id for h in hits]


@pytest.mark.parametrize(
    "question",
    [
        "青政办〔2022〕30号是哪天印发的？",  # metadata: the named document's card answers, no clause is kept
        "助企纾困十条对餐饮企业有什么补贴？",  # named by an abbreviated title: no clause is kept
    ],
)
def test_no_named_documents_best_clause_is_looked_for_when_none_is_kept(
    service: rag.Gongbao, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked: list[int] = []
    label_row = Retriever._label_row

    def spy(self: Retriever, idx: int) -> bool:
        looked.append(idx)
        return label_row(self, idx)

    monkeypatch.setattr(Retriever, "_label_row", spy)
    resolved = service.retriever.resolve(question)
    assert resolved.named and not resolved.sides
    assert service.retriever.rank(resolved, k=5)
    assert looked == []


def test_few_places_go_to_each_sides_best_before_any_sides_second(service: rag.Gongbao) -> None:
    retriever = service.retriever
    question = retriever.resolve("每千人口医疗卫生机构床位数，医疗卫生服务体系规划和老龄事业规划分别是多少？")
    rows = [i for i, _ in retriever.rank(question, k=2)]
    for side in question.sides:
        vector = retriever.embedder.encode_queries([side.query])[0]
        ranking = retriever.store.hybrid(side.query, vector, Where(doc_ids=frozenset(side.doc_ids)), retriever._spec())
        assert next(i for i, _ in ranking if not retriever.store.is_card(i)) in rows, side.words


def test_kept_chunks_take_the_last_places_and_never_the_fixed_ones() -> None:
    ranked = [(1, 1.0), (2, 0.9), (3, 0.8), (4, 0.7)]
    kept = Retriever._keep(ranked, [9, 2], {9: 0.75}, fixed=1)
    assert kept == [(1, 1.0), (2, 0.9), (3, 0.8), (9, 0.75)]
    assert Retriever._keep(ranked, [9], {9: 2.0}, fixed=4) == ranked  # no room: a citation's clauses stay
    # a kept chunk ranked last already keeps its place: another one takes the place before it
    assert Retriever._keep(ranked, [4, 9], {9: 0.1}, fixed=0) == [(1, 1.0), (2, 0.9), (4, 0.7), (9, 0.1)]


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        # who issued each document jointly: the issuers on their cards
        ("农业规划和乡村振兴方案分别是省政府和哪个部委联合印发的？", ("issuer",)),
        ("乡村振兴方案由哪些单位联合发布？", ("issuer",)),
        ("联合印发的方案对补贴有什么规定？", ()),  # names a joint issue, asks the content
    ],
)
def test_a_question_asking_who_issued_a_document_jointly_asks_its_card(question: str, fields: tuple[str, ...]) -> None:
    read = Question.read(question)
    assert read.metadata == fields and read.only_metadata == bool(fields)


def test_two_documents_jointly_issued_are_answered_from_both_cards(service: rag.Gongbao) -> None:
    answer = service.ask("高原美丽城镇实施方案和盐湖产业基地行动方案各是省政府与哪个部委联合印发的？")
    assert answer.answerable and {c.doc_number for c in answer.citations} == {"青政〔2020〕60号", "青政〔2021〕54号"}
    assert "住房和城乡建设部" in answer.text and "工业和信息化部" in answer.text


STUDY = {"doc_title": "建设示例研学旅行基地行动方案", "doc_number": "青政〔2018〕19号"}
CRAFT = {"doc_title": "示例省文化创意产业发展规划", "doc_number": "青政办〔2018〕64号"}
SALES_QUESTION = "文化创意规划与研学旅行基地行动方案对2030年文创产品销售额的要求各是多少？"


def test_a_sides_row_of_the_indicator_asked_outranks_a_sentence_with_another_figure() -> None:
    row = "table_row"
    hits = [
        make_hit("指标：销售规模／文创产品销售额；单位：亿元；2030 年：900", kind=row, **STUDY),  # type: ignore[arg-type]
        # a sentence of the plan stating some figure, ranked above the plan's own row of the indicator asked
        make_hit("到2030年文创产品线上销售网点新增300个。", rank=2, **CRAFT),  # type: ignore[arg-type]
        make_hit("指标：销售规模／研学课程；单位：亿元；2030 年：60", kind=row, rank=3, **STUDY),  # type: ignore[arg-type]
        make_hit("序号：9；指标：文创产品销售额；单位：亿元；2018 年：466.3；2030 年：1000", kind=row, rank=4, **CRAFT),  # type: ignore[arg-type]
    ]
    answer = extractive_answer(Question.read(SALES_QUESTION), hits)
    assert "900" in answer.text and "1000" in answer.text


SPORT = {"doc_title": "青海省全民健身实施计划", "doc_number": "青政〔2021〕21号"}
LIBRARY = {"doc_title": "青海省公共图书馆建设方案", "doc_number": "青政〔2021〕22号"}


def _sides_question() -> tuple[Question, list[Hit]]:
    question = Question.read("2025年人均体育场地面积，全民健身计划和公共图书馆方案分别定了多少？")
    sport = [d for s in question.sides for d in ("sport",) if "健身" in s.words]
    assert sport  # read into its two sides
    hits = [
        _of(make_hit("到2025年，人均体育场地面积达到2.6平方米。", **SPORT), "sport"),  # type: ignore[arg-type]
        _of(make_hit("公共图书馆开展全民阅读推广活动。", rank=2, **LIBRARY), "library"),  # type: ignore[arg-type]
        _of(make_hit("公共图书馆实行免费开放。", rank=3, **LIBRARY), "library"),  # type: ignore[arg-type]
    ]
    sides = tuple(replace(s, doc_ids=("sport",) if "健身" in s.words else ("library",)) for s in question.sides)
    return replace(question, sides=sides, named=()), hits


def test_a_comparison_answers_the_side_the_text_answers_and_says_which_it_does_not() -> None:
    question, hits = _sides_question()
    clauses = read_clauses(hits)
    assert side_documents(question, clauses) == ["青政〔2021〕21号", "青政〔2021〕22号"]
    assert [c.side.words for c in unstated_sides(question, clauses) or []] == ["公共图书馆方案"]
    answer = extractive_answer(question, hits)
    assert answer.answerable and "2.6平方米" in answer.text
    assert "未写明公共图书馆方案" in answer.text
    # the side said to be silent has no citation in the answer: none of its document's clauses answers it
    assert all(c.doc_number != LIBRARY["doc_number"] for c in answer.citations), answer.text


def test_a_comparison_neither_side_of_which_is_answered_is_refused() -> None:
    question, hits = _sides_question()
    hits = [hits[1], hits[2]]
    assert unstated_sides(question, read_clauses(hits)) is None
    assert not extractive_answer(question, hits).answerable


def test_a_sides_document_is_the_one_the_retriever_resolved_it_to() -> None:
    # titles that share no words with the sides: only the resolution (Side.doc_ids) tells which is whose
    question, hits = _sides_question()
    hits = [
        hits[0].model_copy(update={"doc_title": "青海省甲类办法"}),
        hits[1].model_copy(update={"doc_title": "青海省乙类办法"}),
    ]
    assert side_documents(question, read_clauses(hits)) == ["青政〔2021〕21号", "青政〔2021〕22号"]
    assert side_documents(
        replace(question, sides=tuple(replace(s, doc_ids=()) for s in question.sides)), read_clauses(hits)
    ) == [None, None]


def test_a_tables_group_label_row_is_no_sides_quote() -> None:
    row = "table_row"
    hits = [
        make_hit("指标：销售规模／文创产品销售额；单位：亿元；2030 年：900", kind=row, **STUDY),  # type: ignore[arg-type]
        # a one-cell group label: its 「(3 项)」 counts the rows below it, it states no value of the plan's
        make_hit("序号：文创精品工程建设 (3 项)", kind=row, rank=2, **CRAFT),  # type: ignore[arg-type]
        # the plan's other row retrieved is of another indicator (the one asked was not retrieved)
        make_hit(
            "序号：21；指标：文化产业增加值与工艺品销售额比；单位：—；2030 年：0.6 : 1", kind=row, rank=3, **CRAFT
        ),  # type: ignore[arg-type]
    ]
    answer = extractive_answer(Question.read(SALES_QUESTION), hits)
    assert "900" in answer.text and "3 项" not in answer.text
    assert [c.table is not None and c.table.is_label for c in read_clauses(hits)] == [False, True, False]


def test_no_sides_kept_place_goes_to_a_group_label_row(service: rag.Gongbao) -> None:
    retriever = service.retriever
    chunks = retriever.store.chunks
    labels = [i for i, c in enumerate(chunks) if c.kind == "table_row" and TableRow.read(c.text, c.section).is_label]
    assert labels  # the bundled corpus prints such rows (「序号：…产业建设 (2 项)」)
    question = retriever.resolve("生态经济发展规划和盐湖产业基地行动方案对盐湖产业产值分别定了多少目标？")
    vectors = retriever.embedder.encode_queries([side.query for side in question.sides])
    _, kept = retriever._search_sides(question, None, [], vectors)
    assert kept and not set(kept) & set(labels)


def test_a_comparison_of_two_doc_numbers_is_read_by_its_sides_not_refused() -> None:
    question = Question.read("关于示例污水再生利用率，青政〔2019〕7号与青政办〔2020〕15号分别要求达到多少？")
    assert [s.words for s in question.sides] == ["青政〔2019〕7号", "青政办〔2020〕15号"]
    # a 文号's issuer is no word of the value asked: a sentence stating the rate need not say 「青政办」
    assert all("青政" not in w and "青政办" not in w for _, words, _ in question.asked_values for w in words)
    # and the topic before it keeps its words (the 文号's issuer does not run into them)
    assert [head for _, _, head in question.asked_values] == ["利用率"]
    hits = [
        make_hit("示例污水再生利用率提高到45%。", doc_number="青政〔2019〕7号"),
        make_hit("到2030年，示例污水再生利用率力争达到48%。", rank=2, doc_number="青政办〔2020〕15号"),
    ]
    answer = extractive_answer(question, hits)
    assert answer.answerable and "45%" in answer.text and "48%" in answer.text


def test_a_doc_number_shortened_after_a_whole_one_names_the_second_document() -> None:
    # 「…7号和15号」: the second is the same issuer's and year's, so it is a 文号 the question names and a side
    question = Question.read("青政办〔2019〕7号和15号两个办法分别是哪天印发的？")
    assert question.doc_numbers == ("青政办〔2019〕7号", "青政办〔2019〕15号")
    assert [s.words for s in question.sides] == ["青政办〔2019〕7号", "青政办〔2019〕15号"]
    corpus = corpus_of(
        made_up_gazette(
            1, "2019年3月1日", made_up_notice("关于印发甲办法的通知", "青政办〔2019〕7号", "甲。", "2019年2月1日")
        ),
        made_up_gazette(
            2, "2019年4月1日", made_up_notice("关于印发乙办法的通知", "青政办〔2019〕15号", "乙。", "2019年3月1日")
        ),
    )
    named = names_in(corpus, question.normalised, 7.0, 7.0)
    assert [n.words for n in named] == ["青政办〔2019〕7号", "青政办〔2019〕15号"]


def test_a_rows_label_reading_is_memoised(service: rag.Gongbao, monkeypatch: pytest.MonkeyPatch) -> None:
    retriever = service.retriever
    chunks = retriever.store.chunks
    rows = [i for i in range(len(chunks)) if chunks[i].kind == "table_row"][:5]
    assert rows
    expected = [retriever._label_row(i) for i in rows]  # read (or already memoised)
    read: list[str] = []
    original = TableRow.read

    def spy(text: str, section: Sequence[str]) -> TableRow:
        read.append(text)
        return original(text, section)

    monkeypatch.setattr(TableRow, "read", spy)
    assert [retriever._label_row(i) for i in rows] == expected and not read


def test_a_document_only_a_side_names_is_searched_without_its_notices_other_plans(
    service: rag.Gongbao, monkeypatch: pytest.MonkeyPatch
) -> None:
    # both sides weigh too little to be named by the question's own reading: each side names its plan (how "side"),
    # which is searched and boosted on its own, but not with the other plans its notice issued (an indicator table
    # attached beside the 公立医院 plan restates the compared measures' names)
    retriever = service.retriever
    question = retriever.resolve("2022年综合医改和公立医院高质量发展方案对薪酬制度分别怎么要求？")
    assert question.named is not None and [n.how for n in question.named] == ["side", "side"]
    searched: list[tuple[tuple[str, ...], bool]] = []
    boost = Retriever._boost_documents

    def spy(self: Retriever, query: Question, checked, docs, fused, vector, weight, with_kin=True, **kw):  # type: ignore[no-untyped-def]
        searched.append((tuple(docs), with_kin))
        return boost(self, query, checked, docs, fused, vector, weight, with_kin, **kw)

    monkeypatch.setattr(Retriever, "_boost_documents", spy)
    retriever.rank(question, k=8)
    assert searched == [(n.doc_ids, False) for n in question.named]
