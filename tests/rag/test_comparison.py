"""A comparison of documents gets the best quote of each document it names."""

from __future__ import annotations

from rag.answer import extractive_answer
from rag.comparison import compared_documents
from rag.evidence import read_clauses
from rag.question import Question
from tests.helpers import make_hit

MARKET = "青海省“十四五”市场监管现代化规划"
SCIENCE = "青海省“十四五”科技创新规划"
OTHER = "青海省老龄事业发展规划"


def _hits() -> list:
    return [
        make_hit("到2025年，每万人口高价值发明专利拥有量达到2.5件。", doc_title=MARKET, doc_number="青政〔2022〕31号"),
        make_hit("每万人口发明专利拥有量稳步增长。", doc_title=MARKET, doc_number="青政〔2022〕31号", rank=2),
        make_hit(
            "到2025年，每万人口发明专利拥有量达到3件。", doc_title=SCIENCE, doc_number="青政办〔2021〕117号", rank=3
        ),
        make_hit("老年人口发明专利拥有量不作要求。", doc_title=OTHER, doc_number="青政办〔2021〕118号", rank=4),
    ]


QUESTION = "市场监管现代化规划和科技创新规划对每万人口发明专利拥有量的2025年目标分别是多少？"


def test_the_documents_a_comparison_names_are_found_by_their_titles() -> None:
    keys = compared_documents(Question.read(QUESTION), read_clauses(_hits()))
    assert sorted(keys) == ["青政〔2022〕31号", "青政办〔2021〕117号"]  # not the plan the question does not name


def test_a_question_comparing_nothing_names_no_documents() -> None:
    question = Question.read("市场监管现代化规划对每万人口发明专利拥有量的2025年目标是多少？")
    assert compared_documents(question, read_clauses(_hits())) == []


def test_a_comparison_quotes_each_named_document() -> None:
    answer = extractive_answer(QUESTION, _hits())
    assert answer.answerable
    assert {c.doc_number for c in answer.citations} >= {"青政〔2022〕31号", "青政办〔2021〕117号"}
    assert "2.5件" in answer.text and "3件" in answer.text


def test_a_document_named_only_through_words_it_shares_with_another_is_not_compared() -> None:
    plan = "关于进一步改革完善医疗卫生服务体系的实施方案"
    similar = "青海省“十四五”医疗卫生服务体系规划"
    hits = [
        make_hit("到2025年，每千人口执业（助理）医师数达到3.28人。", doc_title=plan, doc_number="青政办〔2023〕75号"),
        make_hit("每千人口执业（助理）医师数达到3.2人。", doc_title=similar, doc_number="青政办〔2021〕124号", rank=2),
    ]
    question = Question.read("医疗卫生服务体系实施方案提出的医师数和护士数分别是多少？")
    assert compared_documents(question, read_clauses(hits)) == []


GROUP = "关于成立示例教材审定委员会的通知"


def test_a_part_keeps_the_sentence_answering_it_after_the_opening() -> None:
    # the opening answers the first part (the 主任); the clause answering the second part is cut to the sentence
    # saying where the office is, not to its first sentence, which merely names the office
    hits = [
        make_hit("主任：赵一 副省长", doc_title=GROUP, rank=1),
        make_hit(
            "委员变动的，由所在单位报委员会办公室备案。委员会办公室设在省测试厅，承担日常工作。",
            doc_title=GROUP,
            rank=2,
        ),
    ]
    answer = extractive_answer(Question.read("示例教材审定委员会主任是谁？办公室在哪？"), hits)
    assert answer.answerable and "赵一" in answer.text and "设在省测试厅" in answer.text
    assert "备案" not in answer.text


GRASS = "示例草原生态保护规划"
WETLAND = "示例湿地保护修复方案"


def _labelled_hits(wetland_number: str | None = "青政办〔2099〕12号") -> list:
    return [
        make_hit("到2030年，草原综合植被盖度达到58%。", doc_title=GRASS, doc_number="青政〔2099〕7号"),
        make_hit("到2030年，湿地保护率达到66%。", doc_title=WETLAND, doc_number=wetland_number, rank=2),
    ]


def test_a_comparison_names_each_quoted_document_by_its_number_once() -> None:
    answer = extractive_answer("草原生态保护规划和湿地保护修复方案的2030年目标分别是多少？", _labelled_hits())
    lines = answer.text.split("\n")
    assert any(line.startswith("青政〔2099〕7号：") and "58%" in line for line in lines)
    assert any(line.startswith("青政办〔2099〕12号：") and "66%" in line for line in lines)
    assert answer.text.count("青政〔2099〕7号") == 1  # once, before the document's first line
    # the label is no part of the verbatim quotes
    assert all(c.quote in {h.text for h in _labelled_hits()} or "号：" not in c.quote for c in answer.citations)


def test_an_answer_about_one_document_and_a_document_without_number_are_not_labelled() -> None:
    one = extractive_answer("草原生态保护规划的2030年草原综合植被盖度目标是多少？", _labelled_hits()[:1])
    assert "青政〔2099〕7号" not in one.text
    unnumbered = extractive_answer("草原生态保护规划和湿地保护修复方案的2030年目标分别是多少？", _labelled_hits(None))
    assert "66%" in unnumbered.text and not any(line.startswith("示例") for line in unnumbered.text.split("\n"))
