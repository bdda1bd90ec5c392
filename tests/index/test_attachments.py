"""One map of each notice's attachments per corpus object, shared by its readers."""

from __future__ import annotations

from index.attachments import attachments
from index.models import Corpus


def test_each_notice_maps_to_the_plans_it_issued_in_corpus_order(corpus: Corpus) -> None:
    issued = attachments(corpus)
    expected: dict[str, list[str]] = {}
    for doc in corpus.documents:
        if doc.parent_id:
            expected.setdefault(doc.parent_id, []).append(doc.doc_id)
    assert expected and {k: list(v) for k, v in issued.items()} == expected
    assert attachments(corpus) is issued  # built once per corpus object
