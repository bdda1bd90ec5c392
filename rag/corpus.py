"""Corpus changes: add a gazette file, withdraw a document. Each returns a new service snapshot; the one it was
called on keeps serving until the caller swaps it out (the HTTP admin routes do so under a lock).

These are the only writers of the corpus directory besides `index.uploads`, which they use; the query service
(`rag.service.Gongbao`) only reads.
"""

from __future__ import annotations

from index.errors import NotFoundError
from index.models import ParsedGazette
from index.uploads import add_gazette, removed_ids, restore, write_removed
from rag.service import Gongbao, load


def with_upload(service: Gongbao, filename: str, data: bytes, replace: bool = False) -> tuple[Gongbao, ParsedGazette]:
    """Add a gazette file to the corpus directory and load the grown corpus (only new chunks are embedded).

    UploadError when the file is not a readable gazette or duplicates one served (unless `replace`). If
    loading fails, the corpus directory is put back as it was.
    """
    directory = service.settings.corpus_dir
    parsed, aside = add_gazette(directory, filename, data, service.corpus, replace, service.settings.read_options())
    added = directory / parsed.gazette.source_file
    try:
        write_removed(directory, removed_ids(directory) - {d.doc_id for d in parsed.documents})
        fresh = load(service.settings, embedder=service.retriever.embedder, sync=True)  # a writer, with Milvus too
    except BaseException:
        restore(added, aside)
        raise
    for old in aside:
        old.unlink(missing_ok=True)
    fresh.warm_up()
    return fresh, parsed


def without_document(service: Gongbao, doc_id: str) -> tuple[Gongbao, list[str]]:
    """Withdraw a document (and its attachments) from serving; NotFoundError when no such document is served."""
    if service.document(doc_id) is None:
        raise NotFoundError(f"No document with id {doc_id!r}")
    withdrawn = {doc_id} | {d.doc_id for d in service.documents if d.parent_id == doc_id}
    directory = service.settings.corpus_dir
    before = removed_ids(directory)
    write_removed(directory, before | withdrawn)
    try:
        fresh = load(service.settings, embedder=service.retriever.embedder, sync=True)  # a writer, with Milvus too
    except BaseException:
        write_removed(directory, before)
        raise
    fresh.warm_up()
    return fresh, sorted(withdrawn)
