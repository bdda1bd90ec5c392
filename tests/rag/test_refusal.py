"""Refusals on questions built for this test (not gold items): near misses refused, near answers kept."""

from __future__ import annotations

import dataclasses

import pytest

import rag
from index.names import Naming
from index.text import norm
from rag.answer import extractive_answer
from rag.evidence import names_body, names_body_in_role, read_clauses
from rag.lexicon import ASKED_UNIT, grades_in, quantity_in, shortened_forms
from rag.question import (
    Question,
    answer_type,
    asked_values,
    group_asked,
    indicator_target,
    measured_head,
    measured_terms,
    naming_words,
    periods_in,
)
from rag.refusal import holds, refusal_reason, unquoted_reason
from tests.helpers import make_hit


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


# ---------- typed answerability (made-up clauses: each rule on its own near miss and near answer) ----------

_SUBSIDY = "二、支持措施"


def _refused(question: str, *clauses: tuple[str, list[str]] | str, title: str = "青海省测试实施方案") -> str | None:
    hits = [
        make_hit(c, [_SUBSIDY], doc_title=title, rank=i + 1)
        if isinstance(c, str)
        else make_hit(c[0], c[1], rank=i + 1, kind="table_row")
        for i, c in enumerate(clauses)
    ]
    return refusal_reason(question, hits)


def test_a_figure_answers_only_with_the_noun_it_is_of_in_its_sentence() -> None:
    question = "测试委员会每年召开几次全体会议？"
    # the meeting in one clause, a figure in another: pooled, they made an answer
    pooled = ("测试委员会委员每年集中培训2次。", "测试委员会的全体会议研究重大事项。")
    assert _refused(question, *pooled)
    assert _refused(question, "测试委员会每年召开2次全体会议，研究重大事项。") is None


def test_the_word_a_figure_is_of_must_be_its_own() -> None:
    assert measured_head("红色预警时企业停产比例是多少") == "停产"
    assert measured_head("前置许可事项压减了多少") == "事项"  # the verb before 多少 is the predicate
    assert measured_head("要新建多少个地震监测台站") == "台站"
    clause = "红色预警期间，企业停产限产措施按清单执行。相关污染物应急减排比例达到30%以上。"
    assert _refused("红色预警时企业停产比例是多少？", clause)  # 30% is the share of a reduction, not of 停产
    assert _refused("红色预警时企业减排比例是多少？", clause) is None


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("测试方案对低保对象的补贴金额是多少？", "对低保对象的补助标准为每人每月300元。"),  # near-synonym and type noun
        ("测试方案要求乡镇卫生院的诊疗完成比例是多少？", "乡镇卫生院诊疗任务完成率达到85%。"),  # 比例 answered by a %
        ("测试方案规定的申请答复期限是多少天？", "受理申请后应在15个工作日内答复。"),  # 天 family: 工作日
        ("测试方案要求二甲医院覆盖率达到多少？", "二级甲等医院覆盖率达到90%。"),  # an abbreviation
        (
            "测试方案中三级医疗机构的药品占比是多少？",
            "三、二、一级医疗机构药品占比不低于25%、47%、50%。",
        ),  # coordinated
        ("测试方案对农牧民补助资金是多少亿元？", "全省发放农牧民补助资金3000万元。"),  # money is one family
        ("测试方案对困难群众的补助是每人多少元？", "困难群众补助标准人均200元。"),  # a rate's denominator as 人均
        ("测试方案要求多久报送一次进展？", "试点地区每季度末报送试点工作进展情况。"),  # a frequency
    ],
)
def test_measured_nouns_units_and_rates_are_soft(question: str, clause: str) -> None:
    assert _refused(question, clause) is None, question


def test_a_unit_given_once_in_the_indicators_bracket_or_cell() -> None:
    row = ("序号：3；主要指标：每万人口急救车数量（辆）；2025 年目标：0.7；2020 年：0.62", ["主要指标"])
    assert _refused("到2025年每万人口急救车数量要达到多少辆？", row) is None
    assert _refused("到2025年每万人口急救车数量要达到多少张？", row)
    # a clause cut at its semicolons: the unit cell heads the figures after it
    assert _refused("测试产业2025年产值要达到多少亿元？", "测试产业：单位：亿元；2025 年产值：340。") is None


def test_the_asked_year_or_plan_must_head_the_sentence() -> None:
    clause = "到2025年，测试产业产值达到340亿元。到2030年，建成世界级测试产业基地。"
    assert _refused("到2030年测试产业产值要达到多少？", clause)  # 2030 comes after the figure, of another thing
    assert _refused("到2025年测试产业产值要达到多少？", clause) is None
    plan = "“十四五”末全省养老机构护理型床位占比达到60%。"
    assert _refused("到2025年养老机构护理型床位占比要达到多少？", plan) is None  # 十四五 ends in 2025
    review = ("序号：3；主要指标：每千名老人养老床位数（张）；“十三五”省目标值：35；完成值：35", ["主要指标"])
    assert _refused("“十四五”每千名老人养老床位数的目标是多少张？", review)  # the figure is 十三五's


def test_a_heading_number_is_no_figure() -> None:
    assert _refused("测试预案中企业停产比例是多少？", "5.2 企业停产响应程序。")
    assert _refused("测试预案中企业停产比例是多少？", "（3）企业停产比例。") is not None


def test_a_property_of_a_document_the_gazettes_only_mention_is_refused() -> None:
    mention = "贯彻落实《青海省测试条例》，优化营商环境。"
    reason = _refused("《青海省测试条例》是哪天起施行的？", mention, title="青海省测试规划")
    assert reason and "只提到《青海省测试条例》" in reason


