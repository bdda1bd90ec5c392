"""OpenAI-compatible routes: /v1/chat/completions (plain and server-sent events) and /v1/models.

The last user message is the question, earlier user/assistant turns are the conversation. A streamed answer
is sent as `chat.completion.chunk` events, the last of which carries the citations, then `data: [DONE]`.

Clients that keep only the message text (LangChain's ChatOpenAI, most chat front-ends drop `citations`) still
show where the answer comes from: the text ends with a short 「来源」 list naming the document, 文号 and clause of
each [n] (GONGBAO_CHAT_SOURCES=false, or `"sources": false` in a request, leaves it out). `usage` counts
characters, not model tokens. One answer per question: `n` above 1 is refused (422).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any, TypedDict, cast

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.deps import Http, Service
from api.schemas import (
    MAX_QUESTION_CHARS,
    AssistantMessage,
    ChatChoice,
    ChatCompletion,
    ChatCompletionChunk,
    ChatDelta,
    ChatRequest,
    ChunkChoice,
    CitationOut,
    ErrorResponse,
    ModelCard,
    ModelList,
    Usage,
)
from rag.models import Answer, Citation

log = logging.getLogger(__name__)
MODEL = "gongbao"
_STARTED = int(time.time())

router = APIRouter(prefix="/v1", tags=["openai-compatible"])


def _inlined(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its `$defs` written in place: it stands inside the OpenAPI document, where a
    `#/$defs/…` reference would point at the document's root, not at the schema's own definitions."""
    schema = model.model_json_schema(mode="serialization")
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        own = {k: walk(v) for k, v in node.items() if k != "$ref"}
        return {**walk(defs[node["$ref"].rpartition("/")[2]]), **own} if "$ref" in node else own

    return cast(dict[str, Any], walk(schema))


def _json_data(model: type[BaseModel]) -> dict[str, Any]:
    return {"type": "string", "contentMediaType": "application/json", "contentSchema": _inlined(model)}


# One event, `{"data": …, "event": …}`: before OpenAPI 3.2 (and its `itemSchema`), the `schema` of an event stream is
# read as each event's, as schemathesis reads it and checks every event against it. Its `data` is a
# `chat.completion.chunk`, the error a stream failing part-way sends, or the closing `[DONE]`. Documented as
# `{"type": "string"}`, no event was in schema: the schema test failed whenever its random requests made a streamed
# answer (rarely: a question with `stream: true` and the model's name; the first time, a refusal's).
_EVENT = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"anyOf": [_json_data(ChatCompletionChunk), _json_data(ErrorResponse), {"const": "[DONE]"}]},
        "event": {"type": "string"},
    },
}
_EVENT_STREAM = {
    "text/event-stream": {
        "description": "With `stream: true`: `data: {chat.completion.chunk}` events, then `data: [DONE]`.",
        "schema": _EVENT,
    }
}
CHAT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": _EVENT_STREAM},
    404: {"model": ErrorResponse, "description": "Unknown model"},
    422: {"model": ErrorResponse, "description": "No question, or an invalid request"},
}


