"""rag.evidence: how a table row chunk is read (its group label rows, its indicator cells)."""

from __future__ import annotations

from rag.evidence import TableRow


def _row(text: str) -> TableRow:
    return TableRow.read(text, [])


def test_a_group_label_spanning_from_the_serial_column_is_a_label_a_one_column_tables_row_is_not() -> None:
    assert _row("序号：测试设施建设 (3 项)").is_label
    assert _row("编号：测试服务类 (5 项)").is_label
    # a table of one column (a list of measures) prints no serial column: each row is the table's content
    assert not _row("主要措施：测试站点三年内覆盖全部乡镇").is_label
    assert not _row("序号：4；指标：测试覆盖率；2025 年：80%").is_label


def test_the_indicator_is_named_by_the_indicator_column_not_by_the_columns_describing_it() -> None:
    row = _row(
        "序号：2；一级指标：测试服务／测试能力；二级指标：测试站点数（个）；指标属性：约束性；"
        "指标说明：按年末统计；2025 年：120"
    )
    assert row.indicator_cells == (("一级指标", "测试服务／测试能力"), ("二级指标", "测试站点数（个）"))
    assert row.indicators == ("测试能力", "测试站点数（个）")  # each without its group; the finest last
    assert _row("指标属性：预期性；2025 年：5").indicators == ()


def test_a_slash_inside_an_indicators_brackets_names_no_group() -> None:
    """「／」 sets an indicator's group before it (「产值规模／总产值」 is 总产值's row); a 「/」 inside the brackets
    closing the name abbreviates it (「(DE/GDP)」) and splits nothing."""
    spelled = "全省数字经济增加值占地区生产总值的比重 (DE/GDP)"
    row = TableRow.read(f"主要指标：{spelled}；单位：%；2025 年：10", [])
    assert row.indicators == (spelled,)
    assert TableRow.read("指标：产出规模／总产出；单位：亿元；2025 年：300", []).indicators == ("总产出",)
