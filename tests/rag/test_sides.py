"""A comparison is read into its two sides; each is searched on its own and gets a quote of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest

import rag
from rag import question as question_module
from rag.answer import extractive_answer
from rag.comparison import side_documents
from rag.evidence import read_clauses
from rag.question import Question, comparison_sides
from rag.retriever import Retriever
from rag.values import value_kinds
from tests.helpers import make_hit


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("到2025年，城镇和农村的自来水普及率分别要到多少？", ("城镇", "农村")),
        ("2025年粮食产量目标，农业规划和乡村振兴规划各定了多少？", ("农业规划", "乡村振兴规划")),
        ("医师数的目标，卫生规划和2022年医改台账说法一致吗？", ("卫生规划", "2022年医改台账")),
        # the left side is as many words as the right one; the rest of the run qualifies both
        ("对三级医院设立康复医学科和老年医学科的比例目标分别是多少？", ("康复医学科", "老年医学科")),
        # a year's 的 stays inside the side it dates, on either side of the join
        ("2021年的卫生规划和2023年的卫生方案一样吗？", ("2021年的卫生规划", "2023年的卫生方案")),
        ("床位数，2021年的卫生规划和2023年的卫生方案要求一样吗？", ("2021年的卫生规划", "2023年的卫生方案要求")),
        # a side before the join naming a document whole is the whole run, whatever the other side says after
        ("粮食产量，农业农村现代化规划和乡村方案要求一样吗？", ("农业农村现代化规划", "乡村方案要求")),
        # a 文号 and a quoted name are kept whole (jieba cuts them at their brackets and quotes)
        ("床位数，青政办〔2020〕31号和青政〔2022〕8号各定了多少？", ("青政办〔2020〕31号", "青政〔2022〕8号")),
        ("草原“两保”工程协调机制和防汛领导小组的办公室分别设在哪？", ("草原“两保”工程协调机制", "防汛领导小组")),
        ("评上星级和星级“领跑者”的合作社补助分别是多少？", ("星级", "星级“领跑者”")),
        # a count of the sides ends the right side: what follows it names both
        ("农业和林业两个“十四五”规划对植被覆盖率分别定了多少？", ("农业", "林业")),
        ("农业规划和乡村振兴规划对粮食产量的目标有什么区别？", ("农业规划", "乡村振兴规划")),
        # whether two figures agree is a comparison too; 跟 joins two sides where no other join does, and is a
        # preposition where one does (「跟部委联合印发」)
        ("粮食产量，农业规划和乡村振兴规划的数字对得上吗？", ("农业规划", "乡村振兴规划")),
        ("粮食产量，农业规划和乡村振兴规划的数字是否相符", ("农业规划", "乡村振兴规划")),
        ("粮食产量目标，农业规划跟乡村振兴规划说法一致吗", ("农业规划", "乡村振兴规划")),
        ("农业规划和乡村振兴规划都是省政府跟部委联合印发的吗？分别是哪个部委？", ("农业规划", "乡村振兴规划")),
        # (debts14) other documents, other figures: 对得上 and 跟 are not the words of one item
        ("生态保护规划和林草发展规划的森林覆盖率对得上吗？", ("生态保护规划", "林草发展规划")),
        ("交通规划跟能源规划的充电桩数字对得上么", ("交通规划", "能源规划")),
        ("盐湖方案跟生态经济规划的产值目标是否相符？", ("盐湖方案", "生态经济规划")),
        # the sides named in the segment before the comparing one
        ("农业规划和乡村振兴规划，对粮食产量各定了什么目标？", ("农业规划", "乡村振兴规划")),
        # a comparing verb before the sides; a document named whole ends its side (jieba's 「对村」 notwithstanding)
        ("比较一下农业规划和乡村振兴实施方案对村卫生室的要求", ("农业规划", "乡村振兴实施方案")),
        # a side naming a whole group or document: the other side is the whole run before the join
        ("城镇建设领导小组与教材委员会的办公室分别设在哪里？", ("城镇建设领导小组", "教材委员会")),
        # 同一 asking whether two things share one day or meeting
        ("农业规划和乡村振兴方案是否在同一天印发？", ("农业规划", "乡村振兴方案")),
        ("农业规划与乡村振兴方案同一次会议通过的吗？", ("农业规划", "乡村振兴方案")),
        ("请对比农业规划和乡村振兴方案的粮食目标", ("农业规划", "乡村振兴方案")),
        ("农业规划和乡村振兴方案比较，哪个目标更高？", ("农业规划", "乡村振兴方案")),
        # a word after a document named whole ends its side though it is no side-ending word (「中央财政」)
        ("比较一下农业规划和乡村振兴方案中央财政补助的要求", ("农业规划", "乡村振兴方案")),
        ("农户和中小企业的补贴标准分别是多少？", ("农户", "中小企业")),  # only after a whole title
    ],
)
def test_a_comparison_is_read_into_its_two_sides(question: str, sides: tuple[str, str]) -> None:
    assert tuple(s.words for s in comparison_sides(question)) == sides


@pytest.mark.parametrize(
    "question",
    [
        "2021年3月和2022年5月的工作简报中，主任分别是谁？",  # times alone: left to the year checks
        "城镇自来水普及率2025年要到多少？",
        "领导小组和办公室的职责是什么？",
        "各市州的目标是什么？",
        # a multi-part question naming a document in each part: the later part asks something new of its own
        "2023年全省在供暖热线上有什么安排？为民办实事方案设立的热线提供什么服务、谁负责，营商环境台账又要求热线平台什么时候建成？",
        # adverbial 比较 (「rather」), 差异化 (「differentiated」) and 同一 not asking whether two things are the same
        "小微企业比较关心的税收和社保政策有哪些？",
        "企业和个人申请补贴的差异化政策有哪些？",
        "稳岗返还和留工培训补助对同一企业有什么限制？",
        # 相符/对不上 in a condition, not asked (「…不相符的，怎么处理」)
        "申报信息与实际情况不相符的，如何处理？",
        "补贴发放跟实际人数对不上怎么办？",
        # 跟 as a preposition: the side after it names no document or group whole
        "企业跟高校合作的项目补贴比例一样吗",
        "这个办法跟以前的规定相比有哪些变化",
        # (debts14) 对不上 in a condition, 跟 as a preposition or inside a word
        "登记信息对不上时由哪个部门核实",
        "企业跟银行签订贷款合同需要什么材料",
        "省政府跟国家部委联合印发了哪些文件",
        "外地游客跟团旅游有什么补贴",
    ],
)
def test_a_question_comparing_nothing_has_no_sides(question: str) -> None:
    assert comparison_sides(question) == ()


def test_each_side_is_asked_without_the_other() -> None:
    left, right = comparison_sides("2025年粮食产量目标，农业规划和乡村振兴规划各定了多少？")
    assert left.query == "2025年粮食产量目标，农业规划各定了多少？"
    assert right.query == "2025年粮食产量目标，乡村振兴规划各定了多少？"


def test_sides_named_before_the_comparing_segment_are_asked_with_it() -> None:
    left, right = comparison_sides("农业规划和乡村振兴规划，对粮食产量各定了什么目标？")
    assert left.query == "农业规划，对粮食产量各定了什么目标？"
    assert right.query == "乡村振兴规划，对粮食产量各定了什么目标？"


def test_each_side_gets_a_quote_stating_a_value() -> None:
    # the second side's figure is in another document, lower down: a stray quote of another document is not taken
    # for an aspect, but a side of the comparison is answered by its own document
    farm = {"doc_title": "青海省农业规划", "doc_number": "青政〔2021〕1号"}
    village = {"doc_title": "青海省乡村振兴规划", "doc_number": "青政〔2021〕2号"}
    hits = [
        make_hit("到2025年，全省粮食产量稳定在110万吨以上。", **farm),  # type: ignore[arg-type]
        make_hit("粮食产量目标任务分解落实到各市州。", **farm, rank=2),  # type: ignore[arg-type]
        make_hit("粮食产量目标纳入乡村振兴考核。", **village, rank=3),  # type: ignore[arg-type]
        make_hit("全省粮食产量达到112万吨。", **village, rank=4),  # type: ignore[arg-type]
    ]
    answer = extractive_answer(Question.read("2025年粮食产量目标，农业规划和乡村振兴规划各定了多少？"), hits)
    assert "110万吨" in answer.text and "112万吨" in answer.text
    assert "纳入乡村振兴考核" not in answer.text  # of the side, but states no figure


def test_each_side_is_searched_on_its_own(service: rag.Gongbao) -> None:
    question = service.retriever.resolve("到2025年，每千人口医疗卫生机构床位数和每万人口全科医生数分别是多少？")
    whole_only = Retriever(  # the question searched whole only
        service.retriever.store, service.retriever.embedder, replace(service.retriever.config, side_weight=0)
    )
    # each side's own search brings candidates the question whole does not
    with_sides = {i for i, _ in service.retriever.rank(question, k=50)}
    assert with_sides - {i for i, _ in whole_only.rank(question, k=50)}
    said = " ".join(h.text for h in service.retriever.search(question, k=2))
    assert "每千人口医疗卫生机构床位数" in said and "每万人口全科医生数" in said


FRUIT = {"doc_title": "建设示例高原林果产业基地行动方案", "doc_number": "青政〔2019〕31号"}
FOREST = {"doc_title": "示例省林下经济发展规划", "doc_number": "青政办〔2019〕88号"}
ROWS_QUESTION = "林果产业总产值到2030年要达到多少，林下经济规划和林果产业基地行动方案的说法各是什么？"


def _rows() -> list:
    row = "table_row"
    return [
        make_hit("指标：产值规模／总产值；单位：亿元；2030 年：260", kind=row, **FRUIT),  # type: ignore[arg-type]
        # another indicator of the plan, ranked above the one asked: it shares 「业总产值」 with the question
        make_hit("指标：林产品加工产值与林业总产值比；单位：—；2030 年：1.8 : 1", kind=row, rank=2, **FOREST),  # type: ignore[arg-type]
        make_hit("指标：产值规模／核桃产业；单位：亿元；2030 年：45", kind=row, rank=3, **FRUIT),  # type: ignore[arg-type]
        make_hit("指标：产值规模／花椒产业；单位：亿元；2030 年：120", kind=row, rank=4, **FRUIT),  # type: ignore[arg-type]
        make_hit("指标：总产值；单位：亿元；2019 年：131.6；2030 年：275", kind=row, rank=5, **FOREST),  # type: ignore[arg-type]
    ]


def test_each_side_names_its_own_document_by_its_title() -> None:
    clauses = read_clauses(_rows())
    assert side_documents(Question.read(ROWS_QUESTION), clauses) == ["青政办〔2019〕88号", "青政〔2019〕31号"]
    # sides naming no title (two indicators of one plan) name no document
    question = Question.read("核桃产业和花椒产业到2030年的产值分别要达到多少？")
    assert question.sides and side_documents(question, clauses) == [None, None]


def test_a_sides_document_is_quoted_by_the_row_of_the_indicator_asked() -> None:
    # the plan's own 总产值 row, not the higher-ranked row of another indicator stating some figure
    answer = extractive_answer(Question.read(ROWS_QUESTION), _rows())
    assert "260" in answer.text and "275" in answer.text
    assert "1.8 : 1" not in answer.text


def test_an_untyped_comparison_quotes_each_sides_document_by_what_the_side_asks() -> None:
    # 「…说法一致吗」 asks no typed value; the 林下 plan's first-ranked sentence says nothing of 总产值, its 总产值 row
    # ranks last: each side still gets its own document's quote of what is compared
    question = Question.read("2030年林果产业总产值，林下经济规划和林果产业基地行动方案的说法一致吗？")
    assert question.sides and not value_kinds(question)
    row = "table_row"
    hits = [
        make_hit("指标：产值规模／总产值；单位：亿元；2030 年：260", kind=row, **FRUIT),  # type: ignore[arg-type]
        make_hit("到2030年，林果产业和林下经济产业规模持续扩大，林下经济规划的目标全面实现。", rank=2, **FOREST),
        make_hit("指标：产值规模／核桃产业；单位：亿元；2030 年：45", kind=row, rank=3, **FRUIT),  # type: ignore[arg-type]
        make_hit("指标：总产值；单位：亿元；2019 年：131.6；2030 年：275", kind=row, rank=4, **FOREST),  # type: ignore[arg-type]
    ]
    answer = extractive_answer(question, hits)
    assert "260" in answer.text and "275" in answer.text


def test_a_second_question_naming_another_document_is_the_other_side() -> None:
    left, right = comparison_sides("农业规划中的粮食产量目标是多少？乡村振兴方案中又是多少？")
    assert (left.words, right.words) == ("农业规划", "乡村振兴方案")
    assert right.query == "乡村振兴方案中的粮食产量目标是多少？"
    assert comparison_sides("农业规划中的粮食产量目标是多少？什么时候完成呢？") == ()
    left, right = comparison_sides("农业规划对粮食产量提了什么目标？那乡村振兴方案呢？")
    assert (left.words, right.words) == ("农业规划", "乡村振兴方案")
    # the other side is the document named last before the follow-on question, in the words around it
    left, right = comparison_sides("林业规划提到粮食吗？农业规划中的粮食产量目标是多少？乡村振兴方案中又是多少？")
    assert (left.words, right.words) == ("农业规划", "乡村振兴方案")
    assert right.query == "林业规划提到粮食吗？乡村振兴方案中的粮食产量目标是多少？"


def test_a_long_run_of_follow_on_questions_is_read_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # each follow-on segment once looked for documents in all the text before it; the 2,000-character limit
    # then cost ~0.1 s a question. Counted, not timed: the segments scanned for document names
    calls = 0
    real = question_module.DOCUMENT_NAMED

    class Counting:
        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            nonlocal calls
            calls += 1
            return real.finditer(text)

    monkeypatch.setattr(question_module, "DOCUMENT_NAMED", Counting())
    question = "农业方案的目标是多少？" + "农业方案中又是多少？" * 50  # the same document: no sides, every segment read
    assert comparison_sides(question) == ()
    assert calls <= question.count("？") + 1  # once a segment


def test_years_naming_each_side_are_not_asked_of_every_sentence() -> None:
    # 「2021年…要点和2023年…方案分别定的多少」: each year names one side's document; no sentence answering one side
    # holds the other's year, so neither is required of every sentence (the question was refused)
    question = Question.read("粮食产量，2021年农业要点和2023年乡村振兴方案分别定的多少？")
    assert question.target_years == frozenset()
    assert Question.read("2021年和2023年的粮食产量目标分别是多少？").target_years == {"2021", "2023"}
    hits = [
        make_hit("全年粮食产量稳定在110万吨以上。", doc_title="青海省2021年农业工作要点", doc_number=None),
        make_hit(
            "到2025年，粮食产量达到120万吨。",
            doc_title="青海省乡村振兴实施方案",
            doc_number="青政〔2023〕9号",
            rank=2,
        ),
    ]
    answer = extractive_answer(question, hits)
    assert answer.answerable and "110万吨" in answer.text and "120万吨" in answer.text
