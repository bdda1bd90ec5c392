"""The served corpus left in its SQLite store: chunks by id, the LRU bound, a restart that decodes nothing, and
every request path working without iterating the corpus."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import rag
import rag.service
from index.corpus_store import CORPUS_DB, StoredCorpus, open_served
from index.models import Corpus
from index.names import PAIRS_BLOB, names_in, title_pair_families
from index.parser import parse_corpus
from index.store import build_index, embed_text, load_index
from index.text import HOLLOW_HEADING, HOLLOW_NONE, hollow_code
from rag.config import RetrieverConfig
from rag.retriever import Retriever
from rag.settings import Settings
from tests.conftest import CORPUS_DIR, use_embedder
from tests.helpers import HashEmbedder

SMALL = ["001_a2741b667bdfe332.txt", "002_80a544ba8699e234.txt"]  # the two smallest bundled gazettes


@pytest.fixture()
def small(tmp_path: Path) -> tuple[Path, Path, Corpus]:
    """(corpus folder, built index folder, the parsed corpus) of the two smallest gazettes, with a hash model."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(CORPUS_DIR / name, folder / name)
    corpus = parse_corpus(folder)
    index_dir = tmp_path / "index"
    build_index(corpus, HashEmbedder(), index_dir, progress=False)
    return folder, index_dir, corpus


