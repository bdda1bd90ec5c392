"""Fast tests at the seams: a `Question` and a few clauses built by hand, no index (each well under a second)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from rag.answer import extractive_answer
from rag.compose import pick, repeats
from rag.evidence import Clause, sentences
from rag.question import Question
from rag.refusal import refusal_reason
from rag.retriever import Retriever, RetrieverConfig
from rag.verify import verify_sentence
from tests.helpers import make_hit

HISTORY = [{"role": "user", "content": "盐湖产业基地行动方案中锂产业2025年产值目标是多少？"}]


def test_question_reads_what_it_names() -> None:
    q = Question.read("青政办〔2022〕30号第八条：2025年9月份上半年“十四五”期间的“六区”每人每月补贴多少元？")
    assert q.years == {"2025"} and q.months == {"9"}
    assert q.doc_number == "青政办〔2022〕30号" and q.reference.clause == "第八条"
    assert q.five_year_plans == ("十四五",) and q.half_years == ("上半年",)
    assert "六区" in q.quoted_terms and q.form == "number"
    assert q.rates == {"每人每月"} and q.units == {"元"}
    assert "2025" in q.figures
    assert not q.follow_up and q.earlier is None


def test_question_parts_and_forms() -> None:
    q = Question.read("高原医学研究中心建设由哪些单位负责，什么时候完成？")
    assert [p.form for p in q.parts] == ["responsible", "number"]
    assert Question.read("到2025年管理费用率、医疗服务收入占比和人员薪酬固定部分占比分别是什么目标？").asks_each
    assert Question.read("工作措施包括哪些？").form == "list"


def test_question_leans_on_the_conversation() -> None:
    q = Question.read("那2030年的呢？", HISTORY)
    assert q.follow_up and q.borrows_subject and q.earlier == HISTORY[0]["content"]
    assert q.in_context().text == f"{HISTORY[0]['content']} 那2030年的呢？"
    assert q.in_context().years == {"2025", "2030"}
    own = Question.read("那房租减免呢？", HISTORY)
    assert own.follow_up and not own.borrows_subject and own.in_context() is own
    assert not Question.read("那2030年的呢？").follow_up  # no conversation to lean on


def test_evidence_reads_a_table_row_from_its_kind_and_path() -> None:
    hit = make_hit(
        "表：主要指标\n单位：亿元；2025 年：340；2030 年：600",
        ["三、发展目标", "主要指标"],
        kind="table_row",
    )
    clause = Clause.read(hit)
    assert clause.is_table_row and clause.table is not None and clause.table.title == "主要指标"
    assert clause.units == ("单位：亿元；2025 年：340；2030 年：600",)
    assert ("单位", "亿元") in clause.table.cells
    assert {"340", "600", "2025"} <= clause.figures and clause.years == {"2025", "2030"}
    # the same text as a clause is sentences, not a row: the kind decides, not the 「表：」 prefix
    assert not Clause.read(make_hit(hit.text, hit.section)).is_table_row


def test_evidence_sentences_and_dates() -> None:
    text = "3. 完成时限。2025年12月底前完成。（责任单位：\n省财政厅、省税务局）"
    clause = Clause.read(make_hit(text))
    assert sentences(text)[-1] == "（责任单位：\n省财政厅、省税务局）"
    assert "2025年12月底前" in clause.dates
    assert Clause.read(clause) is clause  # read once


def test_pick_and_refusal_on_hand_built_clauses() -> None:
    hits = [
        make_hit("到2025年，锂产业产值达到500亿元。到2030年，锂产业产值达到1000亿元。", ["二、主要目标"], rank=1),
        make_hit("加强组织领导，压实各方责任。", ["五、保障措施"], rank=2, line=9),
    ]
    q = Question.read("锂产业2030年产值目标是多少亿元？")
    picked = pick(q, hits)
    assert picked and picked[0].hit_index == 0 and "1000亿元" in picked[0].quote
    assert refusal_reason(q, hits) is None
    assert "2050" in (refusal_reason(Question.read("锂产业2050年产值目标是多少亿元？"), hits) or "")
    answer = extractive_answer(q, hits)
    assert answer.answerable and answer.citations[0].chunk_id == hits[0].chunk_id


def test_repeats() -> None:
    assert repeats("到2025年，锂产业产值达到500亿元。", "到2025年，锂产业产值达到500亿元。")
    assert not repeats("到2030年，锂产业产值达到1000亿元。", "到2025年，锂产业产值达到500亿元。")  # own figure
    assert not repeats("加强组织领导。", "完善财政支持政策，落实税收优惠。")


def _fake_retriever(years: dict[int, int], texts: list[str]) -> Retriever:
    """A retriever over a fake store: chunk i belongs to a document of year years[i]."""
    retriever = Retriever.__new__(Retriever)
    store: Any = SimpleNamespace(
        texts=texts,
        document_of=lambda i: SimpleNamespace(year=years[i]),
        mentions_any=lambda i, words: any(w in texts[i] for w in words),
        in_years=lambda rows, ys: [str(years[i]) in ys or any(y in texts[i] for y in ys) for i in rows],
    )
    retriever.store = store
    retriever.config = RetrieverConfig()
    return retriever


def test_year_boost_lifts_chunks_of_the_asked_year() -> None:
    retriever = _fake_retriever({0: 2020, 1: 2022, 2: 2020}, ["甲", "乙", "到2022年达到90%"])
    ranking = [(0, 1.0), (1, 0.95), (2, 0.92)]
    boosted = retriever._boost_years(Question.read("2022年的目标是多少？"), ranking)
    assert [i for i, _ in boosted] == [1, 2, 0]
    assert boosted[0][1] == 0.95 * 1.1
    assert retriever._boost_years(Question.read("目标是多少？"), ranking) == ranking


def test_errors_are_one_hierarchy() -> None:
    from index.decode import UnreadableFileError
    from index.store import IndexMismatchError
    from index.uploads import UploadError
    from rag import GongbaoError, NotFoundError, UnknownFilterError, UnknownModeError
    from rag.retriever import check_filters

    for kind in (UnreadableFileError, IndexMismatchError, UploadError, UnknownModeError, UnknownFilterError):
        assert issubclass(kind, GongbaoError)
    assert (
        issubclass(NotFoundError, KeyError)
        and str(NotFoundError("No document with id 'x'")) == "No document with id 'x'"
    )
    try:
        check_filters({"colour": "red"})
    except UnknownFilterError as exc:
        assert exc.status == 422 and "colour" in str(exc)
    else:
        raise AssertionError("an unknown filter must raise")


def test_question_types_the_expected_answer() -> None:
    types = {
        "中小微企业稳岗返还比例是多少？": "ratio",
        "2025年盐湖产业产值要达到多少？": "quantity",
        "试点工作方案要在什么时候前报备？": "date",
        "专家委员任期几年？": "period",
        "每年要实地核查几次？": "count",
        "这项工作由哪个部门牵头？": "body",
        "领导小组组长是谁？": "person",
        "工作措施包括哪些？": "list",
        "“六区”是什么意思？": "definition",
    }
    assert {q: Question.read(q).answer_type for q in types} == types
    parts = Question.read("这项任务由哪个部门牵头，什么时候完成？").parts
    assert [p.answer_type for p in parts] == ["body", "date"]


def test_direct_answer_opens_with_the_value_in_the_quotes_words() -> None:
    hits = [make_hit("对受疫情影响的中小微企业，稳岗返还比例由60%提高至90%。大型企业返还比例为30%。", ["一、援企稳岗"])]
    answer = extractive_answer("中小微企业稳岗返还比例是多少？", hits)
    # (with the piece before it: that one names what the value is of, 中小微企业, which the value piece does not)
    assert answer.short_answer == "对受疫情影响的中小微企业，稳岗返还比例由60%提高至90%[1]。"
    assert answer.text.startswith(answer.short_answer + "\n") and len(answer.short_answer) <= 60
    assert verify_sentence(answer.short_answer, hits) is None  # verbatim: its figures are in the cited clause
    # a question that asks for no value gets no opening
    assert extractive_answer("援企稳岗包括哪些措施？", hits).short_answer is None


def test_direct_answer_skips_values_the_question_states() -> None:
    row = "指标：产值规模／总产值；单位：亿元；2025 年：340；2030 年：700"
    hits = [make_hit("表：主要指标\n" + row, ["三、发展目标", "主要指标"], kind="table_row")]
    # 2030 is asked, not answered: the opening is the 2030 cell's value, not a year and not the 2025 figure
    # (the row's 「单位：亿元」 put back after the figure, its indicator before it: the opening is read without the row)
    short = extractive_answer("2030年总产值目标是多少亿元？", hits).short_answer
    assert short == "产值规模／总产值，2030 年：700亿元[1]。"


def test_direct_answer_joins_the_cells_of_two_asked_values() -> None:
    row = "序号：3；工作任务：建立动态核增机制；责任部门：省委编办；完成时限：2023年12月底"
    hits = [make_hit("表：保障措施清单\n" + row, ["保障措施清单"], kind="table_row")]
    short = extractive_answer("建立动态核增机制由谁负责、什么时候完成？", hits).short_answer
    assert short == "由省委编办负责；完成时限：2023年12月底[1]。"  # the body cell said (direct.as_statement)


def test_refusal_wants_a_value_of_the_asked_type() -> None:
    qualitative = [make_hit("各地要加大农牧业保险理赔力度，确保应赔尽赔、及时赔付到位。", ["三、保险理赔"])]
    assert refusal_reason("农牧业保险理赔要在什么时候之前赔付到位？", qualitative) is not None
    assert refusal_reason("农牧业保险理赔金额要达到多少？", qualitative) is not None
    dated = [make_hit("各地要加大农牧业保险理赔力度，确保11月底前全部赔付到位。", ["三、保险理赔"])]
    assert refusal_reason("农牧业保险理赔要在什么时候之前赔付到位？", dated) is None
    # a figure the question states itself is no answer
    repeated = [make_hit("各地要加大2023年农牧业保险理赔力度，确保应赔尽赔。", ["三、保险理赔"])]
    assert refusal_reason("2023年农牧业保险理赔金额要达到多少？", repeated) is not None


def test_direct_answer_reads_every_asked_item_and_prefers_the_responsible_body() -> None:
    row = "序号：47；重点任务：开发商业健康保险产品；责任部门：青海银保监局；配合部门：省医保局；完成时限：12月底"
    hits = [make_hit("表：台账\n" + row, ["台账"], kind="table_row")]
    # 「何时完成」 names too little to be a part of its own, yet it asks a date
    short = extractive_answer("《开发商业健康保险产品》由谁牵头、何时完成？", hits).short_answer
    assert short is not None and short.startswith("由青海银保监局负责") and "12月底" in short
    # the assisting body shares words with the question (医保), the responsible one answers it
    assert extractive_answer("开发基本医保商业健康保险产品由谁负责？", hits).short_answer == "由青海银保监局负责[1]。"


REPEALING = "本办法自2023年1月1日起施行。《青海省城乡居民临时救助管理暂行办法》同时废止。"  # the second sentence


def test_a_question_about_a_repealed_document_is_refused() -> None:
    repealed = "该文件已废止，现有公报未收录其内容"
    hits = [make_hit(REPEALING, ["第三十条"])]
    assert refusal_reason("青海省城乡居民临时救助管理暂行办法规定的救助标准是多少？", hits) == repealed
    assert refusal_reason("哪个文件同时废止？", hits) is None  # asks about the repeal itself, which is stated
    by_number = [make_hit("本办法自2023年1月1日起施行，青政〔2015〕3号同时废止。", ["第三十条"])]
    assert refusal_reason("青政〔2015〕3号规定的救助标准是多少？", by_number) == repealed
    served = [*by_number, make_hit("救助标准为每人每月500元。", ["第三条"], doc_number="青政〔2015〕3号", rank=2)]
    assert refusal_reason("青政〔2015〕3号规定的救助标准是多少？", served) != repealed  # the corpus holds it


def test_filters_are_checked_and_read_as_sets() -> None:
    from rag.retriever import check_filters

    assert check_filters({"year": 2022, "doc_id": None, "doc_number": ["a", "b"]}) == {
        "year": {"2022"},
        "doc_number": {"a", "b"},
    }
    assert check_filters(None) == {}


@pytest.mark.parametrize(
    ("question", "clause", "title", "reason"),
    [
        (
            "2023年9月份农牧民补助资金发放了多少万元？",
            "2023年5月份，全省发放农牧民补助资金3000万元。",
            "",
            "没有9月份的内容",
        ),
        (
            "2022年上半年农牧民补助资金发放了多少万元？",
            "自2022年起，全省发放农牧民补助资金3000万元。",
            "2023年上半年农牧民补助资金发放情况",
            "只收录2023年上半年的这份文件",
        ),
        ("农牧民补助每人每月多少元？", "农牧民补助标准为500元。", "", "没有按每人每月规定的标准"),
        # money is one family (a figure in 万元 answers 「多少亿元」), a count of households is not in it
        ("农牧民补助资金是多少亿元？", "全省发放农牧民补助资金惠及3000户。", "", "没有以元计的数字"),
        ("农牧民补助资金中的草原奖补资金是多少万元？", "全省发放农牧民补助资金3000万元。", "", "没有提到草原"),
    ],
)
def test_each_refusal_check_on_a_near_miss(question: str, clause: str, title: str, reason: str) -> None:
    """Each check refuses its near miss; the clause that states what was asked is not refused (the same check)."""
    near = make_hit(clause, ["二、补助标准"], doc_title=title or "青海省测试实施方案")
    assert reason in (refusal_reason(question, [near]) or "")
    answer = extractive_answer(question, [near])
    assert not answer.answerable and not answer.citations and reason in answer.text
    assert [c.chunk_id for c in answer.see_also] == [near.chunk_id] and answer.mode == "extractive"


def test_the_clause_that_states_it_is_not_refused() -> None:
    for question, clause, title in [
        ("2023年9月份农牧民补助资金发放了多少万元？", "2023年9月份，全省发放农牧民补助资金3000万元。", ""),
        (
            "2022年上半年农牧民补助资金发放了多少万元？",
            "自2022年起，全省发放农牧民补助资金3000万元。",
            "2022年上半年农牧民补助资金发放情况",
        ),
        ("农牧民补助每人每月多少元？", "农牧民补助标准为每人每月500元。", ""),
        ("农牧民补助资金是多少亿元？", "全省发放农牧民补助资金3亿元。", ""),
    ]:
        hit = make_hit(clause, ["二、补助标准"], doc_title=title or "青海省测试实施方案")
        assert refusal_reason(question, [hit]) is None, question


def test_a_fresh_question_after_a_conversation_is_no_follow_up() -> None:
    fresh = Question.read("高原医学研究中心建设由哪些单位负责？", HISTORY)
    assert not fresh.follow_up and fresh.in_context() is fresh


def test_table_row_group_cells_and_body() -> None:
    from rag.evidence import TableRow

    row = TableRow.read("表：主要指标\n（一）产业规模\n指标：锂产业；单位：亿元；备注", ["三、发展目标", "主要指标"])
    assert (row.title, row.group) == ("主要指标", "（一）产业规模")
    assert row.cells == (("指标", "锂产业"), ("单位", "亿元"), ("", "备注"))
    assert row.body == "（一）产业规模\n指标：锂产业；单位：亿元；备注"


def test_streamed_sentences_wait_for_markers_and_flush_the_rest() -> None:
    from rag.evidence import SentenceSplitter

    splitter = SentenceSplitter()
    assert splitter.feed("比例提高至90%。") == []  # a [n] marker may still follow
    assert splitter.feed("[1]其余") == ["比例提高至90%。[1]"]
    assert splitter.flush() == ["其余"]
    assert splitter.flush() == []  # nothing left once flushed
