"""Parse gazette files into the corpus vocabulary (Gazette, Document, Chunk) with stable ids."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from index.cards import document_card
from index.clauses import chunk_document
from index.decode import UnreadableFileError
from index.documents import RawDocument, split_documents
from index.formats import PUBLISHED_SUFFIXES, ReadOptions, read_published
from index.gazette import read_gazette
from index.lines import split_lines
from index.models import Chunk, Corpus, Document, ParsedGazette, ParseProblem, SourceSpan
from index.text import norm

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".txt", ".md", *PUBLISHED_SUFFIXES)
# Raised whenever the same bytes parse to different chunks (v2: document cards; v3: decimal headings 1.1 / 3.3.1;
# v4: a roster entry per line), so parse caches are refreshed.
PARSER_VERSION = 4


def _digest(*parts: str, size: int = 8) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def doc_id_for(gazette_key: str, title: str, doc_number: str | None) -> str:
    """Stable document id: depends on the issue, the title and the 文号, never on the body."""
    return f"{gazette_key}-{_digest(norm(title), doc_number or '', size=6)}"


def parse_text(text: str, source_file: str) -> ParsedGazette:
    """Parse the decoded text of one gazette file."""
    lines = split_lines(text)
    gazette = read_gazette(lines, source_file, hashlib.sha256(text.encode("utf-8")).hexdigest())
    body_start, raw_docs = split_documents(lines)
    ids: dict[int, str] = {}
    documents: list[Document] = []
    chunks: list[Chunk] = []
    seen_doc_ids: Counter[str] = Counter()
    for raw in raw_docs:
        doc_id = doc_id_for(gazette.key, raw.title, raw.doc_number)
        seen_doc_ids[doc_id] += 1
        if seen_doc_ids[doc_id] > 1:  # the same title twice in one issue: keep ids distinct and stable
            doc_id = f"{doc_id}-{seen_doc_ids[doc_id]}"
        ids[id(raw)] = doc_id
        documents.append(_document(raw, doc_id, gazette.key, source_file, ids))
        # the card first: what the gazette says about the document (文号, issuer, date, issue), then its clauses
        chunks += [document_card(documents[-1], gazette), *_chunks(raw, doc_id, source_file)]
    skipped = [ln.no for ln in lines[:body_start] if not ln.blank]
    skipped += [ln.no for raw in raw_docs for ln in raw.skipped]
    return ParsedGazette(gazette=gazette, documents=documents, chunks=chunks, skipped_lines=sorted(skipped))


def _document(raw: RawDocument, doc_id: str, key: str, source_file: str, ids: dict[int, str]) -> Document:
    all_lines = [*raw.header, *raw.body, *raw.skipped]
    nos = [ln.no for ln in all_lines] or [0]
    return Document(
        doc_id=doc_id,
        gazette_key=key,
        title=raw.title,
        doc_number=raw.doc_number,
        doc_type=raw.doc_type,
        issuer=raw.issuer,
        signed=raw.signed,
        addressees=raw.addressees,
        parent_id=ids.get(id(raw.parent)) if raw.parent else None,
        parent_title=raw.parent.title if raw.parent else None,
        source=SourceSpan(file=source_file, line_start=min(nos), line_end=max(nos)),
        header_lines=sorted(ln.no for ln in raw.header),
    )


def _chunks(raw: RawDocument, doc_id: str, source_file: str) -> list[Chunk]:
    out = []
    seen: Counter[str] = Counter()
    for rc in chunk_document(raw.body):
        key = _digest(rc.kind, "/".join(norm(s) for s in rc.section), norm(rc.text), str(rc.part))
        seen[key] += 1
        if seen[key] > 1:  # identical text under the same heading (a repeated row): number the repeats
            key = _digest(key, str(seen[key]))
        out.append(
            Chunk(
                chunk_id=f"{doc_id}-{key}",
                doc_id=doc_id,
                kind="table_row" if rc.kind == "table_row" else "clause",
                section=rc.section,
                text=rc.text,
                part=rc.part,
                parts=rc.parts,
                source=SourceSpan(file=source_file, line_start=rc.line_start, line_end=rc.line_end),
            )
        )
    return out


def parse_file(path: Path, options: ReadOptions | None = None) -> ParsedGazette:
    """Parse one gazette file: text (UTF-8 or GB18030/GBK), PDF, Word .docx or a web page, told by its bytes.

    Raises UnreadableFileError (or its FormatError) with the file's name and the reason.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot be read ({exc.strerror or exc})") from exc
    kind, text = read_published(data, path.name, options)
    if kind != "text":
        log.info("read %s as %s", path.name, kind)
    parsed = parse_text(text, path.name)
    if not parsed.documents:
        raise UnreadableFileError(path, "no gazette documents found (no 文号 line or table-of-contents title)")
    return parsed


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The gazette files of a corpus directory, sorted by name (README files excluded)."""
    return sorted(
        p for p in corpus_dir.iterdir() if p.is_file() and p.suffix in CORPUS_SUFFIXES and p.stem.upper() != "README"
    )


def parse_corpus(corpus_dir: Path, files: Iterable[Path] | None = None, options: ReadOptions | None = None) -> Corpus:
    """Parse every gazette file; a bad file is reported by name in `problems` and the others still parsed.

    `options` (limits, OCR) apply to the published formats (PDF, .docx, HTML).
    """
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus_dir}")
    corpus = Corpus()
    for path in files if files is not None else corpus_files(corpus_dir):
        try:
            corpus.gazettes.append(parse_file(path, options))
        except UnreadableFileError as exc:
            log.warning("skipped %s: %s", path.name, exc.reason)
            corpus.problems.append(ParseProblem(file=path.name, message=exc.reason))
    return without_repeats(corpus)


def without_repeats(corpus: Corpus) -> Corpus:
    """The corpus with each document once, in corpus order: a file repeating documents an earlier file holds (the
    same issue saved twice, or its PDF beside its Word file) keeps only its new documents, and the repeat is
    reported in `problems` by file name. A document's id is its issue, title and 文号, and its clauses' ids extend
    it, so a repeated document would repeat every clause id (the store refuses a corpus with one id twice, and a
    search would return the clause twice). A file left with no new document is skipped whole."""
    first_file: dict[str, str] = {}  # doc_id -> the file it was first read from
    gazettes: list[ParsedGazette] = []
    problems = list(corpus.problems)
    for g in corpus.gazettes:
        file = g.gazette.source_file
        repeated = {d.doc_id for d in g.documents if d.doc_id in first_file}
        for d in g.documents:
            first_file.setdefault(d.doc_id, file)
        if not repeated:
            gazettes.append(g)
            continue
        earlier = sorted({first_file[d] for d in repeated})
        if len(repeated) == len(g.documents):
            message = f"repeats issue {g.gazette.key} already read from {', '.join(earlier)}"
        else:
            message = (
                f"{len(repeated)} of its {len(g.documents)} documents repeat ones already read from "
                f"{', '.join(earlier)} (left out; the other {len(g.documents) - len(repeated)} are kept)"
            )
            gazettes.append(
                g.model_copy(
                    update={
                        "documents": [d for d in g.documents if d.doc_id not in repeated],
                        "chunks": [c for c in g.chunks if c.doc_id not in repeated],
                    }
                )
            )
        log.warning("%s: %s", file, message)
        problems.append(ParseProblem(file=file, message=message))
    if len(gazettes) == len(corpus.gazettes) and len(problems) == len(corpus.problems):
        return corpus
    return Corpus(gazettes=gazettes, problems=problems)
