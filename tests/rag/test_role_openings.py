"""The direct answer to a body or role question: the opening names the body or holder in the role asked, in the
quote's own words, and the quotes under it are those that hold it (no other role's roster line, no other group's
holder)."""

from __future__ import annotations

from rag.answer import extractive_answer
from rag.evidence import names_body_in_role
from rag.question import Question
from tests.helpers import make_hit

GRASS = "关于建立示例草原保护协调机制的通知"


def test_a_holder_asked_with_谁兼_is_a_role_asked() -> None:
    assert Question.read("示例防汛指挥部指挥长谁兼？日常值守负责人是哪位？").roles == ("指挥长", "负责人")


def test_the_opening_names_the_first_role_asked_not_its_deputy() -> None:
    # the deputy's row ranks first and its 「召集人：赵一」 reads like a holder's label; the opening is the 召集人's
    hits = [
        make_hit("副召集人：赵一；副省长", doc_title=GRASS, rank=1),
        make_hit("会议由召集人或召集人委托副召集人主持，以会议纪要形式明确议定事项。", doc_title=GRASS, rank=2),
        make_hit("召集人：孙三；省长", doc_title=GRASS, rank=3),
    ]
    answer = extractive_answer(Question.read("示例草原保护协调机制的召集人和副召集人是谁？"), hits)
    assert answer.short_answer is not None and answer.short_answer.startswith("召集人：孙三")
    assert "赵一" in answer.text  # the deputy, asked too, is still quoted


def test_roster_lines_of_roles_not_asked_are_left_out() -> None:
    roster = "组 长：甲某某 副省长\n副组长：乙某某 省政府副秘书长\n成 员：丙某某 省财政厅副厅长"
    hit = make_hit(roster, ["一、领导小组组成人员"], doc_title="关于成立示例产业园区建设领导小组的通知")
    answer = extractive_answer(Question.read("示例产业园区建设领导小组组长是谁？"), [hit])
    assert answer.short_answer is not None and "甲某某" in answer.short_answer
    assert "乙某某" not in answer.text and "丙某某" not in answer.text
    # asked, the deputies stay
    answer = extractive_answer(Question.read("示例产业园区建设领导小组的组长和副组长是谁？"), [hit])
    assert "甲某某" in answer.text and "乙某某" in answer.text


def test_one_groups_other_role_is_quoted_from_its_own_document_cut_to_the_holder() -> None:
    # another group's office head outscores this group's (whose name is in its title, which scores leave out); the
    # group's own roster sentence, run together with a member list by the layout, is quoted by the piece naming him
    own = "关于印发示例湿地公园申遗工作方案的通知"
    other = "关于成立示例冰雪运动推广领导小组的通知"
    noise = "陈 某 省水利厅副厅长刘 某 省林草局总工程师周 某 省科协副主席"
    hits = [
        make_hit("组长:庚某某；省人民政府副秘书长", ["五、工作机构"], doc_title=own, rank=1).model_copy(
            update={"doc_id": "own"}
        ),
        make_hit(
            "领导小组下设办公室，设在示例体育局。示例体育局局长辛某某同志兼任办公室主任，承担日常联络。",
            doc_title=other,
            doc_number="青政办〔2019〕47号",
            rank=2,
        ).model_copy(update={"doc_id": "other"}),
        make_hit(
            f"{noise}申遗工作领导小组办公室设在示例湿地保护中心，示例湿地保护中心主任壬某某兼任办公室主任。",
            ["五、工作机构"],
            doc_title=own,
            rank=3,
        ).model_copy(update={"doc_id": "own"}),
    ]
    answer = extractive_answer(Question.read("示例湿地公园申遗工作领导小组由谁任组长？其办公室主任是谁兼任的？"), hits)
    assert answer.answerable and "庚某某" in answer.text
    assert "壬某某兼任办公室主任" in answer.text
    assert "辛某某" not in answer.text
    assert "省科协副主席" not in answer.text


