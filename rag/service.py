"""The one entry point that the CLI, the HTTP API and the evaluation share: `rag.load()`."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus_store import load_corpus
from index.embedders import Embedder, make_embedder
from index.lookup import LookupResult, find_clauses
from index.models import Chunk, Corpus, Document, ParsedGazette
from index.store import Manifest, build_index, check_index_dir, load_index
from index.text import norm
from index.uploads import add_gazette, removed_ids, restore, without, write_removed
from rag.answer import extractive_answer, lookup_answer
from rag.models import Answer, Hit
from rag.retriever import Retriever
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)
DEFAULT_K = 5
ANSWER_K = 8
MODES = ("extractive", "llm")
# A follow-up leans on what was said before: it opens with 那/那么/还有/另外, points back with 它/其/该/这/上述,
# ends with 呢, or is too short to stand alone.
_BACK = "它|其|该|这|上述|同一|同样"  # words pointing back at what was said
_FOLLOW_UP = re.compile(rf"^(那|那么|还有|另外|此外|{_BACK})|呢[？?]?$")
FOLLOW_UP_MAX_CHARS = 8
_POINTS_BACK = re.compile(rf"^({_BACK})")
_NOT_SUBJECT = re.compile(
    r"(?:19|20)\d{2}\s*年?|\d+|多少|什么|怎么样|怎样|如何|哪些|情况|目标|是|的|了|呢|吗|么|那|还有|另外|此外|它|其|该|这|呀|啊|[^\w]"
)


@dataclass
class Gongbao:
    """A loaded corpus and index, and the operations served on them: search, ask, documents, citations."""

    corpus: Corpus
    settings: Settings
    retriever: Retriever
    manifest: Manifest
    _docs: dict[str, Document] = field(init=False, repr=False)
    _chunks: dict[str, Chunk] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._docs = {d.doc_id: d for d in self.corpus.documents}
        self._chunks = {c.chunk_id: c for c in self.corpus.chunks}

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    @property
    def chunks(self) -> list[Chunk]:
        return self.corpus.chunks

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._docs.get(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, or None."""
        return self._chunks.get(chunk_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading order."""
        return [c for c in self.corpus.chunks if c.doc_id == doc_id]

    def cite(self, ref: str) -> LookupResult | None:
        """Resolve a citation such as 「青政办〔2020〕64号第八条」 or 「助企纾困十条第三条」."""
        return find_clauses(self.corpus, ref)

    def search(self, query: str, k: int = DEFAULT_K, filters: Mapping[str, Any] | None = None) -> list[Hit]:
        """Top-k clauses for a query (hybrid dense + BM25). Unknown filter keys raise ValueError."""
        return self.retriever.search(query, k=k, filters=filters)

    def stream(
        self,
        question: str,
        history: Sequence[Mapping[str, str]] | None = None,
        mode: str | None = None,
        k: int | None = None,
    ) -> Iterator[str | Answer]:
        """The answer as it becomes ready: text pieces, then the finished `Answer` (whose text they make up).

        A question naming a document and clause is answered from that clause verbatim ("lookup"); a follow-up
        (「那2030年的目标呢？」) is searched in the documents the conversation was about; `mode="llm"` asks the
        configured OpenAI-compatible endpoint and passes on only what verification lets through.
        """
        started = time.perf_counter()
        mode = mode or "extractive"
        if mode not in MODES:
            raise ValueError(f"answer mode {mode!r} is not available; choose one of {', '.join(MODES)}")
        if mode == "llm" and not self.settings.llm_base_url:
            raise ValueError("answer mode 'llm' needs an LLM endpoint: set GONGBAO_LLM_BASE_URL (and _MODEL, _API_KEY)")
        lookup = self.cite(question)
        if lookup is not None and lookup.clause is not None and lookup.chunks:
            answer = lookup_answer(lookup, self.retriever.hits([c.chunk_id for c in lookup.chunks]), started)
            yield from answer.pieces()
            yield answer
            return
        understood, hits = self._retrieve(question, history, k or ANSWER_K)
        fallback = extractive_answer(understood, hits, started)
        if mode == "extractive":
            yield from fallback.pieces()
            yield fallback
            return
        from rag.llm import LLMAnswerer  # imported on demand: LangChain's OpenAI client is only needed here

        yield from LLMAnswerer(self.settings).stream(question, hits, history, fallback, started)

    def ask(
        self,
        question: str,
        history: Sequence[Mapping[str, str]] | None = None,
        mode: str | None = None,
        k: int | None = None,
    ) -> Answer:
        """A cited answer (see `stream`); ValueError for an unknown or unconfigured mode."""
        *_, answer = self.stream(question, history, mode, k)
        assert isinstance(answer, Answer)
        return answer

    def _retrieve(self, question: str, history: Sequence[Mapping[str, str]] | None, k: int) -> tuple[str, list[Hit]]:
        """The question as understood in the conversation, and the hits for it.

        A follow-up (「那2030年的呢？」) is read together with the previous question (which names the subject:
        「…盐湖产业总产值…」) and searched within the documents that question was about.
        """
        earlier = _earlier_question(history)
        if earlier and is_follow_up(question, history) and self.retriever.query_doc_number(question) is None:
            context = self.conversation_documents(history)
            # 「那房租减免呢？」 names its own subject; 「那2030年的呢？」 and 「它的…」 borrow the earlier one's.
            own = has_subject(question) and not _POINTS_BACK.match(question.strip())
            understood = question if own else f"{earlier} {question}"
            hits = self.retriever.search(understood, k=k, filters={"doc_id": context}) if context else []
            if hits:
                return understood, hits
        return question, self.retriever.search(question, k=k)

    def conversation_documents(self, history: Sequence[Mapping[str, str]] | None) -> list[str]:
        """Documents the conversation was about: those of the best hits for the latest earlier user question."""
        earlier = _earlier_question(history)
        if not earlier:
            return []
        top = self.retriever.search(earlier, k=3)
        lead = [h.doc_id for h in top if h.doc_id == top[0].doc_id] if top else []
        family = {d.doc_id for d in self.documents if d.doc_id in lead or d.parent_id in lead}
        return sorted(family)

    # ---------- corpus changes (each returns a new service; this one keeps serving until it is swapped out) ----

    def with_upload(self, filename: str, data: bytes, replace: bool = False) -> tuple[Gongbao, ParsedGazette]:
        """Add a gazette file to the corpus directory and load the grown corpus (only new chunks are embedded).

        UploadError when the file is not a readable gazette or duplicates one served (unless `replace`). If
        loading fails, the corpus directory is put back as it was.
        """
        directory = self.settings.corpus_dir
        parsed, aside = add_gazette(directory, filename, data, self.corpus, replace)
        added = directory / parsed.gazette.source_file
        try:
            write_removed(directory, removed_ids(directory) - {d.doc_id for d in parsed.documents})
            fresh = load(self.settings, embedder=self.retriever.embedder)
        except BaseException:
            restore(added, aside)
            raise
        for old in aside:
            old.unlink(missing_ok=True)
        return fresh, parsed

    def without_document(self, doc_id: str) -> tuple[Gongbao, list[str]]:
        """Withdraw a document (and its attachments) from serving; KeyError when no such document is served."""
        if doc_id not in self._docs:
            raise KeyError(doc_id)
        withdrawn = {doc_id} | {d.doc_id for d in self.documents if d.parent_id == doc_id}
        directory = self.settings.corpus_dir
        before = removed_ids(directory)
        write_removed(directory, before | withdrawn)
        try:
            fresh = load(self.settings, embedder=self.retriever.embedder)
        except BaseException:
            write_removed(directory, before)
            raise
        return fresh, sorted(withdrawn)


def _earlier_question(history: Sequence[Mapping[str, str]] | None) -> str | None:
    """The latest user question before this one, if the conversation has one."""
    asked = [m["content"] for m in history or [] if m.get("role") == "user" and m.get("content", "").strip()]
    return asked[-1] if asked else None


def has_subject(question: str) -> bool:
    """Whether a question names what it asks about, beyond years, numbers and question words."""
    return len(_NOT_SUBJECT.sub("", norm(question))) >= 2


def is_follow_up(question: str, history: Sequence[Mapping[str, str]] | None) -> bool:
    """Whether a question leans on the conversation (「那2030年的目标呢？」, 「它的牵头单位是谁」)."""
    if not any(m.get("role") == "user" for m in history or []):
        return False
    q = question.strip()
    return bool(_FOLLOW_UP.search(q)) or len(norm(q)) <= FOLLOW_UP_MAX_CHARS


def load(settings: Settings | None = None, corpus_dir: Path | None = None, embedder: Embedder | None = None) -> Gongbao:
    """Load the configured corpus and its index, building (or refreshing) the index when needed."""
    settings = settings or get_settings()
    if corpus_dir is not None:
        settings = settings.model_copy(update={"corpus_dir": corpus_dir})
    check_index_dir(settings.index_dir)  # before the parse cache inside it is read
    # Only gazette files whose bytes changed since the index was built are parsed (index/corpus_store.py).
    corpus, parsed = load_corpus(settings.corpus_dir, settings.index_dir)
    corpus = without(corpus, removed_ids(settings.corpus_dir))
    embedder = embedder or make_embedder(settings.embed_model)
    manifest = build_index(corpus, embedder, settings.index_dir, parsed=parsed)
    store = load_index(settings.index_dir, embedder, corpus=corpus)
    log.info(
        "loaded %d documents, %d chunks; index model %s", len(corpus.documents), len(corpus.chunks), manifest.model
    )
    if settings.llm_base_url:
        import rag.llm  # noqa: F401  (LangChain's OpenAI client takes seconds to import: not on the first question)
    return Gongbao(corpus=corpus, settings=settings, retriever=Retriever(store, embedder), manifest=manifest)
