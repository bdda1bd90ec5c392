"""An IVF index's nprobe is chosen by measurement at build time, recorded in the manifest and used when loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pytest

from index import store as store_mod
from index.corpus_store import load_corpus
from index.embedders import l2_normalise
from index.store import (
    DenseConfig,
    build_index,
    calibrated_dense_index,
    char_tokens,
    jieba_tokens,
    load_index,
    make_jieba,
)
from tests.conftest import CORPUS_DIR
from tests.helpers import HashEmbedder  # every vector distinct: a hard set for IVF

DIMS = 32
SMALLEST = "001_a2741b667bdfe332.txt"  # the smallest bundled gazette


@pytest.fixture()
def smallest(tmp_path: Path) -> Path:
    """A corpus folder holding the smallest bundled gazette only: an index of it builds in seconds."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS_DIR / SMALLEST, folder / SMALLEST)
    return folder


def _easy_and_hard() -> tuple[np.ndarray, np.ndarray]:
    """2,000 vectors each: tight clusters around 40 centres (neighbours share a cell), and isotropic noise."""
    rng = np.random.default_rng(0)
    centres = l2_normalise(rng.standard_normal((40, DIMS)))
    easy = l2_normalise(np.repeat(centres, 50, axis=0) + rng.normal(0, 0.05, (2000, DIMS)))
    hard = l2_normalise(rng.standard_normal((2000, DIMS)))
    return easy.astype(np.float32), hard.astype(np.float32)


def _held_out_recall(index: Any, vectors: np.ndarray, rows: np.ndarray, nprobe: int) -> float:
    """Recall@10 of the IVF index at `nprobe` for the vectors `rows` as queries, each one's own row left out,
    against numpy's exact ranking (computed here, independently of the code under test)."""
    import faiss

    ivf = faiss.extract_index_ivf(index)
    before = ivf.nprobe
    ivf.nprobe = nprobe
    _, found = index.search(vectors[rows], 11)
    ivf.nprobe = before
    hits = 0
    for row, got in zip(rows, found, strict=True):
        exact = np.argsort(-(vectors @ vectors[row]), kind="stable")
        truth = set(exact[exact != row][:10].tolist())
        hits += len(truth & set(got[got != row][:10].tolist()))
    return hits / (10 * len(rows))


def test_a_hard_set_gets_more_cells_than_an_easy_one_and_the_least_that_reach_the_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_mod, "IVF_LIST_SIZE", 32)  # 62 cells of 2,000 vectors
    config = DenseConfig(calibration_queries=100)
    easy, hard = _easy_and_hard()
    chosen = {}
    for name, vectors in (("easy", easy), ("hard", hard)):
        index, kind, params, calibration = calibrated_dense_index(vectors, min_hnsw=1, min_ivf=1, config=config)
        assert kind.startswith("ivf_") and calibration is not None and calibration.reached
        assert params["nprobe"] == calibration.nprobe == store_mod.faiss.extract_index_ivf(index).nprobe
        chosen[name] = calibration.nprobe
        # the recall it reports is the recall there, computed independently on the same held-out rows ...
        rows = np.sort(np.random.default_rng(config.seed).choice(len(vectors), 100, replace=False))
        measured = _held_out_recall(index, vectors, rows, calibration.nprobe)
        assert measured == pytest.approx(calibration.recall_at_10, abs=0.02) and measured >= 0.95 - 0.02
        # ... and the grid's next smaller nprobe falls short of the target: the choice is the least that reaches it
        grid = sorted(p for p in config.nprobe_grid if p < calibration.nprobe)
        if grid:
            assert calibration.sweep[grid[-1]] < config.recall_target
            assert _held_out_recall(index, vectors, rows, grid[-1]) < config.recall_target
    assert chosen["hard"] > chosen["easy"]
    strict = calibrated_dense_index(hard, 1, 1, DenseConfig(calibration_queries=100, recall_target=0.99))[3]
    assert strict is not None and strict.nprobe > chosen["hard"]  # the target is a knob that moves the choice


