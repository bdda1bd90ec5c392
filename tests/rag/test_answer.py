"""Extractive answers through rag.load().ask: question forms, verbatim citations, refusals, lookups."""

from __future__ import annotations

from dataclasses import replace

import pytest

import rag
from index.lookup import LookupResult
from index.models import Document, SourceSpan
from rag.answer import _assemble, lookup_answer
from rag.compose import compose
from rag.config import DEFAULT
from rag.evidence import sentences
from rag.models import Citation, Hit
from rag.question import question_form, question_parts


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("稳岗返还比例提高到多少？", "number"),
        ("零碳产业园区建设由哪个部门牵头？", "responsible"),
        ("助企纾困的十条措施有哪些？", "list"),
        ("什么是赛马制？", "definition"),
    ],
)
def test_question_form(question: str, form: str) -> None:
    assert question_form(question) == form


def _quotes_are_verbatim(service: rag.Gongbao, answer: rag.models.Answer) -> None:
    for c in answer.citations:
        chunk = service.chunk(c.chunk_id)
        assert chunk is not None and c.doc_title and c.section is not None
        for sentence in c.quote.split("\n"):
            assert sentence in chunk.text.replace("表：", "")
        assert f"[{c.n}]" in answer.text


def test_number_question(service: rag.Gongbao) -> None:
    answer = service.ask("2022年助企纾困十条里稳岗返还比例提高到多少？")
    assert answer.answerable and answer.mode == "extractive"
    assert "90%" in answer.text.split("\n")[0]  # the most direct sentence leads
    assert answer.citations[0].doc_number == "青政办〔2022〕30号"
    _quotes_are_verbatim(service, answer)


def test_table_row_answer_keeps_year_and_unit(service: rag.Gongbao) -> None:
    answer = service.ask("盐湖产业基地行动方案中锂产业2030年产值目标是多少亿元？")
    assert answer.answerable
    assert "锂产业" in answer.text and "2030 年：90" in answer.text and "亿元" in answer.text
    _quotes_are_verbatim(service, answer)


def test_definition_returns_the_clause_whole(service: rag.Gongbao) -> None:
    answer = service.ask("科技创新规划里说的赛马制是什么意思？")
    assert answer.answerable and "两个以上牵头单位同时攻关" in answer.text
    _quotes_are_verbatim(service, answer)


def test_lookup_is_verbatim(service: rag.Gongbao) -> None:
    answer = service.ask("债务风险防控办法第八条讲什么")
    assert answer.mode == "lookup" and answer.citations[0].section == ["第三章 资金拨付和监控", "第八条"]
    chunk = service.chunk(answer.citations[0].chunk_id)
    assert chunk is not None and chunk.text in answer.text


def test_a_lookup_is_the_clause_after_its_heading_path_the_citation_naming_the_document() -> None:
    """The citation names the document (title, 文号): the answer is the clause, after its heading path less the
    clause's own number, which the clause opens with. With `lookup_head` the document's line first, as before."""
    span = SourceSpan(file="g.txt", line_start=5, line_end=6)
    number = "青政办〔2030〕1号"
    doc = Document(doc_id="d", gazette_key="g", title="测试办法", doc_number=number, doc_type="办法", source=span)
    clause = "第八条 主管部门应当及时拨付资金。"
    hit = Hit(
        rank=1, score=1.0, chunk_id="d-8", doc_id="d", doc_title="测试办法", doc_number="青政办〔2030〕1号",
        section=["第三章 资金拨付", "第八条"], text=clause, source=span,
    )  # fmt: skip
    found = LookupResult(document=doc, chunks=[], clause="第八条")
    answer = lookup_answer(found, [hit])
    assert answer.text == f"{clause}[1]" and answer.mode == "lookup"
    assert answer.citations[0].doc_number == "青政办〔2030〕1号" and answer.citations[0].quote == clause
    assert answer.citations[0].section == ["第三章 资金拨付", "第八条"]  # the path: shown by the citation
    with_path = lookup_answer(found, [hit], cfg=replace(DEFAULT, lookup_path=True))
    assert with_path.text == f"第三章 资金拨付：{clause}[1]"
    before = lookup_answer(found, [hit], cfg=replace(DEFAULT, lookup_head=True))
    assert before.text == f"《测试办法》（青政办〔2030〕1号）\n第三章 资金拨付 第八条：{clause}[1]"