def test_a_quoted_title_that_names_a_corpus_document_is_not_only_mentioned() -> None:
    """A user's 《》 title resolved to a corpus document (`Question.named`, how "quoted") is in the gazettes, even
    when the retrieved clauses' titles do not hold the user's wording of it."""
    question = rag.Question.read("《青海省测试条例》是哪天起施行的？")
    mention = make_hit("贯彻落实《青海省测试条例》，优化营商环境。", [_SUBSIDY], doc_title="青海省测试规划")
    assert "只提到" in (refusal_reason(question, [mention]) or "")
    named = Naming(words="青海省测试条例", doc_ids=("d-law",), how="quoted", weight=10.0)
    resolved = dataclasses.replace(question, named=(named,))
    assert "只提到" not in (refusal_reason(resolved, [mention]) or "")
    assert (
        _refused("《青海省测试条例》是哪天起施行的？", "本条例自2023年1月1日起施行。", title="青海省测试条例") is None
    )


def test_document_names_and_places_in_them_are_not_what_is_measured() -> None:
    assert naming_words("生态经济规划和盐湖产业基地行动方案各定了多少") == ()
    assert "部分" not in naming_words("综合医改任务第三部分第（七）项的试点一共涉及多少家医院")
    assert "参政" in naming_words("妇女发展规划提出的女性参政比例目标是多少")


def test_a_segment_that_only_asks_borrows_the_words_of_the_one_before() -> None:
    (kind, words, head), *_ = asked_values("测试付费的医保基金支出占比，2023年要达到多少？")
    assert kind == "ratio" and "医保" in words and head
    assert asked_values("测试工作何时完成？") == (("date", (), None),)  # a time: its words are not required


def test_a_role_named_only_for_another_body_is_refused() -> None:
    question = "青海省测试产业联席会议的召集人是谁？"
    roster = ["二、组成人员"]
    other = ("召集人：张三，省长。", "青海省人民政府办公厅关于建立青海省荒漠化防治联席会议制度的通知")
    own = ("召集人：李四，副省长。", "青海省人民政府办公厅关于建立青海省测试产业联席会议制度的通知")
    rules = ("联席会议每年召开一次全体会议。", own[1])
    deputy = ("副召集人：王五，副省长。", other[1])

    def hits(*clauses: tuple[str, str]) -> list[rag.Hit]:
        return [make_hit(t, roster, doc_title=d, rank=i + 1) for i, (t, d) in enumerate(clauses)]

    assert "其他机构的召集人" in (refusal_reason(question, hits(other)) or "")
    assert refusal_reason(question, hits(other, own)) is None  # its own roster is among the hits
    # no sentence names the role: retrieval may have missed the roster, so nothing is concluded
    assert refusal_reason(question, hits(rules)) is None
    assert refusal_reason(question, hits(deputy, rules)) is None  # a deputy's role is not the one asked


def test_a_figure_the_question_names_its_subject_with_must_be_held() -> None:
    question = "测试热线12345受理的投诉一般多少个工作日内办结？"
    # the same words without 12345: a time limit of the service in general, or of another line
    assert _refused(question, "测试热线受理的投诉一般在3个工作日内办结。")
    assert _refused(question, "12345测试热线受理的投诉一般在5个工作日内办结。") is None
    # the figure may head the clause, and a count in words (「两个」) qualifies nothing
    assert _refused(question, "建设12345测试热线。热线受理的投诉一般在5个工作日内办结。") is None
    assert _refused("两个测试方案对投诉办结时限分别是多少个工作日？", "投诉一般在5个工作日内办结。") is None
    # a date or a place in a document is no qualifier of the subject
    dated = "测试热线2023年8月受理的投诉一般多少个工作日内办结？"
    assert _refused(dated, "2023年测试热线受理的投诉在5个工作日内办结。") is None


def test_a_figure_asked_beside_a_body_is_checked_on_the_pooled_clauses() -> None:
    """A question asking who is responsible and a figure is read as a body question, which the typed check does not
    read: the measured nouns must then be named by some relevant clause (soft, see `holds`)."""
    question = "测试方案中草原奖补资金暂退比例维持多少？这项政策谁牵头？"
    assert "草原" in (_refused(question, "旅行社质保金暂退比例维持100%（牵头单位：省文化和旅游厅）。") or "")
    assert _refused(question, "草原奖补资金暂退比例维持100%（牵头单位：省文化和旅游厅）。") is None


def test_a_figure_asked_of_a_named_document_comes_from_it() -> None:
    question = "测试产业发展规划提出到2025年接待游客要达到多少万人次？"
    clause = "到2025年，全省接待游客达到8100万人次。"
    assert _refused(question, clause, title="青海省关于推动服务业高质量发展的实施意见")  # another document's figure
    assert _refused(question, clause, title="青海省测试产业发展规划（2021—2025年）") is None
    # a 《》 title may be what is asked about, not where: it restricts nothing
    asked_about = "《青海省测试产业发展规划》在清单里要求什么时候出台？"
    assert _refused(asked_about, "出台《青海省测试产业发展规划》。时限要求：2022年6月底前。") is None


def test_a_typed_questions_asked_nouns_are_checked_on_the_pooled_clauses_too() -> None:
    """A noun of a typed question that no relevant clause names is missing even when the typed check, which only
    demands the rare ones in the answering sentence, would pass (the noun is in a clause too far off to count)."""
    subsidy = make_hit("对农牧户的补助资金为3000万元。", [_SUBSIDY], rank=1)
    elsewhere = make_hit("加强草原保护，严禁超载放牧。", ["三、保护措施"], rank=2)
    assert "没有提到草原" in (refusal_reason("测试方案对草原牧户的补助资金是多少万元？", [subsidy, elsewhere]) or "")
    # a noun after 等 names the category of what it follows: the clause lists the members instead
    question = "测试预案中二氧化硫等污染物的减排比例是多少？"
    listed = make_hit("二氧化硫、氮氧化物的减排比例达到10%以上。", ["二、减排措施"], doc_title="青海省测试预案")
    off = [
        make_hit(t, ["一、总体要求"], doc_title="青海省其他规定", rank=i + 2)
        for i, t in enumerate(["禁止露天焚烧污染物。", "污染物不得随意倾倒。"])
    ]
    assert refusal_reason(question, [listed, *off]) is None


