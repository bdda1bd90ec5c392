"""What one request can make the server hold: bodies capped before parsing, every text bounded (reliability
issue, defect 2), over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import rag
from api.schemas import MAX_CONTENT_PARTS, MAX_TURN_CHARS
from api.settings import get_http_settings
from rag.question import EARLIER_QUESTION_CHARS


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] and error["message"]
    return error


def _chat(content: Any) -> dict[str, Any]:
    return {"model": "gongbao", "messages": [{"role": "user", "content": content}]}


def test_content_parts_are_bounded_in_number_and_total_size(client: httpx.Client) -> None:
    parts = [{"type": "text", "text": "稳岗"} for _ in range(MAX_CONTENT_PARTS + 1)]
    _error(client.post("/v1/chat/completions", json=_chat(parts)), 422)
    half = "稳" * (MAX_TURN_CHARS // 2 + 1)
    _error(client.post("/v1/chat/completions", json=_chat([{"type": "text", "text": half}] * 2)), 422)
    _error(
        client.post("/v1/chat/completions", json=_chat([{"type": "text", "text": "稳" * (MAX_TURN_CHARS + 1)}])), 422
    )
    ok = client.post("/v1/chat/completions", json=_chat([{"type": "text", "text": "稳岗返还比例提高到多少？"}]))
    assert ok.status_code == 200 and "90%" in ok.json()["choices"][0]["message"]["content"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: httpx.Client) -> None:
    limit = get_http_settings().max_body_bytes
    big = b'{"model": "gongbao", "messages": [{"role": "user", "content": [' + b'{"type":"text","text":"x"},' * (
        limit // 26
    )
    body = big + b'{"type":"text","text":"x"}]}]}'
    assert len(body) > limit
    error = _error(client.post("/v1/chat/completions", content=body, headers={"content-type": "application/json"}), 413)
    assert f"{limit:,}" in error["message"]


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(client: httpx.Client) -> None:
    limit = get_http_settings().max_body_bytes
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"query": "'
        while sent <= 4 * limit:  # stops by itself if the server never cuts it off
            sent += 65536
            yield b"x" * 65536

    # (httpx sends the whole body before it reads the answer; without the cap the server would parse 16 MB)
    response = client.post("/v1/search", content=chunks(), headers={"content-type": "application/json"})
    assert f"{limit:,}" in _error(response, 413)["message"]


def test_a_long_history_reaches_the_embedder_truncated(service: rag.Gongbao, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = service.retriever.embedder
    seen: list[int] = []
    original = embedder.encode_queries

    def spy(texts: list[str]) -> Any:
        seen.extend(len(t) for t in texts)
        return original(texts)

    monkeypatch.setattr(embedder, "encode_queries", spy)
    pasted = "盐湖产业" + "的发展目标" * (MAX_TURN_CHARS // 5)
    history = [{"role": "user", "content": pasted}, {"role": "assistant", "content": "……"}]
    service.ask("那2030年的呢？", history=history)
    assert seen and max(seen) <= EARLIER_QUESTION_CHARS + len("那2030年的呢？") + 1
