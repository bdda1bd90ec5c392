"""Fast tests of the composer's seams (rag.compose, rag.direct, rag.answer assembly) on hand-built clauses: which
sentences are quoted, what opens a typed answer, which part a quote answers. No index; each well under a second."""

from __future__ import annotations

from dataclasses import replace

from rag.answer import _assemble, _joined, extractive_answer
from rag.compose import _of_another_time, compose, with_what_follows, without_heading
from rag.config import AnswerConfig
from rag.cuts import without_formula, without_row_labels
from rag.direct import Direct
from rag.evidence import Clause, TableRow, sentences
from rag.question import Question
from rag.units import Picked, listed_only
from rag.verify import verify_sentence
from tests.helpers import make_hit

# a clause longer than AnswerConfig.short_clause (220 characters): quoted by its sentences, not whole
_FILLER = "各地要加强组织领导，细化工作措施，明确责任分工，形成工作合力，确保各项任务落到实处。" * 3
PILOTS = (
    "13. 建立试点工作机制。在住房城乡建设部的大力支持下，通过部省共建方式，在河湟谷地城镇群和生态功能区选择一批"
    "城市和县城，系统推进高原美丽城镇建设试点工作。利用3年时间，率先建设西宁市、格尔木市、玉树市、同仁市、"
    "祁连县等5个高原美丽城镇。" + _FILLER
)


def test_a_clause_quoted_whole_starts_after_its_own_heading_sentence() -> None:
    clause = Clause.read(make_hit("(二) 试点内容。重点围绕生态人文、安全宜居等4个方面开展试点工作。", ["三、试点"]))
    assert without_heading(clause) == "重点围绕生态人文、安全宜居等4个方面开展试点工作。"
    plain = Clause.read(make_hit("重点围绕生态人文开展试点工作。各地可适当增加试点内容。"))
    assert without_heading(plain) == plain.text  # no heading sentence: the clause whole
    answer = extractive_answer("试点重点围绕哪几个方面开展？", [clause])
    assert answer.text.startswith("重点围绕生态人文、安全宜居等4个方面")  # the opening holds the count


def test_a_long_clause_is_quoted_by_the_sentence_that_answers() -> None:
    hits = [make_hit(PILOTS, ["二、主要任务"])]
    direct, picked = compose("高原美丽城镇示范省建设选了哪些城镇做试点？", hits)
    assert direct is None  # a list asks no value
    # the sentence naming the towns leads (it enumerates them), not the clause whole nor its heading
    assert picked[0].quote.startswith("利用3年时间，率先建设西宁市") and len(picked[0].quote) < len(PILOTS) / 2
    assert all(p.quote != PILOTS for p in picked)


def test_a_sentence_naming_only_its_subject_is_quoted_with_the_next() -> None:
    clause = Clause.read(make_hit("推进以产定销销售模式。根据环境承载力确定产量规模，以产定量。加强品牌建设。"))
    definition = "根据环境承载力确定产量规模，以产定量。"
    assert with_what_follows(clause, "推进以产定销销售模式。") == "推进以产定销销售模式。" + definition
    assert with_what_follows(clause, definition) == definition  # a sentence that says something stays alone


def test_a_typed_answer_opens_with_the_clause_naming_what_is_asked() -> None:
    hits = [
        make_hit("到2025年，服务业增加值规模不断扩大，占地区生产总值比重53%左右。", ["一、目标"], rank=1),
        make_hit("到2025年，全省实现金融业增加值300亿元，占地区生产总值比重8.5%左右。", ["二、金融"], rank=2, line=5),
    ]
    answer = extractive_answer("到2025年青海金融业增加值目标是多少？", hits)
    assert answer.short_answer == "到2025年，全省实现金融业增加值300亿元[1]。"
    # its sentence supports it by what the opening does not say, and the citation quotes the sentence
    assert answer.text.split("\n")[1] == "占地区生产总值比重8.5%左右。[1]"
    assert answer.citations[0].quote == hits[1].text


def test_a_typed_answer_adds_a_quote_per_aspect_and_no_other() -> None:
    hits = [
        make_hit("(3) 党政机关和企事业单位公务车停驶50%。", ["5.3 应急响应", "Ⅰ级响应措施"], rank=1),
        make_hit("(4) 当地党政机关和企事业单位公务车停驶30%。", ["5.3 应急响应", "Ⅱ级响应措施"], rank=2, line=4),
        make_hit("鼓励公众绿色出行，减少机动车使用，全年公交出行比例达到40%。", ["六、宣传引导"], rank=3, line=8),
        make_hit("党政机关和企事业单位公务车停驶措施由各市州应急指挥部落实。", ["5.4 响应措施落实"], rank=4, line=9),
    ]
    answer = extractive_answer("重污染天气Ⅱ级和Ⅰ级应急响应时，党政机关和企事业单位公务车要停驶多少？", hits)
    assert answer.short_answer is not None and "50%" in answer.short_answer
    assert "30%" in answer.text  # the other level's value: as close to the question, a figure not stated yet
    assert "40%" not in answer.text  # a value about something else is no aspect of the question
    assert "各市州应急指挥部" not in answer.text  # nor a sentence about it stating no value


def test_the_opening_is_shown_only_when_its_figures_are_in_the_cited_clause() -> None:
    hit = make_hit("稳岗返还比例由60%提高至90%。", ["一、援企稳岗"])
    quote = [Picked(0, hit.text, 1.0)]
    text, _, short = _assemble(quote, [hit], Direct(0, hit.text, "稳岗返还比例由60%提高至90%", 1.0))
    assert short == "稳岗返还比例由60%提高至90%[1]。" and text.startswith(short)
    # an opening stating a figure the clause does not hold is left out (the quotes remain)
    text, _, short = _assemble(quote, [hit], Direct(0, hit.text, "稳岗返还比例提高至95%", 1.0))
    assert short is None and text == "稳岗返还比例由60%提高至90%。[1]"


def test_a_rows_serial_number_is_no_value() -> None:
    row = "序号：11；指标名称：知识产权质押融资登记金额；2020年基期值：8.1亿元；2025年目标值预测：12亿元"
    hits = [make_hit("表：主要指标\n" + row, ["主要指标"], kind="table_row")]
    short = extractive_answer("知识产权质押融资登记金额“十四五”末要达到多少？", hits).short_answer
    assert short is not None and "序号" not in short and ("12亿元" in short or "8.1亿元" in short)


