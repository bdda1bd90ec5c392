"""Heading paths of specific clauses, across all five files and every heading style."""

from __future__ import annotations

import pytest

from index.headings import Heading, detect_heading
from index.lines import split_lines
from index.models import Corpus
from index.text import norm

# (file, a verbatim snippet of the clause, expected heading path)
CASES = [
    ("000", "10 万吨金属镁一体化等重大项目产能充分释放", ["一、总体要求", "(三)总体目标"]),
    ("000", "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大", ["一、总体要求", "(一)指导思想"]),
    (
        "000",
        "拓展钾肥应用领域",
        [
            "二、聚焦优势，构建世界领先现代产业体系",
            "(四)稳定钾，建设世界级钾产业基地",
            "专栏一 钾盐稳保障促提升工程",
        ],
    ),
    ("000", "本细则由青海省公安厅负责解释", ["第七章 附 则", "第三十条"]),
    ("000", "反拐工作实行联席会议制度", ["第一章 总 则", "第二条"]),
    ("001", "将中小微企业返还比例从企业及其职工上年度实际缴纳失业保险费的60%提高至90%", ["一、援企稳岗"]),
    ("001", "按50%的税额幅度减征资源税", ["三、减税退税"]),
    ("001", "坚持动态管理，根据省政府工作实际", ["3.坚持动态管理"]),
    (
        "002",
        "对2015年12月31日之前年满60周岁",
        ["二、重点任务和工作措施", "（二）壮大人才队伍", "11.落实老年村医保障待遇"],
    ),
    ("002", "立足防灾减灾夺丰收", ["一、抓好农牧业生产"]),
    ("003", "加强和完善市场监管，是政府职能转变的重要方向", []),
    ("003", "赛马制：允许同一个研发内容的项目", ["12.赛马制"]),
    ("003", "创新公众参与方式、模式和途径", ["第四节 营造良好氛围"]),
    ("004", "财政部门根据经批准的预算，按照国库集中支付制度有关规定", ["第三章 资金拨付和监控", "第八条"]),
    ("004", "本办法由省财政厅负责解释", ["第六章 附 则", "第十七条"]),
    (
        "004",
        "及增加财政预算资金的，由项目主管部门将发展改革部门的投资概算调整批复",
        ["第三章 资金拨付和监控", "第十一条"],
    ),
    ("004", "常务副省长李杰翔在西宁会见了国家能源集团董事长王祥喜一行", ["8月3日"]),
    ("004", "王勇同志为青海省人民政府副秘书长", []),
    ("002", "全面推行财政有效衔接资金联农带农", ["六、发挥联农带农效应"]),
    ("000", "生态优先、循环发展——立足“三个最大”省情定位", ["一、总体要求", "（二）基本原则"]),
    # decimal headings: 「3 监测与预警」 › 「3.3 预警发布与解除。」 › 「3.3.1 预警发布。」, items 1. / (4) below
    ("004", "由各市州重污染天气应急指挥部统一发布市州级预警", ["3监测与预警", "3.3预警发布与解除", "3.3.1预警发布"]),
    ("004", "减排基数应当每年核算一次", ["4应急准备", "4.3核算减排基数及应急减排比例"]),
    (
        "004",
        "当地党政机关和企事业单位公务车停驶 30%",
        ["5.3响应措施", "5.3.2Ⅱ级响应措施", "1.强制性减排措施", "(4)当地党政机关和企事业单位公务车停驶 30%"],
    ),
]


def _find(corpus: Corpus, prefix: str, snippet: str):  # type: ignore[no-untyped-def]
    want = norm(snippet)
    return [
        c for g in corpus.gazettes if g.gazette.source_file.startswith(prefix) for c in g.chunks if want in norm(c.text)
    ]


@pytest.mark.parametrize(("prefix", "snippet", "path"), CASES)
def test_heading_path(corpus: Corpus, prefix: str, snippet: str, path: list[str]) -> None:
    hits = _find(corpus, prefix, snippet)
    assert hits, f"no chunk contains {snippet!r}"
    sections = [h.section for h in hits]
    assert any(s[-len(path) :] == path if path else s == [] for s in sections), sections


