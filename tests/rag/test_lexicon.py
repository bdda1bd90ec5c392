"""The one lexicon: Chinese numerals read by cn2an (years digit by digit, 两, ranges), unit patterns."""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from index.text import norm
from rag.lexicon import chinese_number, doc_number_year, grades_in, number_range, of_other_grades, quantity_in
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零五", 105),
        ("两", 2),
        ("两百", 200),
        ("二〇二二", 2022),
        ("二零二五", 2025),
        ("三四", None),  # "three or four": a range, not thirty-four
        ("一二三", None),
        ("", None),
        ("半", None),
        ("三x", None),
    ],
)
def test_chinese_number(run: str, value: int | None) -> None:
    assert chinese_number(run) == value


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("五", (5, 5)),
        ("12", (12, 12)),
        ("三至五", (3, 5)),
        ("三到五", (3, 5)),
        ("2021—2025", (2021, 2025)),
        ("2—3", (2, 3)),
        ("三四", (3, 4)),
        ("十至二十", (10, 20)),
        ("五至三", None),
        ("若干", None),
        # found by the mutmut run (reports/mutation.md)
        ("三四五", (3, 5)),
        ("四三", None),  # descending digits are no range
        ("五至五", (5, 5)),
        ("三四至六七", (3, 7)),  # a range of approximate ranges: its outer bounds
        ("〇一", None),
        ("零一", None),
        ("一二三四", (1234, 1234)),  # four digits are a number written digit by digit, not a range
    ],
)
def test_number_range(text: str, bounds: tuple[int, int] | None) -> None:
    assert number_range(text) == bounds


def test_quantity_in_a_unit() -> None:
    assert quantity_in("亿元").search("总产值达到340亿元")
    assert quantity_in("元").search("每人每月三百元")
    assert quantity_in("次").search("每年开展2—3次")
    assert not quantity_in("次").search("第三次会议")
    # days: 「15个工作日」 and 「30日内」 are numbers of days, the day of a date is not
    assert [m.group() for m in quantity_in("天").finditer("12月31日前，15个工作日内；30日内")] == ["15个工作日", "30日"]
    assert quantity_in("元").search("每月500元")


def test_doc_number_year_is_the_bracketed_year() -> None:
    assert doc_number_year("青政办〔2022〕30号") == "2022"
    assert doc_number_year("青政〔2019〕2030号") == "2019"  # not the serial number
    assert doc_number_year(None) is None and doc_number_year("无文号") is None


@pytest.mark.parametrize("module", ["rag/lexicon.py", "index/text.py"])
def test_each_word_list_and_pattern_is_defined_once(module: str) -> None:
    """A second module-level assignment to a name silently replaces the first for every importer (two branches once
    each added a FOLLOW_ON with a different meaning): one definition per name."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    names = Counter(
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    )
    assert [name for name, n in names.items() if n > 1] == []


def test_defining_verbs_are_not_the_start_of_guiding_or_commanding() -> None:
    """「是指」 defines; 「是指导」「是指挥」 do not (one spelling for EXPLAINS and DEFINES)."""
    import re

    from rag.lexicon import DEFINES, EXPLAINS

    assert DEFINES.search("示例风险是指项目超出概算的风险") and DEFINES.search("示例区指的是西部五县")
    assert not DEFINES.search("省示例局是指导全省示例工作的部门")
    assert not re.compile("示例中心" + EXPLAINS).search("示例中心是指挥全省应急调度的机构")
    assert re.compile("示例中心" + EXPLAINS).search("示例中心是指承担应急调度的机构")


def test_grades_are_levels_and_colours_of_one_series_each() -> None:
    assert grades_in(norm("5.3.3 Ⅰ级响应措施")) == {"1"}
    assert grades_in("发布橙色、红色预警时") == {"橙色", "红色"}
    assert grades_in("当发布橙色预警时，启动II级应急响应") == {"橙色", "2"}
    assert not grades_in("橙色的标识") and not grades_in("哪一级以下政府")
    # another grade of the series asked; the asked grade among others, or another series only, is not
    assert of_other_grades(frozenset({"2"}), frozenset({"1"}))
    assert not of_other_grades(frozenset({"1", "2"}), frozenset({"1"}))
    assert not of_other_grades(frozenset({"2"}), frozenset({"橙色"}))
    assert of_other_grades(frozenset({"红色"}), frozenset({"橙色"}))
    assert not of_other_grades(frozenset(), frozenset({"1"}))
