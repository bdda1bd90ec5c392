"""Citation lookup by 文号 or (abbreviated) title, with a clause."""

from __future__ import annotations

import pytest

from index.lookup import find_clauses, find_documents, named_around, split_reference
from index.models import Corpus


def test_a_figure_is_not_a_clause_label() -> None:
    assert split_reference("盐湖方案要求2025年占比达到4.3%是多少")[2] is None
    assert split_reference("重污染天气应急预案第4.3条")[2] == "4.3"


def test_split_reference() -> None:
    assert split_reference("青政办〔2020〕64号第八条") == ("青政办〔2020〕64号", "", "第八条")
    assert split_reference("债务风险防控办法第8条讲什么") == (None, "债务风险防控办法", "第八条")
    assert split_reference("青政〔2022〕31号第四章第二条") == ("青政〔2022〕31号", "", "第四章 第二条")
    assert split_reference("反拐实施方案第四部分第（二）项") == (None, "反拐实施方案", "第四部分 （二）")


def test_words_after_the_label_are_read_as_the_clauses_name_only_when_they_are(corpus: Corpus) -> None:
    assert named_around("十条措施第三条减税退税讲了什么") == ("十条措施", "减税退税")
    # 「融资支持」 is the name of 「八、融资支持」, but what follows asks something of it: no citation
    assert find_clauses(corpus, "十条措施第8条融资支持的政策找哪个单位咨询") is None


@pytest.mark.parametrize(
    ("ref", "title_part", "section_end", "snippet"),
    [
        ("青政办〔2020〕64号第八条", "债务风险防控办法", "第八条", "及时足额办理基建项目资金拨付"),
        ("债务风险防控办法第八条讲什么", "债务风险防控办法", "第八条", "国库集中支付"),
        ("助企纾困十条第三条", "十条措施", "三、减税退税", "六税两费"),
        ("青政办 [2022] 30 号 第一条", "十条措施", "一、援企稳岗", "90%"),
        ("盐湖产业基地行动方案（三）", "盐湖产业基地行动方案", "(三)总体目标", "340"),
        # the 文号 with words of the notice's title: the clause is in the measures it issued
        ("青政办〔2022〕30号印发的十条措施第九条讲了什么？", "十条措施", "九、要素保障", "能耗总量控制"),
        # a clause path, top down: 第四章's second item, not 第一章's
        ("青政〔2022〕31号市场监管规划第四章第二条", "市场监管现代化规划", "二、落实职责分工", "长效机制"),
        ("科技创新规划第七章“三、持续加大科技创新投入”", "科技创新规划", "三、持续加大科技创新投入", "投入"),
        # 「第十五项」, 「第15条」: an item printed 「15.」 in a plan numbered that way
        ("青政办〔2023〕76号实施方案第十五项", "乡村医疗卫生体系", "15.巩固拓展脱贫攻坚成果", "大病保险"),
        ("青政办〔2023〕76号实施方案第15条", "乡村医疗卫生体系", "15.巩固拓展脱贫攻坚成果", "大病保险"),
        # 「第三十七条」: an item printed 「（三十七）」
        ("盐湖产业基地行动方案第三十七条", "盐湖产业基地行动方案", "（三十七）优化企业税收政策", "留抵退税"),
        # a decimal heading cited 「第4.3条」 / 「3.3.1节」; 「第二部分」 printed 「二、」 above the item cited
        ("重污染天气应急预案第4.3条讲了什么", "重污染天气应急预案", "4.3核算减排基数及应急减排比例", "每年核算"),
        ("青政办函〔2020〕138号3.3.1节", "重污染天气应急预案", "3.3.1预警发布", "市州级预警"),
        (
            "查一下经青政办函〔2020〕138号3.3.1节",
            "重污染天气应急预案",
            "3.3.1预警发布",
            "市州级预警",
        ),  # 经 runs into it
        # 专栏 by number, printed 「专栏1」 or 「专栏一」
        ("科技创新规划专栏17", "科技创新规划", "专栏 17 提升科研院所和高等学校科技创新能力重点任务清单", "破除"),
        ("盐湖产业基地行动方案专栏1", "盐湖产业基地行动方案", "专栏一 钾盐稳保障促提升工程", "钾肥"),
        ("公立医院高质量发展实施方案第二部分第（四）项", "公立医院高质量发展", "（四）市州级公立医院建设", "5家"),
        # 「第（二）项」: the bracketed number is the label, 第 and 项 are no part of the title
        (
            "反拐实施方案第四部分第（二）项讲了什么",
            "反对拐卖人口行动实施方案",
            "（二）依法打击拐卖人口犯罪",
            "一长三包",
        ),
        # 「第三节」 of a chapter whose sections are printed 「三、」
        ("科技创新规划第七章第三节是什么内容", "科技创新规划", "三、持续加大科技创新投入", "投入"),
        # the clause's name after its label is not read as title words
        ("十条措施第三条减税退税讲了什么", "十条措施", "三、减税退税", "六税两费"),
        # 「第五部分」 of a plan numbered 「5应急响应」: the part, not an item 「(5)」 five levels down
        ("重污染天气应急预案第五部分", "重污染天气应急预案", "5应急响应", "响应"),
        # the title matches the notice that issued the plan best; the clause is the plan's
        ("医疗卫生服务体系实施方案第20条", "完善医疗卫生服务体系的实施方案", "20.深化医疗保障制度改革", "价格"),
    ],
)
def test_lookup_finds_the_clause(corpus: Corpus, ref: str, title_part: str, section_end: str, snippet: str) -> None:
    result = find_clauses(corpus, ref)
    assert result is not None
    assert title_part in result.document.title
    assert result.chunks and all(section_end in c.section for c in result.chunks)
    assert any(snippet in c.text for c in result.chunks)


