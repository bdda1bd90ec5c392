"""Milvus as the vector store (`GONGBAO_VECTOR_STORE=milvus`): one engine shared by any number of API replicas.

`GONGBAO_MILVUS_URI` is a file path ending in `.db` (Milvus Lite, in process: tests and one machine) or
`http://host:19530` (a Milvus standalone or cluster). Two collections, named after `GONGBAO_MILVUS_COLLECTION`
(default `gongbao`):

- ``<name>_chunks``: one row per served chunk: `chunk_id` (primary key), `text_sha1`, the scalar fields that
  filters need (`doc_id`, `doc_number`, `doc_type`, `gazette`, `year`), the text searched (`text`: title,
  heading path and clause, normalised, analysed by Milvus's jieba tokenizer), its character 1–2-grams (`chars`,
  space separated, standard tokenizer), the dense passage vector (`dense`) and two BM25 sparse vectors that
  Milvus computes itself from `text` and `chars` (`Function(type=BM25)`). Dense, keyword and hybrid searches, and
  every filter, run in the engine.
- ``<name>_corpus``: what a replica needs besides the index: the served gazettes (documents, chunks, headings,
  metadata: the same JSON as corpus.sqlite's `served` table, cut into pieces) under a generation id, and one
  ``manifest`` row naming the current generation. A replica reads the corpus from here instead of parsing
  files, and polls the manifest row to see another replica's upload or withdrawal.

A writer (`sync_corpus`) adds the chunks Milvus lacks and deletes those no longer served, writes the corpus under
a new generation, and only then points the manifest row at it (and deletes the old generation): a replica reads
either the old corpus or the new one. A replica ignores hits on chunks its corpus does not hold yet.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pymilvus import AnnSearchRequest, DataType, Function, FunctionType, MilvusClient, RRFRanker
from tqdm import tqdm

from index.embedders import Embedder, VectorCache, text_sha1
from index.errors import GongbaoError
from index.models import Chunk, Corpus, Document, ParsedGazette, ParseProblem, rows_in_years
from index.store import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    HNSW_MIN_VECTORS,
    IndexMismatchError,
    Manifest,
    Tokenizer,
    _content_sha1,
    _embed_missing,
    char_tokens,
    embed_text,
)
from index.text import canonical_doc_number, norm
from index.vector_store import HybridSpec, Ranking, Where, fuse
from index.words import _STOPWORDS

log = logging.getLogger(__name__)

# Punctuation the jieba analyzer would otherwise index as words (the embedded BM25 drops every non-word token by
# a pattern; Milvus's stop filter takes a list).
_PUNCTUATION = tuple("，。、；：？！“”‘’（）《》〈〉〔〕【】［］｛｝—…·,.;:?!()[]{}<>\"'-_/\\|~`@#$^&*+=%％·　")
ANALYZER_JIEBA = {
    "tokenizer": {"type": "jieba", "mode": "search"},
    "filter": [{"type": "stop", "stop_words": sorted(set(_STOPWORDS) | set(_PUNCTUATION))}],
}
ANALYZER_CHARS = {"tokenizer": "standard"}  # `chars` holds space-separated 1–2-grams: split on the spaces
BM25_PARAMS = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, as the embedded store uses
_TEXT_FIELD: dict[str, tuple[str, str]] = {"jieba": ("text", "sparse_jieba"), "char": ("chars", "sparse_char")}
_MAX_VARCHAR = 65_535
_PIECE_CHARS = 16_000  # corpus JSON is stored in pieces of this many characters (≤ 64 KB in UTF-8)
_INSERT_BATCH = 512
_PAGE = 4_096
MANIFEST_KEY = "manifest"


class MilvusStoreError(GongbaoError, RuntimeError):
    """Milvus holds no corpus yet (nothing synced or migrated to it), or a URI it cannot use."""

    status = 503
    code = "store_unavailable"


_clients: dict[str, MilvusClient] = {}


def connect(uri: str, token: str = "") -> MilvusClient:
    """A client for `uri` (one per URI and process: Milvus Lite opens its file once).

    A path (ending in .db) runs Milvus Lite in this process; http(s):// or tcp:// reaches a Milvus server.
    """
    remote = uri.startswith(("http://", "https://", "tcp://", "grpc://"))
    if not remote:
        path = Path(uri).expanduser().resolve()
        if path.suffix != ".db":
            raise MilvusStoreError(f"GONGBAO_MILVUS_URI {uri!r}: a Milvus Lite file must end in .db (or use http://)")
        path.parent.mkdir(parents=True, exist_ok=True)
        uri = str(path)
    client = _clients.get(uri)
    if client is None:
        client = MilvusClient(uri=uri, token=token) if token else MilvusClient(uri=uri)
        _clients[uri] = client
    return client


@dataclass(frozen=True)
class Collections:
    """The names of the two collections of one deployment."""

    name: str = "gongbao"

    @property
    def chunks(self) -> str:
        return f"{self.name}_chunks"

    @property
    def corpus(self) -> str:
        return f"{self.name}_corpus"


def _quote(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


_NOTHING = "__nothing__"  # a restriction that admits no row


def where_expr(where: Where | None) -> str | None:
    """`where` as a Milvus boolean expression over the scalar fields (None: no restriction; _NOTHING: none pass)."""
    if where is None:
        return None
    parts: list[str] = []
    if where.doc_ids is not None:
        if not where.doc_ids:
            return _NOTHING
        parts.append(f"doc_id in {_quote(sorted(where.doc_ids))}")
    for key, wanted in sorted(where.filters.items()):
        if key == "year":
            years = sorted({int(v) for v in wanted if v.strip().isdigit()})
            if not years:
                return _NOTHING
            parts.append(f"year in [{', '.join(map(str, years))}]")
            continue
        values = sorted({canonical_doc_number(v) or v for v in wanted} if key == "doc_number" else wanted)
        field = {"gazette": "gazette"}.get(key, key)
        parts.append(f"{field} in {_quote(values)}")
    return " and ".join(parts) if parts else None


def _chunk_schema(client: MilvusClient, dims: int) -> Any:
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("chunk_id", DataType.VARCHAR, max_length=64, is_primary=True)
    schema.add_field("text_sha1", DataType.VARCHAR, max_length=40)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=64)
    schema.add_field("doc_number", DataType.VARCHAR, max_length=256)
    schema.add_field("doc_type", DataType.VARCHAR, max_length=256)
    schema.add_field("gazette", DataType.VARCHAR, max_length=256)
    schema.add_field("year", DataType.INT64)
    schema.add_field(
        "text", DataType.VARCHAR, max_length=_MAX_VARCHAR, enable_analyzer=True, analyzer_params=ANALYZER_JIEBA
    )
    schema.add_field(
        "chars", DataType.VARCHAR, max_length=_MAX_VARCHAR, enable_analyzer=True, analyzer_params=ANALYZER_CHARS
    )
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dims)
    schema.add_field("sparse_jieba", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("sparse_char", DataType.SPARSE_FLOAT_VECTOR)
    for name, (source, target) in _TEXT_FIELD.items():
        schema.add_function(
            Function(
                name=f"bm25_{name}",
                function_type=FunctionType.BM25,
                input_field_names=[source],
                output_field_names=[target],
            )
        )
    return schema


def dense_index_params(count: int) -> tuple[str, dict[str, int]]:
    """The dense index for a collection created with `count` chunks: exact FLAT below HNSW_MIN_VECTORS, HNSW above
    (the same threshold and parameters as the embedded store)."""
    if count < HNSW_MIN_VECTORS:
        return "FLAT", {}
    return "HNSW", {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION}


def _create_chunks(client: MilvusClient, names: Collections, dims: int, count: int) -> None:
    kind, params = dense_index_params(count)
    index = client.prepare_index_params()
    index.add_index("dense", index_type=kind, metric_type="IP", params=params)
    for _, target in _TEXT_FIELD.values():
        index.add_index(target, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25_PARAMS)
    client.create_collection(names.chunks, schema=_chunk_schema(client, dims), index_params=index)


def _create_corpus(client: MilvusClient, names: Collections) -> None:
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, max_length=128, is_primary=True)
    schema.add_field("gen", DataType.VARCHAR, max_length=64)
    schema.add_field("ord", DataType.INT64)
    schema.add_field("part", DataType.INT64)
    schema.add_field("body", DataType.VARCHAR, max_length=_MAX_VARCHAR)
    schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # unused: Milvus wants a vector field in every collection
    index = client.prepare_index_params()
    index.add_index("v", index_type="FLAT", metric_type="L2")
    client.create_collection(names.corpus, schema=schema, index_params=index)


def _clip(text: str) -> str:
    """At most _MAX_VARCHAR bytes of UTF-8 (a clause is far shorter; a pathological one is cut, not refused)."""
    data = text.encode("utf-8")
    return text if len(data) <= _MAX_VARCHAR else data[:_MAX_VARCHAR].decode("utf-8", errors="ignore")


def _chars_text(text: str) -> str:
    return _clip(" ".join(char_tokens(text)))


def _row(chunk: Chunk, doc: Document, text: str, vector: np.ndarray) -> dict[str, Any]:
    return {
        "chunk_id": chunk.chunk_id,
        "text_sha1": text_sha1(text),
        "doc_id": doc.doc_id,
        "doc_number": doc.doc_number or "",
        "doc_type": doc.doc_type,
        "gazette": doc.gazette_key,
        "year": doc.year or 0,
        "text": _clip(norm(text)),
        "chars": _chars_text(text),
        "dense": np.asarray(vector, dtype=np.float32).tolist(),
    }


def _query_all(client: MilvusClient, collection: str, expr: str, fields: list[str]) -> Iterator[dict[str, Any]]:
    """Every row matching `expr`, page by page."""
    iterator = client.query_iterator(collection, batch_size=_PAGE, filter=expr, output_fields=fields)
    try:
        while batch := iterator.next():
            yield from batch
    finally:
        iterator.close()


_loaded: set[tuple[int, str]] = set()


def _load(client: MilvusClient, collection: str) -> None:
    """Load a collection for search and query once per client (not on every corpus-version check)."""
    if (id(client), collection) not in _loaded:
        client.load_collection(collection)
        _loaded.add((id(client), collection))


def _read_meta(client: MilvusClient, names: Collections) -> dict[str, Any] | None:
    if not client.has_collection(names.corpus):
        return None
    _load(client, names.corpus)
    rows = client.query(names.corpus, filter=f'key == "{MANIFEST_KEY}"', output_fields=["body"])
    return json.loads(rows[0]["body"]) if rows else None


def corpus_version(client: MilvusClient, names: Collections) -> str | None:
    """The generation id of the corpus Milvus serves now (None: nothing synced yet). Cheap: one primary-key read."""
    meta = _read_meta(client, names)
    return None if meta is None else str(meta["gen"])


@dataclass
class SyncResult:
    """What a sync changed in Milvus."""

    manifest: Manifest
    added: int
    deleted: int
    embedded: int
    generation: str
    parsed: list[str] = field(default_factory=list)  # files parsed anew (sync_folder)
    problems: list[str] = field(default_factory=list)  # files skipped, with why (sync_folder)


def sync_corpus(
    client: MilvusClient,
    names: Collections,
    corpus: Corpus,
    model: str,
    dims: int,
    vectors_for: Callable[[list[int]], np.ndarray],
    embedded: Callable[[list[int]], int] | None = None,
    progress: bool = False,
    corpus_files: dict[str, str] | None = None,
) -> SyncResult:
    """Make Milvus serve `corpus`: add the chunks it lacks, delete those no longer served, then publish the corpus.

    `vectors_for(rows)` gives the dense vectors of chunk rows (embedded, read from a cache, or read from a FAISS
    index by `migrate`); `embedded(rows)`, if given, is called first with every row to be added (to embed them in
    batches ahead) and returns how many it embedded. IndexMismatchError when Milvus holds another model's vectors.
    """
    started = time.perf_counter()
    meta = _read_meta(client, names)
    if meta is not None:
        current = Manifest.model_validate(meta["manifest"])
        if (current.model, current.dims) != (model, dims):
            raise IndexMismatchError(
                f"Milvus collection {names.chunks} holds {current.model} ({current.dims} dims) vectors, not {model} "
                f"({dims} dims); drop it or use another GONGBAO_MILVUS_COLLECTION"
            )
    docs = {d.doc_id: d for d in corpus.documents}
    chunks = corpus.chunks
    texts = [embed_text(c, docs[c.doc_id]) for c in chunks]
    if not client.has_collection(names.chunks):
        _create_chunks(client, names, dims, len(chunks))
    if not client.has_collection(names.corpus):
        _create_corpus(client, names)
    _load(client, names.chunks)
    have = {r["chunk_id"]: r["text_sha1"] for r in _query_all(client, names.chunks, "", ["chunk_id", "text_sha1"])}
    wanted = {c.chunk_id for c in chunks}
    add = [i for i, c in enumerate(chunks) if have.get(c.chunk_id) != text_sha1(texts[i])]
    gone = sorted(set(have) - wanted)
    n_embedded = embedded(add) if embedded and add else 0
    bar = tqdm(total=len(add), desc="writing to Milvus", unit="chunk", disable=not progress or not add)
    for start in range(0, len(add), _INSERT_BATCH):
        rows = add[start : start + _INSERT_BATCH]
        vectors = vectors_for(rows)
        batch = [_row(chunks[i], docs[chunks[i].doc_id], texts[i], v) for i, v in zip(rows, vectors, strict=True)]
        client.upsert(names.chunks, batch)
        bar.update(len(rows))
    bar.close()
    for start in range(0, len(gone), _INSERT_BATCH):
        client.delete(names.chunks, ids=gone[start : start + _INSERT_BATCH])
    kind, params = dense_index_params(len(chunks))
    manifest = Manifest(
        model=model,
        dims=dims,
        chunk_count=len(chunks),
        document_count=len(docs),
        corpus_files=corpus_files or {g.gazette.source_file: g.gazette.sha256 for g in corpus.gazettes},
        content_sha1=_content_sha1([c.chunk_id for c in chunks], texts),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=0.0,
        embedded_chunks=n_embedded,
        dense_index=kind.lower(),
        dense_params=params,
    )
    old_gen = None if meta is None else str(meta["gen"])
    if meta is not None and not add and not gone and meta["manifest"]["content_sha1"] == manifest.content_sha1:
        # Nothing changed: keep the published generation (replicas need not reload).
        return SyncResult(Manifest.model_validate(meta["manifest"]), 0, 0, n_embedded, str(old_gen))
    gen = uuid.uuid4().hex
    _write_corpus(client, names, corpus, gen)
    manifest = manifest.model_copy(update={"build_seconds": round(time.perf_counter() - started, 2)})
    problems = [p.model_dump() for p in corpus.problems]
    body = json.dumps({"gen": gen, "manifest": manifest.model_dump(), "problems": problems}, ensure_ascii=False)
    client.upsert(names.corpus, [{"key": MANIFEST_KEY, "gen": "", "ord": -1, "part": 0, "body": body, "v": [0.0, 0.0]}])
    if old_gen is not None and old_gen != gen:
        client.delete(names.corpus, filter=f'gen == "{old_gen}"')
    client.flush(names.chunks)
    client.flush(names.corpus)
    log.info("Milvus %s: %d chunks added, %d deleted; corpus generation %s", names.chunks, len(add), len(gone), gen)
    return SyncResult(manifest, len(add), len(gone), n_embedded, gen)


def _write_corpus(client: MilvusClient, names: Collections, corpus: Corpus, gen: str) -> None:
    rows: list[dict[str, Any]] = []
    for ord_, gazette in enumerate(corpus.gazettes):
        body = gazette.model_dump_json()
        for part, start in enumerate(range(0, max(len(body), 1), _PIECE_CHARS)):
            piece = body[start : start + _PIECE_CHARS]
            key = f"{gen}:{ord_:07d}:{part:05d}"
            rows.append({"key": key, "gen": gen, "ord": ord_, "part": part, "body": piece, "v": [0.0, 0.0]})
            if len(rows) >= 64:
                client.insert(names.corpus, rows)
                rows = []
    if rows:
        client.insert(names.corpus, rows)


def read_corpus(client: MilvusClient, names: Collections) -> tuple[Corpus, Manifest, str]:
    """The corpus Milvus serves, its manifest and generation; MilvusStoreError when nothing was synced yet."""
    meta = _read_meta(client, names)
    if meta is None:
        raise MilvusStoreError(
            f"Milvus holds no gongbao corpus in {names.corpus}: run `gongbao build` (or `gongbao migrate`) with "
            "GONGBAO_VECTOR_STORE=milvus first"
        )
    gen = str(meta["gen"])
    pieces: dict[int, list[tuple[int, str]]] = {}
    for row in _query_all(client, names.corpus, f'gen == "{gen}"', ["ord", "part", "body"]):
        pieces.setdefault(int(row["ord"]), []).append((int(row["part"]), row["body"]))
    gazettes = [
        ParsedGazette.model_validate_json("".join(body for _, body in sorted(pieces[o]))) for o in sorted(pieces)
    ]
    problems = [ParseProblem.model_validate(p) for p in meta.get("problems", [])]
    return Corpus(gazettes=gazettes, problems=problems), Manifest.model_validate(meta["manifest"]), gen


class MilvusStore:
    """The `VectorStore` on Milvus: searches, filters and RRF fusion in the engine; the corpus read from Milvus."""

    kind = "milvus"

    def __init__(self, client: MilvusClient, names: Collections, embedder: Embedder) -> None:
        self.client = client
        self.names = names
        self.corpus, self.manifest, self.generation = read_corpus(client, names)
        if (self.manifest.model, self.manifest.dims) != (embedder.name, embedder.dims):
            raise IndexMismatchError(
                f"Milvus collection {names.chunks} was built with {self.manifest.model} ({self.manifest.dims} dims), "
                f"not {embedder.name} ({embedder.dims} dims)"
            )
        self.chunks: Sequence[Chunk] = list(self.corpus.chunks)  # held in memory: a replica reads Milvus once
        self.documents: dict[str, Document] = {d.doc_id: d for d in self.corpus.documents}
        self.texts = [embed_text(c, self.documents[c.doc_id]) for c in self.chunks]
        self.row: Mapping[str, int] = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        ef = next(ef for limit, ef in HNSW_EF_SEARCH if limit is None or len(self.chunks) < limit)
        self._dense_params: dict[str, Any] = {"metric_type": "IP"}
        if self.manifest.dense_index == "hnsw":
            self._dense_params["params"] = {"ef": ef}
        _load(client, names.chunks)

    def __len__(self) -> int:
        return len(self.chunks)

    def document_of(self, idx: int) -> Document:
        """The document of chunk row `idx`."""
        return self.documents[self.chunks[idx].doc_id]

    def is_card(self, idx: int) -> bool:
        """Whether chunk row `idx` is a document card."""
        return self.chunks[idx].kind == "card"

    def mentions_any(self, idx: int, words: Iterable[str]) -> bool:
        """Whether chunk row `idx`'s indexed text holds any of `words`."""
        return any(w in self.texts[idx] for w in words)

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """For each chunk row, whether its document is from one of `years` or its indexed text mentions one (the rule
        `Corpus.in_years` follows: `index.models.rows_in_years`)."""
        return rows_in_years(rows, years, self.document_of, self.mentions_any)

    def version(self) -> str | None:
        """The corpus generation Milvus serves now (another replica may have published a newer one)."""
        return corpus_version(self.client, self.names)

    def _ranking(self, hits: Sequence[dict[str, Any]], bm25: bool = False) -> Ranking:
        out: Ranking = []
        for hit in hits:
            row = self.row.get(hit["entity"]["chunk_id"] if "entity" in hit else hit["id"])
            if row is None:  # written by another replica, not in the corpus this one serves yet
                continue
            # Milvus Lite reports a BM25 score as a negative distance, a Milvus server as a positive score.
            score = abs(float(hit["distance"])) if bm25 else float(hit["distance"])
            if bm25 and score <= 0:
                continue
            out.append((row, score))
        return out

    def dense(self, vector: np.ndarray, k: int, where: Where | None = None) -> Ranking:
        """Top-k rows by inner product with a normalised query vector (Milvus ANN search, filter in the engine)."""
        expr = where_expr(where)
        if expr == _NOTHING:
            return []
        hits = self.client.search(
            self.names.chunks,
            data=[np.asarray(vector, dtype=np.float32).tolist()],
            anns_field="dense",
            limit=k,
            filter=expr or "",
            output_fields=["chunk_id"],
            search_params=self._dense_params,
        )
        return self._ranking(hits[0])

    def _keyword_query(self, query: str, tokenizer: Tokenizer) -> str:
        if tokenizer == "jieba":
            return norm(query)
        if tokenizer == "char":
            return _chars_text(query)
        raise ValueError(f"unknown tokenizer {tokenizer!r} (use 'jieba' or 'char')")

    def keyword(self, query: str, k: int, tokenizer: Tokenizer = "jieba", where: Where | None = None) -> Ranking:
        """Top-k rows by Milvus's own BM25 (full-text search on the analysed field; filter in the engine)."""
        expr = where_expr(where)
        text = self._keyword_query(query, tokenizer)
        if expr == _NOTHING or not text.strip():
            return []
        hits = self.client.search(
            self.names.chunks,
            data=[text],
            anns_field=_TEXT_FIELD[tokenizer][1],
            limit=k,
            filter=expr or "",
            output_fields=["chunk_id"],
            search_params={"metric_type": "BM25"},
        )
        return self._ranking(hits[0], bm25=True)

    def hybrid(self, query: str, vector: np.ndarray | None, where: Where | None, spec: HybridSpec) -> Ranking:
        """Dense and keyword lists fused. Reciprocal rank fusion with equal weights runs in the engine
        (`hybrid_search` with `RRFRanker`); the weighted min-max score sum (the default) is not a Milvus ranker
        (its WeightedRanker normalises scores differently), so the engine's lists are fused here, as FaissStore
        fuses them."""
        expr = where_expr(where)
        if expr == _NOTHING:
            return []
        weights = spec.weights
        if spec.fusion == "rrf" and len(set(weights)) <= 1:
            return self._engine_rrf(query, vector, expr, spec)
        lists: list[Ranking] = []
        if spec.dense:
            if vector is None:
                raise ValueError("a hybrid search with a dense list needs the query vector")
            lists.append(self.dense(vector, spec.candidates, where))
        lists.extend(self.keyword(query, spec.candidates, tok, where) for tok in spec.keyword)
        return fuse(lists, spec)

    def _engine_rrf(self, query: str, vector: np.ndarray | None, expr: str | None, spec: HybridSpec) -> Ranking:
        requests = []
        if spec.dense and vector is not None:
            data = [np.asarray(vector, dtype=np.float32).tolist()]
            requests.append(AnnSearchRequest(data, "dense", self._dense_params, spec.candidates, expr=expr or None))
        for tok in spec.keyword:
            text = self._keyword_query(query, tok)
            if text.strip():
                params = {"metric_type": "BM25"}
                field = _TEXT_FIELD[tok][1]
                requests.append(AnnSearchRequest([text], field, params, spec.candidates, expr=expr or None))
        if not requests:
            return []
        hits = self.client.hybrid_search(
            self.names.chunks,
            requests,
            ranker=RRFRanker(spec.rrf_k),
            limit=spec.candidates * len(requests),
            output_fields=["chunk_id"],
        )
        return self._ranking(hits[0])