def test_a_body_opening_runs_through_its_co_bodies() -> None:
    row = make_hit(
        "序号：(五)；工作任务：做好示例信息公开；责任单位：省卫生健康委牵头，各市（州）政府，省政府各部门配合。；"
        "工作要求：及时公开。",
        kind="table_row",
    )
    answer = extractive_answer(Question.read("示例信息公开由哪个部门牵头？"), [row])
    assert answer.short_answer == "由省卫生健康委牵头，各市（州）政府，省政府各部门配合[1]。"  # said (as_statement)
    # in an aside, up to the bracket closing it (the measure it is of before it)
    clause = make_hit("免收示例期间投资收益（牵头单位：省财政厅，配合单位：省发展改革委），按季度办理。")
    answer = extractive_answer(Question.read("免收示例期间投资收益由哪个单位牵头？"), [clause])
    assert answer.short_answer == "免收示例期间投资收益（牵头单位：省财政厅，配合单位：省发展改革委）[1]。"


def test_a_body_row_opening_is_quoted_with_its_items_other_bodies_not_another_items() -> None:
    # a contact table prints one row per 牵头单位 of an item; another item's row names another item's body
    rows = [
        "条款：第8条；政策内容：示例支持；牵头单位：省财政厅；联系人：周某；办公电话：0971—1111111",
        "条款：第9条；政策内容：示例支持；牵头单位：省商务厅；联系人：李某；办公电话：0971—2222222",
        "条款：第8条；政策内容：示例支持；牵头单位：省发展改革委；联系人：王某；办公电话：0971—3333333",
        "条款：第8条；政策内容：示例支持；牵头单位：青海银保监局；联系人：赵某；办公电话：0971—4444444",
        "条款：第8条；政策内容：示例支持；牵头单位：省地方金融监管局；联系人：董某；办公电话：0971—5555555",
    ]
    hits = [make_hit(r, kind="table_row", rank=i, line=i) for i, r in enumerate(rows, 1)]
    answer = extractive_answer(Question.read("示例支持政策找哪个单位牵头？"), hits)
    assert answer.short_answer is not None and "省财政厅" in answer.short_answer
    assert all(body in answer.text for body in ("省发展改革委", "青海银保监局", "省地方金融监管局"))
    assert "省商务厅" not in answer.text


def test_a_body_in_a_role_is_read_in_one_place() -> None:
    assert names_body_in_role("牵头单位：省财政厅；完成时限：2022年")
    assert names_body_in_role("反拐工作实行联席会议制度，由省公安厅牵头。")
    assert names_body_in_role("组 长：李某 副省长", ("组长",))
    assert not names_body_in_role("副组长：王某 省政府副秘书长", ("组长",))
    assert not names_body_in_role("领导小组负责统筹协调全省工作。")  # the group named, no body in a role


def test_a_holder_answers_the_part_asking_for_it_and_no_sentence_merely_naming_the_role_is_quoted_for_it() -> None:
    # 「召集人：孙三」 holds few of the part's words (the question names the group otherwise than its document's
    # title), yet it answers the part; the meeting rules naming the 召集人 are no answer to it
    title = "关于建立示例加强草原保护和推进生态修复等重点工程建设工作协调机制的通知"
    rules = (
        "（一）会议制度。根据工作需要定期召开工作会议，成员单位可报请协调机制召开专题会议。"
        "会议由召集人或召集人委托副召集人主持，由协调机制办公室负责召集联络员会议。"
    )
    hits = [
        make_hit("召集人：孙三；省长", ["二、组成人员"], doc_title=title, rank=1),
        make_hit(rules, ["三、工作制度", "（一）会议制度"], doc_title=title, rank=2),
        make_hit("协调机制办公室设在示例草原站，承担日常工作。", ["二、组成人员"], doc_title=title, rank=3),
    ]
    answer = extractive_answer(Question.read("草原保护和修复工程协调机制的召集人是谁？办公室设在哪里？"), hits)
    assert answer.short_answer is not None and "孙三" in answer.short_answer
    assert "示例草原站" in answer.text and "工作会议" not in answer.text