def test_chunks_by_id_come_from_the_store(small: tuple[Path, Path, Corpus]) -> None:
    _, index_dir, corpus = small
    stored = open_served(index_dir / CORPUS_DB)
    assert stored.decoded == 0 and len(stored.chunks) == len(corpus.chunks)
    picks = [corpus.chunks[i] for i in (0, 7, len(corpus.chunks) // 2, len(corpus.chunks) - 1)]
    for chunk in picks:
        assert stored.chunk(chunk.chunk_id) == chunk
        assert stored.row_map()[chunk.chunk_id] == corpus.row_map()[chunk.chunk_id]
        assert stored.document_of_chunk(chunk.chunk_id) == corpus.document(chunk.doc_id)
    assert stored.decoded == len(picks)  # only what was asked for
    doc = corpus.documents[2]
    assert (
        stored.chunks_of(doc.doc_id)
        == corpus.chunks_of(doc.doc_id)
        == [c for c in corpus.chunks if c.doc_id == doc.doc_id]
    )
    assert stored.chunk_counts() == corpus.chunk_counts()
    assert stored.chunk("no-such-chunk") is None and "no-such-chunk" not in stored.row_map()
    assert stored.chunks[-1] == corpus.chunks[-1] and stored.chunks[3:5] == corpus.chunks[3:5]
    with pytest.raises(IndexError):
        stored.chunks[len(corpus.chunks)]
    assert [g.chunks[0] for g in stored.gazettes] == [g.chunks[0] for g in corpus.gazettes]  # per-gazette views
    decoded = stored.decoded
    texts = [embed_text(c, corpus.document(c.doc_id)) for c in corpus.chunks]  # type: ignore[arg-type]
    for year in ("2020", "2021", "2035", "0201"):  # a year is in the indexed text exactly when the array says so
        assert [stored.mentions_any(i, [year]) for i in range(len(texts))] == [year in t for t in texts]
    assert any(year in t for t in texts for year in ("2020", "2021")) and stored.decoded == decoded  # none decoded
    # the year boost's test of many rows at once: the per-row answer, from the arrays alone
    rows = list(range(len(texts)))
    doc_years = sorted({str(d.year) for d in corpus.documents if d.year})
    for years in (["2020"], ["2021", "2035"], ["0201"], doc_years[:1], [doc_years[-1], "2025"]):
        want = [str(corpus.document_at(i).year) in years or any(y in texts[i] for y in years) for i in rows]
        assert stored.in_years(rows, years) == want == corpus.in_years(rows, years), years
        assert stored.in_years(rows[::-3], years) == want[::-3]
    assert any(stored.in_years(rows, doc_years[:1])) and stored.in_years([], ["2020"]) == []
    assert stored.decoded == decoded


def test_the_decoded_chunk_cache_is_bounded(small: tuple[Path, Path, Corpus]) -> None:
    _, index_dir, corpus = small
    ids = [c.chunk_id for c in corpus.chunks[:8]]
    stored = open_served(index_dir / CORPUS_DB, cache_size=3)
    stored.chunk(ids[0])
    stored.chunk(ids[0])
    assert stored.decoded == 1  # the second read came from the cache
    for chunk_id in ids[1:4]:  # three more: the first is pushed out of a 3-chunk cache
        stored.chunk(chunk_id)
    assert stored.decoded == 4
    stored.chunk(ids[0])
    assert stored.decoded == 5  # decoded again
    stored.chunk(ids[3])
    assert stored.decoded == 5  # the most recent ones stayed
    roomy = open_served(index_dir / CORPUS_DB, cache_size=100)
    for chunk_id in ids * 3:
        roomy.chunk(chunk_id)
    assert roomy.decoded == len(ids)


def test_a_restart_reads_and_decodes_nothing(small: tuple[Path, Path, Corpus], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _, corpus = small
    settings = Settings(corpus_dir=folder, index_dir=folder.parent / "served-index")
    first = rag.load(settings, embedder=HashEmbedder())  # builds, and records the corpus's source key
    assert isinstance(first.corpus, StoredCorpus) and first.corpus.decoded == 0

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a restart with unchanged files read the corpus")

    monkeypatch.setattr(rag.service, "load_corpus", no_reading)
    again = rag.load(settings, embedder=HashEmbedder())
    assert isinstance(again.corpus, StoredCorpus) and again.corpus.decoded == 0
    assert len(again.chunks) == len(corpus.chunks) and again.documents == corpus.documents
    hits = again.search("就业", k=3)
    assert hits and 0 < again.corpus.decoded < len(corpus.chunks) // 4
    monkeypatch.undo()
    (folder / SMALL[0]).write_text((folder / SMALL[0]).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    calls: list[object] = []
    real = rag.service.load_corpus
    monkeypatch.setattr(rag.service, "load_corpus", lambda *a, **k: calls.append(a) or real(*a, **k))
    rag.load(settings, embedder=HashEmbedder())  # a changed file is read again
    assert len(calls) == 1


@pytest.fixture()
def no_corpus_scan(service: rag.Gongbao, monkeypatch: pytest.MonkeyPatch) -> Iterator[StoredCorpus]:
    """The served corpus, made to fail if anything iterates all its chunks."""
    assert isinstance(service.corpus, StoredCorpus)

    def scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request path iterated the whole corpus")

    monkeypatch.setattr(StoredCorpus, "iter_rows", scan)
    yield service.corpus


def test_requests_work_without_a_corpus_scan(
    service: rag.Gongbao, no_corpus_scan: StoredCorpus, corpus: Corpus, built: tuple[Path, object]
) -> None:
    hits = service.search("稳岗返还比例提高到多少", k=5)
    memory = Retriever(load_index(built[0], use_embedder(), corpus=corpus), use_embedder())  # the corpus in memory
    assert [h.chunk_id for h in hits] == [h.chunk_id for h in memory.search("稳岗返还比例提高到多少", k=5)]
    answer = service.ask("2022年助企纾困十条里稳岗返还比例提高到多少？")
    assert answer.answerable and "90%" in answer.text and answer.citations
    assert service.ask("助企纾困十条还有效吗？").mode == "validity"
    found = service.cite("青政办〔2020〕64号第八条")
    assert found is not None and [c.chunk_id for c in found.chunks] == [
        c.chunk_id for c in corpus.chunks if c.doc_id == found.document.doc_id and "第八条" in c.section[-1]
    ]
    doc = found.document
    assert service.chunks_of(doc.doc_id) == [c for c in corpus.chunks if c.doc_id == doc.doc_id]
    assert service.chunk(found.chunks[0].chunk_id) == found.chunks[0]
    assert service.chunk_counts()[doc.doc_id] == len(service.chunks_of(doc.doc_id))


def test_document_routes_work_without_a_corpus_scan(
    client: httpx.Client, no_corpus_scan: StoredCorpus, corpus: Corpus
) -> None:
    listed = client.get("/v1/documents").json()["documents"]
    counts = {d["doc_id"]: d["chunks"] for d in listed}
    assert counts == {d.doc_id: sum(c.doc_id == d.doc_id for c in corpus.chunks) for d in corpus.documents}
    doc = corpus.documents[5]
    detail = client.get(f"/v1/documents/{doc.doc_id}").json()
    assert [c["chunk_id"] for c in detail["clauses"]] == [c.chunk_id for c in corpus.chunks if c.doc_id == doc.doc_id]
    chunk = corpus.chunks[40]
    assert client.get(f"/v1/chunks/{chunk.chunk_id}").json()["text"] == chunk.text
    assert client.get("/v1/chunks/no-such-chunk").status_code == 404
    assert client.get("/v1/cite", params={"ref": "青政办〔2020〕64号第八条"}).status_code == 200


def test_title_pair_rarity_is_counted_at_build_and_stored(small: tuple[Path, Path, Corpus]) -> None:
    """Naming a document by an abbreviated title weighs its title's character pairs by rarity over every chunk's
    text: counted once when the index is built, so a served corpus is never read whole for it."""
    _, index_dir, corpus = small
    stored = open_served(index_dir / CORPUS_DB)
    counts = stored.stored(PAIRS_BLOB)
    assert counts is not None and json.loads(counts) == title_pair_families(corpus)
    title = corpus.documents[0].title
    assert names_in(stored, title, 1.0, 1.0, frozenset()) and stored.decoded == 0


def test_hollow_codes_are_read_at_build_and_stored(small: tuple[Path, Path, Corpus]) -> None:
    """What makes each clause say nothing of its own (index.text.hollow_code) is read once when the index is built:
    the retriever weighs every candidate by it from the packed array, decoding no chunk, as it did reading each
    candidate's text (the path a corpus in memory or Milvus keeps), at any `hollow_max_chars`."""
    _, index_dir, corpus = small
    store = load_index(index_dir, HashEmbedder())
    stored = store.corpus
    assert isinstance(stored, StoredCorpus)
    codes = stored.hollow_codes()
    assert codes is not None
    assert codes.tolist() == [hollow_code(c.text) if c.kind == "clause" else HOLLOW_NONE for c in corpus.chunks]
    assert (codes == HOLLOW_HEADING).any() and (codes >= 0).any()  # headings and formulas both occur
    rows = list(range(len(corpus.chunks)))
    for max_chars in (300, int(codes.max())):
        config = RetrieverConfig(hollow_max_chars=max_chars)
        from_codes = Retriever(store, HashEmbedder(), config)
        per_row = Retriever(store, HashEmbedder(), config)
        per_row._hollow_codes = None
        for kinds in ({"formula"}, {"formula", "heading"}):
            decoded = stored.decoded
            weighed = from_codes._hollow_rows(rows, kinds)
            assert stored.decoded == decoded  # no chunk decoded for it
            assert weighed == per_row._hollow_rows(rows, kinds) and any(weighed)
