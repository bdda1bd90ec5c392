"""The parsed corpus in SQLite (`corpus.sqlite` in the index folder): parse each gazette file once.

Two tables:

- ``parsed``: one row per corpus file: its name, the sha256 of its bytes with the parser version that read them
  (`cache_key`), and the `ParsedGazette` parsed from it (JSON). A file whose key matches the stored one is not
  parsed again; a changed or new file, or any file after a parser change, is parsed (several at once, in worker
  processes) and its row replaced.
- the served corpus, the one the index was built from, in index order (withdrawn documents already left out),
  in three tables: ``gazettes`` (each issue's header, and the rows its chunks occupy), ``documents``, and
  ``chunks`` (one row per chunk: its row number in the index, its id, its document's id (indexed), the chunk as
  JSON); plus ``arrays`` (per chunk row its document's position and whether it is a card, as packed arrays) and
  ``blobs`` (the validity facts read from the text, computed once at build time).
  `StoredCorpus` serves from these without decoding a chunk before it is asked for (a bounded LRU cache keeps
  the recently decoded ones); `read_served` decodes the whole corpus (migration, exact vectors).

The file lives inside the index folder and is written with the rest of it (a build writes a new folder and
swaps it in); `update_parsed` adds newly parsed files to the live folder's copy when the index itself did not
need rebuilding.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np
from pydantic import PrivateAttr
from tqdm import tqdm

from index.decode import UnreadableFileError
from index.formats import ReadOptions
from index.models import Chunk, Corpus, Document, ParsedGazette, ParseProblem
from index.parser import PARSER_VERSION, corpus_files, parse_file, without_repeats
from index.text import HOLLOW_NONE, hollow_code

log = logging.getLogger(__name__)

CORPUS_DB = "corpus.sqlite"
_POOL_MIN_FILES = 4  # fewer changed files than this are parsed in-process (a worker takes ~1 s to start)
# Decoded chunks a served corpus keeps (least recently used first out): ~2.5 KB each, so ~10 MB. A request reads
# a few dozen chunks (its candidates' kinds and years come from packed arrays, not from decoded chunks).
CHUNK_CACHE_SIZE = 4096
_IN_BATCH = 500  # rows per `IN (...)` query (SQLite limits the number of bound parameters)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS parsed (source_file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, gazette TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS gazettes (ord INTEGER PRIMARY KEY, source_file TEXT NOT NULL, gazette TEXT NOT NULL,"
    " first_row INTEGER NOT NULL, chunk_count INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS documents (ord INTEGER PRIMARY KEY, gazette_ord INTEGER NOT NULL,"
    " doc_id TEXT NOT NULL, document TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS chunks (row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,"
    " chunk TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc_id, row)",
    "CREATE TABLE IF NOT EXISTS arrays (name TEXT PRIMARY KEY, dtype TEXT NOT NULL, data BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS problems (file TEXT PRIMARY KEY, message TEXT NOT NULL)",
)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (read in blocks)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_key(path: Path) -> str:
    """The parse cache's key of a file: its bytes' sha256 and the parser version (a new parser re-parses)."""
    return f"{file_sha256(path)}-p{PARSER_VERSION}"


def file_keys(paths: Iterable[Path]) -> dict[str, str]:
    """file name → `cache_key`, for each corpus file (in the given order)."""
    return {path.name: cache_key(path) for path in paths}


def source_key(keys: Mapping[str, str], removed: Iterable[str], options: ReadOptions | None = None) -> str:
    """What the served corpus is a function of: every corpus file's bytes and parser version (`file_keys`), the
    withdrawn documents and the read options. An index whose manifest records the same key serves that corpus,
    so a restart that finds it serves the index as it is, without parsing or decoding anything."""
    o = options or ReadOptions()
    ocr = type(o.ocr).__name__ if o.ocr is not None else ""
    body = json.dumps([sorted(keys.items()), sorted(removed), [o.max_pages, o.max_chars, ocr]], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class ParsedFiles:
    """The corpus files of one load: per file its cache key (`cache_key`) and parsed gazette (JSON), and what was
    parsed anew; `keys` holds every file's cache key, unreadable ones included."""

    sha256: dict[str, str] = field(default_factory=dict)
    json: dict[str, str] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    keys: dict[str, str] = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[str, str, str]]:
        for name, sha in self.sha256.items():
            yield name, sha, self.json[name]


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A connection to a corpus database (created with its tables unless `readonly`)."""
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db = sqlite3.connect(str(path))
    for statement in _SCHEMA:
        db.execute(statement)
    return db


def _cached(index_dir: Path | None) -> dict[str, tuple[str, str]]:
    """source_file → (sha256, gazette JSON) from the index folder's corpus database, if there is one."""
    path = index_dir / CORPUS_DB if index_dir else None
    if path is None or not path.is_file():
        return {}
    try:
        db = connect(path, readonly=True)
        try:
            return {name: (sha, js) for name, sha, js in db.execute("SELECT source_file, sha256, gazette FROM parsed")}
        finally:
            db.close()
    except sqlite3.Error as exc:  # an unreadable cache only costs a re-parse
        log.warning("ignoring parse cache %s: %s", path, exc)
        return {}


