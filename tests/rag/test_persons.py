"""A person a question names joins the documents that name them (a group's member list, an appointment notice): the
name is read once (rag.question.persons_named), searched by name (rag.retriever.Retriever._person_rows), each
document holding it is quoted (rag.comparison.person_quotes) and is relevant to the refusal checks. Invented names
and texts: no index needed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from index.models import Chunk, SourceSpan
from rag.answer import extractive_answer
from rag.config import RetrieverConfig
from rag.lexicon import names_person
from rag.question import Question, persons_named
from rag.refusal import refusal_reason
from rag.retriever import Retriever
from tests.helpers import make_hit


@pytest.mark.parametrize(
    ("question", "persons"),
    [
        ("李红梅在省湿地保护领导小组里是什么职务？后来的任免通知怎么说", ("李红梅",)),
        ("某州州长周建国参加了哪些领导小组？", ("周建国",)),
        ("郑晓2021年被任命为什么职务？", ("郑晓",)),
        ("办公室主任钱立新同志还兼任什么？", ("钱立新",)),
        # a surname starting a word is no name: 黄色, 解救 (words jieba's dictionary knows), 全省, 费用率 (after
        # 管理, no post), 方面
        ("黄色、橙色预警期间减排比例分别是多少？", ()),
        ("解救的儿童由哪个部门安置？", ()),
        ("全省在2025年要完成多少任务？", ()),
        ("管理费用率的目标是多少？", ()),
        ("健康管理方面有什么要求？", ()),
    ],
)
def test_a_person_is_read_where_a_question_puts_a_name(question: str, persons: tuple[str, ...]) -> None:
    assert persons_named(question) == persons
    assert Question.read(question).persons == persons


_SPAN = SourceSpan(file="x.txt", line_start=1, line_end=1)
# rows in the order the name's characters rank them: two of d0 (a member list prints a two-character name spaced),
# one of d1 sharing only characters with the name, a card, one of d2, and one of d3 naming a longer name it starts
_ROWS = [
    ("d0", "成员：郑 晓 省林草局副局长", False),
    ("d0", "郑晓同志兼任办公室主任。", False),
    ("d1", "郑州市晓光小区改造由省住房城乡建设厅负责。", False),
    ("d1", "郑晓", True),
    ("d2", "免去：郑晓同志省林草局副局长职务。", False),
    ("d3", "郑晓东同志任省林草局局长。", False),
]


def _retriever() -> Retriever:
    chunks = [Chunk(chunk_id=f"c{i}", doc_id=d, text=t, source=_SPAN) for i, (d, t, _) in enumerate(_ROWS)]
    store = SimpleNamespace(
        chunks=chunks,
        keyword=lambda query, k, tokenizer, where: [(i, 1.0 / (i + 1)) for i in range(len(chunks))],
        document_of=lambda i: SimpleNamespace(doc_id=_ROWS[i][0]),
        is_card=lambda i: _ROWS[i][2],
    )
    retriever = Retriever.__new__(Retriever)  # the name's search reads the store and the config only
    retriever.store = store  # type: ignore[assignment]
    retriever.config = RetrieverConfig()
    return retriever


def test_each_document_holding_the_name_gives_its_best_chunk() -> None:
    rows = _retriever()._person_rows(Question.read("郑晓在领导小组里是什么职务，后来呢？"), None)
    assert rows == [0, 4]  # d0's best (the spaced name is the name), one chunk a document; not d1's words, no card,
    # not d3's 郑晓东


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("郑晓同志兼任办公室主任。", True),
        ("成员：郑 晓 省林草局副局长", True),  # spaced in a member list, its post after it
        ("郑晓 海东市副市长", True),  # a space ends it as written
        ("组长：郑晓，副组长：王一", True),
        ("郑晓为领导小组组长", True),
        ("郑晓东同志任省林草局局长。", False),  # a longer name it starts
        ("成员：郑 晓 东 省林草局局长", False),
        ("郑晓光、王一", False),
    ],
)
def test_a_name_is_held_where_it_ends(text: str, held: bool) -> None:
    assert names_person(text, "郑晓") is held


GROUP = "关于成立示例湿地保护领导小组的通知"
NOTICE = "示例省人民政府职务任免通知"


def _hits() -> list:
    group = {"doc_title": GROUP, "doc_number": "示政办〔2021〕9号"}
    return [
        make_hit("领导小组办公室设在省林草局，负责日常工作。", **group),
        make_hit("领导小组负责统筹湿地保护工作，研究解决重大问题。", **group, rank=2),
        make_hit("成员：李红梅 省林草局副局长", **group, rank=3),
        make_hit("免去：李红梅同志省林草局副局长职务。", doc_title=NOTICE, doc_number="示政人〔2023〕4号", rank=4),
    ]


def test_each_document_holding_the_person_is_quoted() -> None:
    answer = extractive_answer("李红梅在湿地保护领导小组里是什么身份？后来的任免通知怎么说？", _hits())
    assert answer.answerable
    assert {c.doc_number for c in answer.citations} == {"示政办〔2021〕9号", "示政人〔2023〕4号"}
    assert "李红梅 省林草局副局长" in answer.text and "免去：李红梅同志" in answer.text


def test_a_clause_holding_the_person_is_relevant_to_the_year_check() -> None:
    # the 2023 notice shares few words with the question; it holds the person, and its 文号 the year
    assert refusal_reason(Question.read("李红梅在湿地保护领导小组里是什么身份？2023年呢？"), _hits()) is None


def test_a_person_listed_under_a_label_is_quoted_with_it() -> None:
    notice = "\n".join(
        [
            "根据工作需要，任命：",
            "王一同志为省林草局局长。",
            "免去：",
            "赵二同志省水利厅副厅长职务；",
            "李红梅同志省林草局副局长职务。",
        ]
    )
    hits = [
        make_hit("成员：李红梅 省林草局副局长", doc_title=GROUP, doc_number="示政办〔2021〕9号"),
        make_hit(notice, doc_title=NOTICE, doc_number="示政人〔2023〕4号", rank=2),
    ]
    answer = extractive_answer("李红梅在湿地保护领导小组里是什么身份？后来的任免通知怎么说？", hits)
    # what the notice does to her is its label's: 「免去：」, not 「任命：」, and not the other person's item
    assert "免去：" in answer.text and "李红梅同志省林草局副局长职务" in answer.text
    assert "赵二" not in answer.text and "任命" not in answer.text
