"""Parse once (corpus.sqlite), resumable ingest, filters inside the indexes, the dense index choice."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from index import corpus_store
from index import store as store_mod
from index.corpus_store import load_corpus, read_served
from index.embedders import VectorCache, l2_normalise, text_sha1
from index.ingest import ingest
from index.models import Corpus
from index.parser import parse_corpus, parse_file, parse_text, without_repeats
from index.store import Manifest, build_index, dense_index_for, embed_text, load_index, top_k
from tests.conftest import CORPUS_DIR, use_embedder
from tests.helpers import HashEmbedder

SMALL = ["001_a2741b667bdfe332.txt", "002_80a544ba8699e234.txt"]  # the two smallest bundled gazettes


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS_DIR / name, folder / name)
    return folder


def test_restart_parses_only_changed_files(small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index_dir = tmp_path / "index"
    first, parsed = load_corpus(small_corpus, index_dir)
    assert parsed.fresh == set(SMALL)
    build_index(first, HashEmbedder(), index_dir, progress=False, parsed=parsed)

    calls: list[str] = []

    def counting(path: Path, options: object = None) -> object:
        calls.append(path.name)
        return parse_file(path)

    monkeypatch.setattr(corpus_store, "parse_file", counting)
    again, parsed_again = load_corpus(small_corpus, index_dir)
    assert calls == [] and parsed_again.fresh == set()
    assert again.model_dump() == first.model_dump()

    edited = small_corpus / SMALL[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new bytes, same clauses
    _, parsed_edit = load_corpus(small_corpus, index_dir)
    assert calls == [SMALL[1]] and parsed_edit.fresh == {SMALL[1]}
    build_index(again, HashEmbedder(), index_dir, progress=False, parsed=parsed_edit)  # current: cache updated
    calls.clear()
    load_corpus(small_corpus, index_dir)
    assert calls == []


def test_served_corpus_comes_from_sqlite(built: tuple[Path, Manifest], corpus: Corpus) -> None:
    index_dir, _ = built
    assert not (index_dir / "corpus.json").exists() and (index_dir / "corpus.sqlite").is_file()
    store = load_index(index_dir, use_embedder())
    served = store.corpus  # left in the store: documents in memory, chunks decoded when asked for
    assert served.documents == corpus.documents and list(served.chunks) == list(corpus.chunks)
    assert [g.gazette for g in served.gazettes] == [g.gazette for g in corpus.gazettes]
    assert read_served(index_dir / "corpus.sqlite").model_dump() == corpus.model_dump()  # decoded whole


def test_parallel_parse_matches_serial(corpus: Corpus) -> None:
    parallel, parsed = load_corpus(CORPUS_DIR, None, workers=2)
    assert len(parsed.fresh) == len(corpus.gazettes)
    assert [c.chunk_id for c in parallel.chunks] == [c.chunk_id for c in corpus.chunks]


def test_interrupted_ingest_resumes_without_re_embedding(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "_EMBED_BATCH", 16)
    target, index_dir = tmp_path / "served", tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        ingest([small_corpus], target, index_dir, HashEmbedder(fail_after=40), progress=False)
    assert sorted(p.name for p in target.iterdir()) == SMALL  # copied in
    assert (index_dir / "GONGBAO_INDEX").is_file() and not (index_dir / "manifest.json").exists()
    with sqlite3.connect(index_dir / "vectors.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone() == (32,)  # two batches of 16 were kept
    embedder = HashEmbedder()
    result = ingest([small_corpus], target, index_dir, embedder, progress=False)
    total = result.manifest.chunk_count
    assert result.unchanged == SMALL and result.copied == []
    assert len(embedder.passages) == total - 32 == result.manifest.embedded_chunks
    assert load_index(index_dir, embedder).manifest.chunk_count == total


def test_a_batch_is_committed_on_a_writer_thread_while_the_next_is_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "_EMBED_BATCH", 2)
    texts = ["草原生态保护补助标准", "牧区饮水安全工程", "高原特色农牧业", "盐湖资源综合利用办法", "国家公园巡护"]
    keys = [(f"c{i}", text_sha1(t)) for i, t in enumerate(texts)]
    next_encoded = threading.Event()

    class Watching(HashEmbedder):
        def encode_passages(self, texts: list[str]) -> np.ndarray:
            if self.passages:
                next_encoded.set()
            return super().encode_passages(texts)

    committed_on: list[str] = []
    put_many = VectorCache.put_many

    def waiting_put(self: VectorCache, model: str, items: object) -> None:
        committed_on.append(threading.current_thread().name)
        if len(committed_on) == 1:  # the first commit returns only once the next batch is being encoded
            assert next_encoded.wait(5), "the next batch waited for the commit"
        put_many(self, model, items)  # type: ignore[arg-type]

    monkeypatch.setattr(VectorCache, "put_many", waiting_put)
    cache = VectorCache(tmp_path / "vectors.sqlite")
    embedder = Watching()
    assert store_mod._embed_missing(keys, texts, embedder, cache, progress=False) == 5
    assert len(committed_on) == 3 and all(name.startswith("gongbao-vectors") for name in committed_on)
    found = cache.get_many(embedder.name, keys)  # every batch committed, each vector under its own chunk
    assert all(np.array_equal(found[k], embedder.encode_queries([t])[0]) for k, t in zip(keys, texts, strict=True))
    cache.close()


def test_filters_apply_inside_the_indexes(built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch) -> None:
    store = load_index(built[0], use_embedder())
    doc_id = store.chunks[100].doc_id
    rows = store.rows_of_documents([doc_id])
    vector = use_embedder().encode_queries(["养老服务"])[0]
    exact = store.dense_vector(vector, 5, rows)
    monkeypatch.setattr(store_mod, "EXACT_SUBSET_MAX", 1)  # through FAISS with an IDSelector instead
    selected = store.dense_vector(vector, 5, rows)
    assert [i for i, _ in selected] == [i for i, _ in exact] and {store.chunks[i].doc_id for i, _ in exact} == {doc_id}
    hits = store.bm25("养老服务", 5, allowed=rows)
    assert hits and {store.chunks[i].doc_id for i, _ in hits} == {doc_id}
    assert store.bm25("养老服务", 5, allowed=np.zeros(0, dtype=np.int64)) == []


def test_hnsw_above_the_threshold_finds_the_exact_neighbours() -> None:
    rng = np.random.default_rng(0)
    vectors = l2_normalise(rng.standard_normal((3000, 32)))
    index, kind, params = dense_index_for(vectors, min_hnsw=1000)
    assert kind == "hnsw" and params["m"] == store_mod.HNSW_M
    flat, small_kind, _ = dense_index_for(vectors[:500], min_hnsw=1000)
    assert small_kind == "flat" and flat.ntotal == 500
    queries = l2_normalise(rng.standard_normal((20, 32)))
    _, approx = index.search(queries, 10)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(t)) / 10 for a, t in zip(approx, truth, strict=True)])
    assert recall >= 0.95


def test_top_k_is_a_stable_partial_sort() -> None:
    scores = np.array([0.5, 2.0, 0.5, 3.0, 0.5, 0.0], dtype=np.float32)
    for k in range(1, 8):
        assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_ivf_from_its_threshold_finds_the_exact_neighbours() -> None:
    rng = np.random.default_rng(0)
    vectors = l2_normalise(rng.standard_normal((4000, 128)))
    index, kind, params = dense_index_for(vectors, min_hnsw=1000, min_ivf=3000)
    assert kind == f"ivf_{store_mod.IVF_CODEC.lower()}" and params["nlist"] == 4000 // store_mod.IVF_LIST_SIZE
    assert dense_index_for(vectors[:2000], min_hnsw=1000, min_ivf=3000)[1] == "hnsw"
    queries = l2_normalise(rng.standard_normal((20, 128)))
    _, approx = index.search(queries, 10)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(t)) / 10 for a, t in zip(approx, truth, strict=True)])
    assert recall >= 0.95  # 8-bit codes: near ties may swap, nothing else


def test_an_ivf_index_is_served_and_filtered_like_the_others(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "HNSW_MIN_VECTORS", 1)
    monkeypatch.setattr(store_mod, "IVF_MIN_VECTORS", 1)
    monkeypatch.setattr(store_mod, "IVF_LIST_SIZE", 16)
    monkeypatch.setattr(store_mod, "IVF_CODEC", "Flat")  # exact codes: the filtered results must equal exact ones
    corpus, parsed = load_corpus(small_corpus, tmp_path / "index")
    embedder = HashEmbedder()
    manifest = build_index(corpus, embedder, tmp_path / "index", progress=False, parsed=parsed)
    assert manifest.dense_index == "ivf_flat" and manifest.dense_params["nlist"] == len(corpus.chunks) // 16
    store = load_index(tmp_path / "index", embedder)
    assert len(store.texts) == len(store.chunks) and store.texts[3] == embed_text(store.chunks[3], store.document_of(3))
    assert store.texts[2:4] == [store.texts[2], store.texts[3]]
    vectors = l2_normalise(embedder.encode_passages(list(store.texts)))
    query = vectors[7]
    assert store.dense_vector(query, 1)[0][0] == 7
    rows = store.rows_of_documents([store.chunks[7].doc_id])
    wanted = rows[np.argsort(-(vectors[rows] @ query), kind="stable")[:5]].tolist()
    assert [i for i, _ in store.dense_vector(query, 5, rows)] == wanted  # decoded from the IVF lists
    monkeypatch.setattr(store_mod, "EXACT_SUBSET_MAX", 1)  # through FAISS with an IDSelector and more probes
    assert [i for i, _ in store.dense_vector(query, 5, rows)] == wanted


def test_a_new_parser_version_re_parses_cached_files(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same bytes, new parser (document cards were added this way): the cached parse is stale and replaced."""
    index_dir = tmp_path / "index"
    first, parsed = load_corpus(small_corpus, index_dir)
    build_index(first, HashEmbedder(), index_dir, progress=False, parsed=parsed)
    monkeypatch.setattr(corpus_store, "PARSER_VERSION", corpus_store.PARSER_VERSION + 1)
    _, again = load_corpus(small_corpus, index_dir)
    assert again.fresh == set(SMALL)