def test_every_style_is_detected(corpus: Corpus) -> None:
    labels = {s for c in corpus.chunks for s in c.section}
    for style in ("第一章", "第四节", "第八条", "一、", "(一)", "（二）", "1.", "专栏一", "附件"):
        assert any(label.startswith(style) for label in labels), style


def test_long_clauses_are_split_at_sentence_ends(corpus: Corpus) -> None:
    parts = [c for c in corpus.chunks if c.parts > 1 and c.kind == "clause"]
    assert parts
    for c in parts:
        assert len(c.text) <= 600 or c.text.count("。") <= 1
        if c.part < c.parts:
            assert c.text.rstrip()[-1] in "。！？；;!?", c.text[-20:]
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for c in parts:
        groups.setdefault((c.doc_id, tuple(c.section)), []).append(c.part)
    assert all(sorted(v)[0] == 1 for v in groups.values())


@pytest.mark.parametrize(
    ("line", "label", "has_text"),
    [
        ("1 总 则", "1总则", False),
        ("3.3.1 预警发布。", "3.3.1预警发布", False),
        ("5.3.2 Ⅱ级响应措施。", "5.3.2Ⅱ级响应措施", False),
        ("1.2 编制依据。依据有关法规制定。", "1.2编制依据", True),
    ],
)
def test_decimal_headings(line: str, label: str, has_text: bool) -> None:
    heading = detect_heading(split_lines(line)[0])
    assert heading is not None and (heading.label, heading.has_text) == (label, has_text)


def test_decimal_levels_nest_by_depth_between_articles_and_items() -> None:
    lines = ("第八条 本办法", "1 总 则", "1.1 目的。", "1.1.1 依据。", "一、总体要求")
    levels = [detect_heading(split_lines(t)[0]) for t in lines]
    got = [h.level for h in levels if h is not None]
    assert got == sorted(got) and len(set(got)) == 5


@pytest.mark.parametrize("line", ["1.5亿元用于基础设施建设", "2.5万吨碳酸锂产能", "12 月底前完成", "3 个试点城镇"])
def test_figures_at_a_line_start_are_not_decimal_headings(line: str) -> None:
    assert detect_heading(split_lines(line)[0]) is None


# ---------- round 11 mutation probe: rules no test above pinned (invented lines) ----------


def test_a_bold_heading_alone_on_its_line_carries_no_text() -> None:
    """「**（三）加强草原保护。**」 alone is a bare heading (the text below it is its clause); followed by text, the
    line is a clause of its own."""
    bare = detect_heading(split_lines("**（三）加强草原保护。**")[0])
    assert bare is not None and (bare.label, bare.has_text) == ("（三）加强草原保护", False)
    full = detect_heading(split_lines("**（三）加强草原保护。**对退化草原实行禁牧。")[0])
    assert full is not None and (full.label, full.has_text) == ("（三）加强草原保护", True)


def test_a_long_line_starting_with_annex_is_prose_not_an_annex_heading() -> None:
    """An annex heading resets the heading path: a sentence that merely starts with 「附件」 must not."""
    line = "附件：" + "各地要结合实际认真组织填报冰川冻土监测站点建设进展情况统计表" * 2 + "并按时报送。"
    assert len(line) > 60
    heading = detect_heading(split_lines(line)[0])
    assert heading is None or heading.level != 0
    short = detect_heading(split_lines("附件：青海省冰川保护办法")[0])
    assert short is not None and short.level == 0


def test_a_chapter_or_column_line_that_is_a_sentence_is_prose() -> None:
    """「第三章」 or 「专栏」 at the start of a sentence (a full stop in it, or longer than a title) is no heading."""
    chapter = detect_heading(split_lines("第三章 所列补助标准按年度调整。")[0])
    assert chapter is None or chapter.level != 2.0
    column = detect_heading(
        split_lines("专栏1所列的冰川冻土监测站点由各市州人民政府按照统一部署组织建设并负责日常运行维护管理")[0]
    )
    assert column is None or column.level != 6.5
    assert detect_heading(split_lines("第三章 保障措施")[0]) == Heading(2.0, "第三章 保障措施", False)
    assert detect_heading(split_lines("专栏1 冰川监测工程")[0]) == Heading(6.5, "专栏1 冰川监测工程", False)
