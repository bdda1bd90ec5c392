"""Questions about a document itself (文号, issuer, date, issue, issuing notice), answered from its card."""

from __future__ import annotations

from dataclasses import replace

import pytest

import rag
from index.models import SourceSpan
from index.names import Naming
from rag.answer import extractive_answer
from rag.cards import CardQuote, card_fields, card_quote
from rag.evidence import read_clauses
from rag.models import Hit
from rag.question import Question

NOTICE = "青海省人民政府办公厅关于印发青海省助企纾困和支持市场主体发展十条措施的通知"
PLAN = "青海省助企纾困和支持市场主体发展十条措施"


def _card(doc_id: str, title: str, lines: list[str], number: str | None = "青政办〔2022〕30号") -> Hit:
    text = "\n".join([f"文件：《{title}》", *lines])
    span = SourceSpan(file="g.txt", line_start=1, line_end=3)
    return Hit(
        rank=1, score=1.0, chunk_id=f"{doc_id}-card", doc_id=doc_id, doc_title=title, doc_number=number,
        section=["文件信息"], text=text, source=span, kind="card",
    )  # fmt: skip


def _clause(text: str, title: str = "某通知") -> Hit:
    span = SourceSpan(file="g.txt", line_start=9, line_end=9)
    return Hit(rank=2, score=0.5, chunk_id="d-x", doc_id="d", doc_title=title, text=text, source=span)


NOTICE_CARD = _card(
    "n", NOTICE, ["文号：青政办〔2022〕30号。", "发文机关：青海省人民政府办公厅。", "成文日期：2022年5月15日。"]
)
PLAN_CARD = _card(
    "p",
    PLAN,
    ["文号：青政办〔2022〕30号。", "成文日期：2022年5月15日。", f"印发通知：《{NOTICE}》（青政办〔2022〕30号）。"],
)


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("助企纾困十条措施是什么时候印发的？", ("signed",)),
        ("助企纾困十条的文号是什么？由哪个部门印发？", ("doc_number", "issuer")),
        ("老龄规划刊登在哪一期公报上？", ("gazette",)),
        ("十条措施是由哪个通知印发的？", ("parent",)),
        ("助企纾困十条的发文字号是？", ("doc_number",)),
        ("该方案印发于何时？", ("signed",)),
        ("老龄规划随哪份通知印发？", ("parent",)),
        ("青政〔2021〕54号是谁发的？", ("issuer",)),
        ("盐湖方案是哪个部门发的", ("issuer",)),
        ("哪个部门发的补贴最多？", ()),
        ("这个方案是谁发的呢？", ("issuer",)),
        ("这个方案是由哪个部门发的？", ("issuer",)),
        ("失业保险稳岗返还资金是谁发的？", ()),  # who pays a subsidy, not who issued a document
        ("这项补助由哪个部门发的？", ()),
        ("稳岗补贴什么时候发的？", ()),  # when a subsidy is paid, not when a document was issued
        ("一次性留工培训补助是哪天发的？", ()),
        ("这个方案是哪天发的？", ("signed",)),
        ("农业规划与乡村振兴规划的文号分别是什么？", ("doc_number",)),  # a field asked of each document
        # the documents it rests on: named by its opening or issuing notice, quoted with its card
        ("依据是哪个文件？", ("basis",)),
        ("示例规划是根据哪两个国家文件制定的？", ("basis",)),
        ("示例台账是依据哪个文件、哪天印发的？", ("signed", "basis")),  # not 「哪个文件印发」: no issuing notice asked
        ("这项补助依据什么标准发放？", ()),  # a standard of its content, not a document
        # mentions of a 文号 or of 「印发」 ask the clause, not the card
        ("青政办〔2022〕30号印发的十条措施第九条讲了什么？", ()),
        ("稳岗返还比例提高到多少？", ()),
        # which meetings approved it: the issuing notice's sentence answers (with the card)
        ("助企纾困十条措施经哪次会议审议、哪天印发？", ("signed", "approved")),
        ("十条措施是哪些会议通过的？", ("approved",)),
        # colloquial: 「哪个文」 is a 文件, 「哪两家」 issuers, 「A还是B印发的」 the issuer; a bare 「什么时候？」
        # after a segment asking how it was issued asks when that was
        ("示例预案是哪个文印发的？什么时间？", ("signed", "parent")),
        ("示例目录是哪个文印发的？", ("parent",)),
        ("示例规划是省政府还是办公厅印发的？什么时候？", ("signed", "issuer")),
        ("示例方案是哪两家联合印发的？", ("issuer",)),
        ("示例补助怎么申请？什么时候？", ()),  # a bare 「什么时候」 after a content question is no card's date
        # 「常务会」 is how a 常务会议 is said
        ("十条措施是哪次常务会通过的？", ("approved",)),
        ("十条措施哪天过的常务会？", ("approved",)),
        ("甲规划和乙规划是不是同一次常务会通过的？", ("approved",)),
        ("联席会议由哪个部门召集？", ()),  # a meeting named, none asked for
        ("应急指挥部多久召开一次会议？", ()),
        ("他是在哪次会议上当选省长的？", ()),  # a person elected at a meeting: no document approved
        ("该方案是什么时候经会议审议通过的？对它有什么安排？", ()),  # with its content: its clauses answer
    ],
)
def test_metadata_questions_are_told_from_content_questions(question: str, fields: tuple[str, ...]) -> None:
    read = Question.read(question)
    assert read.metadata == fields and read.only_metadata == bool(fields)


