"""Answer metrics on a hand-computed three-item example (no index): each metric can fail."""

from __future__ import annotations

from typing import Any

import pytest

from eval.runner import (
    GONGBAO,
    AnswerResult,
    ItemResult,
    answer_metrics,
    citation_precision,
    fact_recall,
    gold_doc_numbers,
    key_facts,
    score_answer,
)

ITEMS: list[dict[str, Any]] = [
    {
        "id": "a",
        "type": "fact",
        "question": "锂产业2030年产值目标是多少？",
        "answer": "1000亿元",
        "evidence": ["到2030年，锂产业产值达到1000亿元"],
        "doc_number": "青政〔2022〕1号",
    },
    {
        "id": "b",
        "type": "fact",
        "question": "谁负责？",
        "answer": "省财政厅",
        "evidence": ["责任单位：省财政厅"],
        "doc_number": "青政〔2022〕2号",
    },
    {"id": "c", "type": "unanswerable", "question": "2050年的目标？", "answer": "", "evidence": []},
]
CHUNKS = {
    "good": "到2030年，锂产业产值达到1000亿元。",
    "other": "加强组织领导。",
    "body": "（责任单位：省财政厅）",
}


def _text(chunk_id: str) -> str:
    return CHUNKS[chunk_id]


def test_citation_precision_counts_supporting_clauses() -> None:
    cites = [{"chunk_id": "good", "doc_number": "青政〔2022〕1号"}, {"chunk_id": "other", "doc_number": None}]
    assert citation_precision(ITEMS[0], cites, _text) == 0.5
    assert citation_precision(ITEMS[0], cites[:1], _text) == 1.0
    assert citation_precision(ITEMS[0], cites[1:], _text) == 0.0
    assert citation_precision(ITEMS[0], [], _text) == 0.0


def _result(item: dict[str, Any], answerable: bool, recall: float | None, precision: float | None) -> ItemResult:
    answer = AnswerResult({"answerable": answerable, "text": "", "citations": []}, 10.0, recall, precision)
    return ItemResult(item, answers={GONGBAO: answer})


def test_answer_metrics_by_hand() -> None:
    results = [
        _result(ITEMS[0], True, 1.0, 0.5),  # answered, its one fact, half its citations good
        _result(ITEMS[1], False, 0.0, 0.0),  # refused although answerable
        _result(ITEMS[2], False, None, None),  # rightly refused
    ]
    m = answer_metrics(results)
    assert m["key_fact_recall"] == pytest.approx(0.5)
    assert m["key_fact_recall_answered"] == pytest.approx(1.0)
    assert m["citation_precision"] == pytest.approx(0.5)
    assert m["refusal_accuracy"] == pytest.approx(1.0)
    assert m["false_refusal_rate"] == pytest.approx(0.5)
    wrong = answer_metrics([*results[:2], _result(ITEMS[2], True, None, None)])  # answered the unanswerable
    assert wrong["refusal_accuracy"] == pytest.approx(0.0)


# ---------- gaps the mutmut run found (reports/mutation.md) ----------


def test_key_facts_are_numbers_else_short_phrases() -> None:
    assert key_facts("由60%提高至90%，期限30日，60%不变") == ["30", "60%", "90%"]
    # no number: the phrases of 2 to 12 characters, at most eight
    assert key_facts("省财政厅、甲、财政和" + "乙" * 12 + "、" + "丙" * 13) == ["乙" * 12, "省财政厅", "财政"]
    nine = "、".join(f"{c}{c}" for c in "一二三四五六七八九")
    assert key_facts(nine) == sorted(f"{c}{c}" for c in "一二三四五六七八九")[:8]


def test_fact_recall_by_hand() -> None:
    assert fact_recall("由60%提高至90%", "比例提高至90%[1]。") == pytest.approx(0.5)
    assert fact_recall("由60%提高至90%", "由60%提高至90%。") == pytest.approx(1.0)
    assert fact_recall("由60%提高至90%", "未找到。") == pytest.approx(0.0)
    assert fact_recall("", "任何回答") == 1.0  # nothing to check: nothing missed