def vectors_from_cache(
    corpus: Corpus, embedder: Embedder, cache_path: Path, progress: bool = False
) -> tuple[Callable[[list[int]], int], Callable[[list[int]], np.ndarray], Callable[[], None]]:
    """(embed, vectors_for, close) for `sync_corpus` on a writer: missing vectors are embedded into the local
    vector cache (`vectors.sqlite`, batch by batch, so an interrupted sync keeps them) and read from it."""
    docs = {d.doc_id: d for d in corpus.documents}
    chunks = corpus.chunks
    cache = VectorCache(cache_path)
    keys: dict[int, tuple[str, str]] = {}

    def key(i: int) -> tuple[str, str]:
        if i not in keys:
            keys[i] = (chunks[i].chunk_id, text_sha1(embed_text(chunks[i], docs[chunks[i].doc_id])))
        return keys[i]

    def embed(rows: list[int]) -> int:
        texts = [embed_text(chunks[i], docs[chunks[i].doc_id]) for i in rows]
        return _embed_missing([key(i) for i in rows], texts, embedder, cache, progress)

    def vectors_for(rows: list[int]) -> np.ndarray:
        found = cache.get_many(embedder.name, [key(i) for i in rows])
        return np.stack([found[key(i)] for i in rows]) if rows else np.zeros((0, embedder.dims), np.float32)

    return embed, vectors_for, cache.close