def _parse_one(path: Path, options: ReadOptions | None = None) -> tuple[str, str | None, str | None]:
    """(file name, gazette JSON or None, problem or None): runs in a worker process."""
    try:
        return path.name, parse_file(path, options).model_dump_json(), None
    except UnreadableFileError as exc:
        return path.name, None, exc.reason


def _parse_many(
    paths: list[Path], workers: int, options: ReadOptions | None
) -> Iterator[tuple[str, str | None, str | None]]:
    parse = functools.partial(_parse_one, options=options)
    if workers <= 1 or len(paths) < _POOL_MIN_FILES:
        yield from map(parse, paths)
        return
    # spawn, not fork: the caller may hold threads (FAISS, torch) that a forked child would inherit mid-lock
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(paths)), mp_context=context) as pool:
        yield from pool.map(parse, paths, chunksize=1)


def default_workers() -> int:
    """Parser processes: one per CPU (at least one)."""
    return max(1, os.cpu_count() or 1)


def load_corpus(
    corpus_dir: Path,
    index_dir: Path | None,
    files: Iterable[Path] | None = None,
    workers: int | None = None,
    progress: bool = False,
    options: ReadOptions | None = None,
    keys: Mapping[str, str] | None = None,
) -> tuple[Corpus, ParsedFiles]:
    """The parsed corpus, reusing the index folder's parse cache for every file whose bytes did not change.

    Like `index.parser.parse_corpus` (a bad file is reported in `problems`, the others are still parsed; `options`
    are the limits and OCR for published formats), but only changed or new files are parsed, in `workers`
    processes. `keys` are the files' `file_keys` when the caller has hashed them already.
    """
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus_dir}")
    paths = list(files) if files is not None else corpus_files(corpus_dir)
    cache = _cached(index_dir)
    out = ParsedFiles()
    todo: list[Path] = []
    for path in paths:
        sha = keys[path.name] if keys is not None and path.name in keys else cache_key(path)
        out.sha256[path.name] = sha
        out.keys[path.name] = sha
        hit = cache.get(path.name)
        if hit is not None and hit[0] == sha:
            out.json[path.name] = hit[1]
        else:
            todo.append(path)
    problems: dict[str, str] = {}
    bar = tqdm(total=len(todo), desc="parsing", unit="file", disable=not progress or not todo)
    for name, js, problem in _parse_many(todo, workers or default_workers(), options):
        bar.update(1)
        if js is None:
            problems[name] = problem or "unreadable"
            del out.sha256[name]
        else:
            out.json[name] = js
            out.fresh.add(name)
    bar.close()
    corpus = Corpus()
    for path in paths:
        if path.name in problems:
            log.warning("skipped %s: %s", path.name, problems[path.name])
            corpus.problems.append(ParseProblem(file=path.name, message=problems[path.name]))
        else:
            corpus.gazettes.append(ParsedGazette.model_validate_json(out.json[path.name]))
    log.info("corpus: %d files, %d parsed, %d from the parse cache", len(paths), len(todo), len(paths) - len(todo))
    return without_repeats(corpus), out


_DIGITS = re.compile(r"[0-9]{4,}")


def _four_digit_numbers(chunk: Chunk, doc: Document | None) -> list[int]:
    """Every 4-digit window of the ASCII digit runs in a chunk's indexed text (title, headings, text), sorted:
    a year 「2022」 occurs in that text exactly when it is one of them (the year boost asks this per candidate)."""
    out: set[int] = set()
    for part in (doc.title if doc else "", *chunk.section, chunk.text):
        for run in _DIGITS.findall(part):
            out.update(int(run[i : i + 4]) for i in range(len(run) - 3))
    return sorted(out)