def test_the_relevance_floor_is_for_unrelated_questions_only() -> None:
    """A colloquial question shares few bigrams with the clause that answers it (here a fifth): the floor leaves it
    to the typed checks; a question about something the clause does not speak of is still under it."""
    clause = "省直部门办公用房基本建设项目资金优先通过部门预算安排。"
    assert _refused("省直单位盖办公楼的钱优先从哪里出？", clause) is None
    assert "关联度低" in (_refused("上海市地铁票价是多少钱？", clause) or "")


def test_a_premise_figure_and_listed_years_qualify_nothing() -> None:
    # a figure stated as the question's premise is given, not asked about; years listed without 年 are years
    premise = "测试规划说到2025年测试人口将达82万左右，那测试床位数要控制在多少张以内？"
    assert _refused(premise, "到2025年，测试床位数控制在26000张以内。") is None
    listed = "2025、2030年测试热线投诉分别要在多少个工作日内办结？"
    assert _refused(listed, "2025年和2030年测试热线投诉分别在5个和3个工作日内办结。") is None


def test_the_agent_suffix_is_a_near_synonym() -> None:
    assert holds("参保者", "符合条件的参保人员年龄上限放宽到60岁。")  # 者 for 人员
    assert not holds("参保者", "符合条件的企业年龄上限放宽到60岁。")
    assert not holds("参保人数", "参保者应当按时足额缴费。")  # a count asked: naming the people holds no count


def test_actual_and_specific_name_nothing_measured() -> None:
    """「实际完成值」, 「具体标准」: the value asked is the 完成值, the 标准; 「实际」, 「具体」 name nothing a
    sentence must hold (a table's 「完成值」 column is the actual value)."""
    assert "实际" not in naming_words("测试机构占比的实际完成值是多少")
    row = ("序号：1；主要指标：测试机构占比 (%)；“十三五”省目标值：≤50；完成值：48", ["主要指标"])
    assert _refused("“十三五”测试机构占比的实际完成值是多少？", row) is None


def test_the_years_naming_the_compared_documents_date_their_clauses_not_one_sentence() -> None:
    # made-up documents: each side of the comparison names its document by its year; each document's title dates it
    question = "测试产业收入占比，2022年测试产业任务和2023年测试服务体系方案分别定的多少？"

    def hit(text: str, title: str, number: str, rank: int) -> rag.Hit:
        return make_hit(text, ["二、主要任务"], doc_title=title, doc_number=number, rank=rank)

    tasks, plan = "青海省2022年测试产业重点工作任务", "关于2023年完善测试服务体系的实施方案"
    stated = hit("（十七）推进改革。测试产业收入占收入的比例达到35%以上。", tasks, "青政办函〔2022〕58号", 1)
    unstated = hit("（十七）推进改革。测试产业收入结构持续优化。", tasks, "青政办函〔2022〕58号", 1)
    other = hit("20.深化改革。支持测试产业优化收入结构。", plan, "青政办〔2023〕75号", 2)
    assert Question.read(question).target_years == frozenset()  # both years name a side's document
    assert refusal_reason(question, [stated, other]) is None  # no one sentence holds 2022 and 2023
    assert refusal_reason(question, [unstated, other])  # still refused when neither document states a value
    # a question comparing nothing still needs its years in the answering sentence
    assert Question.read("测试产业收入占比2022年和2023年分别是多少？").target_years == {"2022", "2023"}
    # nor does one comparing an indicator's targets for two years: no side names a document
    assert Question.read("测试指标2025年目标和2030年目标分别是多少？").target_years == {"2025", "2030"}


# ---------- typed answerability of the quotes chosen (made-up clauses) ----------


def _plan_hits() -> list[rag.Hit]:
    """A plan's closing clause naming a review without its date, and its preamble dated by the plan's period."""
    title = "青海省“十四五”测试规划"
    review = make_hit(
        "省测试局要会同有关部门加强对规划实施情况的跟踪问效，建立中期评估、总结评估制度，推进规划各项任务落到实处。",
        ["六、保障措施"],
        doc_title=title,
    )
    preamble = make_hit(
        "根据《青海省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》，制定本规划，规划期为2021—2025年。",
        doc_title=title,
        rank=2,
        line=2,
    )
    return [review, preamble]


def test_an_answer_whose_quotes_state_no_value_of_the_asked_kind_is_refused() -> None:
    question = "测试规划的中期评估安排在哪一年？"
    hits = _plan_hits()
    assert refusal_reason(question, hits) is None  # some retrieved sentence holds a date (the plan's period)
    answer = extractive_answer(question, read_clauses(hits))
    # but the sentence the answer quotes (the review's) holds none: a near miss, not an answer
    assert not answer.answerable and "引用的句子没有给出所问的时间" in answer.text and answer.see_also


def test_the_quoted_sentence_must_state_the_value_not_repeat_the_question() -> None:
    clauses = read_clauses([make_hit("到2025年，全面推进测试设施建设。测试设施覆盖率达到90%。")])
    heading, stated = clauses[0].units
    question = "2025年测试设施覆盖率达到多少？"
    assert unquoted_reason(question, clauses, [(0, heading)])  # its only figure is the question's year
    assert unquoted_reason(question, clauses, [(0, stated)]) is None  # dated by the sentence before it
    assert unquoted_reason(question, clauses, [(0, heading), (0, stated)]) is None  # one quote answering suffices
    # a question asking no value outright is not read
    assert unquoted_reason("测试设施建设有哪些要求？", clauses, [(0, heading)]) is None


def test_a_date_the_question_states_after_jiezhi_dates_what_it_asks() -> None:
    assert answer_type("截至2020年底全省有多少家测试机构？") == "count"
    assert answer_type("截止到2021年测试资金一共多少万元？") == "quantity"
    assert answer_type("测试申报截止时间是什么时候？") == "date"
    assert answer_type("测试项目截至哪一天？") == "date"
    assert answer_type("测试规划有几个重点项目？") == "count"


