"""The embedded store's restrictions: a `Where` becomes the same rows however it is computed."""

from __future__ import annotations

from pathlib import Path

from index.store import Manifest, load_index
from index.vector_store import FaissStore, Where
from tests.conftest import use_embedder


def test_rows_of_named_documents_are_those_a_scan_of_every_document_admits(built: tuple[Path, Manifest]) -> None:
    """A restriction to named documents (with or without filters, unknown ids included) gives the rows that testing
    every document against it gives."""
    store = FaissStore(load_index(built[0], use_embedder()))
    docs = list(store.documents.values())
    other_year = next(str(d.year) for d in docs if d.year != docs[0].year)
    named = frozenset([docs[0].doc_id, docs[-1].doc_id, docs[len(docs) // 2].doc_id, "no-such-document"])
    wheres = [
        Where(doc_ids=named),
        Where(filters={"year": frozenset([str(docs[0].year)])}, doc_ids=named),
        Where(filters={"year": frozenset([other_year])}),
        Where(doc_ids=frozenset()),
    ]
    found = []
    for where in wheres:
        scan = store.index.rows_of_documents(d.doc_id for d in docs if where.admits(d))
        rows = store.rows(where)
        assert rows is not None and rows.tolist() == scan.tolist(), where
        found.append(len(rows))
    assert 0 < found[1] < found[0]  # the filter still applies to the named documents