def write_corpus_db(path: Path, corpus: Corpus, parsed: ParsedFiles | None, previous: Path | None) -> None:
    """Write a new corpus database: the served corpus (with its packed arrays and validity facts), and the parse
    cache (from `parsed`, else `previous`)."""
    # what is read from the whole text once, here, not at each restart: the validity facts, title pairs' rarity
    from index.names import PAIRS_BLOB, title_pair_families
    from index.validity import FACTS_BLOB, extract

    db = connect(path)
    try:
        first = 0
        documents: list[Document] = []
        for n, g in enumerate(corpus.gazettes):
            header = g.model_copy(update={"documents": [], "chunks": []}).model_dump_json()
            db.execute(
                "INSERT INTO gazettes VALUES (?, ?, ?, ?, ?)", (n, g.gazette.source_file, header, first, len(g.chunks))
            )
            db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?)",
                ((len(documents) + i, n, d.doc_id, d.model_dump_json()) for i, d in enumerate(g.documents)),
            )
            documents += g.documents
            db.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?, ?)",
                ((first + i, c.chunk_id, c.doc_id, c.model_dump_json()) for i, c in enumerate(g.chunks)),
            )
            first += len(g.chunks)
        position = {d.doc_id: i for i, d in enumerate(documents)}
        chunks = corpus.chunks
        doc_of_row = np.fromiter((position.get(c.doc_id, -1) for c in chunks), np.int32, len(chunks))
        cards = np.fromiter((c.kind == "card" for c in chunks), bool, len(chunks))
        by_id = {d.doc_id: d for d in documents}
        numbers = [_four_digit_numbers(c, by_id.get(c.doc_id)) for c in chunks]
        numbers_at = np.zeros(len(chunks) + 1, np.int64)
        np.cumsum([len(n) for n in numbers], out=numbers_at[1:])
        flat = np.fromiter((x for n in numbers for x in n), np.int16, int(numbers_at[-1]))
        # what makes each clause say nothing of its own (index.text.hollow_code), read here once: the retriever
        # weighs every candidate of every search by it, and reading it there decoded each new row (~40 µs)
        hollow = np.fromiter(
            (hollow_code(c.text) if c.kind == "clause" else HOLLOW_NONE for c in chunks), np.int32, len(chunks)
        )
        packed = (
            ("doc_of_row", doc_of_row),
            ("cards", cards),
            ("numbers_at", numbers_at),
            ("numbers", flat),
            ("hollow", hollow),
        )
        for name, array in packed:
            db.execute("INSERT INTO arrays VALUES (?, ?, ?)", (name, array.dtype.str, array.tobytes()))
        db.execute("INSERT INTO blobs VALUES (?, ?)", (FACTS_BLOB, extract(corpus).model_dump_json()))
        db.execute("INSERT INTO blobs VALUES (?, ?)", (PAIRS_BLOB, json.dumps(title_pair_families(corpus))))
        db.executemany("INSERT OR REPLACE INTO problems VALUES (?, ?)", ((p.file, p.message) for p in corpus.problems))
        if parsed is not None:
            db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", parsed.rows())
        elif previous is not None and previous.is_file():
            db.execute("ATTACH DATABASE ? AS old", (f"file:{previous}?mode=ro",))
            db.execute("INSERT OR REPLACE INTO parsed SELECT source_file, sha256, gazette FROM old.parsed")
            db.commit()
            db.execute("DETACH DATABASE old")
        db.commit()
    finally:
        db.close()


def update_parsed(path: Path, parsed: ParsedFiles) -> None:
    """Add the newly parsed files to an existing corpus database (when the index itself stayed current)."""
    if not parsed.fresh or not path.is_file():
        return
    db = connect(path)
    try:
        db.executemany(
            "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
            ((n, parsed.sha256[n], parsed.json[n]) for n in sorted(parsed.fresh)),
        )
        db.commit()
    finally:
        db.close()


def read_served(path: Path) -> Corpus:
    """The served corpus stored in a corpus database, in index order, decoded whole (every chunk in memory: for a
    migration or the exact vectors; serving uses `StoredCorpus`)."""
    try:
        stored = open_served(path)
    except sqlite3.OperationalError:  # an index of format v2 (one `served` row per gazette): `gongbao migrate` reads it
        db = connect(path, readonly=True)
        try:
            rows = db.execute("SELECT gazette FROM served ORDER BY ord")
            gazettes = [ParsedGazette.model_validate_json(js) for (js,) in rows]
            problems = [ParseProblem(file=f, message=m) for f, m in db.execute("SELECT file, message FROM problems")]
        finally:
            db.close()
        return Corpus(gazettes=gazettes, problems=problems)
    try:
        gazettes = [g.model_copy(update={"chunks": list(g.chunks)}) for g in stored.gazettes]
        return Corpus(gazettes=gazettes, problems=stored.problems)
    finally:
        stored.close()


