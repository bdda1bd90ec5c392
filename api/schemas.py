"""HTTP request/response bodies (the public contract; field names are fixed)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from index.models import Document, SourceSpan
from index.validity import ClauseReference, DocReference, Validity, ValidityStatus
from rag.models import Answer, Citation, Hit

# What one request may make the server hold and the models read (the body itself is capped before parsing,
# see api/limits.py). A question is a sentence or two; a turn of history may quote an earlier answer.
MAX_QUESTION_CHARS = 2000
MAX_TURN_CHARS = 8000
MAX_TURNS = 50
MAX_CONTENT_PARTS = 16
# A search filter's value is one 文号 (15 characters or so) or a document type word: each is checked against every
# document, so an unbounded one (a megabyte 文号 took minutes) would hold a core per request.
MAX_FILTER_CHARS = 100


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No document matches 青政办〔2019〕1号"])


class ErrorResponse(BaseModel):
    error: ErrorDetail


class IndexInfo(BaseModel):
    built_at: str | None = None
    model: str | None = None
    corpus_files: list[str] = Field(default_factory=list)
    store: str = Field("faiss", description="The vector store serving: 'faiss' (embedded) or 'milvus'.")


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    documents: int
    chunks: int
    index: IndexInfo


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    doc_number: str | None
    doc_type: str
    gazette: str = Field(description="Gazette issue key, e.g. 2021-23")
    issue: str = Field(description="The issue as printed, e.g. 2021年第23期（总第515期）", examples=["2022年第9期"])
    signed: date | None
    parent_id: str | None
    chunks: int
    status: ValidityStatus | None = Field(
        None,
        description="On `as_of` (default today), as the gazette text states it: in_force, not_yet_in_force, expired, "
        "repealed (by a document of the corpus) or unknown (the text says nothing). Null where not computed.",
        examples=["in_force"],
    )
    effective_from: date | None = Field(
        None, description="Effective date the text states (印发/发布/公布之日 or a date)."
    )
    expires_on: date | None = Field(None, description="Last valid day (有效期至… / 有效期X年), inclusive.")
    repealed_by: str | None = Field(None, description="doc_id of the corpus document that repealed it.")

    @classmethod
    def from_document(cls, doc: Document, chunks: int, issue: str, validity: Validity | None = None) -> DocumentSummary:
        """The summary of a parsed document that has `chunks` chunks, from the issue labelled `issue`."""
        return cls(
            doc_id=doc.doc_id,
            title=doc.title,
            doc_number=doc.doc_number,
            doc_type=doc.doc_type,
            gazette=doc.gazette_key,
            issue=issue,
            signed=doc.signed,
            parent_id=doc.parent_id,
            chunks=chunks,
            status=validity.status if validity else None,
            effective_from=validity.effective_from if validity else None,
            expires_on=validity.expires_on if validity else None,
            repealed_by=validity.repealed_by if validity else None,
        )


class ChunkOut(BaseModel):
    chunk_id: str
    doc_id: str
    doc_title: str
    doc_number: str | None
    kind: str
    section: list[str]
    text: str
    source: SourceSpan


class ReferenceOut(BaseModel):
    """A reference written in a clause: to a clause of the same document, or to another document."""

    kind: Literal["clause", "document"]
    text: str = Field(description="The reference as written, e.g. 本办法第八条 or 《…》(青政办〔2015〕198号).")
    chunk_id: str = Field(description="The clause that holds the reference.")
    doc_id: str
    label: str | None = Field(None, description="For a clause reference: the clause path looked up, e.g. 第八条.")
    doc_number: str | None = None
    title: str | None = None
    target_chunk_ids: list[str] = Field(default_factory=list)
    target_doc_ids: list[str] = Field(default_factory=list, description="Empty when the corpus lacks the document.")

    @classmethod
    def from_reference(cls, ref: ClauseReference | DocReference) -> ReferenceOut:
        if isinstance(ref, ClauseReference):
            return cls(
                kind="clause",
                text=ref.text,
                chunk_id=ref.chunk_id,
                doc_id=ref.doc_id,
                label=ref.label,
                target_chunk_ids=ref.targets,
            )
        return cls(
            kind="document",
            text=ref.text,
            chunk_id=ref.chunk_id,
            doc_id=ref.doc_id,
            doc_number=ref.doc_number,
            title=ref.title,
            target_doc_ids=ref.targets,
        )


class ChunkDetail(ChunkOut):
    references_out: list[ReferenceOut] = Field(
        default_factory=list, description="What this clause cites: clauses of its document, other documents."
    )
    references_in: list[ReferenceOut] = Field(
        default_factory=list, description="Clauses that cite this one (「依照本办法第八条」)."
    )


class DocumentDetail(DocumentSummary):
    issuer: str | None
    addressees: str | None
    parent_title: str | None
    source: SourceSpan
    clauses: list[ChunkOut] = Field(description="The document's chunks in reading order, each with its heading path.")


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class CiteResponse(BaseModel):
    ref: str = Field(examples=["青政办〔2020〕64号第八条"])
    doc_id: str
    doc_title: str
    doc_number: str | None
    clause: str | None = Field(
        description="The clause asked for, as understood (e.g. 第八条); null for a whole document."
    )
    clauses: list[ChunkOut]


class SearchFilters(BaseModel):
    """Restrict a search; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")
    doc_number: str | None = Field(None, max_length=MAX_FILTER_CHARS, examples=["青政办〔2022〕30号"])
    year: int | None = Field(None, ge=1949, le=2100, examples=[2022])
    doc_type: str | None = Field(None, max_length=MAX_FILTER_CHARS, examples=["方案"])


