"""A part asked in the A-not-A form (「能不能」, 「可否」) is a part of its own, answered by its own quote.

Invented fixtures (no bundled document, no dev gold wording)."""

from __future__ import annotations

from rag.answer import extractive_answer
from rag.question import question_parts
from tests.helpers import make_hit

_QUESTION = "养犬管理细则由哪个部门负责解释？各县能不能参照制定细则？"


def test_an_a_not_a_segment_is_a_part() -> None:
    assert question_parts(_QUESTION) == ["养犬管理细则由哪个部门负责解释", "各县能不能参照制定细则"]
    assert question_parts("养犬登记可否网上办理") == []  # one segment: one part, no split


def test_each_part_gets_its_own_quote() -> None:
    hits = [
        make_hit("第二十条 本细则由市公安局负责解释。", ["第六章 附则"], doc_title="某市养犬管理细则", rank=1),
        make_hit(
            "第十九条 各县（区）公安机关可参照本细则制定本地区实施细则，报市公安局备案。",
            ["第六章 附则"],
            doc_title="某市养犬管理细则",
            rank=2,
            line=5,
        ),
    ]
    answer = extractive_answer(_QUESTION, hits)
    assert "市公安局负责解释" in answer.text
    assert "可参照本细则制定本地区实施细则" in answer.text
