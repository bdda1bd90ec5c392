"""LangChain interface: the answerer as a `Runnable`, so users can put cited answers inside their own chains.

Input is a question, or a dict {"question", "history"?, "mode"?, "k"?}; output is the `rag.models.Answer`
(text with [n] markers, citations). `stream` yields the answer's text pieces as they become ready.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from rag.models import Answer
from rag.service import Gongbao

AnswerInput = str | Mapping[str, Any]


def _request(value: AnswerInput) -> dict[str, Any]:
    """The keyword arguments of `Gongbao.ask` for one input; ValueError naming what is wrong."""
    if isinstance(value, str):
        return {"question": value}
    unknown = set(value) - {"question", "history", "mode", "k"}
    if unknown or not isinstance(value.get("question"), str):
        raise ValueError(
            "input must be a question or a dict with 'question' (and optionally 'history', 'mode', 'k')"
            + (f"; unknown keys: {', '.join(sorted(unknown))}" if unknown else "")
        )
    return dict(value)


class GongbaoAnswerer(Runnable[AnswerInput, Answer]):
    """Cited answers from the gazettes as a LangChain Runnable.

    >>> answerer = GongbaoAnswerer(rag.load())
    >>> answerer.invoke("2022年助企纾困十条里稳岗返还比例提高到多少？").citations[0].doc_number
    '青政办〔2022〕30号'
    """

    def __init__(self, service: Gongbao, mode: str | None = None, k: int | None = None) -> None:
        self.service = service
        self.mode = mode
        self.k = k

    def _answer(self, value: AnswerInput) -> Answer:
        request = {"mode": self.mode, "k": self.k, **_request(value)}
        return self.service.ask(**request)

    def invoke(self, input: AnswerInput, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        """The cited answer to one question (callbacks and tracing via `config`, as for any Runnable)."""
        return self._call_with_config(self._answer, input, config)

    def stream_text(self, input: AnswerInput) -> Iterator[str]:
        """The answer's text pieces as they become ready (the finished answer is what `invoke` returns)."""
        request = {"mode": self.mode, "k": self.k, **_request(input)}
        for event in self.service.stream(**request):
            if isinstance(event, str):
                yield event
