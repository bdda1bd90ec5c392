"""The OpenAI-compatible routes over real HTTP, driven by the official `openai` SDK (plain and streaming)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

import rag
from api.app import create_app
from api.chat import _event_stream
from rag.models import Answer
from tests.conftest import LLM_TIMEOUT, FakeLLM
from tests.helpers import error_message as _error
from tests.servers import running

QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"


@pytest.fixture()
def sdk(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused", max_retries=0) as client:
        yield client


def _user(text: str) -> list[Any]:
    return [{"role": "user", "content": text}]


def test_models_lists_gongbao(sdk: openai.OpenAI) -> None:
    assert [m.id for m in sdk.models.list()] == ["gongbao"]
    assert sdk.models.retrieve("gongbao").id == "gongbao"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("gpt-4")


def test_plain_completion_carries_citations(sdk: openai.OpenAI, client: httpx.Client) -> None:
    completion = sdk.chat.completions.create(model="gongbao", messages=_user(QUESTION))
    text = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop" and "90%" in text and "[1]" in text
    citations = (completion.model_extra or {})["citations"]
    assert citations[0]["doc_number"] == "青政办〔2022〕30号" and citations[0]["section"]
    chunk = client.get(f"/v1/chunks/{citations[0]['chunk_id']}").json()
    assert citations[0]["quote"] in chunk["text"]


def test_streaming_matches_the_plain_answer(sdk: openai.OpenAI) -> None:
    plain = sdk.chat.completions.create(model="gongbao", messages=_user(QUESTION))
    pieces, final = [], None
    for chunk in sdk.chat.completions.create(model="gongbao", messages=_user(QUESTION), stream=True):
        pieces.append(chunk.choices[0].delta.content or "")
        if chunk.choices[0].finish_reason == "stop":
            final = chunk
    assert "".join(pieces) == plain.choices[0].message.content
    assert final is not None and (final.model_extra or {})["citations"] == (plain.model_extra or {})["citations"]


def test_stream_is_server_sent_events_ending_with_done(client: httpx.Client) -> None:
    body = {"model": "gongbao", "messages": _user(QUESTION), "stream": True}
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line.removeprefix("data: ") for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "gongbao" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["answerable"] is True


def test_conversation_is_history(sdk: openai.OpenAI) -> None:
    first = "青海建设世界级盐湖产业基地行动方案提出到2025年盐湖产业总产值达到多少？"
    answer = sdk.chat.completions.create(model="gongbao", messages=_user(first)).choices[0].message.content
    messages: list[Any] = [
        {"role": "system", "content": "请依据公报回答。"},
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": "那2030年的呢？"},
    ]
    follow_up = sdk.chat.completions.create(model="gongbao", messages=messages)
    docs = {c["doc_title"] for c in (follow_up.model_extra or {})["citations"]}
    assert docs == {"青海建设世界级盐湖产业基地行动方案(2021—2035年)"}
    assert "2030" in (follow_up.choices[0].message.content or "")


def test_refusal_is_a_completion_with_see_also(sdk: openai.OpenAI) -> None:
    completion = sdk.chat.completions.create(model="gongbao", messages=_user("上海市的最低工资标准是多少？"))
    extra = completion.model_extra or {}
    assert extra["answerable"] is False and extra["citations"] == [] and extra["see_also"]
    assert "未找到" in (completion.choices[0].message.content or "")


def test_bad_chat_requests(client: httpx.Client, sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="gpt-4"):
        sdk.chat.completions.create(model="gpt-4", messages=_user(QUESTION))
    post = "/v1/chat/completions"
    assert "user message" in _error(client.post(post, json={"messages": [{"role": "assistant", "content": "hi"}]}), 422)
    assert "user message" in _error(client.post(post, json={"messages": _user("   ")}), 422)
    assert "2000" in _error(client.post(post, json={"messages": _user("问" * 2001)}), 422)
    assert "messages" in _error(client.post(post, json={"messages": []}), 422)
    assert "GONGBAO_LLM_BASE_URL" in _error(client.post(post, json={"messages": _user("盐湖"), "mode": "llm"}), 422)
    _error(client.post(post, content=b"{", headers={"content-type": "application/json"}), 422)


def test_a_failure_mid_stream_ends_with_an_error_event() -> None:
    """Once the 200 status is sent a failure can only be reported in-band: an error event, then [DONE]."""

    def failing() -> Iterator[str | Answer]:
        yield "第二句"
        raise RuntimeError("index vanished")

    events = list(_event_stream(failing(), "第一句", "chatcmpl-test"))
    assert events[-1] == "data: [DONE]\n\n"
    error = json.loads(events[-2].removeprefix("data: "))
    assert error["error"]["code"] == "internal_error" and "index vanished" not in error["error"]["message"]
    contents = [json.loads(e.removeprefix("data: "))["choices"][0]["delta"].get("content") for e in events[:-2]]
    assert contents == ["", "第一句", "第二句"]


@pytest.fixture(scope="module")
def llm_base_url(service: rag.Gongbao, fake_llm: FakeLLM) -> Iterator[str]:
    """The service configured with the fake LLM endpoint (answering well), served over real HTTP."""
    update = {"llm_base_url": f"{fake_llm.url}/v1", "llm_model": "mixed", "llm_timeout": LLM_TIMEOUT}
    with running(create_app(dataclasses.replace(service, settings=service.settings.model_copy(update=update)))) as url:
        yield url


def test_llm_mode_streams_only_verified_sentences(llm_base_url: str) -> None:
    """The fake answers one sentence from clause [1] and one invented figure: only the first reaches the user."""
    with openai.OpenAI(base_url=f"{llm_base_url}/v1", api_key="unused", max_retries=0) as client:
        stream = client.chat.completions.create(
            model="gongbao", messages=_user(QUESTION), stream=True, extra_body={"mode": "llm"}
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    final = chunks[-1].model_extra or {}
    assert final["mode"] == "llm" and final["answerable"] is True and "[1]" in text
    assert any("已删除" in note for note in final["notes"])  # the invented figure was removed, and said so
    with httpx.Client(base_url=llm_base_url) as http:
        for citation in final["citations"]:
            assert citation["quote"] in http.get(f"/v1/chunks/{citation['chunk_id']}").json()["text"]
        body = http.post("/v1/ask", json={"question": QUESTION, "mode": "llm"}).json()
    answer, _, sources = text.partition("\n\n来源：\n")  # chat text ends with the sources, for plain clients
    assert body["mode"] == "llm" and body["answer"] == answer and body["notes"] == final["notes"]
    assert sources.startswith("[1] ")
