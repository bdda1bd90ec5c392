"""The optional LLM answer mode: any OpenAI-compatible endpoint through LangChain, every sentence verified.

The model sees the numbered retrieved clauses and must cite [n] after each sentence. Its streamed output is cut
into sentences; each one is checked by `rag.verify` (existing [n], figures found in the cited clauses) before it
is passed on, so the user only ever sees verified text. Sentences that fail are dropped and noted; when nothing
verified is left, or the endpoint times out, refuses the connection, fails or answers garbage, the extractive
answer is returned instead, with a note. Endpoint problems never reach the caller as exceptions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import httpx
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from rag.answer import see_also
from rag.evidence import Clause, SentenceSplitter, read_clauses
from rag.models import Answer, Citation, Evidence
from rag.question import Question, as_question
from rag.settings import Settings
from rag.verify import (
    canonical_markers,
    citations_in,
    has_content,
    is_refusal,
    strip_markers,
    supporting_quote,
    verify_sentence,
)

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """你是“青海省人民政府公报”问答助手，只能依据用户消息中给出的编号条款回答，不得使用条款以外的知识。
规则：
1. 用简体中文作答，只写完整的陈述句，不用标题、列表或 Markdown。
2. 每句话在句末标点之后标注所依据条款的编号，例如“……提高至90%。[1]”；一句话依据多条时写“[1][3]”。只能使用给出的编号。
3. 金额、比例、年份、期限、数量等数字必须与所引条款原文完全一致，不得换算、推算或四舍五入。
4. 如果这些条款不能回答问题，只回答一句“现有公报中未找到……”，不要猜测，也不要标注编号。
5. 回答简洁，一般不超过五句。"""
MAX_HISTORY_MESSAGES = 6  # the last three turns are enough to resolve 「那2030年呢？」; older ones only cost tokens
MAX_HISTORY_CHARS = 1500


class _EndpointProblem(Exception):
    """The LLM endpoint could not deliver an answer (timeout, connection, HTTP error, malformed response)."""


def format_clauses(hits: Sequence[Evidence]) -> str:
    """The retrieved clauses as the prompt numbers them: [n] with 文档标题, 文号, heading path and text."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        blocks.append(
            f"[{n}] 文档：《{hit.doc_title}》\n文号：{hit.doc_number or '无'}\n"
            f"位置：{' › '.join(hit.section) or '正文'}\n内容：{hit.text}"
        )
    return "\n\n".join(blocks)


def build_messages(
    question: str, hits: Sequence[Evidence], history: Sequence[Mapping[str, str]] | None = None
) -> list[BaseMessage]:
    """System rules, the conversation so far, then the numbered clauses and the question."""
    messages: list[BaseMessage] = [SystemMessage(SYSTEM_PROMPT)]
    turns = [m for m in history or [] if m.get("role") in ("user", "assistant") and m.get("content", "").strip()]
    for turn in turns[-MAX_HISTORY_MESSAGES:]:
        content = turn["content"][:MAX_HISTORY_CHARS]
        if turn["role"] == "user":
            messages.append(HumanMessage(content))
        else:
            # Earlier answers numbered other clause lists; their [n] would point at the wrong clauses now.
            messages.append(AIMessage(strip_markers(content)))
    messages.append(HumanMessage(f"以下是检索到的公报条款：\n\n{format_clauses(hits)}\n\n问题：{question}"))
    return messages


