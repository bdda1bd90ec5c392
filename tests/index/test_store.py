"""The on-disk index: build once on the bundled corpus with USE, then load, refuse, rebuild, survive failures."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import faiss
import jieba
import numpy as np
import pytest

from index import store as store_mod
from index.embedders import Embedder, SentenceTransformerEmbedder, m3e_small_path, make_embedder
from index.models import Corpus
from index.store import IndexMismatchError, Manifest, build_index, char_tokens, corpus_terms, load_index
from index.text import norm
from index.words import corpus_jieba_tokens
from tests.conftest import use_embedder


@pytest.fixture(scope="session")
def m3e() -> Embedder:
    return make_embedder("m3e-small")


class CountingEmbedder(Embedder):
    """Wraps an embedder and records every passage it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dims = inner.dims
        self.passages: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.passages.extend(texts)
        return self.inner.encode_passages(texts)


def _copy_index(built: tuple[Path, Manifest], tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(built[0], target)
    return target


def _edited(corpus: Corpus) -> tuple[Corpus, str]:
    changed = corpus.model_copy(deep=True)
    chunk = changed.gazettes[0].chunks[3]
    chunk.text = chunk.text + "（本句为测试追加）"
    return changed, chunk.chunk_id


def test_manifest_records_counts_and_hashes(built: tuple[Path, Manifest], corpus: Corpus) -> None:
    index_dir, manifest = built
    on_disk = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["model"] == "use-multilingual-v3" and on_disk["dims"] == 512
    assert on_disk["chunk_count"] == len(corpus.chunks) == manifest.chunk_count
    assert on_disk["document_count"] == len(corpus.documents)
    assert on_disk["embedded_chunks"] == len(corpus.chunks)
    assert on_disk["corpus_files"] == {g.gazette.source_file: g.gazette.sha256 for g in corpus.gazettes}
    assert on_disk["built_at"] and on_disk["version"] == store_mod.INDEX_VERSION
    for name in ("dense.faiss", "corpus.sqlite", "userdict.txt", "vectors.sqlite", "bm25_jieba", "bm25_char"):
        assert (index_dir / name).exists(), name


def test_loads_offline_and_searches(built: tuple[Path, Manifest], corpus: Corpus) -> None:
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    store = load_index(built[0], use_embedder())
    assert len(store) == len(corpus.chunks)
    assert [c.chunk_id for c in store.chunks] == [c.chunk_id for c in corpus.chunks]
    dense = store.dense("失业保险稳岗返还", 5)
    assert len(dense) == 5 and all(-1.0 <= s <= 1.0001 for _, s in dense)
    for tokenizer in ("jieba", "char"):
        hits = store.bm25("失业保险稳岗返还比例", 5, tokenizer=tokenizer)
        assert hits and "稳岗返还" in store.chunks[hits[0][0]].text


def test_rebuild_of_current_index_is_a_noop(built: tuple[Path, Manifest], corpus: Corpus) -> None:
    counting = CountingEmbedder(use_embedder())
    again = build_index(corpus, counting, built[0], progress=False)
    assert counting.passages == [] and again.built_at == built[1].built_at


def test_m3e_small_encodes_512_normalised(m3e: Embedder) -> None:
    assert isinstance(m3e, SentenceTransformerEmbedder) and (m3e_small_path() / "config.json").is_file()
    vectors = m3e.encode_queries(["稳岗返还比例", "养老服务体系"])
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_load_refuses_other_embedder(built: tuple[Path, Manifest], m3e: Embedder) -> None:
    with pytest.raises(IndexMismatchError, match="use-multilingual-v3"):
        load_index(built[0], m3e)


def test_make_embedder_names_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-model"):
        make_embedder(str(tmp_path / "no-such-model"))


def test_failed_build_keeps_previous_index(
    built: tuple[Path, Manifest], corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = _copy_index(built, tmp_path)
    before = (index_dir / "manifest.json").read_text(encoding="utf-8")

    def boom(tokens: list[list[str]], path: Path) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_mod, "_save_bm25", boom)
    changed, _ = _edited(corpus)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(changed, use_embedder(), index_dir, progress=False)
    assert (index_dir / "manifest.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]  # no half-built directory left over
    assert len(load_index(index_dir, use_embedder())) == len(corpus.chunks)


def test_incremental_rebuild_embeds_only_changed_chunk(
    built: tuple[Path, Manifest], corpus: Corpus, tmp_path: Path
) -> None:
    index_dir = _copy_index(built, tmp_path)
    changed, chunk_id = _edited(corpus)
    counting = CountingEmbedder(use_embedder())
    manifest = build_index(changed, counting, index_dir, progress=False)
    assert len(counting.passages) == 1 and "本句为测试追加" in counting.passages[0]
    assert manifest.embedded_chunks == 1
    store = load_index(index_dir, use_embedder())
    assert next(c for c in store.chunks if c.chunk_id == chunk_id).text.endswith("（本句为测试追加）")


def test_corpus_terms_come_from_the_corpus(corpus: Corpus) -> None:
    terms = corpus_terms(corpus)
    assert "青政办〔2020〕64号" in terms and "省发展改革委" in terms and "省卫生健康委" in terms


def test_char_tokens_are_unigrams_and_bigrams() -> None:
    assert char_tokens("稳岗返还，90%") == ["稳", "岗", "返", "还", "稳岗", "岗返", "返还", "90%"]


def test_exact_vectors_of_an_ivf_index_come_from_the_vector_cache(built: tuple[Path, Manifest], tmp_path: Path) -> None:
    """`gongbao migrate` moves exact vectors: an IVF index keeps 8-bit codes, whose reconstructions are not them."""
    from index.corpus_store import CORPUS_DB, read_served
    from index.store import exact_vectors, ivf_index

    index_dir, manifest = built
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    corpus = read_served(copy / CORPUS_DB)
    flat = exact_vectors(copy, corpus, manifest)
    assert flat.shape == (manifest.chunk_count, manifest.dims)
    ivf = ivf_index(flat, nlist=4)
    faiss.extract_index_ivf(ivf).make_direct_map()
    assert not np.array_equal(ivf.reconstruct_n(0, ivf.ntotal), flat)  # the codes alone would lose precision
    faiss.write_index(ivf, str(copy / "dense.faiss"))
    assert np.array_equal(exact_vectors(copy, corpus, manifest), flat)


def test_bm25_scores_are_bm25s_own_and_a_restriction_is_its_weight_mask(built: tuple[Path, Manifest]) -> None:
    """The compiled scoring (`_add_postings`) gives bm25s's floats exactly, and a restricted search the top-k that
    bm25s's 0/1 weight mask over every row gives (same rows, same order, ties included)."""
    store = load_index(built[0], use_embedder())
    rng = np.random.default_rng(7)
    queries = ["失业保险稳岗返还比例", "青海省人民政府办公厅关于印发的通知", "2025年目标", "的的的和", "zzz未见词"]
    for tokenizer in ("jieba", "char"):
        model = store._bm25[tokenizer]
        for query in queries:
            tokens = store.query_tokens(query, tokenizer)
            if not tokens:
                continue
            expected = np.asarray(model.get_scores(tokens), dtype=np.float32)
            assert np.array_equal(store._bm25_scores(tokenizer, tokens), expected), (tokenizer, query)
            rows = np.sort(rng.choice(len(store), size=len(store) // 3, replace=False))
            mask = np.zeros(len(store), dtype=np.float32)
            mask[rows] = 1.0
            masked = np.asarray(model.get_scores(tokens, weight_mask=mask), dtype=np.float32)
            want = [(int(i), float(masked[i])) for i in store_mod.top_k(masked, 20) if masked[i] > 0]
            assert store.bm25(query, 20, tokenizer, rows) == want, (tokenizer, query)


def test_a_search_in_few_rows_scores_those_rows_alone_and_finds_what_the_weight_mask_finds(
    built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restriction to a document's rows (a comparison side in its document) is scored on those rows only, never on
    every row, and gives the weight mask's top-k (the same floats, ties in row order)."""
    store = load_index(built[0], use_embedder())
    whole: list[list[str]] = []
    real = store._score_tokens

    def counted(tokenizer: store_mod.Tokenizer, tokens: list[str]) -> np.ndarray:
        whole.append(tokens)
        return real(tokenizer, tokens)

    monkeypatch.setattr(store, "_score_tokens", counted)
    docs = sorted({store.document_of(i).doc_id for i in range(len(store))})
    few = [rows for d in docs if 1 < len(rows := store.rows_of_documents([d])) <= 8]
    for tokenizer in ("jieba", "char"):
        model = store._bm25[tokenizer]
        for n, query in enumerate(["失业保险稳岗返还比例", "目标任务和保障措施", "领导小组组长", "2025年主要目标"]):
            rows = few[(7 * n) % len(few)]
            assert store._rows_alone(tokenizer, store.query_tokens(query, tokenizer), rows)
            mask = np.zeros(len(store), dtype=np.float32)
            mask[rows] = 1.0
            masked = np.asarray(model.get_scores(store.query_tokens(query, tokenizer), weight_mask=mask))
            want = [(int(i), float(masked[i])) for i in store_mod.top_k(masked, 10) if masked[i] > 0]
            assert store.bm25(query, 10, tokenizer, rows) == want, (tokenizer, query)
    assert whole == []


def test_a_query_is_tokenised_once_for_its_searches(
    built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question naming a document is searched twice (everywhere, then in that document): one tokenisation."""
    store = load_index(built[0], use_embedder())
    calls: list[str] = []
    real = store_mod.jieba_tokens

    def counted(tok: jieba.Tokenizer, text: str) -> list[str]:
        calls.append(text)
        return real(tok, text)

    monkeypatch.setattr(store_mod, "jieba_tokens", counted)
    query = "失业保险稳岗返还比例"
    everywhere = store.bm25(query, 5)
    rows = store.rows_of_documents([store.document_of(everywhere[0][0]).doc_id])
    within = store.bm25(query, 5, "jieba", rows)
    assert calls == [query] and within and within[0] == everywhere[0]
    tokens = store.query_tokens(query)
    tokens.append("改动")  # a caller changing its list does not change what the next search gets
    assert store.query_tokens(query) == tokens[:-1] and calls == [query]


def test_a_search_in_named_documents_reuses_the_questions_bm25_scores(
    built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search in a named document scores the query once (everywhere first): the same floats, read-only."""
    store = load_index(built[0], use_embedder())
    scored: list[tuple[str, list[str]]] = []
    real = store._score_tokens

    def counted(tokenizer: store_mod.Tokenizer, tokens: list[str]) -> np.ndarray:
        scored.append((tokenizer, tokens))
        return real(tokenizer, tokens)

    monkeypatch.setattr(store, "_score_tokens", counted)
    query = "失业保险稳岗返还比例"
    everywhere = store.bm25(query, 5, "char")
    rows = store.rows_of_documents([store.document_of(everywhere[0][0]).doc_id])
    within = store.bm25(query, 5, "char", rows)
    assert len(scored) == 1 and within and within[0] == everywhere[0]
    scores = store._bm25_scores("char", store.query_tokens(query, "char"))
    assert not scores.flags.writeable and len(scored) == 1
    assert np.array_equal(scores, store._bm25["char"].get_scores(store.query_tokens(query, "char")))
    store.bm25("稳岗返还", 5, "char")  # other tokens are scored again
    assert len(scored) == 2
    # least recently used out first: a query read again stays remembered while other queries pass through
    for other in ("第一个问题", "第二个问题", "第三个问题", "第四个问题", "第五个问题", "第六个问题", "第七个问题"):
        store.bm25(other, 5, "char")
        store.bm25(query, 5, "char")
    assert [t for t, tokens in scored if tokens == store.query_tokens(query, "char")] == ["char"]


def test_the_build_tokenises_each_block_once_for_the_same_tokens(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's tokens (each distinct block tokenised once) are each text's own tokenisation, on every chunk of
    the bundled corpus with its user dictionary, and the repeated blocks (titles, headings) are not cut again."""
    docs = {d.doc_id: d for d in corpus.documents}
    texts = [store_mod.embed_text(c, docs[c.doc_id]) for c in corpus.chunks]
    texts += ["ABC-12.5%的比例，2025年", "", "，。", texts[0] + "\r\n" + texts[1]]  # ASCII, nothing, marks, two
    store_mod._write_userdict(corpus_terms(corpus), tmp_path / "userdict.txt")
    tok = store_mod.make_jieba(tmp_path / "userdict.txt")
    assert list(corpus_jieba_tokens(tok, texts)) == [store_mod.jieba_tokens(tok, t) for t in texts]
    cut: list[str] = []
    real = tok.cut_for_search

    def counted(block: str) -> Iterator[str]:
        cut.append(block)
        return real(block)

    monkeypatch.setattr(tok, "cut_for_search", counted)
    list(corpus_jieba_tokens(tok, texts))
    assert len(cut) == len(set(cut)) < sum(len(jieba.re_han_default.split(norm(t))) for t in texts) / 2