def test_a_quote_the_opening_states_whole_is_not_repeated() -> None:
    hit = make_hit(
        "2—3年内实现每个县二级甲等医院全覆盖。到2025年，全省企业平均开办时间由3个工作日进一步压缩到2个工作日左右。",
        ["一、目标"],
    )
    first, second = sentences(hit.text)
    text, citations, short = _assemble([Picked(0, first, 1.0)], [hit], Direct(0, first, first.rstrip("。"), 1.0))
    assert text == short == "2—3年内实现每个县二级甲等医院全覆盖[1]。" and citations[0].quote == first
    # the year the opening leaves out keeps the quote on its line
    span = "全省企业平均开办时间由3个工作日进一步压缩到2个工作日左右"
    text, _, short = _assemble([Picked(0, second, 1.0)], [hit], Direct(0, second, span, 1.0))
    assert text == f"{short}\n{second}[1]"


def test_how_often_is_answered_by_a_frequency() -> None:
    hits = [
        make_hit(
            "各试点地区要于2022年7月底前形成试点工作总体报告。各试点地区每季度末要向领导小组办公室报送试点工作进展情况。",
            ["四、保障措施"],
        )
    ]
    short = extractive_answer("试点地区多久向领导小组办公室报一次试点进展？", hits).short_answer
    assert short is not None and "每季度末" in short and "7月底" not in short


def test_a_quoted_term_defined_after_a_comma_leads() -> None:
    definition = "本预案所指的重污染天气,是指空气质量指数（AQI）大于200的大气污染。"
    hits = [
        make_hit("因沙尘等造成的重污染天气,不适用于本预案。" + _FILLER, ["1.3 适用范围"], rank=1),
        make_hit(_FILLER * 2 + definition, ["1.4 定义"], rank=2, line=5),
    ]
    _, picked = compose("应急预案里的“重污染天气”是怎么界定的？", hits)
    assert picked[0].quote == definition


def test_a_table_rows_opening_puts_back_the_unit_the_row_states_once() -> None:
    share = make_hit("表：目标\n指标：绿色电力占比；单位：%；2020 年：81；2025 年：93", ["目标"], kind="table_row")
    beds = make_hit("表：目标\n序号：4；主要指标：每千人口托位数（个）；2025 年目标：4.50", ["目标"], kind="table_row")
    assert TableRow.read(share.text, share.section).unit == "%"
    assert TableRow.read(beds.text, beds.section).unit == "个"
    assert TableRow.read("指标：用能（不含外购）；2025 年：3", []).unit is None  # a bracket that is no unit
    short = extractive_answer("2025年绿色电力目标是多少？", [share]).short_answer
    # 「93」 under 「单位：%」 is 93%: the opening says so, and it passes the check on figures (the row states it)
    assert short == "绿色电力占比，2025 年：93%[1]。" and verify_sentence(short, [share]) is None
    assert verify_sentence("绿色电力占比达到81%[1]。", [share]) is None
    assert verify_sentence("绿色电力占比达到93‰[1]。", [share]) is not None  # the row's unit only
    # only the row's values are percentages: not a column's year nor the serial number
    numbered = make_hit(
        "表：目标\n序号：11；指标：绿色电力占比；单位：%；2020 年：81；2025 年：93", ["目标"], kind="table_row"
    )
    assert verify_sentence("绿色电力占比达到93%[1]。", [numbered]) is None
    assert verify_sentence("绿色电力占比达到2025%[1]。", [numbered]) is not None
    assert verify_sentence("绿色电力占比达到11%[1]。", [numbered]) is not None
    beds_short = extractive_answer("2025年每千人口托位数目标是多少？", [beds]).short_answer
    assert beds_short == "每千人口托位数（个），2025 年目标：4.50个[1]。"


def test_a_supporting_sentence_is_cut_to_the_pieces_stating_values() -> None:
    sentence = (
        "完善乡镇卫生院服务网络，逐步配齐必要的检查检验设备，鼓励有条件的卫生院拓展特色专科服务，"
        "到2025年，60%以上的乡镇卫生院达到服务能力推荐标准，其余卫生院在3年内达到基本标准，持续改善就医体验。"
    )
    hits = [make_hit(sentence + _FILLER, ["二、主要任务"])]
    answer = extractive_answer("到2025年多大比例的乡镇卫生院要达到服务能力推荐标准？", hits)
    assert answer.short_answer == "到2025年，60%以上的乡镇卫生院达到服务能力推荐标准[1]。"
    # the sentence it stands on is quoted by its pieces stating values the opening does not, not the measures around
    assert answer.text.split("\n")[1:] == ["其余卫生院在3年内达到基本标准[1]"]
    # a value piece that does not say what it is of keeps the piece before it (「学位缺口」)
    gap = "新建改扩建幼儿园一批，着力解决城镇学位缺口，预计新增120个。" + _FILLER
    text = extractive_answer("城镇学位缺口预计新增多少个？", [make_hit(gap, ["二、主要任务"])]).text
    assert text == "着力解决城镇学位缺口，预计新增120个[1]。"  # (the opening takes it, so nothing is left under it)


def test_the_row_an_opening_comes_from_is_quoted_by_the_cells_it_does_not_state() -> None:
    row = "序号：6；指标：城市绿地率；单位：%；2020 年：31；2025 年：36；属性：预期性"
    hits = [make_hit("表：主要指标\n" + row, ["主要指标"], kind="table_row")]
    answer = extractive_answer("城市绿地“十四五”的目标是多少？", hits)
    # no year asked: the latest year's cell (the target) opens, not the baseline before it
    assert answer.short_answer == "城市绿地率，2025 年：36%[1]。"
    # then the row without its serial number, its label cell or what the opening says: the unit, the baseline
    assert answer.text.split("\n")[1:] == ["单位：%；2020 年：31[1]"]
    # the citation quotes what the answer says, the opening's cell included
    assert answer.citations[0].quote == "指标：城市绿地率；单位：%；2020 年：31；2025 年：36"
    # a group label (a cell without a column name) goes too, even when it shares the question's words
    grouped = "测试资源配置；主要指标：每千人口测试床位数（张）；2020 年：6.96；2025 年：7.10"
    answer = extractive_answer(
        "每千人口测试床位数2025年目标是多少？", [make_hit(grouped, ["主要指标"], kind="table_row")]
    )
    assert not any("测试资源配置" in line for line in answer.text.split("\n")[1:])


