"""The one entry point that the CLI, the HTTP API and the evaluation share: `rag.load()`."""

from __future__ import annotations

import _thread
import logging
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from index.corpus_store import ParsedFiles, file_keys, load_corpus, source_key
from index.embedders import Embedder, make_embedder
from index.errors import UnknownModeError
from index.lookup import LookupResult, find_clauses
from index.models import Chunk, Corpus, Document
from index.parser import corpus_files
from index.store import Manifest, build_index, check_index_dir, current_manifest, load_index
from index.uploads import removed_ids, without
from rag.answer import extractive_answer, lookup_answer
from rag.config import DEFAULT, AnswerConfig
from rag.evidence import read_clauses
from rag.models import Answer, Hit
from rag.question import Question, earlier_question
from rag.retriever import Retriever
from rag.settings import Settings, get_settings
from rag.status import in_force_documents, related_of, stamp
from rag.status_note import with_status_notes
from rag.validity_answer import validity_answer

log = logging.getLogger(__name__)
DEFAULT_K = 5
ANSWER_K = DEFAULT.depth  # clauses an answer reads when the request gives no k
MODES = ("extractive", "llm")
# A question that goes through every answering step (a year, a figure asked for, a refusal check).
WARM_UP_QUESTION = "2025年的目标是多少？"


