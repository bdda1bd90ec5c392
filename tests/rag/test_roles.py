"""Questions asking who holds a role (组长, 召集人, 主任): the sentences and rows stating the holder are preferred."""

from __future__ import annotations

from dataclasses import replace

import pytest

import rag
from index.names import Naming
from rag.answer import extractive_answer
from rag.lexicon import holds_role
from rag.question import Question
from tests.helpers import make_hit


@pytest.mark.parametrize(
    ("text", "role", "held"),
    [
        ("组 长：李杰翔 省委常委、常务副省长", "组长", True),  # a member list's label, spaced as printed
        ("组长:张黎；省政府副省长", "组长", True),
        ("召集人：吴晓军；省长", "召集人", True),
        ("省应急领导小组组长由分管生态环境工作的副省长担任。", "组长", True),
        ("成立省委书记、省长任双组长的质量提升工作领导小组", "组长", True),
        ("省妇联主席王海红兼任办公室主任。", "办公室主任", True),
        ("副组长：王 勇 省政府副秘书长", "组长", False),  # a deputy is not the holder
        ("副召集人：刘涛；副省长", "召集人", False),
        ("副召集人：刘涛；副省长", "副召集人", True),
        ("工作会议由组长召集，也可由组长委托副组长召集。", "组长", False),  # the role mentioned, no holder
        ("办公室主任由省生态环境厅主要负责人兼任。", "主任", False),  # the office's head, not the body's
    ],
)
def test_a_text_holds_a_role_when_it_states_its_holder(text: str, role: str, held: bool) -> None:
    assert holds_role(text, (role,)) is held


@pytest.mark.parametrize(
    ("question", "roles"),
    [
        ("青海零碳产业园区建设领导小组组长由谁担任？", ("组长",)),
        ("协调机制的召集人和副召集人是谁？", ("召集人", "副召集人")),
        ("领导小组办公室主任由谁兼任？", ("办公室主任",)),
        ("领导小组的组长是谁？办公室设在哪里？", ("组长",)),  # the second segment asks a place, not a person
        ("领导小组组长负责哪些工作？", ()),  # a role named, no holder asked
        # who leads a group, no role named: its head's role by the kind of group, the groups named before the asking
        ("省教材委员会由哪位省领导牵头？", ("主任",)),
        ("零碳园区领导小组和教材委员会，分别由谁牵头？", ("组长", "主任")),
        ("领导小组办公室由谁牵头？", ()),  # the office is not the group
        ("联席会议由谁牵头？", ()),  # a joint meeting's lead is a department, not a person
        ("联席会议由哪位领导召集？", ("召集人",)),
    ],
)
def test_a_question_asks_the_holder_of_the_roles_it_names_in_a_segment_asking_a_person(
    question: str, roles: tuple[str, ...]
) -> None:
    assert Question.read(question).roles == roles


def test_the_member_list_stating_the_holder_comes_first(service: rag.Gongbao) -> None:
    # the list 「组 长：李杰翔…」 shares little with the question beyond 组长; the notice's other clauses name the group
    hits = service.search("青海零碳产业园区建设领导小组组长由谁担任？", k=3)
    assert "李杰翔" in hits[0].text
    answer = service.ask("青海零碳产业园区建设领导小组组长由谁担任？")
    assert answer.answerable and "李杰翔" in answer.text.splitlines()[0]


def test_a_holder_of_another_groups_role_is_not_preferred(service: rag.Gongbao) -> None:
    # both notices state a 组长 and an office 主任; the one named is where the holder is read
    answer = service.ask("妇女儿童发展规划编制工作领导小组组长是谁？")
    assert answer.answerable and "张黎" in answer.text.splitlines()[0].replace(" ", "")
    assert all(c.doc_number == "青政办〔2020〕63号" for c in answer.citations)


def test_a_rows_role_holding_is_remembered_per_role(service: rag.Gongbao) -> None:
    # the role boost remembers, per row, whether it states a holder; 「副召集人：刘涛」 holds 副召集人, not 召集人, in
    # whichever order the two are asked
    retriever = service.retriever
    store = retriever.store
    row = next(i for i in range(len(store)) if "副召集人：刘涛" in store.chunks[i].text.replace(" ", ""))
    for _ in range(2):
        assert retriever._holds_role(row, ("召集人",)) is False
        assert retriever._holds_role(row, ("副召集人",)) is True
    said = retriever._said(row)
    assert retriever._said(row) is said and "召集" in said  # read once: the remembered set itself


def test_each_group_asked_who_leads_it_gets_its_heads_holder(service: rag.Gongbao) -> None:
    # no role word: the head of a 领导小组 is its 组长, of a 委员会 its 主任, each read in its own member list
    answer = service.ask("青海零碳产业园区建设领导小组和青海省教材委员会各由哪位省领导牵头？")
    text = answer.text.replace(" ", "")
    assert answer.answerable and "李杰翔" in text and "杨志文" in text


def test_a_group_led_by_a_department_is_still_answered_with_it() -> None:
    # 「…领导小组由谁牵头」 reads as asking its 组长, but where the text names only the department that leads it,
    # that department is the answer (the role is a preference among candidates, never a requirement)
    question = rag.Question.read("测试工作领导小组由谁牵头？")
    assert question.roles == ("组长",)
    answer = extractive_answer(question, [make_hit("成立测试工作领导小组，由省发展改革委牵头，省财政厅配合。")])
    assert answer.answerable and "省发展改革委牵头" in answer.text


def test_each_role_asked_gets_a_holder_of_its_own() -> None:
    # two roles asked: the deputies' rows and a sentence naming both roles rank above the head's row, but a deputy
    # does not answer 「召集人」
    title = "关于建立示例草原保护协调机制的通知"
    hits = [
        make_hit("副召集人：赵一；副省长", doc_title=title, rank=1),
        make_hit("会议由召集人或召集人委托副召集人主持，以会议纪要形式明确议定事项。", doc_title=title, rank=2),
        make_hit("副召集人：钱二；省政协副主席", doc_title=title, rank=3),
        make_hit("协调机制成员单位由省发展改革委、省财政厅等部门组成。", doc_title=title, rank=4),
        make_hit("召集人：孙三；省长", doc_title=title, rank=5),
    ]
    answer = extractive_answer(Question.read("示例草原保护协调机制的召集人和副召集人是谁？"), hits)
    assert answer.answerable and "孙三" in answer.text and "赵一" in answer.text


def test_a_roles_holder_is_quoted_from_the_named_document_only() -> None:
    # the question names the grassland mechanism, whose notice states no 副召集人: the water mechanism's deputy,
    # retrieved too, is no answer to it
    grass = "关于建立示例草原保护协调机制的通知"
    water = "关于建立示例水源保护协调机制的通知"
    hits = [
        make_hit("召集人：孙三；省长", doc_title=grass).model_copy(update={"doc_id": "grass"}),
        make_hit("会议由召集人主持，副召集人协助。", doc_title=grass, rank=2).model_copy(update={"doc_id": "grass"}),
        make_hit("副召集人：吴五；副省长", doc_title=water, doc_number="青政办〔2022〕8号", rank=3).model_copy(
            update={"doc_id": "water"}
        ),
    ]
    question = replace(
        Question.read("示例草原保护协调机制的召集人和副召集人是谁？"),
        named=(Naming("示例草原保护协调机制", ("grass",), "title", 1.0),),
    )
    answer = extractive_answer(question, hits)
    assert answer.answerable and "孙三" in answer.text
    assert "吴五" not in answer.text
