"""The answerer as a LangChain Runnable: invoke, batch, composition with other runnables, history, errors."""

from __future__ import annotations

import pytest
from langchain_core.runnables import RunnableLambda

import rag
from rag.langchain_answerer import GongbaoAnswerer
from rag.models import Answer

QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"


def test_invoke_returns_the_cited_answer(service: rag.Gongbao) -> None:
    answer = GongbaoAnswerer(service).invoke(QUESTION)
    assert isinstance(answer, Answer) and answer.answerable and "90%" in answer.text
    assert answer == service.ask(QUESTION).model_copy(update={"latency_ms": answer.latency_ms})


def test_composes_and_batches(service: rag.Gongbao) -> None:
    chain = GongbaoAnswerer(service) | RunnableLambda(lambda a: [c.doc_number for c in a.citations])
    numbers, refused = chain.batch([QUESTION, "上海市的最低工资标准是多少？"])
    assert numbers[0] == "青政办〔2022〕30号" and refused == []


def test_dict_input_carries_history(service: rag.Gongbao) -> None:
    first = "青海建设世界级盐湖产业基地行动方案提出到2025年盐湖产业总产值达到多少？"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": service.ask(first).text}]
    answer = GongbaoAnswerer(service).invoke({"question": "那2030年的呢？", "history": history})
    assert {c.doc_title for c in answer.citations} == {"青海建设世界级盐湖产业基地行动方案(2021—2035年)"}


def test_stream_text_makes_up_the_answer(service: rag.Gongbao) -> None:
    answerer = GongbaoAnswerer(service)
    assert "".join(answerer.stream_text(QUESTION)) == answerer.invoke(QUESTION).text


def test_bad_input_is_refused_by_name(service: rag.Gongbao) -> None:
    with pytest.raises(ValueError, match="colour"):
        GongbaoAnswerer(service).invoke({"question": QUESTION, "colour": "red"})
    with pytest.raises(ValueError, match="question"):
        GongbaoAnswerer(service).invoke({"history": []})