AS_OF_FIELD = Field(
    None,
    description="The date statuses are given for (YYYY-MM-DD); default today. A status note in the answer and the "
    "`in_force_only` filter use it too.",
    examples=["2023-01-01"],
)
IN_FORCE_FIELD = Field(
    False,
    description="Leave out documents expired, repealed or not yet in force on `as_of` (documents whose text "
    "states nothing, status unknown, stay).",
)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, examples=["稳岗返还比例提高到多少"])
    k: int = Field(5, ge=1, le=50)
    filters: SearchFilters | None = None
    as_of: date | None = AS_OF_FIELD
    in_force_only: bool = IN_FORCE_FIELD


class StandingOut(BaseModel):
    """The status of a hit's or citation's document on the request's date, and the clauses it refers to."""

    status: ValidityStatus | None = Field(
        None,
        description="in_force, not_yet_in_force, expired, repealed or unknown (the text says nothing; never guessed).",
        examples=["expired"],
    )
    effective_from: date | None = Field(None, description="Effective date the text states.")
    expires_on: date | None = Field(None, description="Last valid day the text states (inclusive).")
    repealed_by: str | None = Field(None, description="doc_id of the corpus document that repealed it.")
    related: list[str] = Field(
        default_factory=list,
        description="chunk_ids of clauses of the same document this clause refers to (「依照本办法第八条」).",
    )


class HitOut(StandingOut):
    rank: int
    score: float
    chunk_id: str
    doc_id: str
    doc_title: str
    doc_number: str | None
    section: list[str]
    text: str
    source: SourceSpan


class SearchResponse(BaseModel):
    hits: list[HitOut]

    @classmethod
    def of(cls, hits: list[Hit]) -> SearchResponse:
        """The response for a search's hits (what `/v1/search` returns, for gongbao and the bench's baseline)."""
        return cls(hits=[HitOut(**h.model_dump(exclude={"kind"})) for h in hits])


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        min_length=1, max_length=MAX_QUESTION_CHARS, examples=["2022年助企纾困十条里稳岗返还比例提高到多少？"]
    )
    k: int | None = Field(None, ge=1, le=50)
    history: list[Message] | None = Field(None, max_length=MAX_TURNS)
    mode: Literal["extractive", "llm"] | None = Field(
        None,
        description="'extractive' (default: verbatim sentences) or 'llm' (needs GONGBAO_LLM_BASE_URL; every "
        "sentence verified against its cited clause, extractive fallback).",
    )
    as_of: date | None = AS_OF_FIELD
    in_force_only: bool = IN_FORCE_FIELD


class CitationOut(StandingOut):
    n: int
    chunk_id: str
    doc_title: str
    doc_number: str | None
    section: list[str]
    quote: str
    status_note: bool = Field(
        False, description="True for the clause a status note cites (the expiry, repeal or start of a document)."
    )

    @classmethod
    def all_of(cls, citations: list[Citation]) -> list[CitationOut]:
        """The citations as the API shows them (without their source span)."""
        return [cls(**c.model_dump(exclude={"source"})) for c in citations]


class AskResponse(BaseModel):
    answer: str = Field(description="Answer text with [n] citation markers.")
    answerable: bool
    short_answer: str | None = Field(
        None,
        description="For a question asking a value (a figure, a date, a body, a person): one short sentence stating "
        "it in a quote's own words with its [n]; the answer opens with it.",
    )
    citations: list[CitationOut]
    see_also: list[CitationOut] = Field(default_factory=list)
    mode: str
    latency_ms: float
    notes: list[str] = Field(
        default_factory=list, description="What verification removed, or why the extractive answer was used."
    )

    @classmethod
    def of(cls, answer: Answer, latency_ms: float) -> AskResponse:
        """The response for an answer (what `/v1/ask` returns, for gongbao and the bench's baseline)."""
        return cls(
            answer=answer.text,
            answerable=answer.answerable,
            short_answer=answer.short_answer,
            citations=CitationOut.all_of(answer.citations),
            see_also=CitationOut.all_of(answer.see_also),
            mode=answer.mode,
            latency_ms=round(latency_ms, 2),
            notes=answer.notes,
        )


