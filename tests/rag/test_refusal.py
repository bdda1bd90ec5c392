"""Refusals on questions built for this test (not gold items): near misses refused, near answers kept."""

from __future__ import annotations

import pytest

import rag
from rag.question import measured_terms, periods_in


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("青海建设世界级盐湖产业基地行动方案对2050年锂产业产值提出了什么目标？", "2050年"),  # a year not covered
        ("省政府2023年11月份大事记记载了哪些会议？", "11月份"),  # a month with no chronicle
        ("青政〔2015〕54号公布的省政府工作部门权力清单包括哪些事项？", "废止"),  # only its repeal is printed
        ("老龄规划对养老护理员的培训补贴是每人多少元？", "每人"),  # no per-person figure
        ("青海零碳产业园区计划建设多少公里的输电线路？", "公里"),  # no figure in that unit
        ("助企纾困十条中，个体工商户的水电费补贴标准是多少？", "水电费"),  # a subsidy the measures do not name
    ],
)
def test_refuses_near_misses(service: rag.Gongbao, question: str, why: str) -> None:
    answer = service.ask(question)
    assert not answer.answerable and answer.citations == [] and answer.see_also
    assert why in answer.text  # the reason names what is missing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2022年上半年省政府重大行政决策事项目录中省司法厅承办哪些事项？", "法治政府建设"),  # the period held
        ("省政府2020年8月份大事记里8月24日开工的是什么工程？", "曹家堡机场"),  # the month held
        ("盐湖产业基地行动方案中钾资源综合回收率2030年要达到多少？", "65"),  # a table row gives the unit once
        ("助企纾困十条对专精特新“小巨人”企业奖励多少万元？", "100万元"),  # the unit asked is there
    ],
)
def test_answers_near_answers(service: rag.Gongbao, question: str, expected: str) -> None:
    answer = service.ask(question)
    assert answer.answerable and answer.citations
    assert expected in answer.text


def test_period_names_the_document_it_qualifies() -> None:
    assert periods_in("2022年上半年青海省人民政府重大行政决策事项目录") == (("2022年上半年", "青海省人"),)
    assert periods_in("青海省生态经济发展规划(2021—2025年)") == ()  # the end of a range qualifies nothing


def test_named_terms_skip_interrogatives_and_generic_nouns() -> None:
    terms = measured_terms("青海省教材委员会每年要召开几次全体会议？")
    assert "全体会议" in terms and not any("几" in t for t in terms)
    assert "比例" not in measured_terms("到2025年绿色建筑占新建建筑的比例要达到多少？")  # 「80%」 answers it