def open_served(path: Path, cache_size: int = CHUNK_CACHE_SIZE) -> StoredCorpus:
    """The served corpus of a corpus database, chunks left in the database (see `StoredCorpus`)."""
    return StoredCorpus.open(path, cache_size)


def _is_four_digits(word: str) -> bool:
    return len(word) == 4 and word.isascii() and word.isdigit()


class StoredChunks(Sequence[Chunk]):
    """A read-only, lazy sequence of a stored corpus's chunks (rows `start` to `stop`): indexing decodes one chunk
    (through the corpus's LRU cache); iterating streams them from SQLite in row order (not through the cache)."""

    def __init__(self, corpus: StoredCorpus, start: int, stop: int) -> None:
        self._corpus, self._start, self._stop = corpus, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, idx: int) -> Chunk: ...
    @overload
    def __getitem__(self, idx: slice) -> list[Chunk]: ...
    def __getitem__(self, idx: int | slice) -> Chunk | list[Chunk]:
        if isinstance(idx, slice):
            return [self._corpus.chunk_at(self._start + i) for i in range(*idx.indices(len(self)))]
        n = len(self)
        if idx < -n or idx >= n:
            raise IndexError(f"chunk row {idx} out of range (0–{n - 1})")
        return self._corpus.chunk_at(self._start + (idx % n))

    def __iter__(self) -> Iterator[Chunk]:
        return self._corpus.iter_rows(self._start, self._stop)

    def prefetch(self, idxs: Iterable[int]) -> None:
        """Decode the chunks at these positions into the cache in one query (a ranking about to read them)."""
        self._corpus.chunks_at([self._start + i for i in idxs])


class _RowMap(Mapping[str, int]):
    """chunk_id → row of a stored corpus, answered by the chunk table's primary-key index (nothing in memory)."""

    def __init__(self, corpus: StoredCorpus) -> None:
        self._corpus = corpus

    def __getitem__(self, chunk_id: str) -> int:
        row = self._corpus.row_of(chunk_id)
        if row is None:
            raise KeyError(chunk_id)
        return row

    def __contains__(self, chunk_id: object) -> bool:
        return isinstance(chunk_id, str) and self._corpus.row_of(chunk_id) is not None

    def __len__(self) -> int:
        return len(self._corpus.doc_of_row())

    def __iter__(self) -> Iterator[str]:
        return iter(self._corpus.query_all("SELECT chunk_id FROM chunks ORDER BY row"))