def test_top_k_keeps_the_earliest_of_tied_scores_at_any_size() -> None:
    """Against a stable full sort on scores with many ties (BM25 gives copies of a clause one score), k below, at
    and above the number of scores."""
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 50, 51, 300, 5000):
        scores = rng.integers(0, 6, size=n).astype(np.float32) * np.float32(0.25)
        for k in (1, 2, 5, 49, 50, 51, n - 1, n, n + 3):
            if k > 0:
                assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist(), (n, k)
    scores = rng.random(34_900).astype(np.float32)
    assert top_k(scores, 50).tolist() == np.argsort(-scores, kind="stable")[:50].tolist()
    # a NaN ranks last: it does not crowd a real best score out of the heap
    assert top_k(np.array([np.nan, 1, 2, np.nan, 0.5], dtype=np.float32), 2).tolist() == [2, 1]


def test_as_rows_gives_sorted_unique_rows_whatever_it_is_handed() -> None:
    """Rows already sorted and unique come back as they are (no copy); anything else sorted and deduplicated."""
    from index.store import as_rows

    ready = np.array([2, 5, 9], dtype=np.int64)
    assert as_rows(ready) is ready
    for given in ([5, 2, 9, 2], np.array([5, 2, 9, 2]), np.array([2, 2, 5, 9], dtype=np.int32), np.array([9, 5, 2])):
        rows = as_rows(given)
        assert rows is not None and rows.dtype == np.int64 and rows.tolist() == [2, 5, 9]
    empty = as_rows(np.zeros(0, dtype=np.int64))
    assert as_rows(None) is None and empty is not None and empty.tolist() == []