def test_an_opening_keeps_the_short_time_qualifier_before_its_value() -> None:
    sentence = "着力优化诊疗流程，到2025年，县域内住院率提高到85%左右。"
    hits = [make_hit(sentence + _FILLER, ["二、主要任务"])]
    answer = extractive_answer("县域内住院率要提高到多少？", hits)
    # the opening says when the value holds; its sentence, cut to the same pieces, is then not repeated under it
    assert answer.short_answer == "到2025年，县域内住院率提高到85%左右[1]。"
    assert answer.text == answer.short_answer and answer.citations[0].quote.startswith("到2025年，县域内住院率")


def test_under_the_opening_its_sentence_is_quoted_by_what_the_opening_does_not_say() -> None:
    sentence = "到2025年，门诊预约诊疗率达到60%以上，检查检验结果互认率达到80%，持续优化就医流程。"
    answer = extractive_answer("门诊预约诊疗率要达到多少？", [make_hit(sentence + _FILLER, ["二、主要任务"])])
    assert answer.short_answer == "到2025年，门诊预约诊疗率达到60%以上[1]。"
    assert answer.text.split("\n")[1:] == ["检查检验结果互认率达到80%[1]"]  # not the opening's words again
    assert "门诊预约诊疗率达到60%以上" in answer.citations[0].quote  # the citation still quotes what the opening says
    # a value whose subject is the piece before it opens with that piece (「对…的，给予…」)
    award = "对新认定的省级技术创新示范企业，给予一次性奖励30万元，所需资金从专项资金中列支。"
    short = extractive_answer(
        "新认定的省级技术创新示范企业奖励多少？", [make_hit(award + _FILLER, ["三、支持"])]
    ).short_answer
    assert short == "对新认定的省级技术创新示范企业，给予一次性奖励30万元[1]。"
    # too long to open with, the subject is quoted under the opening, its value not again; the citation quotes both
    long_award = (
        "对在本省注册并被有关部门新认定为省级技术创新示范企业的各类中小企业，给予一次性奖励30万元（牵头单位：省工业和信息化厅），"
        "所需资金从专项资金中列支。"
    )
    hits = [make_hit(long_award + _FILLER, ["三、支持"])]
    # (the note of the body responsible kept, `body_notes_out` off: it is the aside the opening's piece holds here)
    noted = AnswerConfig(body_notes_out=False)
    answer = extractive_answer("新认定的省级技术创新示范企业奖励多少？", hits, cfg=noted)
    assert answer.short_answer == "给予一次性奖励30万元（牵头单位：省工业和信息化厅）[1]。"
    assert answer.text == answer.short_answer  # its subject states no figure: it is cited, not quoted under it
    assert answer.citations[0].quote == "给予一次性奖励30万元（牵头单位：省工业和信息化厅）"
    subject = extractive_answer(
        "新认定的省级技术创新示范企业奖励多少？", hits, cfg=replace(noted, drop_figureless=False)
    )
    assert subject.text.split("\n")[1:] == [long_award.split("，")[0] + "[1]"]
    assert subject.citations[0].quote == long_award.split("），")[0] + "）"
    # as it was (`requote_explained`): the value said again with its subject
    again = extractive_answer(
        "新认定的省级技术创新示范企业奖励多少？", hits, cfg=replace(noted, requote_explained=True)
    )
    assert again.text.split("\n")[1] == long_award.split("），")[0] + "）[1]"
    # the question asks no body: the opening ends before the note (`without_body_notes`)
    assert extractive_answer("新认定的省级技术创新示范企业奖励多少？", hits).short_answer == "给予一次性奖励30万元[1]。"


def test_an_opening_cut_by_the_length_limit_drops_the_aside_it_cut() -> None:
    sentence = (
        "2022年符合条件的参保企业，将中小微企业测试返还比例从企业及其职工上年度实际缴纳失业保险费的60%提高至90%"
        "（牵头单位：省人力资源社会保障厅，配合单位：省财政厅）。"
    )
    short = extractive_answer("测试返还比例提高到多少？", [make_hit(sentence + _FILLER, ["一、援企稳岗"])]).short_answer
    assert short is not None and "90%" in short and "（" not in short


def test_an_opening_is_of_the_five_year_plan_asked() -> None:
    done = make_hit("测试开办时间压缩至3个工作日内。" + _FILLER, ["一、“十三五”测试监管成就"])
    target = make_hit("到2025年，测试开办时间进一步压缩到2个工作日左右。" + _FILLER, ["（一）深化测试准入改革"])
    answer = extractive_answer("“十四五”测试开办时间目标是几个工作日？", [done, target])
    assert answer.short_answer is not None and "2个工作日" in answer.short_answer


def test_a_clause_quoted_twice_by_the_same_piece_quotes_it_once() -> None:
    text = "到2025年，测试率达到60%，测试覆盖率达到80%。"
    assert _joined(text, ["测试率达到60%", "测试率达到60%"]) == "测试率达到60%"
    assert _joined(text, ["测试覆盖率达到80%", "到2025年"]) == "到2025年\n测试覆盖率达到80%"


def test_a_long_cell_holding_the_opening_is_quoted_by_what_the_opening_does_not_say() -> None:
    row = (
        "序号：3；行动名称：测试建造行动；主要任务：40. 加快建立测试建造体系，积极推进装配式建筑推广应用，"
        "到2025年，各地装配式建筑占新建建筑的比例达到20%，星级绿色建筑占比达到30%。；完成时限：2025年"
    )
    hits = [make_hit("表：重点行动\n" + row, ["重点行动"], kind="table_row")]
    answer = extractive_answer("各地装配式建筑占新建建筑的比例要达到多少？", hits)
    assert answer.short_answer == "到2025年，各地装配式建筑占新建建筑的比例达到20%[1]。"
    # the cell is cut like a sentence: its other value stays, the opening's words and the row's deadline go (a date
    # answers no 「多少」)
    assert answer.text.split("\n")[1:] == ["星级绿色建筑占比达到30%。[1]"]
    assert "比例达到20%" in answer.citations[0].quote  # the citation still quotes what the opening says


def test_the_opening_s_sentence_is_not_requoted_for_the_aside_the_opening_left_out() -> None:
    sentence = (
        "2022年符合条件的参保企业，将中小微企业测试返还比例从企业及其职工上年度实际缴纳失业保险费的60%提高至90%"
        "（牵头单位：省人力资源社会保障厅，配合单位：省财政厅）。"
    )
    answer = extractive_answer("测试返还比例提高到多少？", [make_hit(sentence + _FILLER, ["一、援企稳岗"])])
    assert answer.short_answer is not None and "90%" in answer.short_answer
    # the opening holds every figure of the piece it stops inside: that piece is not quoted again under it
    assert not any("90%" in line for line in answer.text.split("\n")[1:])


