"""`gongbao ingest PATH...`: bring gazette files into the corpus folder and refresh the index incrementally.

1. The files named (or found in the folders named) are copied into the corpus folder, atomically; a file whose
   bytes are already there under the same name is left alone.
2. Only new or changed files are parsed, in parallel worker processes (index/corpus_store.py).
3. Chunks whose text has no vector yet are embedded in batches, each batch committed to the index folder's
   vector cache as it finishes; an interrupted ingest (Ctrl-C, a crash) keeps those, and running it again
   embeds only the rest. The dense index is filled from the cache block by block.
4. The new index is written beside the old one and swapped in (the old one serves until then).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.corpus_store import file_sha256, load_corpus
from index.embedders import Embedder
from index.formats import ReadOptions
from index.parser import CORPUS_SUFFIXES
from index.store import Manifest, build_index, check_index_dir
from index.uploads import removed_ids, without


@dataclass
class IngestResult:
    copied: list[str]
    unchanged: list[str]
    parsed: list[str]
    problems: list[str]
    manifest: Manifest


def gazette_files(paths: Iterable[Path]) -> list[Path]:
    """The gazette files named: files as given, folders searched recursively (README files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix in CORPUS_SUFFIXES and p.stem.upper() != "README"
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def _copy_in(source: Path, corpus_dir: Path) -> bool:
    """Copy `source` into the corpus folder (atomic rename); False when the same bytes are already there."""
    target = corpus_dir / source.name
    if target.resolve() == source.resolve():
        return False
    if target.is_file() and file_sha256(target) == file_sha256(source):
        return False
    with tempfile.NamedTemporaryFile(dir=corpus_dir, prefix=f".{source.name}.", suffix=".part", delete=False) as tmp:
        part = Path(tmp.name)
    try:
        shutil.copyfile(source, part)
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return True


def copy_gazettes(paths: Iterable[Path], corpus_dir: Path) -> tuple[list[str], list[str]]:
    """Copy the gazettes named into `corpus_dir`: (names copied, names whose bytes were already there)."""
    files = gazette_files(paths)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    copied: list[str] = []
    unchanged: list[str] = []
    for path in files:
        (copied if _copy_in(path, corpus_dir) else unchanged).append(path.name)
    return copied, unchanged


def ingest(
    paths: Iterable[Path],
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    workers: int | None = None,
    progress: bool = True,
    options: ReadOptions | None = None,
) -> IngestResult:
    """Copy the gazettes named into `corpus_dir` and bring the index in `index_dir` up to date (see module doc)."""
    check_index_dir(index_dir)
    copied, unchanged = copy_gazettes(paths, corpus_dir)
    corpus, parsed = load_corpus(corpus_dir, index_dir, workers=workers, progress=progress, options=options)
    corpus = without(corpus, removed_ids(corpus_dir))
    manifest = build_index(corpus, embedder, index_dir, progress=progress, parsed=parsed)
    return IngestResult(
        copied=copied,
        unchanged=unchanged,
        parsed=sorted(parsed.fresh),
        problems=[f"{p.file}: {p.message}" for p in corpus.problems],
        manifest=manifest,
    )
