"""Quotable units and their scores (`rag.units`): which sentences enumerate what is asked, which question words tell
the clauses apart. Hand-built clauses, no index."""

from __future__ import annotations

from rag.evidence import read_clauses
from rag.question import Question
from rag.units import enumerates, rarity
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
