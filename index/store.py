"""The on-disk search index: FAISS vectors, two BM25 indexes (jieba words, character 1–2-grams), metadata.

Layout of an index directory::

    manifest.json        model, dims, counts, corpus file hashes, build time, format version
    corpus.json          the parsed Corpus (documents + chunks, in index order)
    dense.faiss          IndexFlatIP over L2-normalised passage vectors
    bm25_jieba/          bm25s index over jieba search-mode tokens
    bm25_char/           bm25s index over character unigrams + bigrams
    userdict.txt         jieba user dictionary extracted from the corpus (文号, agency names)
    vectors.sqlite       passage-vector cache, so a rebuild re-embeds only changed chunks

A build writes everything into a temporary sibling directory and swaps it in at the end, so a failed build
never leaves a half-written index behind. Only folders the project made are ever replaced or deleted: an index
directory carries a `GONGBAO_INDEX` marker file (older indexes: their manifest.json), and a build refuses to
touch an existing folder that has neither and is not empty.
"""

from __future__ import annotations

import fcntl
import itertools
import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import bm25s
import faiss
import jieba
import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from index.embedders import Embedder, VectorCache, text_sha1
from index.models import Chunk, Corpus, Document
from index.text import DOC_NUMBER, canonical_doc_number, norm

log = logging.getLogger(__name__)

INDEX_VERSION = 1
MARKER = "GONGBAO_INDEX"  # written into every index directory: the sign that the project may replace it
Tokenizer = Literal["jieba", "char"]
_AGENCY = re.compile(
    r"省[\u4e00-\u9fa5]{1,10}?(?:委员会|办公厅|办公室|中心|厅|委|局|院|办)(?=[、，,。；;）)\s和及等牵负配会省]|$)"
)
_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "为",
        "对",
        "等",
        "中",
        "把",
        "被",
        "将",
        "由",
        "于",
        "以",
        "其",
        "之",
        "也",
        "都",
        "而",
        "并",
        "有",
        "个",
        "哪些",
        "什么",
        "多少",
        "吗",
        "呢",
    ]
)
_PUNCT = re.compile(r"^[\W_]+$")
_UNIT = re.compile(r"[A-Za-z0-9.%]+|[\u4e00-\u9fff]")
_SPAN_SPLIT = re.compile(r"[^A-Za-z0-9.%\u4e00-\u9fff]+")
_EMBED_BATCH = 128


class IndexMismatchError(RuntimeError):
    """The index on disk was built with a different embedder (or format) than the one given."""


class IndexDirError(RuntimeError):
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