def test_a_role_asked_is_answered_only_by_a_quote_naming_it() -> None:
    question = "示例联席会议办公室主任由谁出任？"
    seat = make_hit("联席会议办公室设在省示例局，承担联席会议日常工作。", ["三、工作机构"])
    assert refusal_reason(question, [seat]) is None  # no sentence names the role: nothing concluded from retrieval
    refused = extractive_answer(question, read_clauses([seat]))
    assert not refused.answerable and "主任" in refused.text  # but what is quoted names no holder
    holder = make_hit("联席会议办公室主任由省示例局局长出任。", ["三、工作机构"], line=2)
    answered = extractive_answer(question, read_clauses([seat, holder]))
    assert answered.answerable and "局长" in answered.text
    # a roster row under a heading naming the role answers too
    roster = make_hit("张某某  省示例局局长", ["三、工作机构", "办公室主任"], line=3)
    assert extractive_answer(question, read_clauses([roster])).answerable


def test_a_yes_no_interrogative_is_not_a_measured_noun() -> None:
    segment = "甲示例方案和乙示例清单里，首批示范学校是不是一样的几所？"
    assert not any(w in ("是不是", "是否") for w in naming_words(segment))
    assert measured_head("首批示范学校是不是一样的几所") != "是不是"
    assert "是否" not in naming_words("测试企业是否享受补贴多少元")


def test_the_quoted_value_must_be_of_the_asked_head_in_its_own_unit() -> None:
    # a table of indicators: the row quoted gives a figure of a sibling indicator, only the other row gives one of
    # the indicator asked (made-up rows)
    table = ["三、规划指标", "表2 示例交通主要指标"]
    sibling = "序号：7；指标名称：中心城区充电桩（个）；2030 年规划值：≥900；属性：预期性"
    asked = "序号：4；指标名称：中心城区公共停车泊位（个）；2030 年规划值：12000；属性：约束性"
    question = "示例交通纲要提出，中心城区公共停车泊位到2030年要建成多少个？"
    clauses = read_clauses(
        [make_hit(sibling, table, kind="table_row"), make_hit(asked, table, kind="table_row", rank=2)]
    )
    assert measured_head("示例交通纲要提出，中心城区公共停车泊位到2030年要建成多少个") == "泊位"
    assert unquoted_reason(question, clauses, [(0, sibling)])  # a 2030 figure, but of 充电桩
    assert unquoted_reason(question, clauses, [(0, sibling), (1, asked)]) is None
    # the head may head the table (its path), not a sibling sentence before the figure
    per_path = read_clauses([make_hit("2030 年规划值：12000", ["表2 中心城区公共停车泊位（个）"], kind="table_row")])
    assert unquoted_reason(question, per_path, [(0, "2030 年规划值：12000")]) is None
    prose = read_clauses([make_hit("公共停车泊位供给持续改善。中心城区新建充电桩900个。")])
    assert unquoted_reason("中心城区公共停车泊位有多少个？", prose, [(0, "中心城区新建充电桩900个。")])
    # two values asked: one of them stated with its head answers (the other is said to be missing by the reader)
    filed = "示例预案须在2019年6月30日之前提交审核。"
    two = read_clauses([make_hit(filed)])
    assert unquoted_reason("示例预案最迟哪天提交审核？检查结果隔多长时间通报一次？", two, [(0, filed)]) is None


def test_the_quoted_value_must_hold_the_asked_values_rarest_word() -> None:
    # the clauses speak of several rewards (made-up text): the quoted sentence holds the head (奖励) and a figure in the
    # asked unit, but another reward's; what tells the asked one apart (数字化车间) is in one clause only
    other = "对认定的绿色工厂给予每家30万元一次性奖励。"
    named = "支持企业开展智能化改造，培育一批绿色工厂和数字化车间。"
    more = "对新升规企业给予10万元奖励。"
    question = "示例方案里，数字化车间每家最多奖励多少万元？"
    clauses = read_clauses([make_hit(other), make_hit(named, rank=2), make_hit(more, rank=3)])
    assert unquoted_reason(question, clauses, [(0, other)])
    asked = "对新认定的数字化车间，每家奖励20万元。"
    clauses = read_clauses([make_hit(other), make_hit(named, rank=2), make_hit(asked, rank=3)])
    assert unquoted_reason(question, clauses, [(2, asked)]) is None
    # its heading path may name it instead (a paragraph under 「（三）数字化车间」)
    under = read_clauses([make_hit(other), make_hit("每家奖励20万元。", ["（三）数字化车间"], rank=2)])
    assert unquoted_reason(question, under, [(1, "每家奖励20万元。")]) is None


def test_a_word_no_retrieved_clause_holds_is_not_the_rarest() -> None:
    # the question says 全区 where the (made-up) text says 全省: no quote could hold it, so it tells nothing apart
    question = "示例规划里全区粮食产量要稳定在多少万吨？"
    quote = "全省粮食产量稳定在110万吨以上。"
    clauses = read_clauses([make_hit(quote), make_hit("加强高标准农田建设，提高粮食综合生产能力。", rank=2)])
    assert unquoted_reason(question, clauses, [(0, quote)]) is None


def test_a_guessed_word_or_a_predicate_does_not_tell_a_value_apart() -> None:
    # 「电入」 is the tagger's guess joining 电 to 入 (no dictionary word); 「预计」 is how the question asks
    assert Question.read("“电入藏”要输送多少电量？").value_words == (("电量",),)
    assert Question.read("到2025年常住人口预计达到多少？").value_words == (("常住人口",),)


def test_a_guessed_word_is_not_asked_of_the_answering_sentence() -> None:
    # 「入青要交」 is read with 「青要」, the tagger's guess joining 青 to 要: no text holds it, so an answering
    # sentence (made-up) is not refused for lacking it
    (_, words, _), *_ = asked_values("外地游客入青要交多少钱的押金？")
    assert "押金" in words and "青要" not in words
    answer = "外地游客入青须缴纳押金500元。"
    assert refusal_reason("外地游客入青要交多少钱的押金？", [make_hit(answer)]) is None