def test_an_issue_saved_twice_is_read_once_and_the_repeat_reported(small_corpus: Path, tmp_path: Path) -> None:
    """The same issue under a second name (downloaded twice, or its PDF beside its Word file) repeats every clause
    id: the build used to fail on the store's unique chunk ids. The repeat is left out and named in `problems`."""
    shutil.copy(CORPUS_DIR / SMALL[0], small_corpus / "zz_same_issue_again.txt")
    index_dir = tmp_path / "index"
    corpus, parsed = load_corpus(small_corpus, index_dir)
    ids = [c.chunk_id for c in corpus.chunks]
    assert len(ids) == len(set(ids))
    assert [g.gazette.source_file for g in corpus.gazettes] == SMALL
    (problem,) = corpus.problems
    assert problem.file == "zz_same_issue_again.txt" and SMALL[0] in problem.message and "repeats" in problem.message
    assert parse_corpus(small_corpus).model_dump() == corpus.model_dump()
    build_index(corpus, HashEmbedder(), index_dir, progress=False, parsed=parsed)  # no IntegrityError
    assert read_served(index_dir / corpus_store.CORPUS_DB).problems == corpus.problems


def test_a_file_repeating_some_documents_keeps_its_new_ones() -> None:
    whole = parse_text((CORPUS_DIR / SMALL[0]).read_text(encoding="utf-8"), "a.txt")
    last = whole.documents[-1].doc_id
    part = whole.model_copy(
        update={
            "documents": whole.documents[:-1],
            "chunks": [c for c in whole.chunks if c.doc_id != last],
        }
    )
    later = whole.model_copy(update={"gazette": whole.gazette.model_copy(update={"source_file": "b.txt"})})
    corpus = without_repeats(Corpus(gazettes=[part, later]))
    first, second = corpus.gazettes
    assert first is part
    assert [d.doc_id for d in second.documents] == [last]
    assert {c.doc_id for c in second.chunks} == {last} and len(second.chunks) > 0
    (problem,) = corpus.problems
    assert problem.file == "b.txt" and "a.txt" in problem.message
    assert without_repeats(Corpus(gazettes=[whole])).gazettes == [whole]  # nothing repeated: unchanged