def test_a_question_also_asking_the_content_is_not_metadata_only() -> None:
    # (asking the documents it rests on is asking about the document: its notice and its card answer that)
    read = Question.read("政务公开工作台账是什么时候印发的？有哪些重点任务？")
    assert read.metadata == ("signed",) and not read.only_metadata
    assert card_quote(read, read_clauses([NOTICE_CARD])) is None  # the clauses answer it (the card among them)


def test_card_lines_are_read_back_by_their_labels() -> None:
    fields = card_fields(PLAN_CARD.text)
    assert fields["doc_number"] == "文号：青政办〔2022〕30号。" and fields["parent"].startswith("印发通知：《")
    assert "issuer" not in fields


def test_a_card_answers_the_fields_asked_in_the_order_asked() -> None:
    question = Question.read("助企纾困十条措施是什么时候印发的？文号是什么？")
    quote = card_quote(question, read_clauses([_clause("稳岗返还。"), NOTICE_CARD]))
    assert quote == CardQuote(1, ("文号：青政办〔2022〕30号。", "成文日期：2022年5月15日。"))


def test_the_card_stating_the_field_wins_over_an_earlier_one_naming_the_same_title() -> None:
    question = Question.read("助企纾困和支持市场主体发展十条措施是由哪个通知印发的？")
    quote = card_quote(question, read_clauses([NOTICE_CARD, PLAN_CARD]))
    assert isinstance(quote, CardQuote) and quote.hit_index == 1 and "青政办〔2022〕30号" in quote.lines[0]


def test_a_document_named_by_its_number_alone_is_found() -> None:
    quote = card_quote(Question.read("青政办〔2022〕30号是哪天签发的？"), read_clauses([NOTICE_CARD]))
    assert isinstance(quote, CardQuote) and quote.lines == ("成文日期：2022年5月15日。",)


def test_a_document_the_corpus_only_mentions_is_refused() -> None:
    question = Question.read("《中华人民共和国安全生产法》是什么时候印发的？")
    hits = [_clause("依据《中华人民共和国安全生产法》制定本预案。"), NOTICE_CARD]
    assert isinstance(card_quote(question, read_clauses(hits)), str)
    answer = extractive_answer(question, hits)
    assert not answer.answerable and not answer.citations
    assert answer.see_also[0].chunk_id == "d-x"  # the mention is offered, not an unrelated card


def test_a_field_the_card_lacks_is_refused_not_taken_from_another_card() -> None:
    question = Question.read("助企纾困十条措施刊登在哪一期？")
    assert isinstance(card_quote(question, read_clauses([NOTICE_CARD, PLAN_CARD])), str)


