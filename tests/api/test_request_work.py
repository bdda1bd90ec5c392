"""What one request can make the server spend, over real HTTP (uvicorn): questions within the 2,000-character limit
that used to hold a core for seconds (a 2,000-character run of rare characters, 500 「和」, a chain of 文号
comparisons, a long enumeration) are answered with their reading bounded (rag.config.ReadingConfig), and a search
filter is at most MAX_FILTER_CHARS long (reports/reliability.md)."""

from __future__ import annotations

import random

import httpx
import jieba.posseg
import pytest

from api.schemas import MAX_FILTER_CHARS, MAX_QUESTION_CHARS
from rag.config import READING
from rag.question import tagging_work

_RARE = "".join(chr(random.Random(3).randint(0x4E00, 0x9FA5)) for _ in range(MAX_QUESTION_CHARS))
PATHOLOGICAL = {
    "rare characters": _RARE[:1994] + "是多少？",
    "500 和": "和" * 500 + "分别是多少？",
    "文号 comparisons": ("示政〔2031〕7号和示政办〔2031〕88号各定了多少？" * 100)[:MAX_QUESTION_CHARS],
    "enumeration": ("盐湖产业的产值、" * 300)[:1994] + "是多少？",
    "rare sides": "和".join(_RARE[i : i + 3] for i in range(0, 1400, 3))[:1990] + "分别是多少？",
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_question_is_answered_with_its_reading_bounded(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    tagged: list[tuple[int, bool]] = []
    original = jieba.posseg.lcut

    def spy(text: str, HMM: bool = True) -> list[jieba.posseg.pair]:
        tagged.append((tagging_work(text), HMM))
        return original(text, HMM=HMM)

    monkeypatch.setattr(jieba.posseg, "lcut", spy)  # the server runs in this process (tests/servers.py)
    response = client.post("/v1/ask", json={"question": PATHOLOGICAL[name]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["answerable"], bool) and body["answer"]
    # the HMM ran on nothing over the budget (each tagging of a question or a side's question is within it)
    assert all(work <= READING.hmm_work for work, hmm in tagged if hmm)


def test_search_filters_are_bounded(client: httpx.Client) -> None:
    for key in ("doc_number", "doc_type"):
        long = {"query": "稳岗返还比例", "filters": {key: "青" * (MAX_FILTER_CHARS + 1)}}
        refused = client.post("/v1/search", json=long)
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] and key in error["message"]
    at_limit = {"query": "稳岗返还比例", "filters": {"doc_number": "青政办〔2022〕30号".ljust(MAX_FILTER_CHARS, " ")}}
    hits = client.post("/v1/search", json=at_limit).json()["hits"]
    assert hits and {h["doc_number"] for h in hits} == {"青政办〔2022〕30号"}
