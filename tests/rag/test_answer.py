"""Extractive answers through rag.load().ask: question forms, verbatim citations, refusals, lookups."""

from __future__ import annotations

import pytest

import rag
from rag.compose import question_form


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


@pytest.mark.parametrize("question", ["青海省2040年的盐湖产业产值目标是多少？", "上海市的最低工资标准是多少？"])
def test_refuses_plainly_with_see_also(service: rag.Gongbao, question: str) -> None:
    answer = service.ask(question)
    assert not answer.answerable and answer.text.startswith("现有公报中未找到")
    assert answer.citations == [] and answer.see_also


def test_unknown_mode_is_refused(service: rag.Gongbao) -> None:
    with pytest.raises(ValueError, match="mode"):
        service.ask("盐湖", mode="poetry")
