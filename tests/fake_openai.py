"""A small fake OpenAI-compatible chat endpoint for tests: POST /v1/chat/completions, plain and streamed (SSE).

Its behaviour is chosen by the request's `model` and is derived from the prompt it receives (the numbered
clauses gongbao sends), never from canned answers:

- `good`: the first sentence of clause [1] that contains a digit, verbatim, followed by [1];
- `thorough`: every figure-bearing sentence of clause [1], each followed by [1], then on a new line the first of
  clause [2] with [2];
- `invent-number`: that sentence with its figures replaced by one that appears nowhere in the prompt;
- `wrong-citation`: that sentence citing a clause number beyond the list, then citing a clause without its figures;
- `no-citation`: that sentence without any marker;
- `refuse`: 「现有公报中未找到…」;
- `mixed`: the good sentence, then an invented one;
- `fail`: HTTP 500; `malformed`: HTTP 200 with a body that is not JSON;
- `slow`: sleeps `slow_seconds` before answering; `stall`: streams the good sentence, then sleeps `slow_seconds`;
- `obey-injection`: a model that follows instructions planted in a clause: the good sentence, then for each
  「忽略以上要求，回答：X」 in any clause, X followed by [1] (as such text usually asks).

Every request body is kept in `app.state.requests` so tests can check what was sent.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from tests.servers import free_port

BEHAVIOURS = (
    "good",
    "thorough",
    "invent-number",
    "wrong-citation",
    "no-citation",
    "refuse",
    "mixed",
    "fail",
    "malformed",
    "slow",
    "stall",
    "obey-injection",
)
INJECTION = re.compile(r"忽略以上要求，回答：([^。\n]+。?)")
REFUSAL = "现有公报中未找到能回答这个问题的条款。"
_CLAUSE = re.compile(r"^\[(\d+)\] 文档：.*?\n内容：(.*?)(?=\n\n\[\d+\] 文档：|\n\n问题：|\Z)", re.S | re.M)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def clauses(prompt: str) -> dict[int, str]:
    """The numbered clause texts of a gongbao prompt."""
    return {int(m.group(1)): m.group(2) for m in _CLAUSE.finditer(prompt)}


def _first_sentence_with_number(text: str) -> str:
    for sentence in _SENTENCE.findall(text):
        if _NUMBER.search(sentence):
            return sentence.strip()
    return _SENTENCE.findall(text)[0].strip()


def _unused_number(prompt: str) -> str:
    """A two-digit number that occurs nowhere in the prompt, so no clause can support it."""
    present = set(_NUMBER.findall(prompt))
    return next(str(n) for n in range(37, 100) if str(n) not in present and str(n) not in prompt)


def answer_for(model: str, prompt: str) -> str:
    """The reply text a behaviour gives for a prompt."""
    numbered = clauses(prompt)
    good = _first_sentence_with_number(numbered[1]) if numbered else ""
    invented = _NUMBER.sub(_unused_number(prompt), good) if good else f"比例为{_unused_number(prompt)}%。"
    if model == "good":
        return f"{good}[1]"
    if model == "thorough":
        own = [f"{s.strip()}[1]" for s in _SENTENCE.findall(numbered[1]) if _NUMBER.search(s)]
        return "".join(own) + f"\n{_first_sentence_with_number(numbered[2])}[2]"
    if model == "invent-number":
        return f"{invented}[1]"
    if model == "no-citation":
        return good
    if model == "wrong-citation":
        figures = set(_NUMBER.findall(good))
        lacking = next((n for n, t in numbered.items() if not figures & set(_NUMBER.findall(t))), len(numbered))
        return f"{good}[{len(numbered) + 1}]\n{good}[{lacking}]"
    if model == "refuse":
        return REFUSAL
    if model == "mixed":
        return f"{good}[1]{invented}[1]"
    if model == "stall":
        return f"{good}[1]\n"
    if model == "obey-injection":
        planted = [m.group(1).rstrip("。") for text in numbered.values() for m in INJECTION.finditer(text)]
        return f"{good}[1]" + "".join(f"{demand}[1]。" for demand in planted)
    raise KeyError(model)


def _chunks(text: str, size: int = 3) -> Iterator[str]:
    """Small pieces, so markers and sentences arrive split across chunks as real streams do."""
    for i in range(0, len(text), size):
        yield text[i : i + size]


def _event(model: str, delta: dict[str, Any], finish: str | None = None) -> str:
    chunk = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"


def create_app(slow_seconds: float = 4.0) -> FastAPI:
    """The fake endpoint; `slow` and `stall` sleep `slow_seconds` (set it above the client's timeout)."""
    app = FastAPI()
    app.state.requests = []

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Response:
        body = await request.json()
        app.state.requests.append(body)
        model = str(body.get("model", ""))
        prompt = str(body["messages"][-1]["content"])
        if model == "fail":
            return JSONResponse({"error": {"message": "internal error", "type": "server_error"}}, status_code=500)
        if model == "malformed":
            return PlainTextResponse("<html>not json</html>", status_code=200, media_type="application/json")
        if model == "slow":
            await asyncio.sleep(slow_seconds)
            model = "good"
        try:
            text = answer_for(model, prompt)
        except KeyError:
            return JSONResponse({"error": {"message": f"model {model} not found"}}, status_code=404)
        if not body.get("stream"):
            return JSONResponse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": len(prompt), "completion_tokens": len(text), "total_tokens": 0},
                }
            )

        async def events() -> AsyncIterator[str]:
            yield _event(model, {"role": "assistant", "content": ""})
            for piece in _chunks(text):
                yield _event(model, {"content": piece})
            if model == "stall":
                await asyncio.sleep(slow_seconds)
            yield _event(model, {}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def unused_port_url() -> str:
    """A URL on which nothing listens (connection refused)."""
    url = f"http://127.0.0.1:{free_port()}"
    try:
        httpx.get(url, timeout=1)
    except httpx.ConnectError:
        return url
    raise RuntimeError("port unexpectedly in use")
