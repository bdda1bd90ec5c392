"""The on-disk search index: FAISS vectors, two BM25 indexes (jieba words, character 1–2-grams), metadata.

Layout of an index directory::

    manifest.json        model, dims, counts, corpus file hashes, build time, format version, dense index type
    corpus.sqlite        the parsed corpus: the served gazettes, documents and chunks (one row each, by id) in
                         index order, and the per-file parse cache (index/corpus_store.py), so a restart parses
                         only files whose bytes changed and decodes a chunk only when it is asked for
    dense.faiss          L2-normalised passage vectors: IndexFlatIP (exact) below HNSW_MIN_VECTORS,
                         IndexHNSWFlat below IVF_MIN_VECTORS, else IVF with 8-bit codes (approximate;
                         type and parameters in the manifest)
    bm25_jieba/          bm25s index over jieba search-mode tokens
    bm25_char/           bm25s index over character unigrams + bigrams
    userdict.txt         jieba user dictionary extracted from the corpus (文号, agency names)
    vectors.sqlite       passage-vector cache (by chunk and text), so a rebuild re-embeds only changed chunks;
                         written batch by batch during a build, so an interrupted build resumes

A build writes everything into a temporary sibling directory and swaps it in at the end, so a failed build
never leaves a half-written index behind. The one exception is the vector cache: new vectors go into the live
folder's vectors.sqlite as they are computed (on a first build, into a new folder holding just the marker and
that cache), and the new folder gets a hard link to it, so embedding work survives an interruption.
Only folders the project made are ever replaced or deleted: an index directory carries a `GONGBAO_INDEX`
marker file (older indexes: their manifest.json), and a build refuses to touch an existing folder that has
neither and is not empty.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast, overload

import bm25s
import faiss
import numba
import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from index.corpus_store import CORPUS_DB, ParsedFiles, open_served, update_parsed, write_corpus_db
from index.embedders import Embedder, VectorCache, text_sha1
from index.errors import GongbaoError
from index.models import Chunk, Corpus, Document
from index.text import DOC_NUMBER, canonical_doc_number, norm
from index.words import (
    _write_userdict,
    char_tokens,
    jieba_token_ids,
    jieba_tokens,
    make_jieba,
    token_ids,
)

log = logging.getLogger(__name__)

# v2: corpus.sqlite replaces corpus.json; dense index type chosen by size. v3: the served corpus stored per chunk
# (served by id, not decoded whole at load) with packed per-chunk arrays and the validity facts. v4: a packed array of
# what makes each clause say nothing of its own (index.text.hollow_code), read at build, not per search.
INDEX_VERSION = 4
MARKER = "GONGBAO_INDEX"  # written into every index directory: the sign that the project may replace it
Tokenizer = Literal["jieba", "char"]
_AGENCY = re.compile(
    r"省[\u4e00-\u9fa5]{1,10}?(?:委员会|办公厅|办公室|中心|厅|委|局|院|办)(?=[、，,。；;）)\s和及等牵负配会省]|$)"
)
_EMBED_BATCH = 128
_READ_BLOCK = 8192
_MARKER_TEXT = "A gongbao search index: the project replaces this folder when it rebuilds.\n"
# Dense index choice (measured on the 2 shared cores, 512 dims, one query on one thread; bench/synthetic.py,
# reports/scale.md): exact flat search reads every vector (2 KB each): p50 32 ms at 3·10^4 and 160 ms at 10^5
# vectors on the busy machine (a few ms per 10^4 when idle), while HNSW (M=32) answers in 0.3-1 ms at recall@10
# ≥ 0.97. Below this many vectors flat search stays exact and within a few ms; above it HNSW.
HNSW_MIN_VECTORS = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
# efSearch grows with the index (recall@10 against exact search on synthetic vectors, reports/scale.md): 256 →
# 0.99 at 3·10^4, 512 → 0.97–0.99 at 10^5. At 10^6 no efSearch reached 0.95 (0.55 at 1024 with M=32), so large
# indexes are IVF instead (below).
HNSW_EF_SEARCH = ((50_000, 256), (None, 512))
# From this many vectors on: IVF (k-means cells; `nprobe` of them scanned per query, 8-bit codes), measured at
# 10^6 on two synthetic sets in reports/scale_synthetic_ann_*.md (recall@10 against exact search). HNSW M=32
# reached only 0.54 on near-duplicate clusters; IVF-SQ8 reaches 0.979 / 0.987 / 0.988 there at nprobe 16 / 32 /
# 64, but on the Gaussian set (every vector distinct) only 0.63 / 0.77 / 0.87 / 0.95 / 0.97 at nprobe 16 / 32 /
# 64 / 128 / 192. 4-bit PQ fast-scan codes re-scored with 8-bit ones (IVF,PQ128x4fs,Refine(SQ8)) were fast but
# topped out at 0.84. IVF builds in 2-6 min at 10^6 on the 2 shared cores (HNSW: 7-10 min), and with 8-bit codes
# a vector takes 512 bytes, not 2 KB: 0.5 GB at 10^6 instead of 2.3 GB. nprobe 64 is the compromise: ≥ 0.95 on
# the clustered set at a third of nprobe 192's cost, short of it (0.87) on the Gaussian one (192 reaches 0.97
# there). Between 10^5 and 10^6 nothing was measured: 10^5 is where HNSW was last validated (0.97-0.99).
IVF_MIN_VECTORS = 100_000
IVF_LIST_SIZE = 1000  # vectors per cell on average: nlist = n / IVF_LIST_SIZE (1,000 cells at 10^6)
IVF_CODEC = "SQ8"  # faiss codec of the stored vectors: "SQ8" (512 B/vector) or "Flat" (exact floats, 2 KB)
IVF_NPROBE = 64  # cells scanned per query when an index is built without calibration (DenseConfig)
IVF_FILTER_WIDEN_MAX = 16  # a filtered IVF search probes up to this many times the index's nprobe cells
IVF_TRAIN_PER_LIST = 30  # k-means sample: this many vectors per cell (k-means cost is sample × cells)
# ... and at least this many: the 8-bit codec learns each dimension's range from the same sample, and a small
# sample clips the vectors outside it (recall@10 0.91 instead of 1.0 with 120 samples of 4,000 vectors).
IVF_TRAIN_MIN = 50_000
IVF_TRAIN_ITERATIONS = 10
# A filter allowing at most this many rows is searched exactly over just those rows (a filtered HNSW walk
# loses recall when few rows pass); larger ones go through the index with an IDSelector.
EXACT_SUBSET_MAX = 20_000
# A build that embeds at least this many chunks writes its BM25 indexes in a worker process meanwhile (embedding
# runs at ~200 chunks/s on 2 idle cores, so this is ≥ 5 s of embedding to hide the worker's ~2 s start behind)...
LEXICAL_WORKER_MIN_EMBED = 1000
# ...on a machine with a core the encoder leaves idle: on 2 cores its matrix products use both, and the worker made
# the 1x build slower (bench.floor, quiet: build 1.42-1.44x the pure encode with it, 1.34x without).
LEXICAL_WORKER_MIN_CPUS = 3
# Below that, once the encoding is done the build's tail (vectors read back, FAISS, the corpus store, both BM25
# indexes) runs on one core of the two: from this many chunks on, jieba's dictionary and every chunk's jieba words
# (~1.4 s CPU at 1x) are made in a child process meanwhile (`_Lexical`; a new interpreter importing only jieba,
# `python -m index.words`, safe beside threads where a fork is not).
LEXICAL_CHILD_MIN_CHUNKS = 1000
# files in the build folder through which that child gets the texts and gives back their words' ids (deleted once
# read, before the folder is swapped in)
_CHILD_TEXTS = ".jieba-texts.pickle"
_CHILD_IDS = ".jieba-ids.pickle"
CALIBRATION_K = 10  # nprobe is calibrated on recall@10 (the measure; a search asks for 10-50 candidates)
CALIBRATION_TIE = 1e-5  # scores this close to the 10th-best exact one tie with it (float32 rounding)
Rows = np.ndarray  # sorted int64 chunk rows


@dataclass(frozen=True)
class DenseConfig:
    """How a large (IVF) dense index picks the cells it scans per query: by measurement at build time.

    One nprobe does not fit every corpus: at 10^6 vectors nprobe 64 gives recall@10 0.988 on near-duplicate
    clusters but 0.87 on a Gaussian set with the real clauses' covariance (reports/scale.md). So a build holds out
    `calibration_queries` of the index's own vectors, makes each a query (mixed with another vector, `query_mix`),
    measures recall@10 against exact search for each nprobe of `nprobe_grid` in turn (the held-out vector's own
    row is left out of both lists), and keeps the smallest nprobe reaching `recall_target`; it and the recall
    measured go into the manifest.
    """

    recall_target: float = 0.95  # recall@10 against exact search that the chosen nprobe must reach
    calibration_queries: int = 200  # held-out vectors searched; cost ≈ this many exact searches + grid sweeps
    # Tried in this order (capped at nlist): about ×1.5 steps, so the pick scans at most ~1.5× the cells needed.
    nprobe_grid: tuple[int, ...] = (4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024)
    # A held-out vector is a passage: on near-duplicate data its neighbours share its cell, while a question lies
    # between passages. Each query is the held-out vector plus this much of another one (normalised): 1.0, the
    # midpoint of two random passages. Measured against the 296 embedded dev questions at 10^5 vectors (IVF100,SQ8;
    # reports/scale.md): the held-out vectors themselves (0.0) chose nprobe 2 on the clustered set, where the
    # questions reach only 0.77 (they need 12), and 24 on the Gaussian one (questions 0.955); midpoints chose 8
    # (questions 0.94) and 32 (0.97).
    query_mix: float = 1.0
    calibrate: bool = True  # False: IVF_NPROBE, unmeasured (benchmarks that sweep nprobe themselves)
    seed: int = 0  # which vectors are held out (fixed: the same vectors give the same choice)


class Calibration(BaseModel):
    """What a build measured to choose the IVF index's nprobe (manifest `dense_calibration`)."""

    recall_target: float
    queries: int  # held-out index vectors used as queries
    nprobe: int  # the smallest nprobe of the grid reaching the target (the largest tried if none did)
    recall_at_10: float  # measured at that nprobe
    reached: bool  # False: no nprobe of the grid reached the target (the index is less accurate than asked)
    sweep: dict[int, float]  # recall@10 at every nprobe tried, in order
    seconds: float