@dataclass
class Gongbao:
    """A loaded corpus and index, and the operations served on them: search, ask, documents, citations."""

    corpus: Corpus
    settings: Settings
    retriever: Retriever
    manifest: Manifest
    answer_config: AnswerConfig = field(default_factory=AnswerConfig)
    _docs: dict[str, Document] = field(init=False, repr=False)
    _checked: float = field(init=False, repr=False, default=0.0)
    _newer: Gongbao | None = field(init=False, repr=False, default=None)
    # typed by its class (threading.Lock is a factory function, which pydantic cannot read as a type)
    _refresh_lock: _thread.LockType = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._docs = {d.doc_id: d for d in self.corpus.documents}
        self._checked = time.monotonic()

    @property
    def store_kind(self) -> str:
        """Which vector store serves this snapshot: 'faiss' or 'milvus'."""
        return self.retriever.store.kind

    def refreshed(self) -> Gongbao:
        """This snapshot, or a newer one when another replica changed the shared corpus (Milvus only).

        The shared store's corpus generation is checked at most every GONGBAO_MILVUS_REFRESH_SECONDS; when it
        moved on (an upload or withdrawal on another replica), the corpus is read again from Milvus — nothing
        is parsed — and the new snapshot returned. The embedded store has no other writer: always `self`.
        """
        store = self.retriever.store
        version = getattr(store, "version", None)
        if version is None:
            return self
        if self._newer is not None:
            return self._newer.refreshed()
        if time.monotonic() - self._checked < self.settings.milvus_refresh_seconds:
            return self
        with self._refresh_lock:  # one reload per change, however many requests see it at once
            if self._newer is not None:
                return self._newer
            if time.monotonic() - self._checked < self.settings.milvus_refresh_seconds:
                return self
            current = version()
            self._checked = time.monotonic()
            if current is None or current == getattr(store, "generation", None):
                return self
            log.info("the shared corpus changed (generation %s): reloading it from Milvus", current)
            self._newer = load(self.settings, embedder=self.retriever.embedder, sync=False)
            return self._newer

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    @property
    def chunks(self) -> Sequence[Chunk]:
        """Every served chunk in index order: a lazy read-only sequence on the embedded store (its length is free;
        iterating it decodes the whole corpus, which no request does)."""
        return self.corpus.chunks

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._docs.get(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, or None (an indexed lookup in the corpus store, through its LRU cache)."""
        return self.corpus.chunk(chunk_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading order (an indexed query, not a scan)."""
        return self.corpus.chunks_of(doc_id)

    def chunk_counts(self) -> dict[str, int]:
        """doc_id → number of chunks (from the corpus's packed per-chunk array)."""
        return self.corpus.chunk_counts()

    def warm_up(self) -> None:
        """Answer one question now, so that what loads lazily (the embedding model's weights, jieba's dictionaries
        and part-of-speech tagger) loads once, here, and not in each of the first concurrent requests."""
        self.ask(WARM_UP_QUESTION)

    def cite(self, ref: Question | str) -> LookupResult | None:
        """Resolve a citation such as 「青政办〔2020〕64号第八条」 or 「助企纾困十条第三条」."""
        return cite(self.corpus, ref)

    def search(
        self,
        query: str,
        k: int = DEFAULT_K,
        filters: Mapping[str, Any] | None = None,
        as_of: date | None = None,
        in_force_only: bool = False,
    ) -> list[Hit]:
        """Top-k clauses for a query (hybrid dense + BM25), each with its document's status on `as_of` (default
        today); `in_force_only` leaves out documents expired, repealed or not yet in force on that day. Unknown
        filter keys raise UnknownFilterError."""
        hits = self.retriever.search(query, k=k, filters=self._in_force(filters, as_of, in_force_only))
        return stamp(self.corpus, hits, as_of)

    def _in_force(
        self, filters: Mapping[str, Any] | None, as_of: date | None, in_force_only: bool
    ) -> Mapping[str, Any] | None:
        """The filters, restricted to documents not known to be out of force on `as_of` when asked to."""
        if not in_force_only:
            return filters
        allowed = in_force_documents(self.corpus, as_of)
        if filters and filters.get("doc_id") is not None:
            given = filters["doc_id"]
            wanted = set(given) if isinstance(given, list | tuple | set | frozenset) else {given}
            allowed = [d for d in allowed if d in wanted]
        return {**(filters or {}), "doc_id": allowed}

    def _finish(self, answer: Answer, as_of: date | None, notes: bool = True) -> Answer:
        """An answer with its status notes (rag.status_note) and every citation's standing on `as_of`."""
        if notes:
            answer = with_status_notes(self.corpus, answer, as_of, self.answer_config)
        return answer.model_copy(
            update={
                "citations": stamp(self.corpus, answer.citations, as_of),
                "see_also": stamp(self.corpus, answer.see_also, as_of),
            }
        )

    def with_related(self, hits: list[Hit], depth: int) -> list[Hit]:
        """The first `depth` hits, each followed by the clauses of its document it refers to (「依照本办法第八条」)
        that are not among them: those clauses join the answer's context."""
        kept = hits[:depth]
        have = {h.chunk_id for h in kept}
        out: list[Hit] = []
        for hit in kept:
            out.append(hit)
            wanted = [c for c in related_of(self.corpus, hit.chunk_id) if c not in have]
            have |= set(wanted)
            out += self.retriever.hits(wanted)
        return out

    def stream(
        self,
        question: str,
        history: Sequence[Mapping[str, str]] | None = None,
        mode: str | None = None,
        k: int | None = None,
        as_of: date | None = None,
        in_force_only: bool = False,
    ) -> Iterator[str | Answer]:
        """The answer as it becomes ready: text pieces, then the finished `Answer` (whose text they make up).

        A validity question about a named document (「…还有效吗」) is answered from the validity statements
        ("validity"); a question naming a document and clause is answered from that clause verbatim ("lookup"); a
        follow-up (「那2030年的目标呢？」) is searched in the documents the conversation was about; `mode="llm"`
        asks the configured OpenAI-compatible endpoint and passes on only what verification lets through.
        Citations carry their document's status on `as_of` (default today), and an answer resting on a document
        not in force that day says so (rag.status_note); `in_force_only` searches only documents not known to be
        out of force.
        """
        started = time.perf_counter()
        mode = mode or "extractive"
        if mode not in MODES:
            raise UnknownModeError(f"answer mode {mode!r} is not available; choose one of {', '.join(MODES)}")
        if mode == "llm" and not self.settings.llm_base_url:
            raise UnknownModeError(
                "answer mode 'llm' needs an LLM endpoint: set GONGBAO_LLM_BASE_URL (and _MODEL, _API_KEY)"
            )
        asked = self.retriever.resolve(Question.read(question, history))  # with the documents it names
        validity = validity_answer(self.corpus, asked, as_of, started)
        if validity is not None:
            answer = self._finish(validity, as_of, notes=False)  # it states the status itself
            yield from answer.pieces()
            yield answer
            return
        lookup = self.cite(asked)
        if lookup is not None and lookup.clause is not None and lookup.chunks:
            hits = self.retriever.hits([c.chunk_id for c in lookup.chunks])
            answer = self._finish(lookup_answer(lookup, hits, started, self.answer_config), as_of)
            yield from answer.pieces()
            yield answer
            return
        depth = k or self.answer_config.depth
        allowed = self._in_force(None, as_of, in_force_only)
        understood, hits = self._retrieve(asked, history, depth, lookup, allowed)
        hits = self.with_related(hits, depth)
        clauses = read_clauses(hits)  # each hit read once, for the extractive answer and for LLM verification
        config = replace(self.answer_config, depth=len(hits) or depth)
        fallback = extractive_answer(understood, clauses, started, config)
        if mode == "extractive":
            answer = self._finish(fallback, as_of)
            yield from answer.pieces()
            yield answer
            return
        from rag.llm import LLMAnswerer  # imported on demand: LangChain's OpenAI client is only needed here

        for event in LLMAnswerer(self.settings).stream(asked, clauses, history, fallback, started):
            if isinstance(event, Answer):
                finished = self._finish(event, as_of)
                if len(finished.text) > len(event.text):  # the status notes, after the streamed text
                    yield finished.text[len(event.text) :]
                yield finished
            else:
                yield event

    def ask(
        self,
        question: str,
        history: Sequence[Mapping[str, str]] | None = None,
        mode: str | None = None,
        k: int | None = None,
        as_of: date | None = None,
        in_force_only: bool = False,
    ) -> Answer:
        """A cited answer (see `stream`); UnknownModeError for an unknown or unconfigured mode."""
        *_, answer = self.stream(question, history, mode, k, as_of, in_force_only)
        if not isinstance(answer, Answer):  # pragma: no cover - stream always ends with the Answer
            raise TypeError("an answer stream ends with the Answer")
        return answer

    def _retrieve(
        self,
        question: Question,
        history: Sequence[Mapping[str, str]] | None,
        k: int,
        lookup: LookupResult | None,
        filters: Mapping[str, Any] | None = None,
    ) -> tuple[Question, list[Hit]]:
        """The question as understood in the conversation, and the hits for it.

        A follow-up (「那2030年的呢？」) is read together with the previous question (which names the subject:
        「…盐湖产业总产值…」) and searched within the documents that question was about. `lookup` is the
        question's citation lookup, done already; `filters` restrict both searches (documents in force).
        """
        if question.follow_up and self.retriever.query_doc_number(question) is None:
            context = self.conversation_documents(history)
            # 「那房租减免呢？」 names its own subject; 「那2030年的呢？」 and 「它的…」 borrow the earlier one's.
            understood = question.in_context()
            if filters and filters.get("doc_id") is not None:  # documents in force only
                context = [d for d in context if d in set(filters["doc_id"])]
            hits = self.retriever.search(understood, k=k, filters={"doc_id": context}) if context else []
            if hits:
                return understood, hits
        return question, self.retriever.search(question, k=k, filters=filters, looked_up=lookup)

    def conversation_documents(self, history: Sequence[Mapping[str, str]] | None) -> list[str]:
        """Documents the conversation was about: those of the best hits for the latest earlier user question."""
        earlier = earlier_question(history)
        if not earlier:
            return []
        top = self.retriever.search(earlier, k=3)
        lead = [h.doc_id for h in top if h.doc_id == top[0].doc_id] if top else []
        family = {d.doc_id for d in self.documents if d.doc_id in lead or d.parent_id in lead}
        return sorted(family)


def cite(corpus: Corpus, ref: Question | str) -> LookupResult | None:
    """Resolve a citation in `corpus` (a loaded service's, or `read_corpus`'s): the one citation lookup that
    answers, `/v1/cite` and `gongbao show` share. A `Question` is looked up by the reference it was read with."""
    return find_clauses(corpus, ref.reference if isinstance(ref, Question) else ref)


def read_corpus(
    settings: Settings | None = None, files: Iterable[Path] | None = None, keys: Mapping[str, str] | None = None
) -> tuple[Corpus, ParsedFiles]:
    """The corpus the service serves, without loading an index or a model: the corpus folder's gazettes (only
    files whose bytes changed since the index was built are parsed again), less withdrawn documents. Unreadable
    files are listed in the corpus's `problems`. `keys`: the files' `file_keys`, when already hashed."""
    settings = settings or get_settings()
    check_index_dir(settings.index_dir)  # before the parse cache inside it is read
    corpus, parsed = load_corpus(
        settings.corpus_dir, settings.index_dir, files, options=settings.read_options(), keys=keys
    )
    return without(corpus, removed_ids(settings.corpus_dir)), parsed


def _source_key(settings: Settings, keys: Mapping[str, str]) -> str:
    return source_key(keys, removed_ids(settings.corpus_dir), settings.read_options())


def build(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    force: bool = False,
    progress: bool | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[Corpus, Manifest]:
    """Build (or refresh) the index of the served corpus (`read_corpus`); with `force`, re-embed every chunk.

    The progress bar is drawn only for a person watching (`progress=None`: when stderr is a terminal); piped into
    a log collector it would break the JSON lines. The manifest records the corpus's `source_key`, so that a
    restart finding the same files, withdrawals and options serves the index without reading the corpus.
    """
    settings = settings or get_settings()
    corpus, parsed = read_corpus(settings, keys=keys)
    embedder = embedder or make_embedder(settings.embed_model)
    shown = sys.stderr.isatty() if progress is None else progress
    manifest = build_index(
        corpus,
        embedder,
        settings.index_dir,
        force=force,
        parsed=parsed,
        progress=shown,
        source=_source_key(settings, parsed.keys),
    )
    return corpus, manifest


def load(
    settings: Settings | None = None,
    corpus_dir: Path | None = None,
    embedder: Embedder | None = None,
    sync: bool | None = None,
) -> Gongbao:
    """Load the configured corpus and its index, building (or refreshing) the index when needed.

    A restart whose corpus files, withdrawals and read options are those the index was built from (`source_key`,
    recorded in the manifest) parses and decodes nothing: the corpus is served from the index folder's store
    (`index.corpus_store.StoredCorpus`: chunks decoded when asked for). Otherwise the corpus is read (changed files
    parsed) and the index refreshed first.

    With GONGBAO_VECTOR_STORE=milvus, `sync` says whether this process writes the corpus folder into Milvus (the
    writer: `gongbao build`/`ingest`, `gongbao serve` with GONGBAO_ADMIN_KEY (api/ passes True), or with the
    default None any process finding Milvus empty) or only reads the corpus Milvus serves (a read replica:
    nothing parsed).
    """
    settings = settings or get_settings()
    if corpus_dir is not None:
        settings = settings.model_copy(update={"corpus_dir": corpus_dir})
    if settings.vector_store == "milvus":
        return _load_milvus(settings, embedder or make_embedder(settings.embed_model), sync)
    check_index_dir(settings.index_dir)  # a folder that may not be touched fails before the model is loaded
    embedder = embedder or make_embedder(settings.embed_model)
    if not settings.corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {settings.corpus_dir}")
    keys = file_keys(corpus_files(settings.corpus_dir))
    manifest = current_manifest(settings.index_dir, embedder, _source_key(settings, keys))
    if manifest is None:
        _, manifest = build(settings, embedder, keys=keys)
    store = load_index(settings.index_dir, embedder)
    corpus = store.corpus
    log.info(
        "loaded %d documents, %d chunks; index model %s", len(corpus.documents), len(corpus.chunks), manifest.model
    )
    if settings.llm_base_url:
        import rag.llm  # noqa: F401  (LangChain's OpenAI client takes seconds to import: not on the first question)
    return Gongbao(corpus=corpus, settings=settings, retriever=Retriever(store, embedder), manifest=manifest)


def _load_milvus(settings: Settings, embedder: Embedder, sync: bool | None) -> Gongbao:
    from index.milvus_store import MilvusStore, corpus_version, sync_folder

    client, names = settings.milvus()
    if sync is None:
        sync = corpus_version(client, names) is None
    if sync:
        result = sync_folder(
            settings.corpus_dir,
            settings.index_dir,
            client,
            names,
            embedder,
            options=settings.read_options(),
            progress=sys.stderr.isatty(),
        )
        log.info("synced the corpus into Milvus: %d chunks added, %d deleted", result.added, result.deleted)
    store = MilvusStore(client, names, embedder)
    log.info(
        "loaded %d documents, %d chunks from Milvus (%s, generation %s)",
        len(store.documents),
        len(store.chunks),
        settings.milvus_uri,
        store.generation,
    )
    if settings.llm_base_url:
        import rag.llm  # noqa: F401
    retriever = Retriever(store, embedder)
    return Gongbao(corpus=store.corpus, settings=settings, retriever=retriever, manifest=store.manifest)
