"""The parts of a question asking several things (`rag.parts`): which quote gives a part's kind of answer, about its
period. Hand-built clauses, no index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.config import DEFAULT
from rag.evidence import Clause
from rag.parts import _gives, answers_part, part_answers, qualifier_differs
from rag.question import Part, Question
from tests.helpers import make_hit


def test_a_part_about_another_plan_period_is_not_answered() -> None:
    part = Part.read("“十三五”期间前置许可事项压减了多少")
    hit = make_hit(
        "前置许可事项由226项缩减到29项。",
        ["第一章 规划背景", "一、“十三五”市场监管成就"],
        doc_title="青海省“十四五”市场监管现代化规划",
    )
    later = make_hit("前置许可事项进一步压减。", ["第三章 主要任务"], doc_title="青海省“十四五”市场监管现代化规划")
    assert not qualifier_differs(part, Clause.read(hit), hit.text)  # its heading says 十三五: the title does not decide
    assert qualifier_differs(part, Clause.read(later), later.text)  # only the title speaks: 十四五
    dated = Part.read("2030年产值目标是多少")
    other_year = make_hit("到2025年，产值达到340亿元。")
    assert qualifier_differs(dated, Clause.read(other_year), other_year.text)
    assert not qualifier_differs(dated, Clause.read(other_year), "产值达到700亿元。")  # no year stated: open


@pytest.mark.parametrize(
    ("part", "quote", "gives"),
    [
        # 「在哪些方面/领域」, 「在哪一年」, 「在哪次会议」 ask no place: a sentence saying no 设在 may answer them
        ("示例扶持办法在哪些领域给予支持", "在技术改造、市场开拓和人才引进三个领域给予支持。", True),
        ("示例规划的中期评估定在哪一年", "2023年开展规划实施中期评估。", True),
        ("示例方案是在哪次会议上审议通过的", "经省政府第9次常务会议审议通过。", True),
        ("示例办法在哪个方面作了调整", "补助标准作了调整。", True),
        # where an office is set up or sits: only a sentence saying where
        ("示例委员会办公室在哪", "委员会办公室负责日常工作。", False),
        ("示例委员会办公室在哪", "委员会办公室设在省测试厅。", True),
        ("示例中心在哪个部门", "示例中心负责日常工作。", False),
        ("示例中心在哪里", "示例中心位于西宁市。", True),
    ],
)
def test_only_a_part_asking_where_needs_a_sentence_saying_where(part: str, quote: str, gives: bool) -> None:
    assert _gives(quote, Part.read(part)) is gives


def test_a_holder_answers_only_a_part_asking_its_own_groups_role() -> None:
    # two groups, each asked its 组长: a member list's 「组长：」 answers the part naming its group, not the other's;
    # the quote holds none of the part's words (the group's name is its document's title), the holder answers it
    question = Question.read("示例湿地保护领导小组组长是谁，示例草原防火领导小组组长是谁？")
    wetland, grassland = question.parts
    clauses = [
        Clause.read(make_hit("组长：王一 副省长", doc_title="关于成立示例湿地保护领导小组的通知")),
        Clause.read(make_hit("组长：李二 副省长", doc_title="关于成立示例草原防火领导小组的通知", rank=2)),
    ]
    weights = {b: 1.0 for p in question.parts for b in p.asked}
    first, second = clauses[0].units[0], clauses[1].units[0]
    assert answers_part(wetland, clauses[0], first, weights, DEFAULT)
    assert not answers_part(grassland, clauses[0], first, weights, DEFAULT)
    assert answers_part(grassland, clauses[1], second, weights, DEFAULT)
    assert not answers_part(wetland, clauses[1], second, weights, DEFAULT)
    # the same predicate decides which quote answers each part (earning reads this)
    assert part_answers(question, clauses) == {(0, first), (1, second)}
    # a part naming no group of its own asks any group's holder
    assert answers_part(Part.read("组长是谁"), clauses[1], second, weights, DEFAULT)


def test_part_answers_weighs_each_answering_unit_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the hold that lets a unit answer a part is the one it is ranked by: worked out once per part and unit
    import rag.parts

    calls: list[tuple[str, str]] = []
    hold = rag.parts._part_hold

    def counted(part: Part, clause: Clause, quote: str, weights: dict[str, float]) -> float:
        calls.append((part.text, quote))
        return hold(part, clause, quote, weights)

    monkeypatch.setattr(rag.parts, "_part_hold", counted)
    question = Question.read("示例园区建设由哪些单位负责，什么时候完成？")
    clauses = [Clause.read(make_hit("示例园区建设由省测试厅负责。2026年底前完成示例园区建设。"))]
    assert len(part_answers(question, clauses)) == 2  # a unit answers each part
    assert calls and len(calls) == len(set(calls))


def test_the_group_a_part_asks_is_read_with_the_part() -> None:
    # 「示例湿地保护领导小组组长是谁」 names its group; 「副组长是谁」 and 「领导小组组长是谁」 name none of their own
    assert Part.read("示例湿地保护领导小组组长是谁").group == {"示例", "例湿", "湿地", "地保", "保护"}
    assert Part.read("副组长是谁").group == frozenset()
    assert Part.read("领导小组组长是谁").group == frozenset()
    # the holder check reads the part's group, not its text again
    holder = Clause.read(make_hit("组长：王一 副省长", doc_title="关于成立示例草原防火领导小组的通知"))
    asked = replace(Part.read("组长是谁"), group=Part.read("示例湿地保护领导小组组长是谁").group)
    assert not answers_part(asked, holder, holder.units[0], {}, DEFAULT)
    assert answers_part(Part.read("组长是谁"), holder, holder.units[0], {}, DEFAULT)


def test_a_part_asks_the_group_a_question_asks_less_a_document_named_before_it() -> None:
    # 「…发展规划专家论证组」: the plan is where the group is set up, not which group (`question.group_asked`)
    text = "测试发展规划专家论证组组长是谁"
    assert Part.read(text).group == Question.read(text).group == {"专家", "家论", "论证"}
    # the group's own notice names no plan: its 组长 answers the part
    holder = Clause.read(make_hit("组长：张三 省政府副省长", doc_title="关于成立专家论证组的通知"))
    assert answers_part(Part.read(text), holder, holder.units[0], {}, DEFAULT)