class IndexMismatchError(GongbaoError, RuntimeError):
    """The index on disk was built with a different embedder (or format) than the one given."""

    status = 500
    code = "index_mismatch"


class IndexDirError(GongbaoError, RuntimeError):
    """The index directory is a folder the project did not make (or overlaps the corpus): it is left untouched."""


def is_index_dir(path: Path) -> bool:
    """Whether `path` is an index directory this project made (its marker, or an older index's manifest)."""
    return (path / MARKER).is_file() or (path / "manifest.json").is_file()


def check_index_dir(index_dir: Path) -> None:
    """IndexDirError unless `index_dir` is absent, an empty folder, or an index this project made.

    A build replaces the whole index directory, so pointing GONGBAO_INDEX_DIR at any other folder (a home
    directory, the corpus) would delete it; this check runs before anything is written.
    """
    for folder in (index_dir, _backup_of(index_dir)):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise IndexDirError(f"{folder} is a file, not an index folder; choose another GONGBAO_INDEX_DIR")
        if not is_index_dir(folder) and any(folder.iterdir()):
            raise IndexDirError(
                f"{folder} is not empty and is not a gongbao index (no {MARKER} or manifest.json in it); refusing "
                "to replace it. Point GONGBAO_INDEX_DIR at a new or empty folder."
            )


class Manifest(BaseModel):
    """What an index directory holds and how it was built."""

    version: int = INDEX_VERSION
    model: str
    dims: int
    chunk_count: int
    document_count: int
    corpus_files: dict[str, str]
    content_sha1: str
    built_at: str
    build_seconds: float
    embedded_chunks: int
    dense_index: str = "flat"  # "flat" (IndexFlatIP, exact), "hnsw" (IndexHNSWFlat), "ivf_sq8" / "ivf_flat"
    dense_params: dict[str, int] = {}  # HNSW M, ef_construction, ef_search or IVF nlist, nprobe; size thresholds
    # `index.corpus_store.source_key` of the corpus folder the index serves (files, withdrawals, read options):
    # a restart finding the same key serves the index without parsing or decoding the corpus. "" = unknown.
    source_key: str = ""
    dense_calibration: Calibration | None = None  # IVF: how nprobe was chosen (DenseConfig), with the recall measured


def _overlap_lexical(embedding: int) -> bool:
    """Whether a build embedding this many chunks writes its lexical indexes in a worker process meanwhile."""
    return embedding >= LEXICAL_WORKER_MIN_EMBED and (os.cpu_count() or 1) >= LEXICAL_WORKER_MIN_CPUS


def embed_text(chunk: Chunk, doc: Document) -> str:
    """What is embedded (and BM25-indexed) for a chunk: title and heading path, then the text."""
    return f"{doc.title} {' '.join(chunk.section)}\n{chunk.text}"


# ---------- tokenizers ----------


def corpus_terms(corpus: Corpus, min_count: int = 2) -> list[str]:
    """Terms for the jieba user dictionary: every 文号 and agency names (省…厅/委/局) seen ≥ min_count times."""
    numbers = {d.doc_number for d in corpus.documents if d.doc_number}
    agencies: Counter[str] = Counter()
    for chunk in corpus.chunks:
        text = norm(chunk.text)
        numbers.update(n for m in DOC_NUMBER.finditer(text) if (n := canonical_doc_number(m.group(0))))
        agencies.update(_AGENCY.findall(text))
    return sorted(numbers | {a for a, n in agencies.items() if n >= min_count and len(a) >= 3})


# ---------- build ----------


def _missing(keys: list[tuple[str, str]], texts: list[str], embedder: Embedder, cache: VectorCache) -> list[int]:
    """Positions of the texts the cache has no vector for, shortest first (similar lengths batch well)."""
    have = cache.have(embedder.name, keys)
    return sorted((i for i, k in enumerate(keys) if k not in have), key=lambda i: len(texts[i]))


