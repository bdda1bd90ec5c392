"""Openings naming who, said as a sentence (`rag.direct.as_statement`): a roster entry puts the holder's post before
the name, a body cell says the body's role by its label's verb; a responsibility aside after a task's sentence opens
the answer (`rag.direct.with_asides`). The quotes and citations stay verbatim."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answer import extractive_answer
from rag.config import DEFAULT
from rag.direct import as_statement
from rag.question import Question
from tests.helpers import make_hit

GROUP = "关于成立示例产业园区建设领导小组的通知"


@pytest.mark.parametrize(
    ("span", "unit", "said"),
    [
        (
            "组 长：甲某某 省委常委、常务副省长",
            "组 长：甲某某 省委常委、常务副省长",
            "组长为省委常委、常务副省长甲某某",
        ),
        ("召集人：乙某某", "召集人：乙某某；省长", "召集人为省长乙某某"),
        ("主任：丙 某 副省长", "主任：丙 某 副省长", "主任为副省长丙某"),
        ("牵头单位：省示例局", "序号：3；牵头单位：省示例局；责任单位：省甲厅", "由省示例局牵头"),
        ("责任单位：省甲厅、省乙厅", "责任单位：省甲厅、省乙厅", "由省甲厅、省乙厅负责"),
        (
            "承办单位：省甲厅；决策时间安排：第二季度",
            "承办单位：省甲厅；决策时间安排：第二季度",
            "由省甲厅承办；决策时间安排：第二季度",
        ),
        # the cell says the role already; a 配合 cell after a body cell says who helps; a dash says no one does
        (
            "责任单位：省甲厅牵头，各市（州）政府配合",
            "责任单位：省甲厅牵头，各市（州）政府配合",
            "由省甲厅牵头，各市（州）政府配合",
        ),
        (
            "牵头部门：省甲局；配合部门：省乙委；责任人：某某",
            "牵头部门：省甲局；配合部门：省乙委；责任人：某某",
            "由省甲局牵头，省乙委配合；责任人：某某",
        ),
        ("牵头部门：省甲局；配合部门：——", "牵头部门：省甲局；配合部门：——", "由省甲局牵头；配合部门：——"),
        # no body cell, or cells the layout ran together: as printed
        ("完成时限：2022年6月底", "完成时限：2022年6月底", "完成时限：2022年6月底"),
        (
            "牵头部门：省甲厅指导部门：某部某司",
            "牵头部门：省甲厅指导部门：某部某司",
            "牵头部门：省甲厅指导部门：某部某司",
        ),
    ],
)
def test_a_roster_entry_or_body_cell_is_said_as_a_sentence(span: str, unit: str, said: str) -> None:
    assert as_statement(span, unit, span)[0] == said


def test_a_list_cut_short_gets_no_role() -> None:
    # 「由甲、乙负责」 would say that only the bodies before the cut are responsible
    unit = "责任单位：省甲厅、省乙厅、省丙厅；完成时限：长期"
    assert as_statement("责任单位：省甲厅、省乙厅", unit, "责任单位：省甲厅、省乙厅", whole=False)[0] == (
        "责任单位：省甲厅、省乙厅"
    )
    # a body saying its role itself says it whatever follows
    unit = "责任单位：省甲厅牵头，省乙厅、省丙厅配合"
    assert as_statement("责任单位：省甲厅牵头", unit, "责任单位：省甲厅牵头", whole=False)[0] == "由省甲厅牵头"


def test_an_opening_names_bodies_in_their_role_only_when_its_list_is_whole() -> None:
    bodies = "、".join(f"省{n}示例厅" for n in "一二三四五六七八九十")  # the length limit falls inside the 9th
    row = make_hit(f"序号：1；工作任务：示例任务；责任单位：{bodies}；完成时限：长期", kind="table_row")
    answer = extractive_answer(Question.read("示例任务的责任单位有哪些？"), [row])
    assert answer.short_answer is not None and not answer.short_answer.startswith("由")
    row = make_hit("序号：1；工作任务：示例任务；责任单位：省一示例厅、省二示例厅；完成时限：长期", kind="table_row")
    answer = extractive_answer(Question.read("示例任务的责任单位有哪些？"), [row])
    assert answer.short_answer == "由省一示例厅、省二示例厅负责[1]。"


def test_a_roster_opening_says_the_post_before_the_name_and_quotes_the_entry_once() -> None:
    hits = [
        make_hit("召集人：乙某某；省长", doc_title=GROUP, kind="table_row"),
        make_hit("副召集人：丁某某；副省长", doc_title=GROUP, kind="table_row", rank=2),
    ]
    answer = extractive_answer(Question.read("示例产业园区建设领导小组召集人是谁？"), hits)
    assert answer.short_answer == "召集人为省长乙某某[1]。"
    assert answer.text.split("\n")[1:] == []  # the post is in the opening: no line 「省长」 after it
    assert answer.citations[0].quote == "召集人：乙某某；省长"  # the citation quotes the entry as printed
    off = extractive_answer(
        Question.read("示例产业园区建设领导小组召集人是谁？"), hits, cfg=replace(DEFAULT, opening_statement=False)
    )
    assert off.short_answer == "召集人：乙某某[1]。"


def test_a_body_row_opens_with_its_body_in_its_role() -> None:
    row = make_hit("序号：10；规划内容：儿童与安全；牵头单位：省示例局；责任单位：省甲厅、省乙厅", kind="table_row")
    answer = extractive_answer(Question.read("规划的儿童与安全领域由哪个部门牵头？"), [row])
    assert answer.short_answer == "由省示例局牵头[1]。"
    assert "牵头单位：省示例局" in answer.citations[0].quote


def test_a_responsibility_aside_opens_the_answer() -> None:
    # the aside holds none of the question's words, the sentence it closes does: it scores as that sentence
    text = (
        "13. 积极探索示例警民联动机制，拓宽举报途径，通过公布示例热线、完善示例信息紧急发布平台（示例系统）等方式，"
        "构建广开渠道、全民参与的示例举报机制。（责任单位：省甲厅）"
    )
    hit = make_hit(text, doc_title="示例行动实施方案")
    question = Question.read("完善示例信息紧急发布平台这件事归哪个部门负责？")
    answer = extractive_answer(question, [hit])
    assert answer.short_answer == "由省甲厅负责[1]。"
    assert "（责任单位：省甲厅）" in answer.citations[0].quote
    off = extractive_answer(question, [hit], cfg=replace(DEFAULT, opening_asides=False))
    assert off.short_answer is None


def test_是谁_after_a_bodys_noun_asks_a_body() -> None:
    assert Question.read("示例总体规划的决策承办单位是谁？").answer_type == "body"
    assert Question.read("示例改革的责任部门是谁？").answer_type == "body"
    assert Question.read("示例领导小组组长是谁？").answer_type == "person"
    row = make_hit("序号：23；事项：示例总体规划；承办单位：示例管理局；决策时间安排：第二季度", kind="table_row")
    assert extractive_answer("示例总体规划的决策承办单位是谁？", [row]).short_answer == "由示例管理局承办[1]。"
