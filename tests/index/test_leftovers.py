"""What interrupted builds leave behind (reliability issue, defect 6): stale build folders are cleaned up at the
next build, only those the project made, and a crash between the two renames of a swap is recovered from
`<index>.old` instead of re-embedding everything."""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from pathlib import Path

import numpy as np
import pytest

from index.embedders import Embedder
from index.models import Corpus
from index.parser import parse_text
from index.store import MARKER, STALE_BUILD_SECONDS, build_index, load_index, remove_stale_builds
from tests.samples import tiny_gazette


class CountingEmbedder(Embedder):
    """Deterministic vectors from a text hash; counts the passages it embeds."""

    name = "counting"
    dims = 8

    def __init__(self) -> None:
        self.embedded = 0

    def _vectors(self, texts: list[str]) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        vectors = np.array(rows, dtype=np.float32) + 1
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._vectors(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self._vectors(texts)


@pytest.fixture()
def small_corpus() -> Corpus:
    return Corpus(gazettes=[parse_text(tiny_gazette(6, issue=1).decode(), "2024-01.txt")])


def test_a_crash_between_the_swap_renames_is_recovered_without_re_embedding(
    tmp_path: Path, small_corpus: Corpus
) -> None:
    index_dir = tmp_path / "index"
    embedder = CountingEmbedder()
    build_index(small_corpus, embedder, index_dir, progress=False)
    chunks = len(small_corpus.chunks)  # six clauses and the document's card
    assert embedder.embedded == chunks == 7
    index_dir.rename(tmp_path / "index.old")  # killed after `index -> index.old`, before `tmp -> index`
    build_index(small_corpus, embedder, index_dir, progress=False)
    assert embedder.embedded == chunks, "the interrupted swap forced a re-embed"
    assert (index_dir / "manifest.json").is_file() and not (tmp_path / "index.old").exists()
    index_dir.rename(tmp_path / "index.old")
    assert len(load_index(index_dir, embedder)) == chunks  # loading alone recovers it too


def _folder(path: Path, marker: bool, age: float = 0) -> Path:
    path.mkdir()
    (path / "vectors.sqlite").write_bytes(b"half-written")
    if marker:
        (path / MARKER).write_text("A gongbao search index being built.\n")
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


def test_stale_build_folders_are_removed_and_only_those(tmp_path: Path, small_corpus: Corpus) -> None:
    index_dir = tmp_path / "index"
    crashed = _folder(tmp_path / ".index.building-crashed", marker=True)
    ancient = _folder(tmp_path / ".index.building-ancient", marker=False, age=STALE_BUILD_SECONDS + 60)
    recent = _folder(tmp_path / ".index.building-recent", marker=False)  # maybe a build without markers running
    running = _folder(tmp_path / ".index.building-running", marker=True)
    other = _folder(tmp_path / ".other.building-x", marker=True)
    users = _folder(tmp_path / "index.building-notes", marker=False, age=STALE_BUILD_SECONDS + 60)
    holder = os.open(running / MARKER, os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a build in progress (this or another process) holds its marker
    try:
        assert sorted(remove_stale_builds(index_dir)) == sorted([crashed, ancient])
        assert recent.exists() and running.exists() and other.exists() and users.exists()
        build_index(small_corpus, CountingEmbedder(), index_dir, progress=False)
        leftovers = sorted(p.name for p in tmp_path.glob(".index.building-*"))
        assert leftovers == [".index.building-recent", ".index.building-running"]
    finally:
        os.close(holder)
    _folder(tmp_path / ".index.building-crashed2", marker=True)
    build_index(small_corpus, CountingEmbedder(), index_dir, progress=False)  # at the next start
    assert not (tmp_path / ".index.building-crashed2").exists()