def _embed_missing(
    keys: list[tuple[str, str]],
    texts: list[str],
    embedder: Embedder,
    cache: VectorCache,
    progress: bool,
    missing: list[int] | None = None,
) -> int:
    """Embed the texts the cache has no vector for (`missing`, if already known), in batches, each batch
    committed as it is done.

    An interrupted build therefore keeps what it embedded, and the next one (`gongbao ingest` or a restart)
    embeds only the rest. Returns how many texts were embedded.

    A batch is committed on a writer thread while the next one is encoded: a commit waits on the disk (SQLite
    syncs its journal and the file, ~25-35 ms a batch here, 0.4-0.5 s of a 1x build) with the GIL released, so
    the encoding goes on meanwhile. One commit at a time, in batch order; the last one (and on an interruption the
    one in flight) is waited for before returning.
    """
    if missing is None:
        missing = _missing(keys, texts, embedder, cache)
    bar = tqdm(total=len(missing), desc=f"embedding ({embedder.name})", unit="chunk", disable=not progress)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongbao-vectors") as writer:
        committing: Future[None] | None = None
        for start in range(0, len(missing), _EMBED_BATCH):
            batch = missing[start : start + _EMBED_BATCH]
            vectors = embedder.encode_passages([texts[i] for i in batch])
            if committing is not None:
                committing.result()  # the cache's connection serves one batch at a time; a failed commit raises
            rows = [(keys[i][0], keys[i][1], v) for i, v in zip(batch, vectors, strict=True)]
            committing = writer.submit(cache.put_many, embedder.name, rows)
            bar.update(len(batch))
        if committing is not None:
            committing.result()
    bar.close()
    return len(missing)


def _dense_from_cache(keys: list[tuple[str, str]], model: str, dims: int, cache: VectorCache) -> np.ndarray:
    """The vectors of `keys` in index order, read from the cache block by block."""
    vectors = np.empty((len(keys), dims), dtype=np.float32)
    for start in range(0, len(keys), _READ_BLOCK):
        block = keys[start : start + _READ_BLOCK]
        found = cache.get_many(model, block)
        vectors[start : start + len(block)] = [found[k] for k in block]
    return vectors


def _live_cache(index_dir: Path, tmp: Path, reuse: bool) -> Path:
    """Where vectors are cached during a build: the index folder's own cache (kept if the build is interrupted),
    or with `reuse=False` a fresh one in the new folder."""
    if not reuse:
        return tmp / "vectors.sqlite"
    if not index_dir.exists():
        index_dir.mkdir(parents=True)
        (index_dir / MARKER).write_text(_MARKER_TEXT)
    return index_dir / "vectors.sqlite"


def _save_bm25(tokens: Iterable[list[str]], path: Path) -> None:
    """A bm25s index of the texts' tokens (consumed one text at a time), saved in `path`."""
    _save_bm25_ids(token_ids(tokens), path)


def _save_bm25_ids(ids: tuple[list[list[int]], dict[str, int]], path: Path) -> None:
    """A bm25s index of the texts' `token_ids` (each text's ids, and the vocabulary), saved in `path`."""
    model = bm25s.BM25()
    model.index(ids, show_progress=False)  # (ids, vocabulary): bm25s scores it as it would the tokens
    model.save(str(path), show_progress=False)


def write_lexical(texts: list[str], terms: list[str], folder: Path) -> None:
    """The lexical part of an index in `folder`: the jieba user dictionary of `terms` and both BM25 indexes of
    `texts` (jieba words, character 1–2-grams). Runs in a worker process while the passages are embedded."""
    write_jieba_bm25(texts, terms, folder)
    write_char_bm25(texts, folder)


def write_jieba_bm25(texts: list[str], terms: list[str], folder: Path) -> None:
    """The jieba half of the lexical part: the user dictionary of `terms` and the BM25 index of `texts`' words."""
    _write_userdict(terms, folder / "userdict.txt")
    _save_bm25_ids(jieba_token_ids(texts, folder / "userdict.txt"), folder / "bm25_jieba")


def write_char_bm25(texts: list[str], folder: Path) -> None:
    """The character half of the lexical part: the BM25 index of `texts`' character 1–2-grams."""
    _save_bm25((char_tokens(t) for t in texts), folder / "bm25_char")


class _Lexical:
    """Where a build's lexical part is written (`_lexical_beside`): call `encoded()` once the vectors are made."""

    def __init__(self, corpus: Corpus, texts: list[str], folder: Path, tail: bool) -> None:
        self._corpus, self._texts, self._folder, self._tail = corpus, texts, folder, tail
        self.child: subprocess.Popen[bytes] | None = None

    def encoded(self) -> None:
        """The encoding is done: a large enough build (`LEXICAL_CHILD_MIN_CHUNKS`) writes the user dictionary and
        starts the child that cuts the texts into jieba words (`_start_words_child`), while this process goes on
        with the vectors, FAISS, the corpus store and the character BM25."""
        if not self._tail or len(self._texts) < LEXICAL_CHILD_MIN_CHUNKS:
            return
        _write_userdict(corpus_terms(self._corpus), self._folder / "userdict.txt")
        with (self._folder / _CHILD_TEXTS).open("wb") as f:  # streamed: no second copy of every text in memory
            pickle.dump(self._texts, f, protocol=pickle.HIGHEST_PROTOCOL)
        self.child = _start_words_child(self._folder)

    def finish(self) -> None:
        """Write the character BM25 and the jieba one: from the child's word ids once it is done, else inline."""
        if self.child is None:
            write_jieba_bm25(self._texts, corpus_terms(self._corpus), self._folder)
        write_char_bm25(self._texts, self._folder)
        if self.child is not None:
            code = self.child.wait()
            self.child = None
            if code != 0:
                raise RuntimeError(f"cutting the texts into jieba words failed in the child process (exit code {code})")
            with (self._folder / _CHILD_IDS).open("rb") as f:
                _save_bm25_ids(pickle.load(f), self._folder / "bm25_jieba")
            (self._folder / _CHILD_IDS).unlink()
            (self._folder / _CHILD_TEXTS).unlink()

    def abort(self) -> None:
        """The build failed (its folder is deleted): stop the child, if one runs."""
        if self.child is not None:
            self.child.kill()
            self.child.wait()