def test_a_guessed_word_is_no_measured_head() -> None:
    # 「入青要配套」 is read with 「青要」, the tagger's guess joining 青 to 要: the figure is of no word a text holds
    # (the head is left open), while a dictionary word still heads its figure
    assert measured_head("入青要配套多少个充电桩") is None
    assert measured_head("示例县要建成多少个新能源充电桩") == "新能源"
    question = "外地车辆入青要配套多少个充电桩？"
    answer = "外地车辆入青须配套建设充电桩20个。"
    assert unquoted_reason(question, read_clauses([make_hit(answer)]), [(0, answer)]) is None


def test_a_body_question_is_answered_only_by_a_quote_naming_a_body() -> None:
    question = "测试设施建设由哪个部门牵头？"
    boilerplate = "各有关部门要加强协调配合，推动测试设施建设落到实处。"
    named = "测试设施建设由省测试厅牵头，各市州配合。"
    clauses = read_clauses([make_hit(boilerplate), make_hit(named, rank=2)])
    assert unquoted_reason(question, clauses, [(0, boilerplate)])  # names no body
    assert unquoted_reason(question, clauses, [(0, boilerplate), (1, named)]) is None
    sector = "测试设施建设中，林草部门负责种质资源保护。"
    assert unquoted_reason(question, read_clauses([make_hit(sector)]), [(0, sector)]) is None  # a sector's department
    # a question about a document itself (who issued it) is the card's
    assert unquoted_reason("测试方案是哪个部门印发的？", clauses, [(0, boilerplate)]) is None


def test_where_a_body_is_set_up_is_answered_only_by_a_quote_saying_where() -> None:
    question = "测试工作专班的办公室设在哪个部门？"
    set_up = "成立测试工作专班，设立专班办公室，负责日常工作。"
    acting = "专班办公室会同省测试厅定期通报进展。"
    sits = "专班办公室设在省测试厅，承担专班日常工作。"
    clauses = read_clauses([make_hit(set_up), make_hit(acting, rank=2), make_hit(sits, rank=3)])
    assert unquoted_reason(question, clauses, [(0, set_up)])  # sets the office up: not where it sits
    assert unquoted_reason(question, clauses, [(1, acting)])  # names an organ beside it: not where it sits
    assert unquoted_reason(question, clauses, [(0, set_up), (2, sits)]) is None
    located = "专班办公室位于省测试厅。"
    assert unquoted_reason(question, read_clauses([make_hit(located)]), [(0, located)]) is None
    # a body asked without 设在 is answered by a quote naming one, as before
    assert unquoted_reason("测试工作专班由哪个部门牵头？", clauses, [(1, acting)]) is None


def test_a_rows_serial_number_states_only_a_count() -> None:
    row = "编号：12；项目名称：示例人才公寓建设工程；实施单位：市示例局；计划开工：三月"
    clauses = read_clauses([make_hit(row, kind="table_row")])
    assert unquoted_reason("列入示例清单的人才公寓工程投资额有多大？", clauses, [(0, row)])  # 12 is its place
    assert unquoted_reason("示例清单总共收录了几个项目？", clauses, [(0, row)]) is None  # the rows are counted by it


def test_a_system_named_responsible_asks_no_body() -> None:
    assert answer_type("实行示例总工程师负责制的工程，单个合同金额上限为多少？") == "quantity"  # 负责制: a system
    assert answer_type("示例管网改造由哪个单位负责？") == "body"


def test_a_doc_number_names_where_a_value_is_stated_not_what_it_is_of() -> None:
    question = "示例秸秆综合利用率在青政〔2018〕3号和青政办〔2019〕26号里分别要达到百分之几？"
    assert not any("青政" in w for _, words, _ in asked_values(question) for w in words)
    assert measured_head("示例秸秆综合利用率在青政〔2018〕3号里要达到百分之几") != "青政"


def test_a_body_is_an_organ_name_not_a_word_ending_like_one() -> None:
    assert not names_body("创新计划项目管理，试行定向委托、揭榜挂帅等方式。")
    assert not names_body("优化城市布局，形成区域协调发展新格局。")
    assert not names_body("各级政府和各有关部门要加强协调。")
    assert names_body("以省示例医院为依托医院，合作共建区域医疗中心。")
    assert names_body("各地政府要制定并发布示例服务清单。")
    assert names_body_in_role("示例预警信息由各市州示例应急指挥部统一发布。")
    assert names_body_in_role("建立示例部和省人民政府主要负责同志为双组长的领导小组。")
    assert not names_body_in_role("以省示例医院为依托医院。")  # named, in no role
    question = "示例规划由哪个部门负责组织编制？"
    clauses = read_clauses([make_hit("创新计划项目管理，试行定向委托、揭榜挂帅等方式。")])
    assert unquoted_reason(question, clauses, [(0, clauses[0].text)])


def test_a_measured_noun_is_held_by_the_texts_abbreviation_of_the_questions_phrase() -> None:
    """The text may shorten the question's phrase (限额以上 → 限上): the abbreviation keeps the
    term's first character and one of the next word's, so it answers; an unrelated pair of those characters does not
    come from the question's phrase and leaves the term missing."""
    question = "测试县限额以上商贸企业有多少家？"
    assert _refused(question, "测试县限上商贸企业有120家。") is None
    assert "限额" in (_refused(question, "测试县商贸企业有120家。") or "")
    assert "限额" in (_refused(question, "测试县商贸企业有120家，上限为200家。") or "")  # 限 and 上 apart
    assert shortened_forms("限额", "新纳入限额以上统计的测试企业") == frozenset({"限以", "限上"})
    assert shortened_forms("限额", "限额，以上") == frozenset()  # punctuation ends the phrase


