"""A question asked at POST /v1/ask is read once (Question.read) and looked up as a citation once
(index.lookup.find_clauses), whichever answering modules it then passes (issue #11's done-criterion)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

import rag.retriever
import rag.service
from index.lookup import find_clauses
from rag.question import Question

QUESTIONS = [
    "2022年助企纾困十条里稳岗返还比例提高到多少？",  # searched, composed, refusal-checked
    "青政办〔2020〕64号第八条讲了什么？",  # a citation: answered from the clause verbatim
    "2050年盐湖产业总产值目标是多少？",  # refused
]


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of Question.read and find_clauses calls (the server runs in this process, in a thread)."""
    calls: Counter[str] = Counter()
    read = Question.read.__func__  # type: ignore[attr-defined]

    def counting_read(cls: type[Question], text: str, history: Any = None) -> Question:
        calls["Question.read"] += 1
        return read(cls, text, history)

    def counting_find(*args: Any, **kwargs: Any) -> Any:
        calls["find_clauses"] += 1
        return find_clauses(*args, **kwargs)

    monkeypatch.setattr(Question, "read", classmethod(counting_read))
    for module in (rag.service, rag.retriever):
        monkeypatch.setattr(module, "find_clauses", counting_find)
    return calls


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_is_read_and_looked_up_once(client: httpx.Client, counted: Counter[str], question: str) -> None:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    assert counted == {"Question.read": 1, "find_clauses": 1}