def _start_words_child(folder: Path) -> subprocess.Popen[bytes]:
    """`python -m index.words` on the texts pickled in `folder` (`_CHILD_TEXTS`), writing their jieba word ids there
    (`_CHILD_IDS`): a new interpreter, not a fork, so it is safe beside any thread this process runs (a server's, a
    test's), and one that imports only jieba and `index.text` (~0.1 s CPU; a `multiprocessing` spawn re-imports the
    main module, i.e. the whole project, ~1.3 s). It runs this project's code (its root first on the path, whatever
    the working directory) with this environment (PYTHONHASHSEED included)."""
    root = Path(__file__).resolve().parent.parent
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    folder = folder.resolve()
    args = [str(folder / "userdict.txt"), str(folder / _CHILD_TEXTS), str(folder / _CHILD_IDS)]
    return subprocess.Popen(
        [sys.executable, "-m", "index.words", *args],
        cwd=root,
        env={**os.environ, "PYTHONPATH": path},
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def _lexical_beside(corpus: Corpus, texts: list[str], folder: Path, overlap: bool) -> Iterator[_Lexical]:
    """Write the lexical part (`write_lexical`) by the end of the block: with `overlap`, in a worker process
    started on entry, so that jieba and BM25 (pure Python, ~25% of a from-scratch build at 1×: the embedding
    floor, reports/scale_floor.md) run while the block embeds; without, after the encoding (the block calls
    `encoded()`): the jieba words cut in a child process beside the rest of the block when the build is large
    enough (`_Lexical`), the remainder inline at the end of the block."""
    if not overlap:
        lexical = _Lexical(corpus, texts, folder, tail=True)
        try:
            yield lexical
            lexical.finish()
        except BaseException:
            lexical.abort()
            raise
        return
    # spawn, not fork: the parent holds OpenMP/BLAS thread pools and a sqlite connection (index/corpus_store.py
    # parses in spawned workers for the same reason); the worker's ~1.3 s of imports run beside the encoding
    worker = multiprocessing.get_context("spawn").Process(
        target=write_lexical, args=(texts, corpus_terms(corpus), folder), name="gongbao-bm25", daemon=True
    )
    worker.start()
    try:
        yield _Lexical(corpus, texts, folder, tail=False)
    except BaseException:
        worker.terminate()  # the build failed: its folder is deleted, the worker's output is not wanted
        raise
    finally:
        worker.join()
    if worker.exitcode != 0:
        raise RuntimeError(f"writing the BM25 indexes failed in the worker process (exit code {worker.exitcode})")


def _content_sha1(ids: list[str], texts: list[str]) -> str:
    return text_sha1("\x1e".join(f"{i}\x1f{t}" for i, t in zip(ids, texts, strict=True)))


def _write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace an index's manifest atomically (a reader sees the old one or the new one)."""
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".manifest.", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(manifest.model_dump_json(indent=2))
        os.replace(tmp, index_dir / "manifest.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def current_manifest(index_dir: Path, embedder: Embedder, source: str) -> Manifest | None:
    """The manifest of the index in `index_dir` when it serves the corpus `source` (`corpus_store.source_key`)
    for this embedder in this format, else None (the corpus must be read and the index refreshed)."""
    index_dir = Path(index_dir)
    if index_dir.parent.is_dir():
        recover_backup(index_dir)
        remove_stale_builds(index_dir)
    manifest = _read_manifest(index_dir)
    if manifest is None or not source or not (index_dir / CORPUS_DB).is_file():
        return None
    if (manifest.version, manifest.model, manifest.dims, manifest.source_key) != (
        INDEX_VERSION,
        embedder.name,
        embedder.dims,
        source,
    ):
        return None
    return manifest


def _read_manifest(index_dir: Path) -> Manifest | None:
    path = index_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def ivf_index(
    vectors: np.ndarray, nlist: int, codec: str = IVF_CODEC, nprobe: int = IVF_NPROBE, k_factor: int = 1
) -> faiss.Index:
    """An IVF index (inner product) over `vectors`: k-means on a sample, then every vector added blockwise.

    `codec` is the faiss factory's code part ("SQ8", "Flat", or e.g. "PQ128x4fs,Refine(SQ8)": 4-bit PQ codes
    scanned fast, the best `k_factor`·k re-scored with 8-bit codes).
    """
    n, dims = vectors.shape
    index: Any = faiss.index_factory(dims, f"IVF{nlist},{codec}", faiss.METRIC_INNER_PRODUCT)
    ivf: Any = faiss.extract_index_ivf(index)
    ivf.cp.niter = IVF_TRAIN_ITERATIONS
    rng = np.random.default_rng(0)  # a fixed sample: the same vectors give the same index
    sample = np.sort(rng.choice(n, min(n, max(IVF_TRAIN_MIN, IVF_TRAIN_PER_LIST * nlist)), replace=False))
    index.train(np.ascontiguousarray(vectors[sample]))
    for start in range(0, n, _READ_BLOCK * 8):
        index.add(vectors[start : start + _READ_BLOCK * 8])
    ivf.nprobe = nprobe
    if isinstance(index, faiss.IndexRefine):
        index.k_factor = k_factor
    return index


def _recall_at(
    index: faiss.Index, queries: np.ndarray, vectors: np.ndarray, held_out: np.ndarray, kth: np.ndarray
) -> float:
    """Recall@10 of `index` for `queries` (rows `held_out` of `vectors`), each query's own row left out.

    A result counts when its exact score reaches the query's 10th-best exact score: identical vectors (the same
    clause text in several chunks) tie, and any of them is as good an answer as the one exact search listed.
    """
    k = CALIBRATION_K
    _, found = index.search(queries, k + 1)
    hits = 0
    for q, row, rows, bar in zip(queries, held_out, found, kth, strict=True):
        rows = rows[(rows >= 0) & (rows != row)][:k]
        hits += min(k, int(np.count_nonzero(vectors[rows] @ q >= bar - CALIBRATION_TIE)))
    return hits / (k * len(queries))


def calibrate_nprobe(index: faiss.Index, vectors: np.ndarray, config: DenseConfig) -> Calibration:
    """The smallest nprobe of `config.nprobe_grid` whose recall@10 reaches `config.recall_target` (see DenseConfig).

    `vectors` are the exact vectors `index` holds, in row order. Sets the index's nprobe to the choice. Cost:
    `calibration_queries` exact searches (one matrix product) and one batched IVF search per nprobe tried.
    """
    started = time.perf_counter()
    ivf: Any = faiss.extract_index_ivf(index)
    n = len(vectors)
    rng = np.random.default_rng(config.seed)
    held_out = np.sort(rng.choice(n, min(n - 1, config.calibration_queries), replace=False))
    queries = np.ascontiguousarray(vectors[held_out])
    if config.query_mix > 0:
        other = vectors[rng.choice(n, len(held_out))]
        queries = queries + config.query_mix * other
        queries = np.ascontiguousarray(queries / np.linalg.norm(queries, axis=1, keepdims=True), dtype=np.float32)
    scores, rows = faiss.knn(queries, vectors, CALIBRATION_K + 1, metric=faiss.METRIC_INNER_PRODUCT)
    # the 10th-best exact score among the other rows (the query's own row, wherever it ranks, is not a neighbour)
    kth = np.array([s[r != h][CALIBRATION_K - 1] for s, r, h in zip(scores, rows, held_out, strict=True)])
    grid = sorted({min(p, ivf.nlist) for p in config.nprobe_grid})
    sweep: dict[int, float] = {}
    for nprobe in grid:
        ivf.nprobe = nprobe
        sweep[nprobe] = round(_recall_at(index, queries, vectors, held_out, kth), 4)
        if sweep[nprobe] >= config.recall_target:
            break
    reached = sweep[nprobe] >= config.recall_target
    if not reached:
        log.warning(
            "no nprobe up to %d reaches recall@10 %.2f on this index (%.3f): more cells or another index type needed",
            nprobe,
            config.recall_target,
            sweep[nprobe],
        )
    return Calibration(
        recall_target=config.recall_target,
        queries=len(held_out),
        nprobe=nprobe,
        recall_at_10=sweep[nprobe],
        reached=reached,
        sweep=sweep,
        seconds=round(time.perf_counter() - started, 2),
    )


def dense_index_for(
    vectors: np.ndarray, min_hnsw: int | None = None, min_ivf: int | None = None, config: DenseConfig | None = None
) -> tuple[faiss.Index, str, dict[str, int]]:
    """The FAISS index for these vectors, by count: exact flat below `min_hnsw` rows (HNSW_MIN_VECTORS), HNSW
    up to `min_ivf` (IVF_MIN_VECTORS), IVF from there on (nprobe calibrated, `config`). The parameters go into
    the manifest; `calibrated_dense_index` also returns how nprobe was chosen."""
    index, kind, params, _ = calibrated_dense_index(vectors, min_hnsw, min_ivf, config)
    return index, kind, params


def calibrated_dense_index(
    vectors: np.ndarray, min_hnsw: int | None = None, min_ivf: int | None = None, config: DenseConfig | None = None
) -> tuple[faiss.Index, str, dict[str, int], Calibration | None]:
    """`dense_index_for`, and for an IVF index the calibration that chose its nprobe (None for flat and HNSW)."""
    config = config or DenseConfig()
    threshold = HNSW_MIN_VECTORS if min_hnsw is None else min_hnsw
    ivf_from = IVF_MIN_VECTORS if min_ivf is None else min_ivf
    limits = {"hnsw_min_vectors": threshold, "ivf_min_vectors": ivf_from}
    n, dims = vectors.shape
    if n < threshold:
        flat = faiss.IndexFlatIP(dims)
        flat.add(vectors)
        return flat, "flat", limits, None
    if n >= ivf_from:
        nlist = max(1, n // IVF_LIST_SIZE)
        ivf = ivf_index(vectors, nlist, IVF_CODEC, IVF_NPROBE)
        calibration = calibrate_nprobe(ivf, vectors, config) if config.calibrate else None
        nprobe = calibration.nprobe if calibration else IVF_NPROBE
        cast(Any, faiss.extract_index_ivf(ivf)).nprobe = nprobe
        return ivf, f"ivf_{IVF_CODEC.lower()}", {"nlist": nlist, "nprobe": nprobe, **limits}, calibration
    hnsw = faiss.IndexHNSWFlat(dims, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    ef_search = next(ef for limit, ef in HNSW_EF_SEARCH if limit is None or n < limit)
    hnsw.hnsw.efSearch = ef_search
    for start in range(0, n, _READ_BLOCK * 8):
        hnsw.add(vectors[start : start + _READ_BLOCK * 8])
    params = {"m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION, "ef_search": ef_search}
    return hnsw, "hnsw", {**params, **limits}, None


def _write_tree(
    corpus: Corpus,
    embedder: Embedder,
    index_dir: Path,
    tmp: Path,
    progress: bool,
    reuse: bool = True,
    parsed: ParsedFiles | None = None,
    source: str = "",
    dense_config: DenseConfig | None = None,
) -> Manifest:
    """Write a complete index into `tmp` (reusing vectors cached in `index_dir` when `reuse`)."""
    started = time.perf_counter()
    docs = {d.doc_id: d for d in corpus.documents}
    chunks = corpus.chunks
    ids = [c.chunk_id for c in chunks]
    texts = [embed_text(c, docs[c.doc_id]) for c in chunks]
    keys = [(cid, text_sha1(t)) for cid, t in zip(ids, texts, strict=True)]
    cache_path = _live_cache(index_dir, tmp, reuse)
    cache = VectorCache(cache_path)
    try:
        missing = _missing(keys, texts, embedder, cache)
        # Enough to embed on enough cores: the lexical part is written by a worker meanwhile (it pays a process
        # start, ~1.3 s CPU); else after the encoding, its jieba half beside the rest (`_lexical_beside`).
        with _lexical_beside(corpus, texts, tmp, overlap=_overlap_lexical(len(missing))) as lexical:
            embedded = _embed_missing(keys, texts, embedder, cache, progress, missing)
            lexical.encoded()
            vectors = _dense_from_cache(keys, embedder.name, embedder.dims, cache)
            cache.close()
            if cache_path.parent != tmp:  # the new folder shares the cache file (a hard link; a copy across devices)
                try:
                    os.link(cache_path, tmp / "vectors.sqlite")
                except OSError:
                    shutil.copy2(cache_path, tmp / "vectors.sqlite")
            dense, dense_kind, dense_params, calibration = calibrated_dense_index(vectors, config=dense_config)
            del vectors
            faiss.write_index(dense, str(tmp / "dense.faiss"))
            del dense
            write_corpus_db(tmp / CORPUS_DB, corpus, parsed, index_dir / CORPUS_DB)
    finally:
        cache.close()
    manifest = Manifest(
        model=embedder.name,
        dims=embedder.dims,
        chunk_count=len(chunks),
        document_count=len(docs),
        corpus_files={g.gazette.source_file: g.gazette.sha256 for g in corpus.gazettes},
        content_sha1=_content_sha1(ids, texts),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 2),
        embedded_chunks=embedded,
        dense_index=dense_kind,
        dense_params=dense_params,
        source_key=source,
        dense_calibration=calibration,
    )
    (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    (tmp / MARKER).write_text(_MARKER_TEXT)
    return manifest


def _backup_of(index_dir: Path) -> Path:
    """Where the previous index waits while a new one is renamed into place."""
    return index_dir.with_name(index_dir.name + ".old")


def _swap_in(tmp: Path, index_dir: Path) -> None:
    """Replace `index_dir` by `tmp` with renames only (the old index is kept until the new one is in place).

    Only folders that `check_index_dir` accepted (the index and its backup) are ever moved aside or deleted.
    """
    backup = _backup_of(index_dir)
    if backup.exists():
        shutil.rmtree(backup)
    if index_dir.exists():
        index_dir.rename(backup)
    tmp.rename(index_dir)
    if backup.exists():
        shutil.rmtree(backup)


STALE_BUILD_SECONDS = 24 * 3600  # a build folder without a marker (made before markers) is stale after this


def _building_prefix(index_dir: Path) -> str:
    return f".{index_dir.name}.building-"


def recover_backup(index_dir: Path) -> bool:
    """Put `<index>.old` back when a crash between the two renames of a swap left no `<index>` (True if it did).

    Without this, the next start found no index and re-embedded the whole corpus.
    """
    backup = _backup_of(index_dir)
    if index_dir.exists() or not backup.is_dir() or _read_manifest(backup) is None:
        return False
    backup.rename(index_dir)
    log.warning("recovered the index at %s from %s (a swap was interrupted)", index_dir, backup.name)
    return True


def _claim_build_dir(tmp: Path) -> int:
    """Mark a new build folder as this project's and lock the marker while the build runs (returns its fd)."""
    fd = os.open(tmp / MARKER, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"A gongbao search index being built.\n")
    return fd


def _builder_alive(marker: Path) -> bool:
    """Whether a process still holds the build folder's marker lock (it is building there right now)."""
    try:
        fd = os.open(marker, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def remove_stale_builds(index_dir: Path) -> list[Path]:
    """Delete the `.<index>.building-*` folders interrupted builds left beside `index_dir`; return them.

    Only folders this project made are touched: the name prefix and either the GONGBAO_INDEX marker that no
    running build holds locked, or (folders from before builds were marked) an age over a day.
    """
    removed = []
    for folder in index_dir.parent.glob(_building_prefix(index_dir) + "*"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        marker = folder / MARKER
        if marker.is_file():
            if _builder_alive(marker):
                continue
        elif time.time() - folder.stat().st_mtime < STALE_BUILD_SECONDS:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    if removed:
        log.warning("removed %d build folders left by interrupted builds beside %s", len(removed), index_dir)
    return removed


def build_index(
    corpus: Corpus,
    embedder: Embedder,
    index_dir: Path,
    force: bool = False,
    progress: bool = True,
    parsed: ParsedFiles | None = None,
    source: str = "",
    dense_config: DenseConfig | None = None,
) -> Manifest:
    """Build (or refresh) the index of `corpus` in `index_dir` and return its manifest.

    Without `force`, an index that is already current (same model, format and chunk texts) is left alone, and a
    rebuild re-embeds only chunks whose text changed. With `force`, every chunk is re-embedded. `parsed` (from
    `index.corpus_store.load_corpus`) is the parse cache to store with the index; without it the previous
    index's parse cache is kept. `source` (`index.corpus_store.source_key`) is recorded in the manifest (also of a
    current index), so that the next restart can tell the corpus unchanged without reading it.
    `dense_config` says how a large (IVF) dense index is calibrated.
    """
    index_dir = Path(index_dir)
    check_index_dir(index_dir)
    if index_dir.parent.is_dir():
        recover_backup(index_dir)
        remove_stale_builds(index_dir)
    current = _read_manifest(index_dir)
    docs = {d.doc_id: d for d in corpus.documents}
    ids = [c.chunk_id for c in corpus.chunks]
    content = _content_sha1(ids, [embed_text(c, docs[c.doc_id]) for c in corpus.chunks])
    if (
        not force
        and current
        and (current.model, current.dims, current.version, current.content_sha1)
        == (
            embedder.name,
            embedder.dims,
            INDEX_VERSION,
            content,
        )
    ):
        log.info("index at %s is current; nothing to do", index_dir)
        if parsed is not None:
            update_parsed(index_dir / CORPUS_DB, parsed)
        if source and current.source_key != source:
            current = current.model_copy(update={"source_key": source})
            _write_manifest(index_dir, current)
        return current
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_building_prefix(index_dir), dir=index_dir.parent))
    claim = _claim_build_dir(tmp)
    try:
        manifest = _write_tree(
            corpus,
            embedder,
            index_dir,
            tmp,
            progress,
            reuse=not force,
            parsed=parsed,
            source=source,
            dense_config=dense_config,
        )
        _swap_in(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(claim)
    log.info("built index at %s: %d chunks, %d embedded", index_dir, manifest.chunk_count, manifest.embedded_chunks)
    return manifest


# ---------- load / search ----------


def as_rows(allowed: Iterable[int] | np.ndarray | None) -> Rows | None:
    """Allowed chunk rows as a sorted int64 array (None: no restriction)."""
    if allowed is None:
        return None
    if isinstance(allowed, np.ndarray):
        rows = allowed.astype(np.int64, copy=False)
        if rows.ndim == 1 and bool(np.all(rows[1:] > rows[:-1])):
            return rows  # sorted and unique already (`rows_of_documents`): np.unique would sort a copy per index
        return np.unique(rows)
    return np.unique(np.fromiter(allowed, dtype=np.int64))


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first (ties by position, as a stable sort): one pass keeping the k best
    in a heap (`_select_best`), then a sort of those k only. A NaN score (a degenerate vector) ranks last: in the
    heap it would sit at the root, where no score compares above it, and crowd a real best out."""
    if k <= 0 or len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    if np.isnan(scores).any():
        scores = np.where(np.isnan(scores), -np.inf, scores)
    part = _select_best(scores, k) if k < len(scores) else np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


_TOKENS_MEMO = 256  # queries whose BM25 tokens an IndexStore remembers
# token lists whose BM25 scores over every row an IndexStore remembers (4 bytes a row each: 0.14 MB at 34,900 chunks,
# 4 MB at 10^6); a question and the searches in the documents it names need the last one or two
_SCORES_MEMO = 8
# Steps one binary search for a row in a token's postings takes (log2 of a long posting list): a BM25 search
# restricted to few rows scores them alone when rows × tokens × this is below the tokens' postings plus the rows
# (`IndexStore._rows_alone`). At 20x the corpus a comparison side searched in its document (~20-150 rows) costs
# ~0.02 ms on the character index instead of ~1 ms scoring every row (perf9, reports/scale_search_perf9.md).
BM25_ROW_SEARCH_COST = 12


def _compiled(fn: Any) -> Any:
    """`fn` compiled by numba, its machine code cached on disk (saves ~0.3 s of each process's first search); where
    no cache location is writable (a read-only install) numba refuses the cache at import, so compile per process."""
    try:
        return numba.njit(cache=True, nogil=True)(fn)
    except RuntimeError:
        return numba.njit(nogil=True)(fn)


@_compiled
def _add_postings(
    scores: np.ndarray, data: np.ndarray, indices: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> None:
    """Add each query token's postings (BM25 score per document) into `scores`, token by token in query order.

    The additions `bm25s.BM25.get_scores` makes with one `np.add.at` per token, in the same order and precision
    (float32), so the same sums; compiled, it costs half as much on the character index (a common character's
    postings cover most of the corpus) and a third on the jieba index, and releases the GIL."""
    for t in range(len(starts)):
        for j in range(starts[t], ends[t]):
            scores[indices[j]] += data[j]


@_compiled
def _add_row_postings(
    scores: np.ndarray, data: np.ndarray, indices: np.ndarray, starts: np.ndarray, ends: np.ndarray, rows: np.ndarray
) -> None:
    """`_add_postings` for the sorted `rows` only (`scores[i]` is row `rows[i]`'s): each row's posting is found by
    binary search in each token's postings (sorted by row in bm25s's index), from where the previous row's search
    ended. Token by token in query order, so each row's sum is the same float32 sum as `_add_postings` makes."""
    for t in range(len(starts)):
        lo, hi = starts[t], ends[t]
        for i in range(len(rows)):
            if lo >= hi:
                break
            row = rows[i]
            a, b = lo, hi
            while a < b:  # the first posting at or after `row`
                mid = (a + b) // 2
                if indices[mid] < row:
                    a = mid + 1
                else:
                    b = mid
            if a < hi and indices[a] == row:
                scores[i] += data[a]
            lo = a


@_compiled
def _select_best(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k best scores (in no order), best meaning a higher score, then an earlier position.

    A heap of the k best so far with the worst at its root; positions come in increasing order, so a later score
    equal to the root's is worse and stays out. One compiled pass over the scores: a third of the partial sort it
    replaced at 34,900 rows (`np.partition` of the negated scores, then two scans for the cut)."""
    hs = np.empty(k, dtype=scores.dtype)
    hp = np.empty(k, dtype=np.int64)
    n = 0
    for i in range(len(scores)):
        s = scores[i]
        if n < k:  # fill: sift the new one up while it is worse than its parent
            j = n
            n += 1
            while j > 0:
                parent = (j - 1) // 2
                if s < hs[parent] or (s == hs[parent] and i > hp[parent]):
                    hs[j], hp[j] = hs[parent], hp[parent]
                    j = parent
                else:
                    break
            hs[j], hp[j] = s, i
        elif s > hs[0]:  # better than the worst kept: it takes the root's place and sifts down
            j = 0
            while True:
                c = 2 * j + 1
                if c >= k:
                    break
                if c + 1 < k and (hs[c + 1] < hs[c] or (hs[c + 1] == hs[c] and hp[c + 1] > hp[c])):
                    c += 1  # the worse child
                if hs[c] < s or (hs[c] == s and hp[c] > i):
                    hs[j], hp[j] = hs[c], hp[c]
                    j = c
                else:
                    break
            hs[j], hp[j] = s, i
    return hp


@contextmanager
def _one_thread() -> Iterator[None]:
    """One OpenMP thread for a single query (this thread only): on a busy machine a parallel region's barrier costs
    more than the search itself (measured 4× slower flat search with 2 threads on 2 shared cores)."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _stored_vectors(index: faiss.Index) -> np.ndarray | None:
    """A read-only view of the vectors a flat or HNSW-flat index stores (no copy); None for IVF (no flat array)."""
    if isinstance(index, faiss.IndexIVF):
        return None
    flat: Any = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    return faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)


def exact_vectors(index_dir: Path, corpus: Corpus, manifest: Manifest) -> np.ndarray:
    """Every chunk's exact vector of a built index, in row order (a copy): read from a flat or HNSW index itself,
    or, for IVF (which keeps 8-bit codes, not the vectors), from the index folder's vector cache."""
    dense = faiss.read_index(str(index_dir / "dense.faiss"))
    view = _stored_vectors(dense)
    if view is not None:
        return np.array(view, dtype=np.float32)  # a copy: the view reads `dense`'s memory, freed on return
    docs = {d.doc_id: d for d in corpus.documents}
    keys = [(c.chunk_id, text_sha1(embed_text(c, docs[c.doc_id]))) for c in corpus.chunks]
    cache = VectorCache(index_dir / "vectors.sqlite")
    try:
        return _dense_from_cache(keys, manifest.model, manifest.dims, cache)
    finally:
        cache.close()


class EmbedTexts(Sequence[str]):
    """Each chunk's indexed text (`embed_text`), made on access: holding them all cost 0.45 KB per chunk
    (measured at 32,900 chunks: 14.4 MB; ≈ 0.45 GB at 10^6) for a lookup a query makes a few dozen times."""

    def __init__(self, chunks: Sequence[Chunk], document_of: Callable[[int], Document]) -> None:
        self._chunks = chunks
        self._document_of = document_of

    def __len__(self) -> int:
        return len(self._chunks)

    @overload
    def __getitem__(self, idx: int) -> str: ...
    @overload
    def __getitem__(self, idx: slice) -> list[str]: ...
    def __getitem__(self, idx: int | slice) -> str | list[str]:
        if isinstance(idx, slice):
            return [self[i] for i in range(*idx.indices(len(self)))]
        return embed_text(self._chunks[idx], self._document_of(idx if idx >= 0 else idx + len(self)))


class IndexStore:
    """A loaded index: dense and BM25 search over the chunks, with their documents.

    The corpus is served from the index folder's store (`index.corpus_store.StoredCorpus`) unless one is handed
    in: chunks are decoded when asked for, and what a search needs per chunk (its document, whether it is a card)
    comes from packed arrays. `allowed` arguments restrict a search to chunk rows (a sorted int array, or any
    iterable of ints); the restriction is applied inside the indexes (FAISS IDSelector, BM25 weight mask), so
    only the top candidates of the allowed rows come back.
    """

    def __init__(self, index_dir: Path, manifest: Manifest, embedder: Embedder, corpus: Corpus | None = None) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.embedder = embedder
        self.corpus = corpus if corpus is not None else open_served(index_dir / CORPUS_DB)
        self.chunks: Sequence[Chunk] = self.corpus.chunks
        self.documents: dict[str, Document] = {d.doc_id: d for d in self.corpus.documents}
        self.texts = EmbedTexts(self.chunks, self.document_of)
        self.row: Mapping[str, int] = self.corpus.row_map()
        self._doc_list = self.corpus.documents
        self._doc_of_row = self.corpus.doc_of_row()
        self._cards = self.corpus.card_rows()
        # rows grouped by document: rows_of_documents slices these, no per-document arrays
        self._rows_by_doc = np.argsort(self._doc_of_row, kind="stable").astype(np.int64)
        self._doc_bounds = np.searchsorted(self._doc_of_row[self._rows_by_doc], np.arange(len(self._doc_list) + 1))
        self._doc_position = {d.doc_id: i for i, d in enumerate(self._doc_list)}
        self._dense = faiss.read_index(str(index_dir / "dense.faiss"))
        if manifest.dense_index == "hnsw":
            cast(Any, self._dense).hnsw.efSearch = manifest.dense_params["ef_search"]
        if isinstance(self._dense, faiss.IndexIVF):
            self._dense.nprobe = manifest.dense_params["nprobe"]
            self._dense.make_direct_map()  # row → code, so an exact search over a few rows can decode them
        self._vectors = _stored_vectors(self._dense)
        self._bm25 = {
            name: bm25s.BM25.load(str(index_dir / f"bm25_{name}"), mmap=True, show_progress=False)
            for name in ("jieba", "char")
        }
        self._jieba = make_jieba(index_dir / "userdict.txt")
        # each BM25 index's postings as plain arrays (views of the memory maps): slicing a np.memmap per query token
        # costs more than the slice
        self._tokens_memo: dict[tuple[str, str], tuple[str, ...]] = {}
        self._last_dense: tuple[tuple[bytes, int], tuple[tuple[int, float], ...]] | None = None
        # least recently used out first: a question's own scoring must survive until its named-document search
        # reads it, however many requests run meanwhile (a clear-all memo lost it exactly under load)
        self._scores_memo: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
        self._scores_lock = threading.Lock()
        self._postings = {
            name: tuple(np.asarray(model.scores[key]) for key in ("data", "indices", "indptr"))
            for name, model in self._bm25.items()
        }

    def __len__(self) -> int:
        return len(self._doc_of_row)

    def document_of(self, idx: int) -> Document:
        """The document that chunk number `idx` belongs to (from the packed array: no chunk decoded)."""
        return self._doc_list[int(self._doc_of_row[idx])]

    def is_card(self, idx: int) -> bool:
        """Whether chunk number `idx` is a document card (from the packed array)."""
        return bool(self._cards[idx])

    def mentions_any(self, idx: int, words: Iterable[str]) -> bool:
        """Whether chunk number `idx`'s indexed text holds any of `words` (years: from a packed array)."""
        return self.corpus.mentions_any(idx, words)

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """For each chunk row, whether its document is from one of `years` or its indexed text mentions one."""
        return self.corpus.in_years(rows, years)

    def rows_of_documents(self, doc_ids: Iterable[str]) -> Rows:
        """Sorted chunk rows of the given documents."""
        parts = []
        for d in doc_ids:
            i = self._doc_position.get(d)
            if i is not None:
                parts.append(self._rows_by_doc[self._doc_bounds[i] : self._doc_bounds[i + 1]])
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def dense(self, query: str, k: int, allowed: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """Top-k chunks by cosine similarity to the embedded query."""
        return self.dense_vector(self.embedder.encode_queries([query])[0], k, allowed)

    def dense_vector(
        self, vector: np.ndarray, k: int, allowed: Iterable[int] | np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k chunks by inner product with a normalised query vector (restricted to `allowed` if given)."""
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        rows = as_rows(allowed)
        if rows is None:  # the last unrestricted search remembered: a comparison's sides may ask it again
            key = (query.tobytes(), k)
            last = self._last_dense
            if last is not None and last[0] == key:
                return list(last[1])
        with _one_thread():
            found = self._dense_search(query, k, rows)
        if rows is None:
            self._last_dense = (key, tuple(found))  # one assignment: atomic under the GIL
        return found

    def _dense_search(self, query: np.ndarray, k: int, rows: Rows | None) -> list[tuple[int, float]]:
        if rows is None:
            scores, idxs = self._dense.search(query, min(k, self._dense.ntotal))
        elif len(rows) == 0:
            return []
        elif len(rows) <= EXACT_SUBSET_MAX:
            # An IVF search with a selector would only see the allowed rows in the probed cells: decode them all.
            stored = self._dense.reconstruct_batch(rows) if self._vectors is None else self._vectors[rows]
            subset = stored @ query[0]
            best = top_k(subset, k)
            return [(int(rows[i]), float(subset[i])) for i in best]
        else:
            selector = faiss.IDSelectorBatch(rows)
            index: Any = self._dense
            fx: Any = faiss  # the typed faiss stubs lack the search-parameter classes
            if isinstance(index, faiss.IndexHNSW):
                params = fx.SearchParametersHNSW(sel=selector, efSearch=max(index.hnsw.efSearch, k))
            elif isinstance(index, faiss.IndexIVF):
                # Probed cells hold allowed rows in proportion to the filter's share: probe more cells the fewer
                # rows pass (the selector test on a skipped row is cheap next to a distance), at most 16× as many.
                widen = min(IVF_FILTER_WIDEN_MAX, max(1, index.ntotal // len(rows)))
                params = fx.SearchParametersIVF(sel=selector, nprobe=min(index.nlist, index.nprobe * widen))
            else:
                params = fx.SearchParameters(sel=selector)
            scores, idxs = self._dense.search(query, min(k, len(rows)), params=params)
        return [(int(i), float(s)) for i, s in zip(idxs[0], scores[0], strict=True) if i >= 0]

    def query_tokens(self, query: str, tokenizer: Tokenizer = "jieba") -> list[str]:
        """The query as the named BM25 index tokenizes it (remembered for the last few queries: a question naming a
        document is searched twice, everywhere and then in that document, with the same tokens)."""
        key = (tokenizer, query)
        known = self._tokens_memo.get(key)
        if known is not None:
            return list(known)
        if tokenizer == "jieba":
            tokens = jieba_tokens(self._jieba, query)
        elif tokenizer == "char":
            tokens = char_tokens(query)
        else:
            raise ValueError(f"unknown tokenizer {tokenizer!r} (use 'jieba' or 'char')")
        if len(self._tokens_memo) >= _TOKENS_MEMO:
            self._tokens_memo.clear()  # bounded: another thread may clear it too, which only costs a tokenisation
        self._tokens_memo[key] = tuple(tokens)
        return tokens

    def bm25(
        self, query: str, k: int, tokenizer: Tokenizer = "jieba", allowed: Iterable[int] | np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k chunks by BM25 (zero-score chunks are never returned)."""
        tokens = self.query_tokens(query, tokenizer)
        if not tokens:
            return []
        rows = as_rows(allowed)
        if rows is not None and self._rows_alone(tokenizer, tokens, rows):
            # a few rows (a comparison side in its document): scored alone, not the whole corpus
            scores = self._bm25_row_scores(tokenizer, tokens, rows)
            return [(int(rows[i]), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]
        scores = self._bm25_scores(tokenizer, tokens)
        if rows is None:
            return [(int(i), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]
        # only the allowed rows: what a 0/1 weight mask over every row leaves (in row order, so ties fall the same)
        scores = scores[rows]
        return [(int(rows[i]), float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]

    def _rows_alone(self, tokenizer: Tokenizer, tokens: list[str], rows: Rows) -> bool:
        """Whether scoring `rows` alone costs less than scoring every row: a binary search per row and token
        (~BM25_ROW_SEARCH_COST steps) against a pass over the tokens' postings and the rows' score array. Never when
        the tokens' scores over every row are remembered (a search in a named document after the question's own)."""
        with self._scores_lock:
            if (tokenizer, tuple(tokens)) in self._scores_memo:
                return False
        ids = np.asarray(self._bm25[tokenizer].get_tokens_ids(tokens), dtype=np.int64)
        indptr = self._postings[tokenizer][2]
        postings = int((indptr[ids + 1] - indptr[ids]).sum())
        return len(rows) * len(ids) * BM25_ROW_SEARCH_COST < postings + len(self)

    def _bm25_row_scores(self, tokenizer: Tokenizer, tokens: list[str], rows: Rows) -> np.ndarray:
        """The BM25 scores of `rows` only (sorted), the very floats `_bm25_scores(...)[rows]` holds: each row's
        postings found by binary search in each token's (sorted) postings and added token by token in query order,
        as the whole-corpus scoring adds them."""
        return self._postings_sum(tokenizer, tokens, rows)

    def _bm25_scores(self, tokenizer: Tokenizer, tokens: list[str]) -> np.ndarray:
        """Every chunk's BM25 score for the query tokens: `bm25s.BM25.get_scores`'s floats (`_add_postings`), read-only.

        Remembered for the last few token lists: a question naming a document is searched everywhere, then in that
        document (and its annexes) with the same tokens, and the restricted search only reads the allowed rows of
        the same scores (at 20x the corpus a scoring costs ~0.3 ms per index)."""
        key = (tokenizer, tuple(tokens))
        with self._scores_lock:
            known = self._scores_memo.get(key)
            if known is not None:
                self._scores_memo.move_to_end(key)
                return known
        scores = self._score_tokens(tokenizer, tokens)  # outside the lock: two threads at worst score twice
        scores.setflags(write=False)  # shared by the searches that reuse it
        with self._scores_lock:
            self._scores_memo[key] = scores
            while len(self._scores_memo) > _SCORES_MEMO:
                self._scores_memo.popitem(last=False)
        return scores

    def _score_tokens(self, tokenizer: Tokenizer, tokens: list[str]) -> np.ndarray:
        return self._postings_sum(tokenizer, tokens, None)

    def _postings_sum(self, tokenizer: Tokenizer, tokens: list[str], rows: Rows | None) -> np.ndarray:
        """The query tokens' BM25 scores of every row (`rows` None: `_add_postings`) or of the sorted `rows` only
        (`_add_row_postings`): one reading of the model's postings and its absence scores for both."""
        model = self._bm25[tokenizer]
        data, indices, indptr = self._postings[tokenizer]
        ids = np.asarray(model.get_tokens_ids(tokens), dtype=np.int64)  # tokens not in the vocabulary left out
        if rows is None:
            scores = np.zeros(model.scores["num_docs"], dtype=np.dtype(model.dtype))
            _add_postings(scores, data, indices, indptr[ids], indptr[ids + 1])
        else:
            scores = np.zeros(len(rows), dtype=np.dtype(model.dtype))
            _add_row_postings(scores, data, indices, indptr[ids], indptr[ids + 1], rows)
        if model.nonoccurrence_array is not None:  # BM25 variants scoring a token's absence (not lucene's)
            scores += model.nonoccurrence_array[ids].sum()
        return scores.astype(np.float32, copy=False)


def load_index(index_dir: Path, embedder: Embedder, corpus: Corpus | None = None) -> IndexStore:
    """Open the index in `index_dir` for `embedder`; IndexMismatchError if it was built with another model.

    `corpus` is the corpus the index was just built or checked against (its chunks in index order); without it
    the corpus stored in the index is read.
    """
    index_dir = Path(index_dir)
    recover_backup(index_dir)
    manifest = _read_manifest(index_dir)
    if manifest is None:
        raise FileNotFoundError(f"no index at {index_dir} (manifest.json missing); build it first")
    if manifest.version != INDEX_VERSION:
        raise IndexMismatchError(f"index at {index_dir} has format v{manifest.version}, expected v{INDEX_VERSION}")
    if (manifest.model, manifest.dims) != (embedder.name, embedder.dims):
        raise IndexMismatchError(
            f"index at {index_dir} was built with {manifest.model} ({manifest.dims} dims), "
            f"not {embedder.name} ({embedder.dims} dims); rebuild it with this embedder"
        )
    return IndexStore(index_dir, manifest, embedder, corpus)