def test_a_body_answer_quotes_its_opening_s_sentence_by_what_the_opening_does_not_say() -> None:
    sentence = "第二条 测试工作实行联席会议制度，由省测试厅牵头，有关部门为省测试联席会议成员单位。"
    answer = extractive_answer("测试工作由哪个部门牵头？", [make_hit(sentence + _FILLER, ["第一章 总则"])])
    assert answer.short_answer is not None and "由省测试厅牵头" in answer.short_answer
    rest = answer.text.split("\n")[1:]
    assert "有关部门为省测试联席会议成员单位。[1]" in rest  # what the sentence adds stays
    assert not any("由省测试厅牵头" in line for line in rest)  # what the opening says is not said twice
    # a sentence the opening holds whole: the opening alone, still citing its clause
    whole = extractive_answer("本办法由哪个部门负责解释？", [make_hit("第十七条 本办法由省测试厅负责解释。", ["附则"])])
    assert whole.short_answer is not None and whole.text == whole.short_answer and whole.citations


def test_a_sentence_of_the_opening_s_clause_stating_no_value_is_left_out() -> None:
    clause = (
        "“十四五”末保障测试煤炭供应2000万吨/年。深化两省战略合作，“十四五”末保障测试煤炭供应稳定，解决原料瓶颈。"
        "“十五五”末保障测试煤炭供应4000万吨/年。"
    )
    answer = extractive_answer("“十四五”末保障测试煤炭供应多少？", [make_hit(clause, ["（三）保障供应"])])
    assert answer.short_answer is not None and "2000万吨" in answer.short_answer
    assert "深化两省战略合作" not in answer.text  # no value: it supports nothing the answer says
    assert "4000万吨" in answer.text  # the clause's other value stays (a sibling the question may want)


def test_a_long_sentence_answering_an_untyped_question_is_cut_to_the_pieces_naming_what_is_asked() -> None:
    sentence = (
        "加大测试物资储备，加快提升各地检测能力，推进医疗机构发热门诊改造，推动落实“三区两通道”要求，"
        "做好人员培训和应急演练，完善应急物资调配机制。"
    )
    answer = extractive_answer("发热门诊改造要落实什么要求？", [make_hit(sentence + _FILLER * 2, ["三、防控"])])
    # the pieces naming what is asked, each with the piece after it, verbatim; not the measures before and after them
    kept = "推进医疗机构发热门诊改造，推动落实“三区两通道”要求，做好人员培训和应急演练"
    assert answer.text == kept + "[1]"
    assert answer.citations[0].quote == kept


def test_a_clause_quoted_whole_for_an_untyped_question_keeps_the_sentences_naming_what_is_asked() -> None:
    clause = (
        "第十九条 民政部门协调教育部门采取有效措施，确保被解救儿童顺利入学。"
        "人力资源社会保障部门要为不能返乡的被拐卖受害人提供职业技能培训等就业服务。"
    )
    question = "对不能返乡的被拐卖受害人提供什么就业服务？"
    answer = extractive_answer(question, [make_hit(clause, ["第三章 安置"])])
    assert answer.text == "人力资源社会保障部门要为不能返乡的被拐卖受害人提供职业技能培训等就业服务。[1]"
    # a sentence stating a figure stays though it names nothing asked: it may be the date or count asked
    dated = extractive_answer(question, [make_hit("●8月26日 会议在会议中心举行。" + clause[6:], ["大事记"])])
    assert "●8月26日 会议在会议中心举行。[1]" in dated.text.split("\n")
    assert "确保被解救儿童顺利入学" not in dated.text
    whole = extractive_answer(question, [make_hit(clause, ["第三章 安置"])], cfg=AnswerConfig(untyped_unit_bigrams=0))
    assert "确保被解救儿童顺利入学" in whole.text  # off: the clause whole, as before


def test_the_row_a_body_opening_comes_from_is_quoted_without_the_opening_s_cell() -> None:
    row = "序号：23；事项：测试公园总体规划；承办单位：省测试管理局；决策时间安排：第二季度"
    hits = [make_hit("表：决策事项目录\n" + row, ["决策事项目录"], kind="table_row")]
    answer = extractive_answer("测试公园总体规划由哪个单位承办？", hits)
    assert answer.short_answer == "由省测试管理局承办[1]。"  # the cell said as a sentence (direct.as_statement)
    # the row's other cells stay (what, when), the opening's own cell is not said twice
    assert answer.text.split("\n")[1:] == ["序号：23；事项：测试公园总体规划[1]", "决策时间安排：第二季度[1]"]
    assert "承办单位：省测试管理局" in answer.citations[0].quote
    whole = extractive_answer(
        "测试公园总体规划由哪个单位承办？", hits, cfg=AnswerConfig(cut_rows=False, row_labels_out=False)
    )
    assert whole.text.split("\n")[1:] == [row + "[1]"]  # off: the row whole, as before


def test_under_a_figure_opening_only_quotes_stating_a_figure_follow() -> None:
    row = "序号：5；指标名称：测试质押融资登记金额；指标属性：预期性；2020年基期值：8.1亿元；2025年目标值预测：12亿元"
    hits = [make_hit("表：主要指标\n" + row, ["主要指标"], kind="table_row")]
    question = "测试质押融资2025年要达到多少？"
    answer = extractive_answer(question, hits)
    assert answer.short_answer == "测试质押融资登记金额，2025年目标值预测：12亿元[1]。"
    # the baseline (a figure) supports the opening; the cell naming the indicator is in the opening already
    assert answer.text.split("\n")[1:] == ["2020年基期值：8.1亿元[1]"]
    # verbatim, both figures and the indicator the opening names
    quoted = "指标名称：测试质押融资登记金额\n2020年基期值：8.1亿元；2025年目标值预测：12亿元"
    assert answer.citations[0].quote == quoted
    # an opening without its indicator (too long to open with): the indicator cell is quoted, though it states no figure
    bare = AnswerConfig(opening_indicator=False)
    assert "指标名称：测试质押融资登记金额[1]" in extractive_answer(question, hits, cfg=bare).text.split("\n")