def test_an_age_noun_is_held_by_a_stated_age() -> None:
    question = "测试补贴发放给多大年龄以上的老人？每人多少元？"
    assert _refused(question, "对80岁以上老人每人每月发放测试补贴100元。") is None
    assert "年龄" in (_refused(question, "对低收入老人每人每月发放测试补贴100元。") or "")


@pytest.mark.parametrize(
    ("question", "text", "refused"),
    [
        # a share says how large a part is, not how many there are
        ("测试市现在一共有多少所社区学校？", "到2025年，测试市县级社区学校覆盖率达到100%。", True),
        ("测试市应急清单里一共列了多少家企业？", "清单内企业应急减排比例达到百分之二十以上。", True),
        ("测试市现在一共有多少所社区学校？", "测试市已建成社区学校12所，县级覆盖率达到100%。", False),
        ("测试市县级社区学校覆盖率要达到多少？", "到2025年，测试市县级社区学校覆盖率达到100%。", False),
        # points of a rate are counted in shares (review11 R2)
        ("测试市县级社区学校覆盖率提高了几个百分点？", "测试市县级社区学校覆盖率由55.5%提高到60.1%。", False),
    ],
)
def test_a_count_is_not_answered_by_a_share(question: str, text: str, refused: bool) -> None:
    hit = make_hit(text, ["二、主要目标"], doc_title="测试市社区教育发展规划")
    assert (refusal_reason(question, [hit]) is not None) is refused


def test_a_measure_noun_is_held_by_a_figure_in_its_unit_family() -> None:
    """「面积」 asked, 「60平方米」 stated: the unit says what the figure measures (`lexicon.MEASURE_NOUNS`)."""
    assert holds("面积", "每个行政村按不低于60平方米配建村级活动室。")
    assert holds("距离", "示范步道单条不短于3公里。")
    assert holds("年龄", "申请人须年满18周岁。")
    assert not holds("面积", "每个行政村配备2名专职人员。")  # a figure of another measure
    assert not holds("距离", "每个行政村按不低于60平方米配建村级活动室。")  # 平方米 is an area, not a length
    assert holds("比值", "指标：测试加工产值与测试总产值比；2025 年：3.2 : 1")  # a ratio written a : b
    assert not holds("比值", "测试加工产值达到3.2亿元。")


def test_the_adjective_of_a_degree_interrogative_is_not_part_of_the_noun() -> None:
    """「多大面积」 segments as 多 / 大面积: the noun asked is 面积, which the unit of the figure holds."""
    words = naming_words("测试方案要求每个村配多大面积的活动室")
    assert "面积" in words and "大面积" not in words
    assert "距离" in naming_words("测试步道要修多长距离")
    clause = "每个行政村按不低于60平方米配建村级活动室。"
    assert _refused("测试方案要求每个村配多大面积的活动室？", clause) is None
    assert _refused("测试方案要求每个村配多大面积的活动室？", "每个行政村配备2名专职人员。")


def test_a_category_asked_of_each_is_held_by_its_listed_members() -> None:
    """「各行业分别奖多少」: the text lists the trades (「制造业…、服务业…」), not the word 行业."""
    listed = "对新开业的企业按制造业15万元、服务业8万元的标准给予奖励。"
    assert _refused("测试方案对新开业的企业各行业分别奖多少？", listed) is None
    assert _refused("测试方案对新开业的企业各行业分别奖多少？", "对新开业的企业给予一次性奖励8万元。")
    assert _refused("测试方案对新开业的企业行业奖励是多少？", listed)  # not asked of each: the word itself is asked


def test_the_trade_and_dwelling_near_synonyms() -> None:
    assert holds("成交额", "测试合同交易额突破5亿元。")
    assert holds("房子", "承租测试单位房屋的商户免除3个月租金。")
    assert not holds("成交额", "测试合同登记数量突破500项。")


def test_a_predicate_of_exceeding_is_not_what_the_figure_is_of() -> None:
    """「突破」 (tagged a verbal noun) is the predicate of 「要突破多少」, like 「超过」: the figure is of the noun
    before it."""
    assert measured_head("测试园区产值要突破多少") == "产值"
    assert measured_head("测试园区产值要超过多少") == "产值"


def test_a_clause_answering_one_of_several_asked_figures_is_relevant() -> None:
    """「…比例要多少？…停驶多少」: the clause on the second figure shares few of the whole question's bigrams; judged
    against its own segment it is where 渣土车 is named (`refusal._segments`)."""
    question = "测试预案红色预警时建筑工地扬尘减排比例要多少？渣土车停驶多少"
    first = "红色预警时，全市建筑工地扬尘减排比例达到40%以上，工地停止土石方作业。"
    second = "(3) 渣土车停驶 60%。"
    assert _refused(question, first, second) is None
    assert _refused(question, first, "(3) 当地党政机关公务车停驶 60%。")  # the second figure's noun is nowhere


@pytest.mark.parametrize(
    ("quote", "path", "refused"),
    [
        # an amount (made-up text) is no share, nor is a figure in a name
        ("对示例园区企业的技改贷款按一定比例贴息，单户贴息不超过50万元。", [], True),
        ("全面落实示例市“3+2”技改贷款贴息措施。", [], True),
        # a share in any of its forms answers
        ("对示例园区企业的技改贷款按实际利率的40%贴息。", [], False),
        ("示例园区企业技改贷款贴息比例提高2个百分点。", [], False),
        ("指标：技改贷款贴息比例；单位：%；2025 年：35", ["表3 示例园区主要指标"], False),  # a row's unit cell
    ],
)
def test_a_share_asked_is_answered_only_by_a_share(quote: str, path: list[str], refused: bool) -> None:
    question = "示例园区企业技改贷款贴息按百分之几贴？"
    kind = "table_row" if path else "clause"
    clauses = read_clauses([make_hit(quote, path, kind=kind, doc_title="示例园区技术改造扶持办法")])
    assert (unquoted_reason(question, clauses, [(0, quote)]) is not None) is refused