def drop(client: MilvusClient, names: Collections) -> None:
    """Delete both collections (a migration with `replace`, or a test tearing down)."""
    for name in (names.chunks, names.corpus):
        if client.has_collection(name):
            client.drop_collection(name)
        _loaded.discard((id(client), name))


def migrate_index(
    index_dir: Path, client: MilvusClient, names: Collections, replace: bool = False, progress: bool = False
) -> SyncResult:
    """Move a built FAISS index into Milvus without re-embedding: its stored vectors, its served corpus.

    The FAISS rows are the chunks of corpus.sqlite's served corpus in order, so row i's vector is chunk i's.
    With `replace`, collections of that name are dropped first; otherwise the index is synced into them
    (chunks Milvus already holds with the same text are kept).
    """
    from index.corpus_store import CORPUS_DB, read_served
    from index.store import _read_manifest, exact_vectors

    manifest = _read_manifest(index_dir)
    if manifest is None:
        raise FileNotFoundError(f"no index at {index_dir} (manifest.json missing); build it first")
    corpus = read_served(index_dir / CORPUS_DB)
    vectors = exact_vectors(index_dir, corpus, manifest)
    if len(vectors) != len(corpus.chunks):
        raise IndexMismatchError(f"index at {index_dir}: {len(vectors)} vectors for {len(corpus.chunks)} chunks")
    if replace:
        drop(client, names)
    result = sync_corpus(
        client,
        names,
        corpus,
        manifest.model,
        manifest.dims,
        vectors_for=lambda rows: np.array(vectors[rows], dtype=np.float32),
        progress=progress,
        corpus_files=manifest.corpus_files,
    )
    return result