def make_jieba(userdict: Path | None) -> jieba.Tokenizer:
    """A private jieba tokenizer (not the global one) with the corpus user dictionary loaded."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    if userdict is not None and userdict.is_file():
        tok.load_userdict(str(userdict))
    return tok


def jieba_tokens(tok: jieba.Tokenizer, text: str) -> list[str]:
    """jieba search-mode words of the normalised text, without punctuation and stopwords."""
    words = tok.cut_for_search(norm(text))
    return [w for w in words if w.strip() and not _PUNCT.match(w) and w not in _STOPWORDS]


def char_tokens(text: str) -> list[str]:
    """Character unigrams + bigrams (a run of ASCII letters/digits counts as one character)."""
    out: list[str] = []
    for span in _SPAN_SPLIT.split(norm(text)):
        units = _UNIT.findall(span)
        out.extend(units)
        out.extend(a + b for a, b in itertools.pairwise(units))
    return out


# ---------- build ----------


def _write_userdict(terms: Iterable[str], path: Path) -> None:
    path.write_text("".join(f"{t} 100000 n\n" for t in terms if " " not in t), encoding="utf-8")


def _embed_all(
    ids: list[str], texts: list[str], embedder: Embedder, cache: VectorCache, old: VectorCache | None, progress: bool
) -> tuple[np.ndarray, int]:
    """Vectors for every text, from the old cache where the (model, chunk_id, sha1) key matches."""
    keys = [(cid, text_sha1(t)) for cid, t in zip(ids, texts, strict=True)]
    cached = old.get_many(embedder.name, keys) if old else {}
    missing = sorted((i for i, k in enumerate(keys) if k not in cached), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dims), dtype=np.float32)
    for i, key in enumerate(keys):
        if key in cached:
            vectors[i] = cached[key]
    bar = tqdm(total=len(missing), desc=f"embedding ({embedder.name})", unit="chunk", disable=not progress)
    for start in range(0, len(missing), _EMBED_BATCH):
        batch = missing[start : start + _EMBED_BATCH]
        vectors[batch] = embedder.encode_passages([texts[i] for i in batch])
        bar.update(len(batch))
    bar.close()
    cache.put_many(embedder.name, ((k[0], k[1], v) for k, v in zip(keys, vectors, strict=True)))
    return vectors, len(missing)


def _save_bm25(tokens: list[list[str]], path: Path) -> None:
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    model.save(str(path), show_progress=False)


def _content_sha1(ids: list[str], texts: list[str]) -> str:
    return text_sha1("\x1e".join(f"{i}\x1f{t}" for i, t in zip(ids, texts, strict=True)))


def _read_manifest(index_dir: Path) -> Manifest | None:
    path = index_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _write_tree(
    corpus: Corpus, embedder: Embedder, index_dir: Path, tmp: Path, progress: bool, reuse: bool = True
) -> Manifest:
    """Write a complete index into `tmp` (reusing vectors cached in `index_dir` when `reuse`)."""
    started = time.perf_counter()
    docs = {d.doc_id: d for d in corpus.documents}
    chunks = corpus.chunks
    ids = [c.chunk_id for c in chunks]
    texts = [embed_text(c, docs[c.doc_id]) for c in chunks]
    old_path = index_dir / "vectors.sqlite"
    old = VectorCache(old_path) if old_path.is_file() and reuse else None
    cache = VectorCache(tmp / "vectors.sqlite")
    try:
        vectors, embedded = _embed_all(ids, texts, embedder, cache, old, progress)
    finally:
        cache.close()
        if old:
            old.close()
    dense = faiss.IndexFlatIP(embedder.dims)
    dense.add(vectors)
    faiss.write_index(dense, str(tmp / "dense.faiss"))
    _write_userdict(corpus_terms(corpus), tmp / "userdict.txt")
    tok = make_jieba(tmp / "userdict.txt")
    _save_bm25([jieba_tokens(tok, t) for t in texts], tmp / "bm25_jieba")
    _save_bm25([char_tokens(t) for t in texts], tmp / "bm25_char")
    (tmp / "corpus.json").write_text(corpus.model_dump_json(), encoding="utf-8")
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
    )
    (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    (tmp / MARKER).write_text("A gongbao search index: the project replaces this folder when it rebuilds.\n")
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
    corpus: Corpus, embedder: Embedder, index_dir: Path, force: bool = False, progress: bool = True
) -> Manifest:
    """Build (or refresh) the index of `corpus` in `index_dir` and return its manifest.

    Without `force`, an index that is already current (same model, format and chunk texts) is left alone, and a
    rebuild re-embeds only chunks whose text changed. With `force`, every chunk is re-embedded.
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
        return current
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_building_prefix(index_dir), dir=index_dir.parent))
    claim = _claim_build_dir(tmp)
    try:
        manifest = _write_tree(corpus, embedder, index_dir, tmp, progress, reuse=not force)
        _swap_in(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(claim)
    log.info("built index at %s: %d chunks, %d embedded", index_dir, manifest.chunk_count, manifest.embedded_chunks)
    return manifest


# ---------- load / search ----------


class IndexStore:
    """A loaded index: dense and BM25 search over the chunks, with their documents."""

    def __init__(self, index_dir: Path, manifest: Manifest, embedder: Embedder) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.embedder = embedder
        self.corpus = Corpus.model_validate_json((index_dir / "corpus.json").read_text(encoding="utf-8"))
        self.chunks: list[Chunk] = self.corpus.chunks
        self.documents: dict[str, Document] = {d.doc_id: d for d in self.corpus.documents}
        self.texts = [embed_text(c, self.documents[c.doc_id]) for c in self.chunks]
        self._dense = faiss.read_index(str(index_dir / "dense.faiss"))
        self._bm25 = {
            name: bm25s.BM25.load(str(index_dir / f"bm25_{name}"), show_progress=False) for name in ("jieba", "char")
        }
        self._jieba = make_jieba(index_dir / "userdict.txt")

    def __len__(self) -> int:
        return len(self.chunks)

    def document_of(self, idx: int) -> Document:
        """The document that chunk number `idx` belongs to."""
        return self.documents[self.chunks[idx].doc_id]

    def dense(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """Top-k chunks by cosine similarity to the embedded query."""
        return self.dense_vector(self.embedder.encode_queries([query])[0], k, allowed)

    def dense_vector(self, vector: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """Top-k chunks by inner product with a normalised query vector (restricted to `allowed` if given)."""
        n = self._dense.ntotal if allowed is not None else min(k, self._dense.ntotal)
        scores, idxs = self._dense.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), n)
        hits = [(int(i), float(s)) for i, s in zip(idxs[0], scores[0], strict=True) if i >= 0]
        if allowed is not None:
            hits = [h for h in hits if h[0] in allowed]
        return hits[:k]

    def query_tokens(self, query: str, tokenizer: Tokenizer = "jieba") -> list[str]:
        """The query as the named BM25 index tokenizes it."""
        if tokenizer == "jieba":
            return jieba_tokens(self._jieba, query)
        if tokenizer == "char":
            return char_tokens(query)
        raise ValueError(f"unknown tokenizer {tokenizer!r} (use 'jieba' or 'char')")

    def bm25(
        self, query: str, k: int, tokenizer: Tokenizer = "jieba", allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k chunks by BM25 (zero-score chunks are never returned)."""
        tokens = self.query_tokens(query, tokenizer)
        if not tokens:
            return []
        scores = np.asarray(self._bm25[tokenizer].get_scores(tokens), dtype=np.float32)
        if allowed is not None:
            mask = np.zeros_like(scores)
            mask[list(allowed)] = 1.0
            scores = scores * mask
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def load_index(index_dir: Path, embedder: Embedder) -> IndexStore:
    """Open the index in `index_dir` for `embedder`; IndexMismatchError if it was built with another model."""
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
    return IndexStore(index_dir, manifest, embedder)