# ---------- OpenAI-compatible chat (the official `openai` SDK works against these unchanged) ----------


class ContentPart(BaseModel):
    """A part of a message in the list form OpenAI clients may send; only text parts carry the question."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(max_length=40, examples=["text"])
    text: str | None = Field(None, max_length=MAX_TURN_CHARS)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = Field(None, max_length=MAX_TURN_CHARS)

    @model_validator(mode="after")
    def _bounded(self) -> ChatMessage:
        """A list of parts is held to the limits of one string: at most MAX_CONTENT_PARTS, MAX_TURN_CHARS in all."""
        if isinstance(self.content, list):
            if len(self.content) > MAX_CONTENT_PARTS:
                raise ValueError(f"a message has at most {MAX_CONTENT_PARTS} content parts")
            if len(self.text()) > MAX_TURN_CHARS:
                raise ValueError(f"a message's text parts add up to over {MAX_TURN_CHARS} characters")
        return self

    def text(self) -> str:
        """The message's text, whether sent as a string or as content parts."""
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatRequest(BaseModel):
    """OpenAI chat-completions request; sampling options clients send (temperature, ...) are accepted and ignored."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": "gongbao",
                    "messages": [{"role": "user", "content": "稳岗返还比例提高到多少？"}],
                    "stream": False,
                }
            ]
        },
    )
    model: str = Field("gongbao", examples=["gongbao"])
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_TURNS)
    stream: bool = False
    mode: Literal["extractive", "llm"] | None = Field(None, description="gongbao extension: the answer mode.")
    k: int | None = Field(None, ge=1, le=50, description="gongbao extension: clauses to retrieve.")
    n: int | None = Field(None, ge=1, description="Number of answers: only 1 is served (one answer per question).")
    sources: bool | None = Field(
        None,
        description="gongbao extension: append the 「来源」 list to the answer (default GONGBAO_CHAT_SOURCES, on).",
    )
    as_of: date | None = Field(
        None, description="gongbao extension: the date statuses and status notes are given for; default today."
    )
    in_force_only: bool = Field(
        False, description="gongbao extension: leave out documents expired, repealed or not yet in force on as_of."
    )
    stream_options: StreamOptions | None = None


class Usage(BaseModel):
    """Sizes in characters (gongbao's answers are composed, not sampled from a tokenizer-bound model)."""

    prompt_tokens: int = Field(description="Characters of the messages' text.")
    completion_tokens: int = Field(description="Characters of the answer text.")
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    """The answer as a chat completion, plus gongbao's citation fields."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    citations: list[CitationOut] = Field(description="What each [n] marker in the answer refers to.")
    see_also: list[CitationOut] = Field(default_factory=list)
    answerable: bool
    mode: str
    notes: list[str] = Field(default_factory=list)
    usage: Usage


class ChatDelta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: ChatDelta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of a streamed answer; the last one (finish_reason "stop") carries the citations."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    citations: list[CitationOut] | None = None
    see_also: list[CitationOut] | None = None
    answerable: bool | None = None
    mode: str | None = None
    notes: list[str] | None = None
    usage: Usage | None = Field(None, description="On the last event, with stream_options.include_usage.")


class ModelCard(BaseModel):
    id: str = Field(examples=["gongbao"])
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "gongbao"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# ---------- admin ----------


class UploadResponse(BaseModel):
    file: str = Field(description="File name the gazette was saved under in the corpus directory.")
    gazette: str = Field(description="Issue key, e.g. 2021-23.")
    documents: list[DocumentSummary]
    chunks: int


class DeleteResponse(BaseModel):
    deleted: list[str] = Field(description="Doc ids withdrawn: the document and its attachments.")


class UploadJob(BaseModel):
    """An upload indexed in the background (large gazettes): poll GET /v1/jobs/{id} until `done` or `failed`."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    file: str = Field(description="The uploaded file's name as sent.")
    chunks: int = Field(description="Clauses the upload adds.")
    created: str
    finished: str | None = None
    result: UploadResponse | None = Field(None, description="Once done: what the upload added.")
    error: ErrorDetail | None = Field(None, description="Once failed: why (the same errors a direct upload gives).")
