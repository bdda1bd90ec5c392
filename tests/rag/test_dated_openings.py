"""Openings and cut rows that keep what dates their value: a yearless date's year from the title that prints it once
(`rag.direct.with_year`), a table row's deadline cell beside its figure (`rag.cuts.row_runs`)."""

from __future__ import annotations

from dataclasses import replace

from rag.answer import extractive_answer
from rag.config import DEFAULT
from rag.cuts import row_runs
from rag.direct import with_year
from rag.evidence import Clause
from rag.question import Question
from rag.values import value_kinds
from rag.verify import verify_sentence
from tests.helpers import make_hit

_ENTRY = "●8月26日 省第十三届人民代表大会第五次会议在会议中心举行。某某当选省人民政府省长。"
_ASKED = "某某是哪天在省人民代表大会会议上当选省长的？"


def _clause(text: str, title: str, section: list[str] | None = None) -> Clause:
    return Clause.read(make_hit(text, section, doc_title=title, doc_number=None))


def test_a_chronicle_entry_opens_with_the_year_its_title_prints() -> None:
    hits = [make_hit(_ENTRY, ["8月26日"], doc_title="省政府2020年8月份大事记", doc_number=None)]
    answer = extractive_answer(_ASKED, hits)
    assert answer.short_answer is not None and answer.short_answer.startswith("●2020年8月26日 ")
    assert verify_sentence(answer.short_answer, hits) is None  # the year is the cited document's own (its title)
    for c in answer.citations:  # the quotes stay verbatim
        assert all(line in _ENTRY for line in c.quote.split("\n"))
    # the knob off: the date as printed
    off = extractive_answer(_ASKED, hits, cfg=replace(DEFAULT, opening_year=False))
    assert off.short_answer is not None and off.short_answer.startswith("●8月26日 ")


def test_a_deadline_takes_the_one_year_of_a_yearly_task_list() -> None:
    row = "序号：1；重点任务：开展专项检查；责任部门：省卫生健康委；时限要求：12 月底"
    clause = _clause(row, "某省2022年综合医改重点工作任务台账")
    assert with_year("时限要求：12 月底", row, clause) == "时限要求：2022年12 月底"


def test_a_date_keeps_its_own_year_and_takes_none_it_cannot_be_sure_of() -> None:
    entry = _clause(_ENTRY, "省政府2020年8月份大事记", ["8月26日"])
    # dated already
    assert with_year("2021年8月26日 会议举行", "2021年8月26日 会议举行。", entry) == "2021年8月26日 会议举行"
    # the sentence states a year of its own: its dates are of that year, not necessarily the title's
    assert with_year("8月26日前完成", "到2021年，8月26日前完成。", entry) == "8月26日前完成"
    # a title naming a period (two years) or none gives no year
    assert with_year("8月26日", _ENTRY, _clause(_ENTRY, "某方案（2021—2035年）")) == "8月26日"
    assert with_year("8月26日", _ENTRY, _clause(_ENTRY, "省政府大事记")) == "8月26日"
    # a title naming a month dates that month's entries only
    assert with_year("9月1日", _ENTRY, entry) == "9月1日"


def test_the_opening_rows_deadline_stays_beside_its_figure() -> None:
    row = "序号：七；工程名称：实施排水工程；主要任务：在全省 33 个县城实施排水项目；牵头单位：住建；完成时限：2025 年"
    question = Question.read("排水工程覆盖多少个县城？")
    runs = row_runs(row, question, "在全省 33 个县城", value_kinds(question))
    assert "完成时限：2025 年" in runs
    # an opening stating that year already needs no deadline cell; one stating no date (「按时序完成」) is no qualifier
    dated = row.replace("在全省 33 个县城实施", "到2025年，在全省 33 个县城实施")
    assert not any("时限" in r for r in row_runs(dated, question, "到2025年，在全省 33 个县城", value_kinds(question)))
    vague = row.replace("2025 年", "按时序完成")
    assert not any("时限" in r for r in row_runs(vague, question, "在全省 33 个县城", value_kinds(question)))
    off = row_runs(row, question, "在全省 33 个县城", value_kinds(question), replace(DEFAULT, row_deadline=False))
    assert not any("时限" in r for r in off)


def test_a_yearless_quarter_takes_the_one_year_of_its_lists_title() -> None:
    row = "承办单位：省示例厅；决策时间安排：第二季度"
    listed = _clause(row, "某省2022年上半年重大行政决策事项目录")
    assert with_year(row, row, listed) == "承办单位：省示例厅；决策时间安排：2022年第二季度"
    # a title naming no single year, or a quarter dated already: as printed
    assert with_year(row, row, _clause(row, "某省重大行政决策事项目录")) == row
    dated = "决策时间安排：2023年第二季度"
    assert with_year(dated, dated, listed) == dated