class StoredCorpus(Corpus):
    """A served corpus left in its SQLite store: gazettes and documents in memory (about one per 25 chunks),
    chunks decoded one at a time when asked for, through a bounded LRU cache (`cache_size` chunks), and what the
    hot paths need per chunk held as packed arrays (its document's position, whether it is a card).

    `chunks` is a lazy read-only sequence (`StoredChunks`); `chunk`, `chunks_of`, `document_of_chunk` and
    `row_map` are indexed queries. `decoded` counts the chunks decoded so far (tests read it). Safe to share
    between threads (one connection, one lock).
    """

    _db: sqlite3.Connection | None = PrivateAttr(None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)  # threading.Lock is a factory, not a type pydantic knows
    _cache: OrderedDict[int, Chunk] = PrivateAttr(default_factory=OrderedDict)
    _cache_size: int = PrivateAttr(CHUNK_CACHE_SIZE)
    _documents: list[Document] = PrivateAttr(default_factory=list)
    _by_doc_id: dict[str, Document] = PrivateAttr(default_factory=dict)
    _doc_of_row: np.ndarray = PrivateAttr(default_factory=lambda: np.zeros(0, np.int32))
    _cards: np.ndarray = PrivateAttr(default_factory=lambda: np.zeros(0, bool))
    _numbers_at: np.ndarray | None = PrivateAttr(None)
    _numbers: np.ndarray | None = PrivateAttr(None)
    _doc_years: np.ndarray | None = PrivateAttr(None)
    _hollow: np.ndarray | None = PrivateAttr(None)
    _blobs: dict[str, str | None] = PrivateAttr(default_factory=dict)
    _decoded: int = PrivateAttr(0)

    @classmethod
    def open(cls, path: Path, cache_size: int = CHUNK_CACHE_SIZE) -> StoredCorpus:
        """Open a corpus database's served corpus (reads the gazettes, documents and arrays; no chunk)."""
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            documents: dict[int, list[Document]] = {}
            for gazette_ord, js in db.execute("SELECT gazette_ord, document FROM documents ORDER BY ord"):
                documents.setdefault(gazette_ord, []).append(Document.model_validate_json(js))
            heads = list(db.execute("SELECT ord, gazette, first_row, chunk_count FROM gazettes ORDER BY ord"))
            arrays = {n: np.frombuffer(d, dtype=t) for n, t, d in db.execute("SELECT name, dtype, data FROM arrays")}
            problems = [ParseProblem(file=f, message=m) for f, m in db.execute("SELECT file, message FROM problems")]
        except BaseException:
            db.close()
            raise
        corpus = cls.model_construct(gazettes=[], problems=problems)
        corpus._db, corpus._cache_size = db, max(1, cache_size)
        for n, js, first, count in heads:
            head = ParsedGazette.model_validate_json(js)
            # model_construct: the chunks stay a lazy view (a list would decode them all)
            corpus.gazettes.append(
                ParsedGazette.model_construct(
                    gazette=head.gazette,
                    documents=documents.get(n, []),
                    chunks=StoredChunks(corpus, first, first + count),  # type: ignore[arg-type]
                    skipped_lines=head.skipped_lines,
                )
            )
        corpus._documents = [d for g in corpus.gazettes for d in g.documents]
        corpus._by_doc_id = {d.doc_id: d for d in corpus._documents}
        corpus._doc_of_row = arrays["doc_of_row"]
        corpus._cards = arrays["cards"]
        corpus._numbers_at, corpus._numbers = arrays.get("numbers_at"), arrays.get("numbers")
        corpus._hollow = arrays.get("hollow")
        return corpus

    @property
    def decoded(self) -> int:
        """How many chunks this corpus has decoded from the store so far (cache hits not counted)."""
        return self._decoded

    def close(self) -> None:
        """Close the database connection (the corpus cannot decode chunks afterwards)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the stored corpus was closed")
        return self._db

    def query_all(self, sql: str, args: tuple[object, ...] = ()) -> list[str]:
        """The first column of every row of a query on the store (for streaming ids)."""
        with self._lock:
            return [r[0] for r in self._conn().execute(sql, args)]

    # ---------- the Corpus face ----------

    @property
    def documents(self) -> list[Document]:
        return self._documents

    @property
    def chunks(self) -> StoredChunks:
        """Every chunk in index order, lazily (see `StoredChunks`): no request path iterates it."""
        return StoredChunks(self, 0, len(self._doc_of_row))

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._by_doc_id.get(doc_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id (decoded, or from the cache), or None."""
        row = self.row_of(chunk_id)
        return None if row is None else self.chunk_at(row)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in reading order: one indexed query (by doc_id)."""
        with self._lock:
            rows = [
                r for (r,) in self._conn().execute("SELECT row FROM chunks WHERE doc_id = ? ORDER BY row", (doc_id,))
            ]
        return self.chunks_at(rows)

    def document_of_chunk(self, chunk_id: str) -> Document | None:
        """The document holding a chunk (no chunk decoded), or None for an unknown chunk id."""
        row = self.row_of(chunk_id)
        return None if row is None else self.document_at(row)

    def document_at(self, row: int) -> Document:
        """The document of chunk row `row` (from the packed array)."""
        return self._documents[int(self._doc_of_row[row])]

    def row_map(self) -> Mapping[str, int]:
        """chunk_id → row, answered by the store's index."""
        return _RowMap(self)

    def doc_of_row(self) -> np.ndarray:
        """Per chunk row, the position of its document in `documents` (int32, read-only)."""
        return self._doc_of_row

    def card_rows(self) -> np.ndarray:
        """Per chunk row, whether it is a document card (read-only)."""
        return self._cards

    def hollow_codes(self) -> np.ndarray | None:
        """Per chunk row, its `index.text.hollow_code` as read at build time (int32, read-only)."""
        return self._hollow

    def mentions_any(self, row: int, words: Iterable[str]) -> bool:
        """Whether chunk row `row`'s indexed text holds any of `words`: 4-digit numbers (years) are answered from
        the packed array (no chunk decoded), anything else from the decoded chunk."""
        wanted = list(words)
        numbers, at = self._numbers, self._numbers_at  # read once: a private attribute is a pydantic __getattr__
        if numbers is None or at is None or not all(_is_four_digits(w) for w in wanted):
            return super().mentions_any(row, wanted)
        low, high = int(at[row]), int(at[row + 1])
        if low == high:
            return False
        # a set test on the few numbers of one chunk: np.isin's setup cost ~20 µs a call, and the year boost asks
        # this of every candidate row of a search
        return not {int(w) for w in wanted}.isdisjoint(numbers[low:high].tolist())

    def in_years(self, rows: Sequence[int], years: Iterable[str]) -> list[bool]:
        """`Corpus.in_years` from the packed arrays, all rows at once (per row, the calls cost ~2 µs each at the
        few hundred candidates a comparison's searches gather)."""
        wanted = frozenset(years)
        numbers, at = self._numbers, self._numbers_at
        if numbers is None or at is None or not all(_is_four_digits(w) for w in wanted):
            return super().in_years(rows, wanted)
        if self._doc_years is None:  # each document's year (-1: none), once: Document.year reads its date
            self._doc_years = np.array([-1 if d.year is None else d.year for d in self._documents], dtype=np.int64)
        ys = np.array(sorted(int(w) for w in wanted), dtype=np.int64)
        picked = np.asarray(rows, dtype=np.int64)
        hit = np.isin(self._doc_years[self._doc_of_row[picked]], ys)
        low, high = at[picked].astype(np.int64), at[picked + 1].astype(np.int64)
        counts = high - low
        # every number of the picked rows, row after row, and whose it is
        owner = np.repeat(np.arange(len(picked)), counts)
        first = np.repeat(low - np.cumsum(counts) + counts, counts)
        found = np.isin(numbers[first + np.arange(len(owner))], ys)
        hit[owner[found]] = True
        return hit.tolist()

    def stored(self, name: str) -> str | None:
        """A blob written at build time (`blobs` table), read once."""
        if name not in self._blobs:
            with self._lock:
                found = self._conn().execute("SELECT body FROM blobs WHERE name = ?", (name,)).fetchone()
            self._blobs[name] = found[0] if found else None
        return self._blobs[name]

    # ---------- rows ----------

    def row_of(self, chunk_id: str) -> int | None:
        """The row of a chunk id, or None."""
        with self._lock:
            found = self._conn().execute("SELECT row FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return None if found is None else int(found[0])

    def chunk_at(self, row: int) -> Chunk:
        """The chunk at `row`: from the LRU cache, else decoded from the store (and cached)."""
        return self.chunks_at([row])[0]

    def chunks_at(self, rows: Sequence[int]) -> list[Chunk]:
        """The chunks at `rows`, in that order: cached ones from the LRU cache, the rest decoded in one query."""
        out: dict[int, Chunk] = {}
        with self._lock:
            cache = self._cache
            missing = []
            for row in rows:
                hit = cache.get(row)
                if hit is None:
                    missing.append(row)
                else:
                    cache.move_to_end(row)
                    out[row] = hit
            wanted = sorted(set(missing))
            for low in range(0, len(wanted), _IN_BATCH):
                part = wanted[low : low + _IN_BATCH]
                marks = ",".join("?" * len(part))
                for row, js in self._conn().execute(f"SELECT row, chunk FROM chunks WHERE row IN ({marks})", part):
                    chunk = Chunk.model_validate_json(js)
                    self._decoded += 1
                    out[row] = cache[row] = chunk
                while len(cache) > self._cache_size:
                    cache.popitem(last=False)
        try:
            return [out[r] for r in rows]
        except KeyError as exc:
            raise IndexError(f"no chunk row {exc.args[0]} in the store") from None

    def iter_rows(self, start: int, stop: int, block: int = 2048) -> Iterator[Chunk]:
        """Chunks of rows start..stop-1 in order, decoded block by block (bypassing the cache)."""
        for low in range(start, stop, block):
            with self._lock:
                rows = list(
                    self._conn().execute(
                        "SELECT chunk FROM chunks WHERE row >= ? AND row < ? ORDER BY row",
                        (low, min(stop, low + block)),
                    )
                )
            for (js,) in rows:
                self._decoded += 1
                yield Chunk.model_validate_json(js)