def test_a_definition_question_is_answered_by_the_sentence_defining_its_term() -> None:
    defining = "本办法所称测试风险，是指项目单位超过核定的投资概算，可能增加财政负担的风险。"
    clause = defining + "本办法适用于省直各部门的测试项目。因不可抗力造成的损失，不适用本办法。"
    hits = [make_hit(clause, ["第一章 总则"])]
    answer = extractive_answer("测试风险是什么意思？", hits)
    assert answer.text == defining + "[1]"  # not the scope sentences after it
    assert answer.citations[0].quote == defining
    whole = extractive_answer("测试风险是什么意思？", hits, cfg=AnswerConfig(defining_sentence=False))
    assert whole.text == clause + "[1]"  # off: the short clause whole, as before
    # every sentence defining a term the question names: the clause stays whole
    both = "第二条 本办法所称测试项目，包括新建和改建。测试风险是指项目单位超过核定的投资概算的风险。"
    assert extractive_answer("测试项目的测试风险是什么意思？", [make_hit(both)]).text == both + "[1]"


def test_an_opening_starts_after_its_item_s_column_name_and_number() -> None:
    row = "序号：3；工程名称：测试公园工程；主要任务：14. 改造升级测试公园，让老百姓出门 500 米见到景观；完成时限：2025"
    hits = [make_hit("表：重点工程\n" + row, ["重点工程"], kind="table_row")]
    question = "测试公园改造后老百姓出门多少米能见到景观？"
    answer = extractive_answer(question, hits)
    assert answer.short_answer == "改造升级测试公园，让老百姓出门 500 米见到景观[1]。"
    assert answer.citations[0].quote in row  # verbatim from the row, which the citation points at
    labelled = extractive_answer(question, hits, cfg=AnswerConfig(opening_without_layout=False))
    assert labelled.short_answer == "主要任务：14. 改造升级测试公园，让老百姓出门 500 米见到景观[1]。"  # off: as before
    # 「三、二、一级」 counts levels, it is no item number
    levels = "三、二、一级及以下测试机构基本药物使用金额占比不低于25%、47%、50%。"
    short = extractive_answer("测试机构基本药物使用金额占比不低于多少？", [make_hit(levels + _FILLER)]).short_answer
    assert short is not None and short.startswith("三、二、一级")


def test_an_opening_stating_its_value_in_words_keeps_its_sentence() -> None:
    sentence = "各牵头单位要定期向测试办公室报送工作推进情况，领导小组每半年听取测试落实情况。"
    answer = extractive_answer("领导小组多久听取一次测试落实情况？", [make_hit(sentence + _FILLER, ["五、保障"])])
    assert answer.short_answer == "领导小组每半年听取测试落实情况[1]。"
    # no figure in the opening: the words around it may be the rest of the answer, so its sentence stays
    assert sentence + "[1]" in answer.text.split("\n")


def test_the_value_of_what_is_asked_leads_over_a_row_naming_it_in_another_cell() -> None:
    # a register row names the action asked in one cell and states another measure's value in another; the clause
    # after it states the value of what is asked
    row = make_hit(
        "序号：三；行动名称：高效节水灌溉行动；主要任务：12. 推广滴灌技术，到2030年，滴灌面积占耕地面积的比例达到20%。"
        "；牵头单位：省水利厅",
        kind="table_row",
        rank=1,
    )
    other = make_hit("推进节水型社会建设，完善用水总量控制制度。", ["二、任务"], rank=2, line=3)
    clause = make_hit("到2030年，高效节水灌溉面积占耕地面积比例达到60%。", ["三、目标"], rank=3, line=5)
    question = "到2030年高效节水灌溉面积占耕地面积比例要达到多少？"
    direct, picked = compose(question, [row, other, clause])
    assert direct is not None and "60%" in direct.span and picked[0].hit_index == 2
    # what decides it: without the measure's hold on the question, the row holding its words elsewhere leads
    direct, _ = compose(question, [row, other, clause], cfg=AnswerConfig(lead_measure_weight=0))
    assert direct is not None and "20%" in direct.span


def test_a_document_number_is_no_measure_of_what_is_asked() -> None:
    # the notice cites the national opinion by its 文号; the row states the asked value
    notice = make_hit("根据国务院办公厅《关于推动养老服务高质量发展的意见》（国办发〔2099〕18号），制定本方案。")
    row = make_hit(
        "表：目标\n序号：2；主要指标：养老机构护理型床位占比（%）；2025 年目标：55", ["目标"], kind="table_row", rank=2
    )
    direct, _ = compose("护理型床位占比，养老服务高质量发展方案定了多少？", [notice, row])
    assert direct is not None and direct.span == "养老机构护理型床位占比（%），2025 年目标：55%"


def test_a_part_asking_no_value_keeps_its_figureless_quote() -> None:
    """Under a figure opening, a figureless quote is left out only when every part asks a figure or a time: a part
    asked in words (what to hand in) is answered by a quote stating no figure."""
    rate = "对示例行业小微企业的培训补贴标准由每人800元提高至每人1200元。"
    how = "企业申请培训补贴，通过示例政务服务平台在线办理，不再要求报送纸质材料。"
    hits = [make_hit(rate + _FILLER, ["一、补贴标准"]), make_hit(how + _FILLER, ["二、申请方式"])]
    answer = extractive_answer("示例行业培训补贴标准提高到多少，申请培训补贴需要提交什么材料？", hits)
    assert any(c.n == 2 and "纸质材料" in c.quote for c in answer.citations), answer.text


def test_one_reading_of_a_rows_indicators_serves_the_lead_and_the_per_document_quote() -> None:
    """`TableRow.indicators` is what both `measure_of` (the lead's measure) and `indicator_share` (a document's quote,
    an aspect row) read of a row: the indicator cells only, each without its group (the part after 「／」)."""
    from rag.units import indicator_share, measure_of

    text = "表：目标\n（一）规模\n序号：1；指标：产值规模／盐湖产业总产值；单位：亿元；2025 年：800"
    row = make_hit(text, ["目标"], kind="table_row")
    clause = Clause.read(row)
    assert clause.table is not None and clause.table.indicators == ("盐湖产业总产值",)
    assert clause.table.indicator_cells is clause.table.indicator_cells  # read once per row (it is immutable)
    assert measure_of(clause, "2025 年：800") == "盐湖产业总产值；2025 年：800"
    # 「产值规模」 (the group) is not the indicator: a question naming only the group names none of it
    assert indicator_share(frozenset({"值规", "规模"}), clause) == 0.0
    assert indicator_share(frozenset({"盐湖", "湖产", "产业", "业总", "总产", "产值"}), clause) == 1.0
    assert indicator_share(frozenset({"产值"}), Clause.read(make_hit("盐湖产业总产值达到800亿元。"))) is None