def test_a_looked_up_clause_is_not_preceded_by_its_own_heading_printed_with_other_spaces() -> None:
    """An item opening with its heading (「11. 落实…。」 under the heading 「11.落实…」) is not preceded by that heading
    again; an item not opening with it is (its heading names it)."""
    span = SourceSpan(file="g.txt", line_start=5, line_end=6)
    doc = Document(doc_id="d", gazette_key="g", title="测试方案", doc_number=None, doc_type="方案", source=span)
    found = LookupResult(document=doc, chunks=[], clause="第11条")
    item = "11. 落实村医待遇。对退出岗位的村医给予补贴。"
    section = ["二、重点任务", "（二）壮大人才队伍", "11.落实村医待遇"]
    hit = Hit(
        rank=1, score=1.0, chunk_id="d-11", doc_id="d", doc_title="测试方案", section=section, text=item, source=span
    )
    assert lookup_answer(found, [hit]).text == f"{item}[1]"
    with_path = lookup_answer(found, [hit], cfg=replace(DEFAULT, lookup_path=True))
    assert with_path.text == f"二、重点任务 （二）壮大人才队伍：{item}[1]"
    unheaded = hit.model_copy(update={"text": "对退出岗位的村医给予补贴。"})
    assert lookup_answer(found, [unheaded]).text == "11.落实村医待遇：对退出岗位的村医给予补贴。[1]"
    other = hit.model_copy(update={"chunk_id": "d-12", "section": ["三、保障措施", "11.落实村医待遇"]})
    both = lookup_answer(found, [hit, other]).text.split("\n")  # two items of one number: the paths tell them apart
    assert both == [f"二、重点任务 （二）壮大人才队伍：{item}[1]", f"三、保障措施：{item}[2]"]
    sibling = hit.model_copy(update={"chunk_id": "d-12", "section": [*section[:-1], "12.其他"], "text": "12. 其他。"})
    assert lookup_answer(found, [hit, sibling]).text == f"{item}[1]\n12. 其他。[2]"  # one heading above both


@pytest.mark.parametrize("question", ["青海省2040年的盐湖产业产值目标是多少？", "上海市的最低工资标准是多少？"])
def test_refuses_plainly_with_see_also(service: rag.Gongbao, question: str) -> None:
    answer = service.ask(question)
    assert not answer.answerable and answer.text.startswith("现有公报中未找到")
    assert answer.citations == [] and answer.see_also


def test_unknown_mode_is_refused(service: rag.Gongbao) -> None:
    with pytest.raises(ValueError, match="mode"):
        service.ask("盐湖", mode="poetry")


# ---------- composition rules, on clauses written for the test ----------


def _hit(text: str, section: list[str], line: int, doc: str = "青政办〔2099〕1号") -> Hit:
    return Hit(
        rank=1,
        score=1.0,
        chunk_id=f"c{line}",
        doc_id="d1" if doc.endswith("1号") else "d2",
        doc_title="测试方案",
        doc_number=doc,
        section=section,
        text=text,
        source=SourceSpan(file="t.txt", line_start=line, line_end=line),
    )


