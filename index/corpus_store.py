"""The parsed corpus in SQLite (`corpus.sqlite` in the index folder): parse each gazette file once.

Two tables:

- ``parsed``: one row per corpus file: its name, the sha256 of its bytes with the parser version that read them
  (`cache_key`), and the `ParsedGazette` parsed from it (JSON). A file whose key matches the stored one is not
  parsed again; a changed or new file, or any file after a parser change, is parsed (several at once, in worker
  processes) and its row replaced.
- ``served``: the gazettes the index was built from, in index order (withdrawn documents already left out).
  `index.store.load_index` reads the corpus from here when it is not handed one; it replaces corpus.json.

The file lives inside the index folder and is written with the rest of it (a build writes a new folder and
swaps it in); `update_parsed` adds newly parsed files to the live folder's copy when the index itself did not
need rebuilding.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import multiprocessing
import os
import sqlite3
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from index.decode import UnreadableFileError
from index.formats import ReadOptions
from index.models import Corpus, ParsedGazette, ParseProblem
from index.parser import PARSER_VERSION, corpus_files, parse_file

log = logging.getLogger(__name__)

CORPUS_DB = "corpus.sqlite"
_POOL_MIN_FILES = 4  # fewer changed files than this are parsed in-process (a worker takes ~1 s to start)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS parsed (source_file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, gazette TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS served (ord INTEGER PRIMARY KEY, source_file TEXT NOT NULL, gazette TEXT NOT NULL)",
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


@dataclass
class ParsedFiles:
    """The corpus files of one load: per file its cache key (`cache_key`) and parsed gazette (JSON), and what was
    parsed anew."""

    sha256: dict[str, str] = field(default_factory=dict)
    json: dict[str, str] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)

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
) -> tuple[Corpus, ParsedFiles]:
    """The parsed corpus, reusing the index folder's parse cache for every file whose bytes did not change.

    Like `index.parser.parse_corpus` (a bad file is reported in `problems`, the others are still parsed; `options`
    are the limits and OCR for published formats), but only changed or new files are parsed, in `workers`
    processes.
    """
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {corpus_dir}")
    paths = list(files) if files is not None else corpus_files(corpus_dir)
    cache = _cached(index_dir)
    out = ParsedFiles()
    todo: list[Path] = []
    for path in paths:
        sha = cache_key(path)
        out.sha256[path.name] = sha
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
    return corpus, out


def write_corpus_db(path: Path, corpus: Corpus, parsed: ParsedFiles | None, previous: Path | None) -> None:
    """Write a new corpus database: the served corpus, and the parse cache (from `parsed`, else `previous`)."""
    db = connect(path)
    try:
        db.executemany(
            "INSERT INTO served VALUES (?, ?, ?)",
            ((n, g.gazette.source_file, g.model_dump_json()) for n, g in enumerate(corpus.gazettes)),
        )
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
    """The served corpus stored in a corpus database, in index order."""
    db = connect(path, readonly=True)
    try:
        rows = db.execute("SELECT gazette FROM served ORDER BY ord")
        gazettes = [ParsedGazette.model_validate_json(js) for (js,) in rows]
        problems = [ParseProblem(file=f, message=m) for f, m in db.execute("SELECT file, message FROM problems")]
    finally:
        db.close()
    return Corpus(gazettes=gazettes, problems=problems)