def test_the_card_answer_cites_the_card_and_opens_with_the_value() -> None:
    answer = extractive_answer(Question.read("助企纾困十条措施的发文机关是什么？"), [NOTICE_CARD])
    assert answer.answerable and answer.short_answer == "发文机关：青海省人民政府办公厅。[1]"
    assert answer.text.startswith(answer.short_answer) and answer.citations[0].chunk_id == "n-card"


def test_service_answers_metadata_from_the_named_documents_card(service: rag.Gongbao) -> None:
    answer = service.ask("青海省深化改革促进乡村医疗卫生体系健康发展实施方案的文号是什么？什么时候印发的？")
    assert answer.answerable and answer.citations[0].section == ["文件信息"]
    assert "青政办〔2023〕76号" in answer.text and "2023年10月25日" in answer.text
    cited = service.chunk(answer.citations[0].chunk_id)
    assert cited is not None and cited.kind == "card"


def test_content_questions_rank_clauses_above_cards(service: rag.Gongbao) -> None:
    hits = service.search("青海省助企纾困和支持市场主体发展十条措施 稳岗返还比例", k=3)
    assert all(h.kind != "card" for h in hits)


@pytest.mark.parametrize("question", ["科技创新规划和生态经济发展规划哪个先印发？", "这两份通知是同一天印发的吗？"])
def test_which_came_first_asks_the_dates(question: str) -> None:
    assert Question.read(question).metadata == ("signed",)


def test_a_comparison_of_dates_gets_both_named_documents_cards(service: rag.Gongbao) -> None:
    hits = service.search("科技创新规划和生态经济发展规划哪个先印发？", k=4)
    cards = {h.doc_number for h in hits if h.kind == "card"}
    assert cards == {"青政办〔2021〕117号", "青政办〔2021〕122号"}


def test_a_document_named_by_an_abbreviated_title_is_answered_from_its_card(service: rag.Gongbao) -> None:
    # 「强农惠农促增收的通知」 shares too few title bigrams with the full title to be matched whole
    answer = service.ask("强农惠农促增收的通知是哪天印发的？")
    assert answer.answerable and answer.citations[0].section == ["文件信息"]
    assert "青政办〔2023〕73号" in (answer.citations[0].doc_number or "")


def _named(question: str, *doc_ids: str) -> Question:
    """A question with the documents it names resolved (as the retriever does) to the given doc ids."""
    return replace(Question.read(question), named=tuple(Naming(d, (d,), "title", 9.0) for d in doc_ids))


EARLIER_CARD = _card(
    "e", "甲规划", ["文号：青政办〔2021〕117号。", "成文日期：2021年12月21日。"], number="青政办〔2021〕117号"
)
LATER_CARD = _card("l", "乙规划", ["文号：青政办〔2021〕122号。", "成文日期：2021年12月24日。"], number=None)


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("助企纾困十条是哪天、以什么文号印发的？", ("doc_number", "signed")),
        ("高原美丽城镇示范省建设实施方案是谁、哪天、以什么文号印发的？", ("doc_number", "signed", "issuer")),
        ("盐湖产业基地行动方案是谁联合印发的？文号和日期？", ("doc_number", "signed", "issuer")),
    ],
)
def test_asking_words_enumerated_before_one_verb_each_ask_a_field(question: str, fields: tuple[str, ...]) -> None:
    assert Question.read(question).metadata == fields


def test_a_metadata_answer_identifies_the_document_by_its_number_and_date() -> None:
    quote = card_quote(Question.read("助企纾困十条措施的发文机关是什么？"), read_clauses([NOTICE_CARD]))
    assert isinstance(quote, CardQuote)
    identified = ("文号：青政办〔2022〕30号。", "成文日期：2022年5月15日。")
    assert quote.lines == ("发文机关：青海省人民政府办公厅。", *identified)