def test_gold_doc_numbers_of_a_single_document_item() -> None:
    assert gold_doc_numbers(ITEMS[0]) == {"青政〔2022〕1号"}
    assert gold_doc_numbers(ITEMS[2]) == set()


def test_a_citation_in_the_gold_document_needs_a_key_fact() -> None:
    texts = {"fact": "锂产业1000亿元", "none": "加强组织领导"}
    cite = [{"chunk_id": "none", "doc_number": "青政〔2022〕1号"}]  # the right document, but no fact and no evidence
    assert citation_precision(ITEMS[0], cite, texts.__getitem__) == 0.0
    cite = [{"chunk_id": "fact", "doc_number": "青政〔2022〕1号"}]
    assert citation_precision(ITEMS[0], cite, texts.__getitem__) == 1.0


def test_scored_by_hand() -> None:
    answer = {"text": "锂产业产值达到1000亿元[1]。另见[2]。", "citations": [{"chunk_id": "good", "doc_number": None}]}
    scored = score_answer(ITEMS[0], answer, 12.0, _text)
    assert (scored.fact_recall, scored.citation_precision, scored.opening_recall) == (1.0, 1.0, 1.0)
    assert scored.length_ratio == pytest.approx(len("锂产业产值达到1000亿元。另见。") / len("1000亿元"))
    short = score_answer({**ITEMS[1], "answer": "是"}, {"text": "是的", "citations": []}, 1.0, _text)
    assert short.length_ratio == 2.0  # a one-character gold answer divides by one
    assert score_answer(ITEMS[2], {"text": "未找到", "citations": []}, 1.0, _text) == AnswerResult(
        {"text": "未找到", "citations": []}, 1.0
    )


def _timed(
    item: dict[str, Any], latency: float, answerable: bool = True, text: str = "答", **scores: float
) -> ItemResult:
    answer = AnswerResult({"answerable": answerable, "text": text}, latency, **scores)
    return ItemResult(item, answers={GONGBAO: answer})


def test_latency_and_length_percentiles_by_hand() -> None:
    ten = [_timed(ITEMS[0], 10.0 * n, fact_recall=1.0, length_ratio=float(n)) for n in range(1, 11)]
    m = answer_metrics(ten)
    assert (m["latency_p50_ms"], m["latency_p95_ms"]) == (60.0, 100.0)
    assert (m["length_ratio_p50"], m["length_ratio_p90"]) == (5.5, 10.0)
    twenty_one = answer_metrics([_timed(ITEMS[0], float(n), length_ratio=float(n)) for n in range(21)])
    assert (twenty_one["latency_p95_ms"], twenty_one["length_ratio_p90"]) == (19.0, 18.0)
    chars = [_timed(ITEMS[0], 1.0, text="一二[1]"), _timed(ITEMS[0], 1.0, text="一二三四"), _timed(ITEMS[0], 1.0)]
    assert answer_metrics(chars)["answer_chars_p50"] == 2.0
    empty = answer_metrics([])
    assert (empty["latency_p50_ms"], empty["latency_p95_ms"], empty["citation_precision"]) == (0.0, 0.0, 0.0)


def test_zero_scores_stay_zero_and_refusal_accuracy_is_a_share() -> None:
    results = [
        _timed(ITEMS[0], 1.0, fact_recall=0.0, citation_precision=0.0, length_ratio=0.0),  # answered, all wrong
        _timed(ITEMS[2], 1.0, answerable=False),
        _timed(ITEMS[2], 1.0, answerable=True),
    ]
    m = answer_metrics(results)
    assert (m["key_fact_recall_answered"], m["citation_precision"], m["length_ratio_p50"]) == (0.0, 0.0, 0.0)
    assert m["refusal_accuracy"] == pytest.approx(0.5)
