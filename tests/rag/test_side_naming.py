"""A comparison's side names its document on less weight than a question's passing words, and the documents only a side
names are named by the question too (rag.retriever.Retriever.resolve), on an invented corpus: no index needed."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from index.models import Chunk, Corpus, Document, Gazette, ParsedGazette, SourceSpan
from index.names import Naming
from rag.config import RetrieverConfig
from rag.question import Question, Side
from rag.retriever import Retriever

_SPAN = SourceSpan(file="x.txt", line_start=1, line_end=1)
_TITLES = [
    "关于建立湿地修复联席会议制度的通知",
    "青海省草原防火指挥部工作规则",
    "青海省旅游公路建设规划",
    "青海省职业教育发展规划",
    "青海省河道采砂管理办法",
    "青海省农村供水工程管理办法",
    "青海省城镇燃气安全实施方案",
    "青海省中小学校舍维修实施方案",
]
# every document's text says the common words (工作, 会议, 建设, 管理…), none says 湿地 or 联席 but the first
_TEXT = "各地区各部门要加强工作会议制度建设，落实管理责任，按规定办理。"


def _corpus() -> Corpus:
    docs = [
        Document(doc_id=f"d{i}", gazette_key="g", title=t, doc_type=t[-2:], source=_SPAN) for i, t in enumerate(_TITLES)
    ]
    chunks = [Chunk(chunk_id=f"c{i}", doc_id=f"d{i}", text=_TEXT, source=_SPAN) for i in range(len(_TITLES))]
    gazette = Gazette(key="g", source_file="x.txt", sha256="0" * 64)
    return Corpus(gazettes=[ParsedGazette(gazette=gazette, documents=docs, chunks=chunks)])


def _retriever(config: RetrieverConfig) -> Retriever:
    retriever = Retriever.__new__(Retriever)  # resolving reads the corpus and the config only
    retriever.store = SimpleNamespace(corpus=_corpus())  # type: ignore[assignment]
    retriever.config = config
    return retriever


QUESTION = "湿地联席会议和草原防火指挥部的办公室分别设在哪？"


def test_a_side_names_its_document_on_the_side_weight() -> None:
    resolved = _retriever(RetrieverConfig()).resolve(QUESTION)
    assert [side.words for side in resolved.sides] == ["湿地联席会议", "草原防火指挥部"]
    assert [side.doc_ids for side in resolved.sides] == [("d0",), ("d1",)]
    # read as passing words of the question (name_weight), 「湿地联席会议」 weighs too little to name a title
    strict = _retriever(replace(RetrieverConfig(), side_name_weight=RetrieverConfig().name_weight)).resolve(QUESTION)
    assert strict.sides[0].doc_ids == ()


def test_the_documents_a_side_alone_names_are_named_by_the_question() -> None:
    resolved = _retriever(RetrieverConfig()).resolve(QUESTION)
    assert resolved.named is not None
    assert {d for n in resolved.named for d in n.doc_ids} == {"d0", "d1"}


def test_a_sides_naming_follows_the_questions_own_and_adds_no_document_twice() -> None:
    question = Question.read(QUESTION)
    own = (Naming("草原防火指挥部", ("d1",), "title", 9.0),)
    sides = (Side("湿地联席会议", "q", ("d0",)), Side("草原防火指挥部", "q", ("d1",)), Side("会议", "q", ()))
    named = Retriever._with_sides(own, sides)
    assert named == (*own, Naming("湿地联席会议", ("d0",), "side", 0.0))
    assert Retriever._with_sides(named, sides) == named
    assert question.sides  # the question is read as a comparison (the sides above are its own)