def test_which_came_first_quotes_both_cards_and_says_which() -> None:
    question = _named("乙规划和甲规划哪个先印发？", "l", "e")
    quote = card_quote(question, read_clauses([EARLIER_CARD, LATER_CARD]))
    assert isinstance(quote, CardQuote) and len(quote.others) == 1
    assert quote.hit_index == 1 and quote.others[0].hit_index == 0  # in the order the question names them
    assert quote.order == "《甲规划》先印发（2021年12月21日）[2]。"
    answer = extractive_answer(question, [EARLIER_CARD, LATER_CARD])
    assert answer.short_answer == quote.order and [c.chunk_id for c in answer.citations] == ["l-card", "e-card"]
    assert "2021年12月24日。[1]" in answer.text and "2021年12月21日。[2]" in answer.text


def test_compared_documents_are_named_by_what_the_notices_issue_and_the_first_once() -> None:
    """Several documents compared: each title line names the document its notice issues (「关于印发X的通知」 → 《X》),
    and the document the order sentence names already is not named again; the citations quote the cards verbatim."""
    a_notice, b_notice = "青海省人民政府办公厅关于印发甲规划的通知", "青海省人民政府办公厅关于印发乙方案的通知"
    a = _card("a", a_notice, ["文号：青政办〔2021〕117号。", "成文日期：2021年12月21日。"], "青政办〔2021〕117号")
    b = _card("b", b_notice, ["文号：青政办〔2021〕122号。", "成文日期：2021年12月24日。"], "青政办〔2021〕122号")
    answer = extractive_answer(_named("乙方案和甲规划哪个先印发？", "b", "a"), [a, b])
    lines = answer.text.split("\n")
    assert lines[0] == answer.short_answer == "《甲规划》先印发（2021年12月21日）[2]。"
    assert lines[1] == "文件：《乙方案》[1]" and not any("甲规划" in line for line in lines[1:])
    assert "成文日期：2021年12月21日。[2]" in lines and "文号：青政办〔2021〕117号。[2]" in lines
    assert [c.quote.split("\n")[0] for c in answer.citations] == [f"文件：《{b_notice}》", f"文件：《{a_notice}》"]


def test_documents_asked_what_they_are_name_their_titles_once() -> None:
    """Each compared card opens with its title line; a question asking what the documents are asks that line too, and
    the answer says it once per document (it was quoted again among the fields asked)."""
    question = _named("甲规划和乙规划分别是什么文件，哪天印发？", "e", "l")
    assert "title" in question.metadata
    lines = extractive_answer(question, [EARLIER_CARD, LATER_CARD]).text.split("\n")
    assert lines.count("文件：《甲规划》[1]") == 1 and lines.count("文件：《乙规划》[2]") == 1
    assert "成文日期：2021年12月21日。[1]" in lines and "成文日期：2021年12月24日。[2]" in lines


def test_documents_signed_on_one_day_are_said_to_be() -> None:
    same = _card("s", "丙规划", ["文号：青政办〔2021〕130号。", "成文日期：2021年12月21日。"], "青政办〔2021〕130号")
    quote = card_quote(_named("甲规划和丙规划是同一天印发的吗？", "e", "s"), read_clauses([EARLIER_CARD, same]))
    assert isinstance(quote, CardQuote) and quote.order == "同一天印发（2021年12月21日）[1][2]。"


def test_no_order_is_said_without_both_dates() -> None:
    undated = _card("u", "丁规划", ["文号：青政办〔2021〕131号。"], "青政办〔2021〕131号")
    quote = card_quote(_named("甲规划和丁规划哪个先印发？", "e", "u"), read_clauses([EARLIER_CARD, undated]))
    assert isinstance(quote, CardQuote) and quote.order is None and quote.others


APPOINTMENTS = "青海省人民政府职务任免通知"
APPOINTMENT_CARD = _card("a", APPOINTMENTS, ["文号：青政人〔2021〕9号。", "成文日期：2021年6月1日。"], number=None)


