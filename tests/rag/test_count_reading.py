"""Whether a question asks how many (a count) or points of a rate, read once (`rag.question.answer_type`, lexicon
COUNT_Q) so that every reader of the question sees the same kind. Invented wording; no index."""

from __future__ import annotations

import pytest

from rag.question import Question, answer_type
from rag.refusal import refusal_reason
from tests.helpers import make_hit


@pytest.mark.parametrize("question", ["测试县社区学校覆盖率提高了几个百分点？", "测试县入学率比上年高多少个百分点？"])
def test_points_of_a_rate_are_a_ratio_not_a_count(question: str) -> None:
    asked = Question.read(question)
    assert answer_type(question) == "ratio"
    assert [kind for kind, _, _ in asked.asked_values] == ["ratio"]
    assert not asked.counts_only


def test_a_count_naming_a_rate_is_still_a_count_a_share_does_not_answer() -> None:
    question = "测试市覆盖率达标的县一共有多少个？"
    hit = make_hit("到2025年，测试市县级社区学校覆盖率达到85%。", ["二、主要目标"], doc_title="测试市社区教育发展规划")
    assert Question.read(question).counts_only
    assert refusal_reason(question, [hit]) is not None  # 85% is how large a share, not how many counties
    counted = make_hit("测试市已有12个县覆盖率达标。", ["二、主要目标"], doc_title="测试市社区教育发展规划")
    assert refusal_reason(question, [counted]) is None