def test_an_unreachable_target_keeps_the_most_cells_tried_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "IVF_LIST_SIZE", 32)
    _, hard = _easy_and_hard()
    grid = (4, 8, 16)
    calibration = calibrated_dense_index(hard, 1, 1, DenseConfig(calibration_queries=50, nprobe_grid=grid))[3]
    assert calibration is not None and not calibration.reached
    assert calibration.nprobe == 16 and list(calibration.sweep) == list(grid)
    assert calibration.recall_at_10 == calibration.sweep[16] < 0.95


def test_the_manifest_records_the_calibration_and_a_loaded_index_uses_it(
    smallest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "HNSW_MIN_VECTORS", 1)
    monkeypatch.setattr(store_mod, "IVF_MIN_VECTORS", 1)
    monkeypatch.setattr(store_mod, "IVF_LIST_SIZE", 4)
    index_dir = tmp_path / "index"
    corpus, parsed = load_corpus(smallest, index_dir)
    embedder = HashEmbedder()
    manifest = build_index(corpus, embedder, index_dir, progress=False, parsed=parsed)
    calibration = manifest.dense_calibration
    assert manifest.dense_index.startswith("ivf_") and calibration is not None
    assert calibration.queries == min(len(corpus.chunks) - 1, DenseConfig().calibration_queries)
    assert manifest.dense_params["nprobe"] == calibration.nprobe and calibration.nprobe in calibration.sweep
    on_disk = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["dense_calibration"]["nprobe"] == calibration.nprobe
    assert on_disk["dense_calibration"]["recall_at_10"] == calibration.recall_at_10
    dense: Any = load_index(index_dir, embedder)._dense
    assert dense.nprobe == calibration.nprobe
    # the loaded index takes its nprobe from the manifest, whatever the file's own setting
    on_disk["dense_params"]["nprobe"] = calibration.nprobe + 3
    (index_dir / "manifest.json").write_text(json.dumps(on_disk), encoding="utf-8")
    dense = load_index(index_dir, embedder)._dense
    assert dense.nprobe == calibration.nprobe + 3


