"""Validity on the request's date, for retrieval and answers: the standing of hits and citations, the
「in force only」 restriction, and the clauses a retrieved clause refers to (「依照本办法第八条」).

The facts come from `index.validity` (read from the gazette text once per corpus); this module only applies
them to what a request returns. `as_of=None` means today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from index.models import Corpus, Document
from index.validity import Validity, facts_of, status, validities
from rag.models import Standing

S = TypeVar("S", bound=Standing)
# Statuses a request asking for documents in force leaves out. `unknown` stays: the text not saying when a
# document ends is no evidence that it has ended (never guessed either way).
NOT_IN_FORCE = frozenset({"expired", "repealed", "not_yet_in_force"})


def document_of_chunk(corpus: Corpus, chunk_id: str) -> Document | None:
    """The document holding a chunk (None for an unknown chunk): an indexed lookup, no whole-corpus map."""
    return corpus.document_of_chunk(chunk_id)


def validity_at(corpus: Corpus, chunk_id: str, as_of: date | None = None) -> Validity | None:
    """The status on `as_of` of the document holding a chunk (None for an unknown chunk)."""
    doc = document_of_chunk(corpus, chunk_id)
    return status(corpus, doc, as_of) if doc is not None else None


def stamp(corpus: Corpus, items: Sequence[S], as_of: date | None = None) -> list[S]:
    """Copies of hits or citations carrying their document's status, dates and repealer on `as_of`, and the
    clauses of the same document each one refers to (`related`)."""
    if not items:
        return []
    out = []
    for item in items:
        chunk_id = getattr(item, "chunk_id", "")
        # once per item, for both below: a hit names its document (a dict lookup), a citation only its chunk (a
        # query on a stored corpus: ~40 µs, five a search)
        doc_id = getattr(item, "doc_id", None)
        doc = corpus.document(doc_id) if isinstance(doc_id, str) else document_of_chunk(corpus, chunk_id)
        v = status(corpus, doc, as_of) if doc is not None else None
        update: dict[str, object] = {"related": _related(corpus, doc, chunk_id)}
        if v is not None:
            update |= {
                "status": v.status,
                "effective_from": v.effective_from,
                "expires_on": v.expires_on,
                "repealed_by": v.repealed_by,
            }
        out.append(item.model_copy(update=update))
    return out


def in_force_documents(corpus: Corpus, as_of: date | None = None) -> list[str]:
    """doc_ids not known to be out of force on `as_of`: in force, or unknown (the text says nothing)."""
    return sorted(doc_id for doc_id, v in validities(corpus, as_of).items() if v.status not in NOT_IN_FORCE)


def related_of(corpus: Corpus, chunk_id: str) -> list[str]:
    """chunk_ids of the clauses of its own document a clause refers to by number (「依照本办法第八条」, 「前款」),
    resolved by `index.validity`; in reference order, without the clause itself."""
    return _related(corpus, document_of_chunk(corpus, chunk_id), chunk_id)


def _related(corpus: Corpus, doc: Document | None, chunk_id: str) -> list[str]:
    """`related_of` for a chunk whose document (None: unknown chunk) is already known."""
    out: list[str] = []
    facts = facts_of(corpus).documents.get(doc.doc_id) if doc is not None else None
    if facts is None:
        return out
    for ref in facts.clause_refs:
        if ref.chunk_id != chunk_id:
            continue
        out += [t for t in ref.targets if t != chunk_id and t not in out]
    return out