def _appointment(text: str) -> Hit:
    span = SourceSpan(file="g.txt", line_start=5, line_end=5)
    return Hit(rank=1, score=1.0, chunk_id="a-1", doc_id="a", doc_title=APPOINTMENTS, text=text, source=span)


def test_a_document_named_by_what_it_says_is_answered_from_its_card() -> None:
    question = Question.read("王五任省统计局局长，是哪个文件、哪天发的？")
    assert question.metadata == ("signed", "title") and question.only_metadata
    hits = [_appointment("任命王五同志为青海省统计局局长。"), APPOINTMENT_CARD]
    quote = card_quote(question, read_clauses(hits))
    assert isinstance(quote, CardQuote) and quote.hit_index == 1
    assert quote.lines[:2] == ("成文日期：2021年6月1日。", f"文件：《{APPOINTMENTS}》")


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        # the first clause does not say what the question names the document by
        ("王五任省统计局局长，是哪个文件、哪天发的？", "任命赵六同志为青海省林业和草原局局长。"),
        # a 《》 title the corpus has no card of: a clause mentioning it is not it
        ("《王五任职通知》是哪天发的？", "根据《王五任职通知》，任命王五同志为青海省统计局局长。"),
        # a law named without 《》 that a clause only mentions: the mentioning notice's card is not the law's
        ("中华人民共和国统计法是什么时候发布的？", "各地要认真贯彻中华人民共和国统计法，任命王五同志为统计局局长。"),
    ],
)
def test_no_card_answers_for_a_document_no_clause_says(question: str, clause: str) -> None:
    assert isinstance(card_quote(Question.read(question), read_clauses([_appointment(clause), APPOINTMENT_CARD])), str)


def test_a_quoted_title_is_not_answered_by_the_card_of_a_document_about_it() -> None:
    plan = "青海省测试发展规划（2021—2030年）"
    table = _card("t", f"{plan}分领域编制工作任务分解表", ["成文日期：2020年8月20日。"], number=None)
    scheme = _card("s", "青海省测试儿童发展规划（2021—2030年）编制工作方案", ["成文日期：2020年8月20日。"], number=None)
    asked = Question.read(f"《{plan}》最后是哪天印发的？")
    # the index resolves the quoted title to the family of documents holding it (as index.names may)
    asked = replace(asked, named=(Naming(words=plan, doc_ids=("t", "s"), how="quoted", weight=100.0),))
    assert isinstance(card_quote(asked, read_clauses([table, scheme])), str)  # only documents about the plan
    notice = _card("n2", f"青海省人民政府办公厅关于印发{plan}的通知", ["成文日期：2021年9月1日。"], number=None)
    quote = card_quote(asked, read_clauses([table, notice]))
    assert isinstance(quote, CardQuote) and quote.hit_index == 1  # the notice issuing it is of it


def test_a_quoted_title_without_its_period_is_still_the_document() -> None:
    """A printed title often adds its period after the name people quote: 「《X规划》」 asks of 「X规划（2024—2028年）」
    itself, not of a document about it."""
    plan = _card("p", "青海省示例湖泊保护规划（2024—2028年）", ["成文日期：2024年3月5日。"], number=None)
    about = _card(
        "a", "青海省示例湖泊保护规划（2024—2028年）实施情况评估办法", ["成文日期：2025年1月9日。"], number=None
    )
    asked = Question.read("《青海省示例湖泊保护规划》的印发日期是哪天？")
    asked = replace(
        asked, named=(Naming(words="青海省示例湖泊保护规划", doc_ids=("p", "a"), how="quoted", weight=100.0),)
    )
    quote = card_quote(asked, read_clauses([about, plan]))
    assert isinstance(quote, CardQuote) and quote.hit_index == 1  # the plan's own card, not the one about it


def _notice_clause(text: str) -> Hit:
    span = SourceSpan(file="g.txt", line_start=5, line_end=5)
    return Hit(
        rank=3, score=0.4, chunk_id="n-1", doc_id="n", doc_title=NOTICE, doc_number="青政办〔2022〕30号",
        text=text, source=span,
    )  # fmt: skip


