"""The values a quote states of the kinds a question asks (`rag.values`): a formula's factor is none of them.

Invented wording; no index."""

from __future__ import annotations

from rag.question import Question
from rag.values import stated_values, states_value, value_kinds

QUESTION = Question.read("到2025年全省绿色农房占新建农房的比例要达到多少？")


def test_a_formula_factor_states_no_value() -> None:
    # a row defining how an indicator is computed (「…×100%」) states no target of it
    formula = "【计算方法】 绿色农房数量/新建农房总量×100%"
    assert not states_value(formula, QUESTION)
    assert stated_values(formula, QUESTION, value_kinds(QUESTION)) == set()


def test_a_stated_figure_is_a_value() -> None:
    target = "到2025年，绿色农房占新建农房比例达到 45%，其中试点县达到 100%。"
    assert states_value(target, QUESTION)
    assert stated_values(target, QUESTION, value_kinds(QUESTION)) == {"45%", "100%"}
