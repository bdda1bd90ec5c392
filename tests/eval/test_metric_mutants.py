"""Answer metrics on a hand-computed three-item example (no index): each metric can fail."""

from __future__ import annotations

from typing import Any

import pytest

from eval.runner import GONGBAO, AnswerResult, ItemResult, answer_metrics, citation_precision

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