APPROVED = "《十条措施》已经省政府第9次常务会议审议通过，现印发给你们，请认真贯彻执行。"
# what it says of the meeting: the issuing formula and the request after it say nothing (cuts.without_formula)
APPROVED_SAID = "《十条措施》已经省政府第9次常务会议审议通过"


def test_which_meeting_approved_a_document_is_answered_by_its_notice_then_its_card() -> None:
    question = Question.read("助企纾困十条措施经哪次会议审议、哪天印发？")
    other = _clause("本措施经专家论证，报省政府审议通过后实施。")  # another document's approval: not this one's
    hits = [NOTICE_CARD, other, _notice_clause("为帮助市场主体纾困。" + APPROVED)]
    quote = card_quote(question, read_clauses(hits))
    assert quote == CardQuote(
        2, (APPROVED_SAID,), others=(CardQuote(0, ("成文日期：2022年5月15日。", "文号：青政办〔2022〕30号。")),)
    )
    answer = extractive_answer(question, hits)
    assert answer.text.startswith(APPROVED_SAID + "[1]") and [c.chunk_id for c in answer.citations] == ["n-1", "n-card"]


def test_no_approval_read_leaves_the_card_to_answer_what_it_states() -> None:
    question = Question.read("助企纾困十条措施经哪次会议审议、哪天印发？")
    quote = card_quote(question, read_clauses([NOTICE_CARD, _notice_clause("为帮助市场主体纾困，制定本措施。")]))
    assert quote == CardQuote(0, ("成文日期：2022年5月15日。", "文号：青政办〔2022〕30号。"))
    # asked alone, the clauses answer it (or the refusal checks refuse it): the card has no such line to refuse by
    alone = Question.read("十条措施是哪些会议通过的？")
    assert card_quote(alone, read_clauses([NOTICE_CARD, _notice_clause("为帮助市场主体纾困。")])) is None


def test_asked_alone_an_approval_no_quote_states_is_refused() -> None:
    # another clause of the document (what it is for, who funds it) does not say which meeting approved it
    hits = [NOTICE_CARD, _notice_clause("为帮助测试市场主体纾困，省财政安排专项资金给予支持。")]
    answer = extractive_answer(Question.read("十条措施是哪次会议审议通过的？"), hits)
    assert not answer.answerable and "审议通过" in answer.text
    # the notice's approval sentence answers it
    answer = extractive_answer(Question.read("十条措施是哪次会议审议通过的？"), [*hits, _notice_clause(APPROVED)])
    assert answer.answerable and "第9次常务会议" in answer.text


def test_each_named_documents_approval_is_quoted_with_its_card() -> None:
    def approved_in(doc_id: str, title: str, meeting: str) -> Hit:
        span = SourceSpan(file="g.txt", line_start=5, line_end=5)
        text = f"《{title}》已经{meeting}审议通过，现印发给你们。"
        return Hit(rank=3, score=0.4, chunk_id=f"{doc_id}-1", doc_id=doc_id, doc_title=title, text=text, source=span)

    question = _named("甲规划和乙规划分别是哪次会议审议通过的？", "e", "l")
    hits = [
        EARLIER_CARD,
        LATER_CARD,
        approved_in("l", "乙规划", "省政府第95次常务会议"),
        approved_in("e", "甲规划", "省政府第94次常务会议"),
    ]
    quote = card_quote(question, read_clauses(hits))
    assert isinstance(quote, CardQuote)
    quoted = [(q.hit_index, q.lines[0][:4]) for q in (quote, *quote.others)]
    assert quoted == [(3, "《甲规划"), (0, "文号：青"), (2, "《乙规划"), (1, "文号：青")]
    # without one document's approval read, no approval is answered for either: the cards answer what they state
    assert card_quote(question, read_clauses(hits[:3])) != quote