def _question_and_history(body: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """The question (the last message, which must be the user's) and the earlier user/assistant turns."""
    last = body.messages[-1]
    question = last.text().strip()
    if last.role != "user" or not question:
        raise HTTPException(422, "the last message must be a user message with the question in it")
    if len(question) > MAX_QUESTION_CHARS:
        raise HTTPException(422, f"the question is over {MAX_QUESTION_CHARS} characters")
    history = [
        {"role": m.role, "content": m.text()}
        for m in body.messages[:-1]
        if m.role in ("user", "assistant") and m.text()
    ]
    return question, history


def sources_text(citations: list[Citation]) -> str:
    """The 「来源」 list appended to chat answers: one line per [n] with 文号, title and clause path."""
    if not citations:
        return ""
    lines = []
    for c in citations:
        number = f"{c.doc_number} " if c.doc_number else ""
        path = f" {' › '.join(c.section)}" if c.section else ""
        lines.append(f"[{c.n}] {number}《{c.doc_title}》{path}")
    return "\n\n来源：\n" + "\n".join(lines)


def _usage(body: ChatRequest, content: str) -> Usage:
    prompt = sum(len(m.text()) for m in body.messages)
    return Usage(prompt_tokens=prompt, completion_tokens=len(content), total_tokens=prompt + len(content))


class _AnswerFields(TypedDict):
    """gongbao's fields of a chat answer, beside OpenAI's: the same in a completion and in a stream's last event."""

    citations: list[CitationOut]
    see_also: list[CitationOut]
    answerable: bool
    mode: str
    notes: list[str]


def _answer_fields(answer: Answer) -> _AnswerFields:
    return _AnswerFields(
        citations=CitationOut.all_of(answer.citations),
        see_also=CitationOut.all_of(answer.see_also),
        answerable=answer.answerable,
        mode=answer.mode,
        notes=answer.notes,
    )


def _sse(chunk: ChatCompletionChunk) -> str:
    """One event; unset fields of the chunk are left out, but citations keep every field (null included), as in
    the plain completion."""
    body = chunk.model_dump(mode="json", exclude_none=True)
    for key in ("citations", "see_also"):
        listed = getattr(chunk, key)
        if listed is not None:
            body[key] = [c.model_dump(mode="json") for c in listed]
    return f"data: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _event_stream(
    events: Iterator[str | Answer],
    first: str | Answer,
    completion_id: str,
    sources: bool = False,
    body: ChatRequest | None = None,
) -> Iterator[str]:
    """Server-sent events for a streamed answer: a role chunk, content chunks (then the 「来源」 list when
    `sources`), a final chunk with citations, and with `stream_options.include_usage` a usage chunk."""
    created = int(time.time())
    sent: list[str] = []

    def chunk(delta: ChatDelta, **extra: Any) -> ChatCompletionChunk:
        finish = "stop" if extra else None
        choice = ChunkChoice(delta=delta, finish_reason=finish)
        return ChatCompletionChunk(id=completion_id, created=created, model=MODEL, choices=[choice], **extra)

    yield _sse(chunk(ChatDelta(role="assistant", content="")))
    event: str | Answer = first
    while True:
        if isinstance(event, Answer):
            if sources and (listed := sources_text(event.citations)):
                sent.append(listed)
                yield _sse(chunk(ChatDelta(content=listed)))
            yield _sse(chunk(ChatDelta(), **_answer_fields(event)))
            if body is not None and body.stream_options is not None and body.stream_options.include_usage:
                usage = _usage(body, "".join(sent))
                yield _sse(ChatCompletionChunk(id=completion_id, created=created, model=MODEL, choices=[], usage=usage))
            break
        if event:
            sent.append(event)
            yield _sse(chunk(ChatDelta(content=event)))
        try:
            event = next(events)
        except Exception:  # the status line is already sent: report the failure as an event, not a broken stream
            log.exception("answer stream failed")
            message = "The answer failed part-way; it has been logged. Please ask again."
            yield f"data: {json.dumps({'error': {'code': 'internal_error', 'message': message}})}\n\n"
            break
    yield "data: [DONE]\n\n"


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses=CHAT_RESPONSES,
    summary="Chat completions (OpenAI-compatible)",
)
def chat_completions(body: ChatRequest, svc: Service, http: Http) -> ChatCompletion | StreamingResponse:
    """Answer the last user message with citations; `stream: true` sends server-sent events.

    The answer text carries [n] markers; `citations` says which clause each marker refers to.
    """
    if body.model != MODEL:
        raise HTTPException(404, f"model {body.model!r} does not exist; this service serves {MODEL!r}")
    if body.n is not None and body.n != 1:
        raise HTTPException(422, f"n={body.n} is not supported: this service gives one answer per question (n=1)")
    question, history = _question_and_history(body)
    sources = http.chat_sources if body.sources is None else body.sources
    events = svc.stream(
        question,
        history=history or None,
        mode=body.mode,
        k=body.k,
        as_of=body.as_of,
        in_force_only=body.in_force_only,
    )
    try:
        first = next(events)  # errors (an unconfigured mode) surface here, before any byte is sent
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    if body.stream:
        return StreamingResponse(
            _event_stream(events, first, completion_id, sources, body),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = _last(first, events)
    content = answer.text + (sources_text(answer.citations) if sources else "")
    return ChatCompletion(
        id=completion_id,
        created=int(time.time()),
        model=MODEL,
        choices=[ChatChoice(message=AssistantMessage(content=content))],
        usage=_usage(body, content),
        **_answer_fields(answer),
    )


def _last(first: str | Answer, events: Iterator[str | Answer]) -> Answer:
    """The finished answer at the end of a stream of events."""
    *_, last = (first, *events)
    assert isinstance(last, Answer), "an answer stream ends with the Answer"
    return last


@router.get("/models", response_model=ModelList, summary="Models (OpenAI-compatible)")
def list_models() -> ModelList:
    """The one model this service answers as: `gongbao`."""
    return ModelList(data=[ModelCard(id=MODEL, created=_STARTED)])


@router.get(
    "/models/{model_id}",
    response_model=ModelCard,
    responses={404: {"model": ErrorResponse, "description": "Unknown model"}},
    summary="One model (OpenAI-compatible)",
)
def get_model(model_id: str) -> ModelCard:
    """The model card of `gongbao`; 404 for any other name."""
    if model_id != MODEL:
        raise HTTPException(404, f"model {model_id!r} does not exist; this service serves {MODEL!r}")
    return ModelCard(id=MODEL, created=_STARTED)