def test_a_clause_answering_an_asked_time_of_several_asked_values_is_relevant() -> None:
    """「…提到多少？什么时候完成」: the sibling clause stating the time limit (「3. 完成时限。…」) shares few of the
    whole question's bigrams; judged against its own segment it is relevant, so the time it states is found."""
    question = "示例社区食堂覆盖率要提到多少？什么时候完成"
    section = ["二、重点任务", "（三）老年助餐"]  # the heading names little of the question
    target = "1. 目标。推广助餐服务，示例社区食堂覆盖率提高到 60%。建立多部门共同参与的助餐服务机制。"
    others = [
        "一级指标：满意度评价；二级指标：老年人助餐服务满意度；指标说明：【计算方法】 满意人次/调查总人次 × 100%",
        "加强县级养老服务中心建设，每个县建成1所以上综合养老服务中心。",
    ]
    hits = [
        make_hit(target, [*section, "1.目标"], rank=1),
        *(make_hit(t, [], rank=i + 2, line=i + 2) for i, t in enumerate(others)),
        make_hit("3. 完成时限。2026 年 6 月底。", [*section, "3.完成时限"], rank=4, line=9),
    ]
    assert refusal_reason(question, hits) is None
    # no clause states a time: refused as before
    assert refusal_reason(question, hits[:3]) is not None


def test_a_field_noun_is_not_what_a_value_is_of() -> None:
    """「…领域」 names a field as 「…方面」 does: the clause names its members, not the word."""
    question = "示例餐饮领域到2025年要培育几个大市场？"
    assert "领域" not in {w for _, words, _ in Question.read(question).asked_values for w in words}
    assert _refused(question, "到2025年，全市培育形成3个示例餐饮大市场。") is None


def test_a_target_asked_of_an_indicator_asks_its_figure() -> None:
    # 「…率有什么要求」 names a measure: its target is a figure, asked as outright as by 「多少」 (made-up text)
    question = "测试方案对示例合格率定了什么目标？"
    assert answer_type(question) == "ratio"
    assert [head for _, _, head in asked_values(question)] == ["合格率"]
    assert _refused(question, "提高示例合格率，加强全过程监管。")  # the subject, no figure
    assert _refused(question, "到2025年，示例达标率达到90%。")  # a sibling indicator's figure
    assert _refused(question, "到2025年，示例合格率达到90%。") is None
    assert _refused("测试方案对示例合格率有啥指标？", "提高示例合格率，加强全过程监管。")
    # a noun naming no measure may be answered in words; several indicators at once are not read so
    assert answer_type("测试方案对示例服务质量有什么要求？") not in ("ratio", "quantity")
    assert indicator_target("测试工程对亮灯率、处理率有啥要求") is None


def test_a_counter_asked_is_the_unit_of_the_answer() -> None:
    # 「多少人」 counts people: a figure of another measure, or a rate's denominator (「/千人」), counts none
    assert _refused("测试产业到2025年能带动多少人就业？", "到2025年，测试产业产值达到340亿元，带动就业明显增加。")
    assert _refused("测试产业到2025年能带动多少人就业？", "到2025年，测试产业带动就业5000名。") is None
    assert not quantity_in("人").search("抽检量不低于5批次/千人")
    assert ASKED_UNIT.findall("测试方案是哪几家联合印发的") == []  # 哪几 asks which, not how many


def test_a_doc_numbers_year_dates_only_a_sentence_stating_none() -> None:
    # the 文号 (〔2022〕) says when the document was issued: a sentence stating another year is of that stage
    assert _refused("2022年测试产业产值要达到多少亿元？", "到2025年，测试产业产值达到340亿元。")
    assert _refused("2022年测试产业产值要达到多少亿元？", "测试产业产值达到340亿元。") is None
    # a year the question gives the document (「2022年测试实施方案」) is the one its 文号 carries
    assert (
        _refused("2022年测试实施方案提出，测试产业产值要达到多少亿元？", "到2025年，测试产业产值达到340亿元。") is None
    )


def test_a_role_asked_of_a_named_group_is_that_groups() -> None:
    # another group's 组长 names the role asked, but not of the group asked (made-up text)
    other = "测试应急领导小组组长由分管副省长担任。"
    own = "测试医改领导小组组长由省长担任。"
    clauses = read_clauses([make_hit(other), make_hit(own, rank=2)])
    question = "测试医改领导小组组长是哪位领导？"
    assert unquoted_reason(question, clauses, [(0, other)])
    assert unquoted_reason(question, clauses, [(1, own)]) is None
    assert unquoted_reason("领导小组组长是谁？", clauses, [(0, other)]) is None  # no group named: any holds it
    # a group of experts is a 组 of its own; the plan named before it is where it is set up, not which group
    assert group_asked("测试发展规划专家论证组组长是谁？") == frozenset({"专家", "家论", "论证"})
    roster = read_clauses([make_hit("组长：张三；省政府副省长", ["六、组织机构", "（一）领导小组组成人员"])])
    assert unquoted_reason("测试发展规划专家论证组组长是谁？", roster, [(0, "组长：张三；省政府副省长")])


def test_a_titles_years_and_a_quarter_state_no_date_asked() -> None:
    # the years in a document's title name it; they do not date the act asked (made-up text)
    question = "测试保护中心什么时候建成？"
    assert _refused(question, "统筹推进实施《测试强国建设纲要（2021—2035年）》，筹建测试保护中心。")
    assert _refused(question, "测试保护中心于2023年6月建成。") is None
    # a day asked: a quarter is no day, a day of a month or of the act is
    day = "测试办法从哪天开始施行？"
    assert _refused(day, "事项：测试办法；决策时间安排：第一季度")
    assert _refused(day, "测试办法自2022年3月1日起施行。") is None
    assert _refused(day, "测试办法自公布之日起施行。") is None
    assert _refused("测试办法哪个季度出台？", "事项：测试办法；决策时间安排：第一季度") is None