def test_which_meetings_approved_a_document_is_searched_clause_first(service: rag.Gongbao) -> None:
    question = "《青海省“十四五”科技创新规划》由哪次常务会议审议通过？什么时候印发的？"
    hits = service.search(question, k=10)
    # the notice's sentence saying so leads; the document's card follows it (rag.cards quotes both)
    assert hits[0].kind != "card" and "审议通过" in hits[0].text
    assert any(h.kind == "card" for h in hits[1:3])
    answer = service.ask(question)
    assert answer.answerable and "第94次常务会议" in answer.text and "2021年12月21日" in answer.text
    assert [service.chunk(c.chunk_id).kind for c in answer.citations] == ["clause", "card"]  # type: ignore[union-attr]


LISTING = "2024年上半年测试市重大事项目录"
LISTING_CARD = _card("l", LISTING, ["文号：测政办函〔2024〕7号。", "成文日期：2024年3月2日。"], "测政办函〔2024〕7号")


def _listed(text: str) -> Hit:
    span = SourceSpan(file="g.txt", line_start=7, line_end=7)
    return Hit(rank=1, score=1.0, chunk_id="l-1", doc_id="l", doc_title=LISTING, text=text, source=span)


@pytest.mark.parametrize(
    "question",
    [
        # a document's name followed by a filler or a second field: named by its title, only listed here
        "测试市河道保洁管理办法最后是哪天印发的？",
        "目录里的测试市河道保洁管理办法后来是哪天印发的，文号多少？",
        "测试市河道保洁管理办法的文号和印发日期是？",
    ],
)
def test_a_document_only_listed_is_not_answered_by_the_listings_card(question: str) -> None:
    clause = _listed("序号：4；事项：测试市河道保洁管理办法；承办单位：市水务局。")
    assert isinstance(card_quote(Question.read(question), read_clauses([clause, LISTING_CARD])), str)


def test_a_doc_number_beside_another_documents_title_leaves_that_title_named() -> None:
    """A question may name one document's 文号 and another's title (「X号废止的《Y办法》是哪天印发的」): Y's card
    answers, though its 文号 is not X (review11 R1: a 文号 once ruled out every card of another 文号)."""
    card = _card("y", "测试市河道保洁管理办法", ["成文日期：2019年3月2日。"], "测政〔2019〕2号")
    asked = Question.read("测政〔2023〕5号废止的《测试市河道保洁管理办法》是哪天印发的？")
    assert isinstance(card_quote(asked, read_clauses([card])), CardQuote)


def test_a_question_reads_the_typed_titles_it_names_once() -> None:
    """The question's documents named by a run ending in a document's type are read by `Question.typed_titles`
    (the mention check reads them there, not again)."""
    assert Question.read("目录里的测试市停车管理办法是哪个部门发的？").typed_titles == ("测试市停车管理办法",)
    assert Question.read("它是什么时候印发的？").typed_titles == ()


def _numbered(doc_id: str, number: str, text: str, kind: str = "clause") -> Hit:
    span = SourceSpan(file="g.txt", line_start=5, line_end=5)
    return Hit(
        rank=1, score=1.0, chunk_id=f"{doc_id}-{kind}", doc_id=doc_id, doc_title="某某通知", doc_number=number,
        section=[], text=text, source=span, kind=kind,
    )  # fmt: skip


def test_a_card_of_another_number_is_not_read_for_the_number_asked() -> None:
    from rag.cards import cards_read

    asked = _card("a", "甲通知", ["文号：青政办〔2021〕8号。", "成文日期：2021年3月1日。"], number="青政办〔2021〕8号")
    other = _card("b", "乙方案", ["文号：青政办〔2021〕9号。", "成文日期：2021年3月9日。"], number="青政办〔2021〕9号")
    body = _numbered("a", "青政办〔2021〕8号", "一、加快推进牧区道路建设。")
    clauses = read_clauses([asked, other, body])
    question = Question.read("青政办〔2021〕8号是哪天印发的，讲的什么？")
    assert [c.chunk_id for c in cards_read(question, clauses)] == ["a-card", "a-clause"]
    # a question on content reads no card at all
    content = Question.read("青政办〔2021〕8号要求加快推进什么建设？")
    assert [c.chunk_id for c in cards_read(content, clauses)] == ["a-clause"]


