"""Hybrid retrieval over the real USE index of the bundled corpus, on each vector store (FAISS + BM25, Milvus)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import rag
from index.embedders import Embedder
from index.store import IndexMismatchError, Manifest, load_index
from index.text import norm
from rag.retriever import Retriever, RetrieverConfig, rrf, score_sum
from rag.settings import Settings
from tests.conftest import use_embedder


@pytest.fixture(scope="module", params=["faiss", "milvus"])
def retriever(built: tuple[Path, Manifest], request: pytest.FixtureRequest) -> Retriever:
    if request.param == "faiss":
        return Retriever(load_index(built[0], use_embedder()), use_embedder())
    from index.milvus_store import Collections, MilvusStore, connect

    settings: Settings = request.getfixturevalue("milvus_settings")
    store = MilvusStore(connect(settings.milvus_uri), Collections(settings.milvus_collection), use_embedder())
    return Retriever(store, use_embedder())


def test_question_finds_the_answer_in_top_3(retriever: Retriever) -> None:
    hits = retriever.search("2022年助企纾困十条里稳岗返还比例提高到多少？", k=3)
    assert any("90%" in h.text for h in hits), [h.text[:40] for h in hits]
    assert [h.rank for h in hits] == [1, 2, 3]


def test_doc_number_and_clause_lookup_comes_first(retriever: Retriever) -> None:
    hits = retriever.search("青政办〔2020〕64号第八条", k=5)
    assert hits[0].section[-1].endswith("第八条") and hits[0].score == 1.0
    assert hits[0].doc_number == "青政办〔2020〕64号"


def test_doc_number_in_query_ranks_that_document_first(retriever: Retriever) -> None:
    hits = retriever.search("青政办〔2022〕30号 失业保险", k=10)
    assert hits and {h.doc_number for h in hits[:3]} == {"青政办〔2022〕30号"}


def test_two_doc_numbers_in_query_bring_both_documents(retriever: Retriever) -> None:
    # a 文号 boosts its document, it does not filter away the other one a comparison needs
    numbers = {"青政办〔2022〕30号", "青政办〔2020〕64号"}
    hits = retriever.search("青政办〔2022〕30号和青政办〔2020〕64号哪个先印发", k=10)
    assert numbers <= {h.doc_number for h in hits}


def test_a_short_document_named_by_number_has_its_clause_read(retriever: Retriever) -> None:
    # a personnel notice is its card and one clause: in the search of it alone the card (spelling the 文号) wins
    # every list, and min-max scaling put the clause at 0, below other documents' 「谁…」 clauses: it is kept
    hits = retriever.search("青政人〔2020〕11号涉及谁的职务变动", k=8)
    assert any(h.doc_number == "青政人〔2020〕11号" and h.kind != "card" for h in hits), [h.chunk_id for h in hits]


def test_doc_number_filter(retriever: Retriever) -> None:
    hits = retriever.search("养老服务", k=10, filters={"doc_number": "青政办〔2022〕30号"})
    assert hits and {h.doc_number for h in hits} == {"青政办〔2022〕30号"}


def test_year_and_gazette_filters(retriever: Retriever) -> None:
    hits = retriever.search("养老服务", k=10, filters={"year": 2021})
    docs = retriever.store.documents
    assert hits and all(docs[h.doc_id].year == 2021 for h in hits)
    key = next(iter(docs.values())).gazette_key
    assert all(docs[h.doc_id].gazette_key == key for h in retriever.search("规划", k=5, filters={"gazette": key}))


def test_unknown_filter_is_named(retriever: Retriever) -> None:
    with pytest.raises(ValueError, match="colour"):
        retriever.search("养老", filters={"colour": "red"})


def test_score_sum_fusion_option(retriever: Retriever) -> None:
    summed = Retriever(retriever.store, retriever.embedder, RetrieverConfig(fusion="sum", understand=False))
    hits = summed.search("失业保险稳岗返还比例", k=5)
    assert len(hits) == 5 and hits[0].score >= hits[-1].score


def test_other_embedder_is_refused(retriever: Retriever) -> None:
    class Other(Embedder):
        name, dims = "other", 8

        def encode_queries(self, texts: list[str]) -> np.ndarray:
            return np.zeros((len(texts), 8), dtype=np.float32)

        encode_passages = encode_queries

    with pytest.raises(IndexMismatchError):
        Retriever(retriever.store, Other())


def test_fusion_functions() -> None:
    assert rrf([[(1, 9.0), (2, 5.0)], [(2, 0.9), (3, 0.1)]], k=60)[0][0] == 2
    summed = score_sum([[(1, 10.0), (2, 0.0)], [(2, 1.0), (1, 0.5), (3, 0.0)]])
    assert summed == [(1, 1.5), (2, 1.0), (3, 0.0)]


def test_a_metadata_question_puts_the_named_documents_card_first(retriever: Retriever) -> None:
    hits = retriever.search("助企纾困和支持市场主体发展十条措施是什么时候印发的？", k=5)
    assert hits[0].kind == "card" and hits[0].chunk_id.endswith("-card") and hits[0].score == 1.0
    assert "助企纾困" in hits[0].doc_title


def test_cards_count_less_for_a_question_about_the_content(retriever: Retriever) -> None:
    question = "青海省助企纾困和支持市场主体发展十条措施 青政办〔2022〕30号 青海省人民政府办公厅"
    weighed = retriever.search(question, k=3)
    plain = Retriever(retriever.store, retriever.embedder, replace(retriever.config, card_weight=1.0))
    assert any(h.kind == "card" for h in plain.search(question, k=3))  # the card holds every word of it
    assert all(h.kind != "card" for h in weighed)


def test_hollow_chunks_count_less(retriever: Retriever) -> None:
    """The notice sentence that issues a plan holds the plan's title words but not its content; the lead-in
    「…通知如下：」 announces what follows; a heading alone names a topic its items answer."""
    # without the role holders' preference too: the third question asks who holds a role, and the holder's list
    # (rag.lexicon.holds_role) would come first even with hollow chunks weighed as any other
    plain = Retriever(retriever.store, retriever.embedder, replace(retriever.config, hollow_weight=1.0, role_boost=0.0))
    for question, hollow in [
        ("青海省助企纾困和支持市场主体发展十条措施要求各地怎样落实？", "印发给你们"),
        ("青海零碳产业园区建设领导小组的工作规则是什么？", "通知如下"),
        ("妇女儿童发展规划编制工作领导小组办公室主任由谁兼任？", "领导小组办公室主要工作职责。"),
    ]:
        assert hollow in plain.search(question, k=1)[0].text
        assert hollow not in retriever.search(question, k=1)[0].text


def test_an_annex_list_counts_as_a_heading() -> None:
    """「附件：…」 names the annexes only: hollow like a heading (kept for a list question), unless it has a figure."""
    from rag.retriever import _hollow_kind

    assert _hollow_kind("附件：助企纾困政策咨询联络方式", 300) == "heading"
    assert _hollow_kind("附件：1. 高原美丽城镇示范省建设提升行动2. 高原美丽城镇示范省建设重大工程", 300) == "heading"
    assert _hollow_kind("附件：2022年重点任务清单", 300) is None
    assert _hollow_kind("推进高原美丽城镇示范省建设提升行动。", 300) is None


def test_a_hollow_code_stands_for_its_kind_at_any_length_limit() -> None:
    """The code the build stores per clause (index.text.hollow_code) reads as the retriever's kind: a formula's code
    is its normalised length, so `hollow_max_chars` still decides at search time."""
    from index.text import HOLLOW_HEADING, HOLLOW_NONE, hollow_code
    from rag.retriever import _kind_of

    formula = "现将《某某县乡村道路养护办法》印发给你们，请认真贯彻执行。"
    code = hollow_code(formula)
    assert code == len(norm(formula))
    assert _kind_of(code, 300) == "formula" and _kind_of(code, code) == "formula" and _kind_of(code, code - 1) is None
    assert hollow_code("（二）村级组织工作职责。") == HOLLOW_HEADING and _kind_of(HOLLOW_HEADING, 0) == "heading"
    assert hollow_code("（二）村级组织工作职责。年底前完成。") == HOLLOW_NONE  # it goes on after the heading
    assert hollow_code("已经县政府第12次常务会议审议通过，现予印发。") == HOLLOW_NONE  # it names its meeting
    assert _kind_of(HOLLOW_NONE, 300) is None


def test_an_annex_list_does_not_outrank_the_clause(retriever: Retriever) -> None:
    # the annex list holds the document's own words (「助企纾困」); the clause answering holds 「有效期至」
    plain = Retriever(retriever.store, retriever.embedder, replace(retriever.config, hollow_weight=1.0))
    question = "助企纾困和支持市场主体发展的十条措施，有效期截止到哪天？"

    def order(r: Retriever) -> list[str]:
        texts = [h.text for h in r.search(question, k=10)]
        return [t for t in texts if t.startswith("附件") or "有效期至" in t]

    assert order(plain)[0].startswith("附件")
    assert "有效期至" in order(retriever)[0]


def test_a_formula_in_a_long_clause_is_not_hollow(retriever: Retriever) -> None:
    """Past `hollow_max_chars` a clause holding the issuing formula says more than the formula: full weight."""
    short = Retriever(retriever.store, retriever.embedder, replace(retriever.config, hollow_max_chars=10))
    question = "青海省助企纾困和支持市场主体发展十条措施要求各地怎样落实？"
    assert "印发给你们" in short.search(question, k=1)[0].text
    assert "印发给你们" not in retriever.search(question, k=1)[0].text


def test_a_notice_stating_its_meeting_is_not_hollow(retriever: Retriever) -> None:
    # 「…已经省政府第95次常务会议审议通过，现印发给你们」 says which meeting approved the plan
    hits = retriever.search("青海省“十四五”医疗卫生服务体系规划是哪次会议审议通过的？", k=1)
    assert "第95次常务会议" in hits[0].text


def test_a_list_question_keeps_the_item_headings(retriever: Retriever) -> None:
    hits = retriever.search("青海省反对拐卖人口行动实施方案的工作措施分为哪几个方面？", k=3)
    assert hits[0].section[-1].startswith("（") and hits[0].text.endswith("。") and len(hits[0].text) < 20


def test_a_named_documents_clause_comes_before_another_plans_restatement(retriever: Retriever) -> None:
    # 中部盐湖区 is set out in the 盐湖 plan too; the question names the 生态经济 plan
    question = "按生态经济规划，中部盐湖区优先开发哪些盐湖？"
    unnamed = Retriever(retriever.store, retriever.embedder, replace(retriever.config, title_boost=0.0))
    assert unnamed.search(question, k=1)[0].doc_number == "青政〔2021〕54号"
    assert retriever.search(question, k=1)[0].doc_number == "青政办〔2021〕122号"


def test_a_comparison_gets_candidates_from_each_named_document(retriever: Retriever) -> None:
    question = "高原美丽城镇示范省建设实施方案和服务业高质量发展实施意见对物流枢纽分别有什么要求？"
    # nor each side of the comparison searched on its own (Question.sides), which finds the second document too
    unnamed = Retriever(retriever.store, retriever.embedder, replace(retriever.config, max_named=0, side_weight=0))
    assert {h.doc_number for h in unnamed.search(question, k=5)} == {"青政〔2020〕60号"}
    assert {h.doc_number for h in retriever.search(question, k=5)} == {"青政〔2020〕60号", "青政办〔2020〕62号"}


def test_resolve_reads_the_named_documents_once(retriever: Retriever) -> None:
    question = retriever.resolve("助企纾困十条对餐饮企业有什么补贴？")
    assert question.named is not None and [n.how for n in question.named] == ["title"]
    assert retriever.resolve(question) is question


def test_a_search_reads_the_named_documents_once(retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    # a metadata question asks for them in rank and again for its cards; a roles question again for the role boost
    import rag.retriever

    calls: list[str] = []
    names_in = rag.retriever.names_in

    def counted(*args: object, **kw: object) -> object:
        calls.append(str(args[1]))
        return names_in(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rag.retriever, "names_in", counted)
    metadata = "助企纾困和支持市场主体发展十条措施是什么时候印发的？"
    for question in (metadata, "妇女儿童发展规划编制工作领导小组组长是谁？"):
        calls.clear()
        assert retriever.search(question, k=3)
        assert len(calls) == 1


def test_a_title_boost_ranks_the_named_plan_not_the_notice_issuing_it(retriever: Retriever) -> None:
    question = "医疗卫生服务体系实施方案对家庭医生签约服务覆盖率提出了什么目标？"
    boosted = Retriever(retriever.store, retriever.embedder, replace(retriever.config, title_boost=0.3))
    top = boosted.search(question, k=3)
    assert {h.doc_title for h in top} == {"关于进一步改革完善医疗卫生服务体系的实施方案"}


def test_the_doc_number_a_query_names_is_the_first_the_corpus_holds(service: rag.Gongbao) -> None:
    retriever = service.retriever
    assert retriever.query_doc_number("青政办〔2015〕198号废止后，青政办〔2020〕64号呢？") == "青政办〔2020〕64号"
    assert (
        retriever.query_doc_number("经青政办〔2020〕64号同意的办法呢？") == "青政办〔2020〕64号"
    )  # a word run into it
    assert retriever.query_doc_number("青政办〔2015〕198号呢？") is None


def test_a_memo_computes_each_value_once_and_stays_within_its_limit() -> None:
    from rag.retriever import _Memo

    computed: list[int] = []

    def square(n: int) -> int:
        computed.append(n)
        return n * n

    memo: _Memo[int, int] = _Memo(limit=2)
    assert [memo.get(n, lambda n=n: square(n)) for n in (3, 3, 4)] == [9, 9, 16] and computed == [3, 4]
    memo.get(5, lambda: square(5))  # past the limit: starts over
    assert len(memo) <= 2
    assert memo.get(3, lambda: square(3)) == 9 and computed == [3, 4, 5, 3]  # forgotten, computed again