def test_a_table_row_s_opening_says_which_indicator_its_figure_is_of() -> None:
    # the finer of two indicator cells names it (「二级指标」), not the cell describing it (「指标属性」)
    row = "一级指标：一、测试管理；二级指标：7. 测试就诊率；指标属性：定量；2025 年目标：90%"
    hits = [make_hit("表：考核指标\n" + row, ["考核指标"], kind="table_row")]
    answer = extractive_answer("测试管理的就诊率2025年目标是多少？", hits)
    assert answer.short_answer == "7. 测试就诊率，2025 年目标：90%[1]。"
    assert "二级指标" not in answer.text  # the opening says it: the cell is not quoted again under it
    assert "二级指标：7. 测试就诊率" in answer.citations[0].quote  # but the citation quotes it
    # an indicator too long to open with: the opening is the value cell, and the indicator cell is quoted under it
    # though it states no figure
    long_name = "测试城乡居民基本医疗保险政策范围内住院费用基金支付比例与门诊慢特病保障水平综合测试指数"
    hits = [make_hit(f"表：考核指标\n指标：{long_name}；2025 年目标：90%", ["考核指标"], kind="table_row")]
    answer = extractive_answer("测试保障水平综合指数2025年目标是多少？", hits)
    assert answer.short_answer == "2025 年目标：90%[1]。"
    assert f"指标：{long_name}[1]" in answer.text.split("\n")
    # (a question naming it whole needs no line saying it: test_an_indicator_the_question_names_is_cited_not_…)


def test_an_indicator_the_question_names_is_cited_not_repeated_in_the_opening() -> None:
    row = "主要指标：样本登记率；单位：%；2020 年：70；2025 年：85"
    hits = [make_hit("表：主要指标\n" + row, ["主要指标"], kind="table_row")]
    answer = extractive_answer("样本登记率2025年目标是多少？", hits)
    # the asker named what the figure is of: the opening states the value, the citation quotes the indicator cell,
    # and no line under the opening repeats it
    assert answer.short_answer == "2025 年：85%[1]。"
    assert answer.text.split("\n") == ["2025 年：85%[1]。", "单位：%；2020 年：70[1]"]
    assert "主要指标：样本登记率" in answer.citations[0].quote
    named = extractive_answer("样本登记率2025年目标是多少？", hits, cfg=AnswerConfig(indicator_asked_share=1.01))
    assert named.short_answer == "样本登记率，2025 年：85%[1]。"
    # a question that does not name it gets it in the opening
    assert extractive_answer("测试规划2025年的目标是多少？", hits).short_answer == "样本登记率，2025 年：85%[1]。"
    # nor when the question names another indicator of the rows read: the opening says which of the two it states
    other_row = "主要指标：档案合格率；单位：%；2020 年：90；2025 年：95"
    other = make_hit("表：主要指标\n" + other_row, ["主要指标"], kind="table_row")
    both = extractive_answer("样本登记率和档案合格率2025年目标分别是多少？", [*hits, other])
    assert both.short_answer is not None and "，2025 年：" in both.short_answer
    # a question naming a narrower indicator (a qualifier inside the row's name) is told which one the figure is of
    archive = "主要指标：样本档案登记率；单位：%；2020 年：70；2025 年：85"
    yearly = [make_hit("表：主要指标（年度）\n" + archive, ["主要指标"], kind="table_row")]
    assert extractive_answer("样本档案登记率2025年目标是多少？", yearly).short_answer == "2025 年：85%[1]。"
    narrower = extractive_answer("样本档案年度登记率2025年目标是多少？", yearly)
    assert narrower.short_answer == "样本档案登记率，2025 年：85%[1]。"


def test_a_body_opening_that_is_one_whole_aside_goes_without_its_brackets() -> None:
    clause = "14. 完善样本登记制度，建立测试档案共享机制。（责任单位：省测试厅、省样本局，各市州政府）"
    answer = extractive_answer("测试档案共享机制由哪些单位负责？", [make_hit(clause, ["三、测试"])])
    assert answer.short_answer == "由省测试厅、省样本局，各市州政府负责[1]。"
    assert verify_sentence(answer.short_answer, [make_hit(clause, ["三、测试"])]) is None


def test_a_definition_question_s_long_sentence_defining_nothing_is_cut_to_its_pieces() -> None:
    sentence = (
        "全面推行测试档案“一户一档、一季一核”管理机制，对新登记的测试企业，各级测试部门在十个工作日内上门核实，"
        "建立电子台账，把重点行业和重点区域作为抽查重点，确保档案信息真实完整。"
    )
    hits = [make_hit(sentence, ["二、测试"])]
    question = "测试档案实行什么管理机制？"
    # the piece naming what is asked, with the piece after it; the measures around it go
    cut = "全面推行测试档案“一户一档、一季一核”管理机制，对新登记的测试企业[1]"
    assert extractive_answer(question, hits).text == cut
    assert extractive_answer(question, hits, cfg=AnswerConfig(definition_pieces=False)).text == sentence + "[1]"
    # a question asking how the mechanism works is answered by every step of it
    assert extractive_answer("测试档案管理机制怎么运用？", hits).text == sentence + "[1]"
    # a sentence defining or glossing the term is the answer whole
    for gloss in (
        "9. 测试挂帅制：指针对测试企业的共性难题，由测试企业提出需求，经政府张榜征集研发团队，揭榜方按要求揭榜。",
        "以测试大学为主体，联合相关高校和重点企业建设“两测试一中心”，即，甲测试平台、乙测试平台、丙测试中心，打造测试载体。",
    ):
        term = "测试挂帅制" if "挂帅" in gloss else "“两测试一中心”"
        assert extractive_answer(f"{term}是什么意思？", [make_hit(gloss, ["二、测试"])]).text == gloss + "[1]"