def sync_folder(
    corpus_dir: Path,
    index_dir: Path,
    client: MilvusClient,
    names: Collections,
    embedder: Embedder,
    options: Any = None,
    progress: bool = False,
    workers: int | None = None,
) -> SyncResult:
    """The writer's sync: parse the corpus folder (only changed files: the parse cache is `index_dir`'s
    corpus.sqlite), embed chunks Milvus lacks (through `index_dir`'s vector cache), and publish to Milvus.

    `index_dir` holds only these two local caches on a Milvus writer; read replicas need no index folder.
    """
    import os
    import tempfile

    from index.corpus_store import CORPUS_DB, load_corpus, write_corpus_db
    from index.store import _MARKER_TEXT, MARKER, check_index_dir
    from index.uploads import removed_ids, without

    check_index_dir(index_dir)
    corpus, parsed = load_corpus(corpus_dir, index_dir, workers=workers, progress=progress, options=options)
    corpus = without(corpus, removed_ids(corpus_dir))
    index_dir.mkdir(parents=True, exist_ok=True)
    if not (index_dir / MARKER).is_file():
        (index_dir / MARKER).write_text(_MARKER_TEXT)
    embed, vectors_for, close = vectors_from_cache(corpus, embedder, index_dir / "vectors.sqlite", progress)
    try:
        result = sync_corpus(
            client, names, corpus, embedder.name, embedder.dims, vectors_for, embedded=embed, progress=progress
        )
    finally:
        close()
    fd, tmp = tempfile.mkstemp(prefix=".corpus.", suffix=".sqlite", dir=index_dir)
    os.close(fd)
    os.unlink(tmp)
    write_corpus_db(Path(tmp), corpus, parsed, index_dir / CORPUS_DB)
    os.replace(tmp, index_dir / CORPUS_DB)
    result.parsed = sorted(parsed.fresh)
    result.problems = [f"{p.file}: {p.message}" for p in corpus.problems]
    return result