def _composed(question: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
    """The composed answer without the refusal checks (these clauses are too short to pass them)."""
    direct, picked = compose(question, hits)
    text, citations, _ = _assemble(picked, hits, direct)
    return text, citations


def test_question_parts() -> None:
    assert question_parts("示范园建设由哪些单位负责，什么时候完成？") == ["示范园建设由哪些单位负责", "什么时候完成"]
    # a scene-setting clause is not a part; the items of an enumeration are
    assert question_parts("为推进示范园建设，牵头单位是谁？") == []
    assert question_parts("2030年绿地率、人均公园面积和污水处理率分别是多少？") == [
        "2030年绿地率",
        "人均公园面积",
        "污水处理率分别是多少",
    ]


def test_each_part_gets_its_sibling_clause() -> None:
    item = ["二、重点任务", "（一）示范园建设"]
    hits = [
        _hit("2. 建设任务。建设示范园，完善配套设施和服务平台。", [*item, "2.建设任务"], 10),
        _hit("4. 责任单位。省科技厅、省财政厅。", [*item, "4.责任单位"], 12),
        _hit("3. 完成时限。2026年6月底。", [*item, "3.完成时限"], 11),
        _hit("3. 完成时限。2030年12月底。", ["二、重点任务", "（二）产业园建设", "3.完成时限"], 20),
    ]
    text, _ = _composed("示范园建设由哪些单位负责，什么时候完成？", hits)
    assert "省科技厅" in text and "2026年6月底" in text
    assert "2030年12月底" not in text  # the same heading under another item answers another question


def test_list_question_quotes_the_items_under_the_heading_it_names() -> None:
    section = ["四、保障措施"]
    hits = [
        _hit("（二）强化资金保障。", [*section, "（二）强化资金保障"], 31),
        _hit("为做好示范工作，制定本方案。", [], 1),
        _hit("（一）加强组织领导。", [*section, "（一）加强组织领导"], 30),
        _hit("（三）严格督查考核。", [*section, "（三）严格督查考核"], 32),
    ]
    text, _ = _composed("测试方案的保障措施包括哪几项？", hits)
    lines = text.split("\n")
    assert [ln[:5] for ln in lines] == ["（二）强化", "（一）加强", "（三）严格"]


def test_figures_of_their_own_are_not_repeats() -> None:
    text = "到2025年，光伏装机占比达到30%。到2030年，光伏装机占比达到60%。到2035年，实现全面替代。"
    hits = [_hit(text * 1 + "另外，" + "加强配套电网建设，完善储能设施，推进多能互补。" * 6, ["一、目标"], 5)]
    text, _ = _composed("光伏装机占比要达到多少？", hits)
    assert "30%" in text and "60%" in text


def test_a_label_is_quoted_with_what_it_labels() -> None:
    text = "加强劳动保障监察，及时处理欠薪问题。（责任单位：\n省人力资源社会保障厅、省住房城乡建设厅）"
    assert sentences(text)[-1] == "（责任单位：\n省人力资源社会保障厅、省住房城乡建设厅）"


def test_a_sentence_explaining_a_quoted_term_leads() -> None:
    text = "坚持“两区联动”发展框架，推进区域协调发展。“两区”：发展东部农业区和西部牧业区。" + "强化规划引领。" * 30
    hits = [_hit(text, ["一、布局"], 3)]
    text, _ = _composed("“两区联动”里的“两区”指哪两个区？", hits)
    assert text.startswith("“两区”：发展东部农业区和西部牧业区。")


def test_a_gloss_in_brackets_after_a_quoted_term_explains_it() -> None:
    # the first hit names the term only; the second glosses it in brackets right after the quoted term
    named = _hit("落实“三个统一”要求，加快推进平台建设，提升政务服务水平。", ["一、任务"], 3)
    glossed = _hit(
        "落实“三个统一”（统一标准、统一平台、统一管理），推进数据共享。", ["二、措施"], 9, "青政办〔2099〕2号"
    )
    text, citations = _composed("“三个统一”具体指什么？", [named, glossed])
    assert text.startswith("落实“三个统一”（统一标准") and citations[0].doc_number == "青政办〔2099〕2号"
    # a bracket that only abbreviates explains nothing
    abbreviated = _hit("落实“三个统一”（以下简称统一要求），推进数据共享。", ["二、措施"], 9, "青政办〔2099〕2号")
    text, _ = _composed("“三个统一”具体指什么？", [named, abbreviated])
    assert text.startswith("落实“三个统一”要求")


def test_several_quotes_of_one_clause_stay_verbatim_in_the_citation() -> None:
    text = "到2025年，绿地率达到40%。加强养护管理。\n到2030年，绿地率达到45%。" + "完善设施。" * 60
    _, citations = _composed("绿地率要达到多少？", [_hit(text, ["一、目标"], 2)])
    quote = citations[0].quote
    assert "40%" in quote and "45%" in quote
    assert all(piece in text for piece in quote.split("\n"))


def test_multi_part_answer_on_the_corpus(service: rag.Gongbao) -> None:
    answer = service.ask("国家区域医疗中心建设的责任单位是哪些？完成时限是什么时候？")
    assert "领导小组各成员单位" in answer.text and "2025年12月底" in answer.text
    _quotes_are_verbatim(service, answer)


def test_roster_rows_answer_who(service: rag.Gongbao) -> None:
    answer = service.ask("荒漠化综合防治协调机制的副召集人是谁？")
    assert "刘涛" in answer.text and "李晓南" in answer.text
    _quotes_are_verbatim(service, answer)