def test_a_long_cell_of_a_quoted_row_is_quoted_by_the_sentences_naming_what_is_asked() -> None:
    task = (
        "重点任务：推广测试诊疗模式，提升各级测试机构服务能力。"
        "积极推进测试服务“三大平台”（样本检验、影像诊断、远程会诊）建设。"
        "加强测试人才队伍建设，完善测试绩效考核办法。"
    )
    row = f"序号：8；{task}；责任部门：省测试委；时限要求：12月底"
    hits = [make_hit("表：重点任务台账\n" + row, ["重点任务台账"], kind="table_row")]
    question = "测试服务三大平台包括哪些？"
    answer = extractive_answer(question, hits)
    # the sentence naming the platforms opens; the row's other cells follow it (not its serial number: the citation
    # shows the row); the other measures go
    assert answer.text.split("\n") == [
        "积极推进测试服务“三大平台”（样本检验、影像诊断、远程会诊）建设。[1]",
        "责任部门：省测试委；时限要求：12月底[1]",
    ]
    whole = extractive_answer(question, hits, cfg=AnswerConfig(row_cell_sentences=False, row_labels_out=False))
    assert whole.text == row + "[1]"
    # a cell whose sentences all name what is asked stays whole
    assert len(extractive_answer("测试服务能力和测试人才怎么加强？", hits).text.split("\n")) == 1


def test_a_list_question_s_long_sentence_is_quoted_by_the_pieces_naming_its_items() -> None:
    sentence = (
        "坚持统筹推进、分类指导，以甲测试湖、乙测试湖、丙测试湖等3个基础条件较好的北部测试湖区为重点，"
        "布局测试钾肥加工和测试镁盐加工产业，打造全省测试产业发展核心区。"
    )
    hits = [make_hit(sentence + _FILLER * 2, ["三、布局"])]
    question = "北部测试湖区包括哪些测试湖？"
    answer = extractive_answer(question, hits)
    # the piece naming the items and what is asked stays, with the piece after it (what is said of them); the
    # principle before and the goal after go
    assert (
        answer.text
        == "以甲测试湖、乙测试湖、丙测试湖等3个基础条件较好的北部测试湖区为重点，布局测试钾肥加工和测试镁盐加工产业[1]"
    )
    whole = extractive_answer(question, hits, cfg=AnswerConfig(list_pieces=False))
    assert whole.text == sentence + "[1]"
    # a piece naming items though not what is asked stays; what does neither goes
    items = (
        "北部测试湖区坚持生态优先、绿色发展的原则，统筹推进资源开发与环境保护，"
        "以甲湖、乙湖、丙湖等水资源充沛的湖为主体，布局钾肥加工和镁盐加工产业，打造全省产业发展的核心区域。"
    )
    answer = extractive_answer("北部测试湖区有哪些湖？", [make_hit(items + _FILLER * 2, ["三、布局"])])
    assert "以甲湖、乙湖、丙湖等水资源充沛的湖为主体" in answer.text and "核心区域" not in answer.text
    # an aside in brackets holding a comma is not cut open: the sentence stays whole
    aside = (
        "北部测试湖区重点开发测试资源，兼顾周边生态保护"
        "（含草原、湿地，以及湖滨带，还有周边的缓冲区域和各类自然保护地、风景名胜区）。"
    )
    answer = extractive_answer("北部测试湖区重点开发哪些测试资源？", [make_hit(aside + _FILLER * 2, ["三、布局"])])
    assert answer.text == aside + "[1]"


def test_a_quote_goes_without_the_issuing_formula_and_the_requests_after_it() -> None:
    # 「现印发给你们，请…贯彻落实」 says nothing of the subject: a quote ends before it, its own full stop kept
    assert without_formula(
        "《测试规划》已经省政府第7次常务会议审议通过，现印发给你们，请结合实际，认真抓好贯彻落实。"
    ) == ("《测试规划》已经省政府第7次常务会议审议通过")
    assert without_formula("《测试方案》已经常务会议审议通过。现印发给你们，请认真贯彻执行。") == (
        "《测试方案》已经常务会议审议通过。"
    )
    # a sentence that is the formula and nothing else, and one without it, are quoted as they are
    for whole in ("现将《测试办法》印发给你们，请认真贯彻执行。", "测试资金由省财政安排，现予保障。"):
        assert without_formula(whole) == whole
    first = "《测试甲规划》已经省政府第7次常务会议审议通过，现印发给你们，请结合实际，认真抓好贯彻落实。"
    second = "《测试乙方案》已经省政府第8次常务会议审议通过，现印发给你们，请认真贯彻执行。"
    hits = [
        make_hit(first, ["测试通知"], doc_title="测试甲规划", chunk_id="a-1"),
        make_hit(
            second, ["测试通知二"], doc_title="测试乙方案", doc_number="青政办〔2022〕2号", chunk_id="b-1", rank=2
        ),
    ]
    answer = extractive_answer("测试甲规划和测试乙方案是同一次常务会议审议通过的吗？", hits)
    assert answer.text == (
        "《测试甲规划》已经省政府第7次常务会议审议通过[1]\n《测试乙方案》已经省政府第8次常务会议审议通过[2]"
    )
    # a clause quoted whole that goes on after the formula keeps what follows it
    goes_on = "《测试规划》已经审议通过，现印发给你们，请认真贯彻执行。测试资金由省财政安排。"
    assert without_formula(goes_on) == goes_on


def test_a_clause_quoted_whole_keeps_the_sentence_saying_what_is_asked_not_those_naming_its_subject() -> None:
    clause = (
        "测试技能大赛组委会召开测试技能大赛筹备会议，部署测试技能大赛各项工作。"
        "测试技能大赛由省测试厅主办，各市州测试部门协办。"
        "首届全国测试技能大赛在西宁测试会展中心隆重开幕。"
    )
    hits = [
        make_hit(clause, ["五、测试活动"], chunk_id="a-1"),
        make_hit(
            "测试技能大赛设置个人赛和团体赛，测试技能大赛评委由专家担任。", ["一、测试赛制"], chunk_id="a-2", rank=2
        ),
        make_hit("测试技能大赛获奖选手按规定给予奖励。", ["二、测试奖励"], chunk_id="a-3", rank=3),
    ]
    question = "首届全国测试技能大赛在哪儿开幕的？"
    # every sentence names the contest (in every clause read: it tells them apart from nothing); one says where
    assert extractive_answer(question, hits).text == "首届全国测试技能大赛在西宁测试会展中心隆重开幕。[1]"
    assert extractive_answer(question, hits, cfg=AnswerConfig(untyped_unit_share=0)).text == clause + "[1]"


