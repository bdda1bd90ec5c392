"""A bare label closed by a question mark after another question (「…提高到多少？完成时限？」) asks that value as a
part of its own, and gets its own quote: the sibling clause stating it.

Invented fixtures (no bundled document, no dev gold wording)."""

from __future__ import annotations

from rag.answer import extractive_answer
from rag.question import question_parts
from tests.helpers import make_hit

_QUESTION = "社区食堂覆盖率要提高到多少？完成时限？"


def test_a_label_closed_by_a_question_mark_is_a_part() -> None:
    assert question_parts(_QUESTION) == ["社区食堂覆盖率要提高到多少", "完成时限"]
    assert question_parts("示例中心由谁管理？办公地点？") == ["示例中心由谁管理", "办公地点"]
    # a scene-setting clause closed by a comma asks nothing; a single question is one part
    assert question_parts("为推进示例建设，覆盖率要提高到多少？") == []


def test_the_label_part_gets_the_sibling_clause_stating_it() -> None:
    section = ["二、重点任务", "（三）社区食堂建设"]
    hits = [
        make_hit(
            "1. 目标。推广社区助餐服务，城市社区食堂覆盖率提高到 60%。建立多部门共同参与的助餐服务机制。",
            [*section, "1.目标"],
            doc_title="某市养老服务实施方案",
            rank=1,
        ),
        make_hit(
            "3. 完成时限。2026 年 6 月底。",
            [*section, "3.完成时限"],
            doc_title="某市养老服务实施方案",
            rank=2,
            line=9,
        ),
    ]
    answer = extractive_answer(_QUESTION, hits)
    assert "60%" in answer.text
    assert "2026 年 6 月底" in answer.text