def test_a_question_on_one_numbered_document_reads_that_document() -> None:
    from rag.cards import of_named_number

    mine = _numbered("a", "青政人〔2019〕5号", "经研究，免去：张某同志某局副局长职务。")
    theirs = _numbered("b", "青政办〔2019〕7号", "谁主管谁负责。（责任单位：各成员单位）")
    clauses = read_clauses([theirs, mine])
    naming = Naming("青政人〔2019〕5号", ("a",), "number", float("inf"))
    question = replace(Question.read("青政人〔2019〕5号免了谁的职"), named=(naming,))
    assert [c.chunk_id for c in of_named_number(question, clauses)] == ["a-clause"]
    # named by title, or its clause not read: every clause stays
    by_title = replace(question, named=(replace(naming, how="title"),))
    assert len(of_named_number(by_title, clauses)) == 2
    assert len(of_named_number(question, read_clauses([theirs]))) == 1


BASIS = "根据《国务院办公厅关于印发示例工作要点的通知》（国办发〔2022〕9号）要求，经省政府同意，现将本措施印发给你们。"
# what it says of the basis: the documents it names, not the approval or the issuing formula after them
BASIS_SAID = "根据《国务院办公厅关于印发示例工作要点的通知》（国办发〔2022〕9号）要求"


def test_the_documents_a_document_rests_on_are_quoted_from_its_notice_then_its_card() -> None:
    question = Question.read("助企纾困十条措施是依据哪个文件制定的？哪天印发？")
    assert question.only_metadata and "basis" in question.metadata
    # a measure's 「按照《…》规定」 under a heading is that measure's basis, not the document's
    headed = _notice_clause("按照《示例条例》规定，给予一次性补助。").model_copy(
        update={"section": ["一、援企稳岗"], "chunk_id": "n-2"}
    )
    hits = [NOTICE_CARD, headed, _notice_clause(BASIS)]
    quote = card_quote(question, read_clauses(hits))
    assert quote == CardQuote(
        2, (BASIS_SAID,), others=(CardQuote(0, ("成文日期：2022年5月15日。", "文号：青政办〔2022〕30号。")),)
    )
    answer = extractive_answer(question, hits)
    assert answer.text.startswith(BASIS_SAID + "[1]") and "国办发〔2022〕9号" in answer.text


def test_asked_alone_a_basis_no_quote_states_is_refused() -> None:
    question = Question.read("助企纾困十条措施是依据哪个文件制定的？")
    hits = [NOTICE_CARD, _notice_clause("为帮助测试市场主体纾困，省财政安排专项资金给予支持。")]
    answer = extractive_answer(question, hits)
    assert not answer.answerable and "依据" in answer.text
    answer = extractive_answer(question, [*hits, _notice_clause(BASIS).model_copy(update={"chunk_id": "n-3"})])
    assert answer.answerable and "国办发〔2022〕9号" in answer.text


def test_a_question_about_two_documents_is_left_to_the_clauses_when_one_card_is_missing() -> None:
    """One card answers one side of 「甲和乙是不是同一次常务会通过的」: the clauses may answer both."""
    hits = [EARLIER_CARD, LATER_CARD]
    asked = "甲规划和乙规划是不是同一次常务会通过的？"
    both = card_quote(_named(asked, "e", "l"), read_clauses(hits))
    assert isinstance(both, CardQuote) and len(both.others) == 1
    one = _named(asked, "e")
    assert len(one.sides) == 2 and card_quote(one, read_clauses(hits)) is None


def test_a_document_named_by_one_word_is_no_card_to_look_up() -> None:
    """「反拐的两个文件…」 names its documents by one word (and how many they are): no card is looked up by it, and
    the question is not refused as naming a document the corpus lacks."""
    question = Question.read("测试的两个文件是哪次常务会通过的，什么时候印发？")
    assert question.only_metadata and card_quote(question, read_clauses([NOTICE_CARD])) is None