def test_each_part_asks_its_own_unit_of_a_sentence_of_its_own() -> None:
    # made-up text: the people helped and the money spent are stated by two sentences, as gazettes state them
    people = "到2025年，测试帮扶项目惠及农牧民3000人。"
    money = "测试帮扶项目累计投入资金1200万元。"
    two = "测试帮扶项目惠及多少人？投入多少万元？"
    assert Question.read(two).value_units == (frozenset({"人"}), frozenset({"元"}))
    assert _refused(two, people, money) is None
    # two counters asked in one segment (多少家…、多少人…): each asked figure is one value, in its own unit
    one = "测试地区有多少家测试企业、多少人参与测试？"
    assert Question.read(one).value_units == (frozenset({"家", "人"}),)
    assert _refused(one, "测试地区现有测试企业640家。", "测试地区参与测试的职工达到3200人。") is None
    # a part whose unit no sentence states is still unanswered, whatever the other part's sentence says
    assert _refused(two, people, "测试帮扶项目资金使用情况纳入年度考核。")
    assert _refused(two, money, "测试帮扶项目惠及面持续扩大。")
    # a unit asked of one part is not asked of a part asking none (「补助标准是多少」 by any figure)
    mixed = "测试申请多少天内办结？测试补助标准是多少？"
    assert Question.read(mixed).value_units == (frozenset({"天"}), frozenset())
    assert _refused(mixed, "测试申请在15个工作日内办结。", "测试补助标准为每月500元。") is None
    assert _refused(mixed, "测试申请在15个工作日内办结。", "测试补助标准另行制定。")


def test_the_quotes_answer_each_unit_asked_by_a_quote_of_its_own() -> None:
    people = "到2025年，测试帮扶项目惠及农牧民3000人。"
    money = "测试帮扶项目累计投入资金1200万元。"
    clauses = read_clauses([make_hit(people), make_hit(money, rank=2)])
    two = "测试帮扶项目惠及多少人？投入多少万元？"
    assert unquoted_reason(two, clauses, [(0, people), (1, money)]) is None
    assert unquoted_reason(two, clauses, [(0, people)])  # 元 asked, no quote states a sum


def _park_hits(answer: str, other: str) -> list[rag.Hit]:
    """Made-up clauses about an industrial park's sewage: the answer first, then clauses sharing its subject."""
    clauses = [
        answer,
        other,
        "测试市园区工业污水处理实行统一监管。",
        "测试市加强园区环境监管，完善污水收集设施。",
        "测试市推进园区循环化改造，提高资源利用效率。",
        "测试市加快城镇污水处理设施提质增效。",
        "测试市统筹推进园区基础设施建设。",
        "测试市严格落实园区安全生产责任。",
    ]
    return [make_hit(c, [_SUBSIDY], doc_title="青海省测试实施方案", rank=i + 1) for i, c in enumerate(clauses)]


def test_the_rarest_word_is_asked_of_the_quotes_not_of_every_rare_word() -> None:
    question = "测试市化工园区工业污水处理率要达到多少？"
    # 化工 (one clause) tells the value apart and the answer holds it; 工业, the question's wording held by two other
    # clauses, is not in the answering sentence: an answer all the same
    answer = "到2025年，测试市化工园区污水处理率达到95%。"
    hits = _park_hits(answer, "测试市园区工业污水处理设施全部纳管运行。")
    assert refusal_reason(question, hits) is None
    assert extractive_answer(question, hits).answerable
    # the park-wide rate with 化工 only in another clause is a near miss: the quote check refuses it
    hits = _park_hits("到2025年，测试市园区工业污水处理率达到95%。", "测试市化工园区工业污水处理设施全部纳管运行。")
    refused = extractive_answer(question, hits)
    assert not refused.answerable
    assert "化工" in refused.text


def _response_hits() -> list[rag.Hit]:
    """A made-up contingency plan: each level's measures under its own heading, worded alike."""
    plan = "青海省测试应急预案"
    return [
        make_hit("（4）测试单位公务车停驶30%。", ["5 应急响应", "5.3.2 Ⅱ级响应措施"], doc_title=plan, rank=1),
        make_hit("（3）测试单位公务车停驶50%。", ["5 应急响应", "5.3.3 Ⅰ级响应措施"], doc_title=plan, rank=2),
        make_hit("（1）测试企业减排比例达到10%以上。", ["5 应急响应", "5.3.1 Ⅲ级响应措施"], doc_title=plan, rank=3),
    ]


def test_a_value_of_another_level_of_the_series_asked_is_no_answer() -> None:
    assert grades_in(norm("5.3.3 I 级响应措施")) == {"1"}
    assert grades_in("三、二、一级及以下医疗机构") == {"3", "2", "1"}
    assert not grades_in("哪一级以下政府") and not grades_in("县一级") and not grades_in("对应几级响应")
    # the Ⅱ级 and Ⅰ级 figures share every word of the question but the level: they do not answer for Ⅲ级
    assert not extractive_answer("测试Ⅲ级响应时公务车停驶多少？", _response_hits()).answerable
    assert extractive_answer("测试Ⅱ级响应时公务车停驶多少？", _response_hits()).answerable
    assert extractive_answer("测试Ⅲ级响应时企业减排比例是多少？", _response_hits()).answerable
    assert extractive_answer("测试响应时公务车停驶多少？", _response_hits()).answerable  # no level asked


def test_a_frequency_asked_to_be_confirmed_is_answered_by_a_frequency() -> None:
    # made-up text: 「是每年办一次吗」 asks how often, as 「多久办一次」 does; 「定期」 says neither yes nor no
    question = "测试论坛是每年办一次吗？"
    assert asked_values(question)[0][0] == "period"
    regular = "测试中心定期举办测试论坛，争取形成常态化机制。"
    yearly = "测试中心每年举办一次测试论坛。"
    clauses = read_clauses([make_hit(regular), make_hit(yearly, rank=2)])
    assert unquoted_reason(question, clauses, [(0, regular)])
    assert unquoted_reason(question, clauses, [(1, yearly)]) is None
    assert not asked_values("测试补贴每年都能领吗？")  # no frequency asked: a plain yes/no
