"""Quotable units and their scores (`rag.units`): which sentences enumerate what is asked, which question words tell
the clauses apart. Hand-built clauses, no index."""

from __future__ import annotations

from dataclasses import replace

from index.names import Naming
from rag.config import DEFAULT
from rag.evidence import read_clauses
from rag.models import Hit
from rag.question import Question
from rag.units import document_weights, enumerates, rarity, restates, score_units
from tests.helpers import make_hit


def test_rarity_weighs_the_words_that_tell_clauses_apart() -> None:
    clauses = read_clauses(
        [
            make_hit("到2025年，服务业增加值占地区生产总值比重53%左右。", rank=1),
            make_hit("到2025年，全省实现金融业增加值300亿元，占地区生产总值比重8.5%左右。", rank=2),
            make_hit("到2025年，服务业从业人员占全省从业人员比重50%左右。", rank=3),
        ]
    )
    weights = rarity(Question.read("到2025年金融业增加值目标是多少？"), clauses)
    assert weights["金融"] > weights["增加"] > 0  # 金融 in one clause, 增加值 in two
    assert "目标" not in weights  # no clause holds it: it tells nothing apart


def test_a_sentence_enumerates_items_of_the_noun_asked() -> None:
    assert enumerates("指挥部下设综合协调组、物资保障组、舆情引导组。", "专项小组")  # items end with 组
    assert enumerates("在东城区、西城区、南城区等3个街道开展试点。", "街道")  # the run names the noun
    assert not enumerates("利用网络、电视、报刊等媒体平台，宣传街道试点成效。", "街道")  # another clause's noun
    assert not enumerates("指挥部下设综合协调组、物资保障组、舆情引导组。", "")


# ---------- the document a clause is of (`document_weights`, `restates`) ----------

_ORIGINAL = "示例湖区保护行动方案"


def _of(hit: Hit, doc_id: str) -> Hit:
    return hit.model_copy(update={"doc_id": doc_id})


def _restated() -> list[Hit]:
    """An earlier plan's decision, and a later plan restating it under a heading naming the earlier one (in words
    nearer the question's: it scores higher sentence for sentence)."""
    return [
        _of(
            make_hit(
                "以甲湖、乙湖、丙湖等3个湖泊为重点，保护北部湖区。",
                ["二、空间布局", "（三）北部湖区"],
                doc_title=f"青海省{_ORIGINAL}",
                doc_number="青政〔2099〕5号",
                rank=1,
            ),
            "original",
        ),
        _of(
            make_hit(
                "优先保护以甲湖为主的北部湖区，包括甲湖、乙湖、丙湖、丁湖等4个湖泊。",
                ["第三章 推进示例湖区保护行动", "第一节 优化湖区布局"],
                doc_title="青海省示例生态发展规划",
                doc_number="青政办〔2099〕9号",
                rank=2,
            ),
            "later",
        ),
    ]


def test_the_original_document_leads_over_a_later_plan_restating_it() -> None:
    question = Question.read("优先保护的北部湖区包括哪几个湖泊？")
    clauses = read_clauses(_restated())
    assert document_weights(question, clauses) == [1.0, DEFAULT.restating_weight]
    assert clauses[score_units(question, clauses)[0].hit_index].doc_number == "青政〔2099〕5号"
    # a question naming the later plan asks what it says
    named = replace(question, named=(Naming("示例生态发展规划", ("later",), "title", 9.0),))
    assert clauses[score_units(named, clauses)[0].hit_index].doc_number == "青政办〔2099〕9号"


def test_a_clause_quoting_a_retrieved_title_restates_it_a_title_sharing_words_does_not() -> None:
    titles = {_ORIGINAL}
    quoting = read_clauses([make_hit(f"落实《青海省{_ORIGINAL}》，在甲湖开展保护试点。")])[0]
    assert restates(quoting, titles)
    other = read_clauses([make_hit("制定《示例湖区保护行动促进计划（2099—2100年）》，明确任务。")])[0]
    assert not restates(other, titles)  # a document still to be made, sharing words with the title
    assert not restates(quoting, titles, replace(DEFAULT, restate_chars=0))


def test_a_clause_holds_its_title_and_the_titles_it_quotes_without_the_issuer_read_once() -> None:
    text = f"落实《青海省{_ORIGINAL}》和《青海省人民政府办公厅关于印发示例湖区监测办法的通知》。"
    clause = read_clauses([make_hit(text, doc_title=f"青海省人民政府关于印发{_ORIGINAL}的通知")])[0]
    assert clause.bare_title == f"{_ORIGINAL}的通知"
    assert clause.titles_quoted == {_ORIGINAL, "示例湖区监测办法的通知"}
    assert {"bare_title", "titles_quoted"} <= vars(clause).keys()  # read on first use, then held


def test_a_question_naming_its_document_weighs_other_documents_down_unless_it_compares() -> None:
    clauses = read_clauses(
        [
            _of(make_hit("甲组组长由副省长担任。", doc_title="青海省示例甲方案", doc_number="青政〔2099〕1号"), "a"),
            _of(make_hit("乙组组长由副省长担任。", doc_title="青海省示例乙方案", doc_number="青政〔2099〕2号"), "b"),
        ]
    )
    naming = (Naming("示例甲方案", ("a",), "title", 9.0),)
    asked = replace(Question.read("示例甲方案的组长由谁担任？"), named=naming)
    assert document_weights(asked, clauses) == [1.0, DEFAULT.unnamed_doc_weight]
    assert DEFAULT.unnamed_doc_weight < 1.0
    compared = replace(Question.read("示例甲方案和示例乙方案的组长分别由谁担任？"), named=naming)
    assert document_weights(compared, clauses) == [1.0, 1.0]


def test_a_sentence_stating_no_year_is_of_the_year_its_clause_opens_with() -> None:
    clauses = read_clauses(
        [
            make_hit("到2035年，示例产业体系基本建成。示例产业产值达到900亿元，示例基地全面建成。", ["（三）总体目标"]),
            make_hit("加强示例基地建设的组织领导。", ["五、保障措施"], rank=2),
            make_hit(
                "表：示例产业发展目标\n指标：产值规模／示例产业；单位：亿元；2025 年：200；2030 年：500；2035 年：900",
                ["（三）总体目标", "示例产业发展目标"],
                kind="table_row",
                rank=3,
            ),
        ]
    )
    question = Question.read("到2030年示例产业产值要达到多少？")
    assert score_units(question, clauses)[0].hit_index == 2  # the row's 2030 value, not the 2035 target
    assert score_units(question, clauses, replace(DEFAULT, opening_dates=False))[0].hit_index == 0