def test_lookup_of_a_document_alone_returns_the_attached_plan(corpus: Corpus) -> None:
    result = find_clauses(corpus, "青政〔2021〕54号")
    assert result is not None and result.document.doc_type == "方案" and len(result.chunks) > 50


def test_lookup_misses_are_explicit(corpus: Corpus) -> None:
    assert find_clauses(corpus, "青政办〔2019〕1号第八条") is None
    result = find_clauses(corpus, "青政办〔2020〕64号第九十九条")
    assert result is not None and result.chunks == []


def test_find_documents_prefers_the_year_named_among_equal_titles(corpus: Corpus) -> None:
    both = find_documents(corpus, None, "青海省人民政府职务任免通知")
    assert len({d.year for d in both}) > 1
    assert {d.year for d in find_documents(corpus, None, "青海省人民政府职务任免通知", frozenset({"2023"}))} == {2023}


def test_an_item_label_finds_the_table_row_it_numbers(corpus: Corpus) -> None:
    result = find_clauses(corpus, "青政办〔2022〕32号政务公开台账第（二十八）项")
    assert result is not None and result.chunks
    assert all(c.kind == "table_row" and "(二十八)" in c.text for c in result.chunks)


def test_an_arabic_item_label_is_not_a_decimal_heading(corpus: Corpus) -> None:
    # 「第3条」 of the 重污染 plan: its 「3.健康防护措施」 items, not 「3.3预警发布与解除」
    result = find_clauses(corpus, "青海省重污染天气应急预案第3条")
    assert result is not None and result.chunks
    assert all(any(s.startswith("3.健康") for s in c.section) for c in result.chunks)


def test_a_numbered_label_does_not_find_a_longer_number(corpus: Corpus) -> None:
    # the 科技创新规划 has 专栏1 … 专栏17: 「专栏1」 is the first alone; 「4.3」 is not 「4.3.1」 either
    result = find_clauses(corpus, "科技创新规划专栏1")
    assert result is not None and result.chunks
    assert all(any(s.replace(" ", "").startswith("专栏1") and not s.replace(" ", "")[3].isdigit() for s in c.section)
               for c in result.chunks)  # fmt: skip


@pytest.mark.parametrize("label", ["第11111111111111111部分", "专栏11111111111111111"])
def test_a_label_numbered_beyond_any_clause_is_a_miss_not_an_error(corpus: Corpus, label: str) -> None:
    """cn2an reads at most 16 digits: a longer label raised ValueError (a 500 at /v1/ask), now it finds nothing."""
    result = find_clauses(corpus, "青政办〔2020〕64号" + label)
    assert result is not None and result.document.doc_number == "青政办〔2020〕64号" and result.chunks == []


# ---------- round 11 mutation probe: rules no test above pinned (made-up gazettes, labels alone) ----------


def test_title_words_pick_among_the_documents_of_one_number() -> None:
    """「青政办〔2024〕5号的通知」: of the notice and the 办法 it issued (one 文号), the title words pick the notice;
    the 文号 alone gives the attached 办法 (what the notice is about)."""
    from tests.helpers import banfa_corpus

    corpus = banfa_corpus()
    notice = "青海省人民政府办公厅关于印发测试资金管理办法的通知"
    assert [d.title for d in find_documents(corpus, "青政办〔2024〕5号", "印发的通知")] == [notice]
    found = find_clauses(corpus, "青政办〔2024〕5号的通知")
    assert found is not None and found.document.title == notice
    alone = find_clauses(corpus, "青政办〔2024〕5号")
    assert alone is not None and alone.document.title == "测试资金管理办法"


def test_a_decimal_label_starts_its_own_heading_only() -> None:
    """「4.3」 starts 「4.3核算方法」, not 「4.3.1…」 (below it) nor 「4.31…」; 「8.」 not 「8.1…」."""
    from index.lookup import _label_starts

    assert _label_starts("4.3核算方法", "4.3") and _label_starts("8.加强监测", "8.")
    assert not _label_starts("4.3.1核算方法", "4.3")
    assert not _label_starts("4.31核算方法", "4.3")
    assert not _label_starts("8.1编制目的", "8.")
    assert not _label_starts("18.加强监测", "8.")