def _describe(exc: BaseException, timeout: float) -> str:
    """A short, user-readable account of an endpoint failure."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return f"超时（{timeout:g} 秒）"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "无法连接"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    return f"响应无法解析（{type(exc).__name__}）"


@dataclass
class _Draft:
    """What has been released so far: the pieces yielded, which sentences cite what, and the notes."""

    pieces: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # verified sentences that cite clauses (refusals do not)
    notes: list[str] = field(default_factory=list)
    newline: bool = False  # a line break came since the last released piece

    def piece(self, raw: str, question: Question, hits: Sequence[Clause]) -> str | None:
        """Verify one raw sentence; return the piece to show, or None (dropped, with a note when it said something)."""
        if raw.strip() == "" or not has_content(raw):
            self.newline = self.newline or "\n" in raw
            return None
        sentence = canonical_markers(raw.strip())
        if is_refusal(sentence, question):
            text = strip_markers(sentence).strip()  # a refusal claims nothing, so it cites nothing
        else:
            reason = verify_sentence(sentence, hits)
            if reason is not None:
                self.notes.append(f"已删除未通过核验的句子「{sentence}」：{reason}。")
                self.newline = self.newline or raw.endswith("\n")
                return None
            text = sentence
            self.claims.append(sentence)
        piece = ("\n" if self.newline and self.pieces else "") + text
        self.newline = raw.endswith("\n")
        self.pieces.append(piece)
        return piece


class LLMAnswerer:
    """Answers through the configured OpenAI-compatible endpoint, streaming only verified sentences."""

    def __init__(self, settings: Settings) -> None:
        """Configure the chat model from the GONGBAO_LLM_* settings (no request is made yet)."""
        self.settings = settings
        self.timeout = settings.llm_timeout
        self.chat = ChatOpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            model=settings.llm_model,
            timeout=settings.llm_timeout,
            max_retries=0,  # a failing endpoint falls back to extractive at once instead of retrying
            streaming=True,
            temperature=0,
        )

    def stream(
        self,
        question: Question | str,
        hits: Sequence[Evidence],
        history: Sequence[Mapping[str, str]] | None,
        fallback: Answer,
        started: float,
    ) -> Iterator[str | Answer]:
        """Verified text pieces as they are ready, then the final `Answer` (whose text the pieces make up).

        `fallback` (the extractive answer) is returned, with a note, when the endpoint fails or times out before
        anything was shown, or when no generated sentence passes verification.
        """
        if not hits:
            yield from _fallback(fallback, ["没有检索到条款，未调用大模型。"], started)
            return
        question = as_question(question)
        clauses = read_clauses(hits)  # clauses read already (by the service) are kept as they are
        draft = _Draft()
        splitter = SentenceSplitter()
        problem: str | None = None
        try:
            for token in self._tokens(build_messages(question.text, hits, history)):
                for raw in splitter.feed(token):
                    if (piece := draft.piece(raw, question, clauses)) is not None:
                        yield piece
        except _EndpointProblem as exc:
            problem = str(exc)
        else:
            for raw in splitter.flush():
                if (piece := draft.piece(raw, question, clauses)) is not None:
                    yield piece
        if not draft.pieces:
            reason = f"大模型接口{problem}" if problem else "大模型的回答中没有通过核验的句子"
            yield from _fallback(fallback, [*draft.notes, f"{reason}，已改用摘录式回答。"], started)
            return
        if problem:
            draft.notes.append(f"大模型接口{problem}，回答只包含中断前已核验的句子。")
        yield self._answer(draft, clauses, fallback, started)

    def _tokens(self, messages: list[BaseMessage]) -> Iterator[str]:
        """The model's streamed text; every endpoint failure becomes `_EndpointProblem` (with a readable reason)."""
        deadline = time.monotonic() + self.timeout
        try:
            for chunk in self.chat.stream(messages):
                yield chunk.text
                if time.monotonic() > deadline:
                    # httpx's timeout is per read; a trickling stream must not hold the answer up forever.
                    raise TimeoutError("LLM stream exceeded llm_timeout")
        except Exception as exc:  # anything the endpoint or the client library throws: the caller must not see it
            log.warning("LLM endpoint %s failed: %r", self.settings.llm_base_url, exc)
            raise _EndpointProblem(_describe(exc, self.timeout)) from exc

    def _answer(self, draft: _Draft, hits: Sequence[Clause], fallback: Answer, started: float) -> Answer:
        """The final answer from what was released: citations for the clauses cited, or a refusal."""
        latency = (time.perf_counter() - started) * 1000
        text = "".join(draft.pieces)
        if not draft.claims:  # the model only said the clauses do not answer
            return Answer(
                text=text,
                answerable=False,
                see_also=fallback.see_also or see_also(hits),
                mode="llm",
                latency_ms=latency,
                notes=draft.notes,
            )
        cited = sorted({n for claim in draft.claims for n in citations_in(claim)})
        citations = [
            Citation.from_hit(
                n,
                hits[n - 1],
                supporting_quote(
                    hits[n - 1].text, [c for c in draft.claims if n in citations_in(c)], hits[n - 1].units
                ),
            )
            for n in cited
        ]
        return Answer(
            text=text, answerable=True, citations=citations, mode="llm", latency_ms=latency, notes=draft.notes
        )


def _fallback(answer: Answer, notes: list[str], started: float) -> Iterator[str | Answer]:
    """The extractive answer as stream events (one piece per line), with the notes saying why it is used."""
    yield from answer.pieces()
    yield answer.model_copy(
        update={"notes": [*answer.notes, *notes], "latency_ms": (time.perf_counter() - started) * 1000}
    )