def test_a_sentence_of_another_five_year_plan_is_no_further_quote() -> None:
    # invented: the 「十四五」 target row, and a 「“十三五”」 review naming the same indicator
    hits = [
        make_hit(
            "表：“十四五”光热规划预期指标\n主要指标：光热企业数量；单位：家；2020 年：40；2025 年：65",
            ["“十四五”光热规划预期指标"],
            kind="table_row",
        ),
        make_hit(
            "“十三五”光热发展规划9项指标中有6项指标超额完成预期目标，光热企业数量、光热装机容量、光热专利拥有量"
            "等方面成效显著，其中前两项指标实现翻番。",
            ["一、发展基础"],
            rank=2,
            line=8,
        ),
    ]
    answer = extractive_answer("十四五末光热企业要有多少家？", hits)
    assert "65" in answer.text
    assert "十三五" not in answer.text and len(answer.citations) == 1  # the past plan's review answers no target


def test_a_year_naming_the_document_does_not_exclude_its_targets() -> None:
    # invented: 「2023年…方案」 dates the document; its 「到2025年…」 sentence is of the time asked, another's is not
    target = "到2025年，县级藏医院诊疗量占比达到25%。"
    question = Question.read("2023年的藏医药方案对县级藏医院定了多少目标？")
    dated = Clause.read(make_hit(target, doc_number="青政办〔2023〕9号"))
    assert not _of_another_time(question, dated, target)
    undated = Clause.read(make_hit(target, doc_number="青政办〔2021〕9号"))
    assert _of_another_time(question, undated, target)
    # a five-year plan is a time too: 「十三五」 is not the 「十四五末」 asked
    plan = Question.read("十四五末全省光热装机要达到多少？")
    past = "“十三五”规划13项指标中有7项超额完成，光热装机翻番。"
    assert _of_another_time(plan, Clause.read(make_hit(past)), past)


def test_a_sentence_naming_the_thing_asked_only_in_a_list_is_no_further_quote() -> None:
    # invented: the row about the county asked, and a sentence naming it as one of four
    hits = [
        make_hit(
            "序号：2；组织实施州：海南州；示范县：贵南县；示范类型：牧业强县；县域等级：重点县",
            ["附件 示范县及示范类型"],
            kind="table_row",
        ),
        make_hit(
            "在湟源县、贵南县、门源县、玛沁县等4个县开展牧业示范，按不同示范类型分级分类推进。",
            ["二、示范县"],
            rank=2,
            line=5,
        ),
    ]
    answer = extractive_answer("贵南县在牧业示范里是什么示范类型？", hits)
    assert "牧业强县" in answer.text and "湟源县" not in answer.text and len(answer.citations) == 1
    # a list question asks for the list: the sentence answers it
    assert "湟源县" in extractive_answer("牧业示范选了哪些县？", hits).text


def test_a_word_is_listed_only_when_every_mention_is_an_item_of_an_enumeration() -> None:
    listed = "在湟源县、贵南县、门源县、玛沁县等4个县开展牧业示范。"
    assert listed_only(listed, "贵南县") and listed_only(listed, "玛沁县")
    assert not listed_only(listed, "牧业示范")  # after the list's 「等」: the sentence's own words
    assert not listed_only("贵南县为示范县。在湟源县、贵南县、门源县开展示范。", "贵南县")  # also named alone
    assert not listed_only("贵南县和门源县开展示范。", "贵南县")  # two items: no enumeration


def test_a_row_quoted_whole_leaves_out_its_heading_lines_serial_number_and_group_label() -> None:
    indicator = "指标：测试率；单位：%；2025 年：90"
    assert without_row_labels("表：主要指标\n序号：7；" + indicator) == indicator
    assert without_row_labels("卫生资源配置；序号：7；主要指标：测试床位数") == "主要指标：测试床位数"  # a group label
    assert without_row_labels("序号：7；测试资源") == "序号：7；测试资源"  # no cell names a column: as it is
    row = "表：重点工程\n序号：3；工程名称：测试工程；主要任务：建设测试设施。；牵头单位：省测试厅"
    answer = extractive_answer("测试工程的主要任务是什么？", [make_hit(row, ["重点工程"], kind="table_row")])
    assert answer.text.startswith("工程名称：测试工程；主要任务：建设测试设施。")
    assert "序号" not in answer.text and row.endswith(answer.citations[0].quote)  # verbatim, from its first named cell


def test_a_row_s_lone_cell_restating_what_the_question_names_is_left_out() -> None:
    row = "序号：1；政策名称：测试事业发展规划；牵头部门：省测试委；完成时限：2021年12月底"
    hits = [make_hit("表：政策清单\n" + row, ["政策清单"], kind="table_row")]
    question = "测试事业发展规划谁牵头、什么时候完成？"
    answer = extractive_answer(question, hits)
    assert "由省测试委牵头" in answer.text and "2021年12月底" in answer.text
    # the policy's name says what the question says: the opening cites the row without it
    assert "政策名称" not in answer.text and answer.citations[0].quote in row
    kept = extractive_answer(question, hits, cfg=AnswerConfig(restating_cell_share=0))
    assert "政策名称：测试事业发展规划" in kept.text  # off: as before


def test_a_closing_note_of_the_bodies_responsible_is_left_out_unless_the_question_asks_who() -> None:
    """「（牵头单位：…）」 closing a quote says who carries the measure out: a question asking how much is answered
    without it (the quote a verbatim piece of its clause); one asking who, or what the clause says, keeps it."""
    text = "对符合条件的中小工业企业贷款按比例给予贴息，贴息金额不超过100万元（牵头单位：省测试厅，配合单位：省某厅）。"
    other = "对被认定为专精特新企业的，给予不高于50万元一次性奖励（牵头单位：省某厅）。"
    hits = [make_hit(text, ["八、融资支持"]), make_hit(other, ["七、资金补贴"])]
    question = "中小工业企业贷款贴息和专精特新企业奖励最多分别能拿多少？"
    answer = extractive_answer(question, hits)
    assert "100万元" in answer.text and "50万元" in answer.text and "单位" not in answer.text
    assert all(c.quote in h.text for c, h in zip(answer.citations, hits, strict=True))  # verbatim pieces
    kept = extractive_answer(question, hits, cfg=AnswerConfig(body_notes_out=False))
    assert "牵头单位：省某厅" in kept.text  # off: as before
    for question in ("中小工业企业贷款贴息由哪个部门牵头？", "融资支持这一条讲了什么？"):
        assert "牵头单位：省测试厅" in extractive_answer(question, hits).text
