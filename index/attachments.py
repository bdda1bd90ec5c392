"""Each notice's attachments (the plans it issued, `Document.parent_id`): one map per corpus object, shared by every
reader of a document's family (the documents a question names, the citation lookup, the retriever's search within
named documents)."""

from __future__ import annotations

from index.models import Corpus
from index.per_corpus import PerCorpus


def _attachments(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    issued: dict[str, list[str]] = {}
    for doc in corpus.documents:
        if doc.parent_id:
            issued.setdefault(doc.parent_id, []).append(doc.doc_id)
    return {parent: tuple(ids) for parent, ids in issued.items()}


# parent doc id → its attachments' doc ids, in corpus order (a served corpus is not changed)
attachments = PerCorpus(_attachments)