def test_the_bm25_indexes_written_beside_the_embedding_equal_the_inline_ones(
    smallest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that embeds enough chunks writes jieba and BM25 in a worker process while it embeds: same files."""
    corpus, parsed = load_corpus(smallest, tmp_path / "inline")
    embedder = HashEmbedder()
    started: list[str] = []
    real_process = store_mod.multiprocessing.get_context("spawn").Process

    def spy(*args: Any, **kwargs: Any) -> Any:
        started.append(kwargs.get("name", ""))
        return real_process(*args, **kwargs)

    monkeypatch.setattr(store_mod.multiprocessing.get_context("spawn"), "Process", spy)
    build_index(corpus, embedder, tmp_path / "inline", progress=False, parsed=parsed)
    assert started == []  # fewer chunks to embed than LEXICAL_WORKER_MIN_EMBED: written inline
    monkeypatch.setattr(store_mod, "LEXICAL_WORKER_MIN_EMBED", 1)
    monkeypatch.setattr(store_mod, "LEXICAL_WORKER_MIN_CPUS", (os.cpu_count() or 1) + 1)
    build_index(corpus, embedder, tmp_path / "few-cores", progress=False, parsed=parsed)
    assert started == []  # no core left idle by the encoder: written inline
    monkeypatch.setattr(store_mod, "LEXICAL_WORKER_MIN_CPUS", 1)
    build_index(corpus, embedder, tmp_path / "worker", progress=False, parsed=parsed)
    assert started == ["gongbao-bm25"]
    # same dictionary; same BM25 vocabulary and scores (token ids follow set order, which varies per process)
    assert (tmp_path / "worker" / "userdict.txt").read_text() == (tmp_path / "inline" / "userdict.txt").read_text()
    inline, worker = load_index(tmp_path / "inline", embedder), load_index(tmp_path / "worker", embedder)
    for tokenizer in ("jieba", "char"):
        assert set(inline._bm25[tokenizer].vocab_dict) == set(worker._bm25[tokenizer].vocab_dict)
        for query in ("人民政府", "养老服务补贴", corpus.chunks[5].text[:30]):
            assert inline.bm25(query, 10, tokenizer) == worker.bm25(query, 10, tokenizer)
            assert worker.bm25(query, 10, tokenizer)


def test_bm25_built_from_streamed_token_ids_scores_as_one_built_from_token_strings(tmp_path: Path) -> None:
    corpus, _ = load_corpus(CORPUS_DIR, tmp_path / "index")
    texts = [c.text for c in corpus.chunks[:300]]
    queries = ["人民政府 办公厅", "养老服务补贴 标准", texts[7][:40], texts[250][:25]]
    tok = make_jieba(None)  # one tokenizer: each new one loads jieba's dictionary (seconds)
    for tokenize in (char_tokens, lambda t: jieba_tokens(tok, t)):
        tokens = [tokenize(t) for t in texts]
        store_mod._save_bm25(iter(tokens), tmp_path / "streamed")  # an iterator: consumed once, never held
        strings = bm25s.BM25()
        strings.index(tokens, show_progress=False)
        streamed = bm25s.BM25.load(str(tmp_path / "streamed"))
        assert set(streamed.vocab_dict) == set(strings.vocab_dict)
        for query in queries:
            q = tokenize(query)
            assert np.array_equal(streamed.get_scores(q), strings.get_scores(q)) and strings.get_scores(q).max() > 0


def test_the_jieba_words_cut_in_a_child_process_after_the_encoding_give_the_inline_files_beside_a_thread(
    smallest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On too few cores for a worker beside the encoding, a large enough build cuts the jieba words in a child
    process once the encoding is done, also while another Python thread runs (a server's, as in the API tests): the
    same files, byte for byte, as the inline build, and nothing the child exchanged is left in the index."""
    corpus, parsed = load_corpus(smallest, tmp_path / "inline")
    embedder = HashEmbedder()
    monkeypatch.setattr(store_mod, "LEXICAL_WORKER_MIN_CPUS", (os.cpu_count() or 1) + 1)
    children: list[int] = []
    real_encoded = store_mod._Lexical.encoded

    def spy(self: Any) -> None:
        real_encoded(self)
        children.append(0 if self.child is None else 1)

    monkeypatch.setattr(store_mod._Lexical, "encoded", spy)
    build_index(corpus, embedder, tmp_path / "inline", progress=False, parsed=parsed)
    assert children == [0]  # fewer chunks than LEXICAL_CHILD_MIN_CHUNKS: inline
    monkeypatch.setattr(store_mod, "LEXICAL_CHILD_MIN_CHUNKS", 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        build_index(corpus, embedder, tmp_path / "child", force=True, progress=False, parsed=parsed)
    finally:
        stop.set()
        other.join()
    assert children == [0, 1]

    def files(folder: Path) -> list[Path]:
        return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())

    assert files(tmp_path / "child") == files(tmp_path / "inline")
    for name in files(tmp_path / "inline"):
        if name.parts[0] in {"bm25_jieba", "bm25_char"} or name.name == "userdict.txt":
            assert (tmp_path / "child" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes(), name


def test_a_failed_words_child_fails_the_build_and_leaves_the_index_as_it_was(
    smallest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child process that exits with an error fails the build (no BM25 index without its words)."""
    corpus, parsed = load_corpus(smallest, tmp_path / "index")
    monkeypatch.setattr(store_mod, "LEXICAL_WORKER_MIN_CPUS", (os.cpu_count() or 1) + 1)
    monkeypatch.setattr(store_mod, "LEXICAL_CHILD_MIN_CHUNKS", 1)
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    monkeypatch.setattr(store_mod, "_start_words_child", lambda folder: subprocess.Popen(failing))
    with pytest.raises(RuntimeError, match="exit code 3"):
        build_index(corpus, HashEmbedder(), tmp_path / "index", progress=False, parsed=parsed)
    assert not (tmp_path / "index" / "manifest.json").exists()
