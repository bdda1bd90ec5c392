"""Adding gazettes to a corpus directory and withdrawing documents from it, checked before anything is written.

An upload is decoded and parsed in memory first; only a file that yields documents is written, atomically
(temporary file, then rename), so a failed upload leaves the corpus as it was. Withdrawn documents are listed
in `removed.json` inside the corpus directory: doc ids are stable across rebuilds, so the list keeps applying
when the index is rebuilt, and the gazette file itself stays untouched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from index.errors import GongbaoError
from index.formats import SUFFIX, FormatError, ReadOptions, read_published
from index.formats.sniff import Kind, sniff
from index.models import Corpus, ParsedGazette
from index.parser import CORPUS_SUFFIXES, corpus_files, parse_text

REMOVED_FILE = "removed.json"
_SAFE_NAME = re.compile(r"[^\w.\-（）()〔〕]+")
# A file system takes 255 bytes per name; the upload is also written as `.{name}.XXXXXXXX.part` and replaced
# files wait as `.{name}.replaced`, so the name itself stays well below that.
MAX_NAME_BYTES = 200


class UploadError(GongbaoError, ValueError):
    """An upload that cannot be added, with the reason in plain words and a machine-readable `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def safe_filename(name: str, kind: Kind = "text") -> str:
    """The upload's file name reduced to one safe path component, with the suffix of the format its bytes hold.

    The name is never trusted for the format: a PDF sent as 「公报.txt」 is stored as 「公报.pdf」.
    """
    stem = _SAFE_NAME.sub("_", Path(name or "upload").name).strip("._") or "upload"
    suffix = Path(stem).suffix
    if kind == "text":
        return stem if suffix in (".txt", ".md") else f"{stem}.txt"
    wanted = SUFFIX.get(kind, ".bin")
    base = stem[: -len(suffix)] if suffix in CORPUS_SUFFIXES else stem
    return f"{base or 'upload'}{wanted}"


def check_upload_name(filename: str) -> None:
    """UploadError for a file name the corpus cannot hold: too long for the file system (with the temporary and
    backup names made from it), or a README, which the corpus loader skips (it would be acknowledged, never served)."""
    name = safe_filename(filename)
    if len(name.encode()) > MAX_NAME_BYTES:
        raise UploadError(
            "bad_name",
            f"the file name is {len(name.encode())} bytes long (UTF-8); at most {MAX_NAME_BYTES} bytes are accepted: "
            "rename the file",
        )
    if Path(name).stem.upper() == "README" or name.split(".")[0].upper() == "README":
        raise UploadError(
            "bad_name", f"{name}: README files are not gazettes (the corpus loader skips them); rename the file"
        )


def parse_upload(filename: str, data: bytes, options: ReadOptions | None = None) -> ParsedGazette:
    """Read and parse an uploaded gazette in any accepted format (text, PDF, .docx, HTML).

    UploadError when the format is not accepted or the file is damaged, too large, a scan without OCR, or holds
    no gazette documents; `code` is the FormatError's code, or `no_documents`.
    """
    name = safe_filename(filename, sniff(data))
    try:
        _, text = read_published(data, name, options)
    except FormatError as exc:
        raise UploadError(exc.code, f"{name}: {exc.reason}") from exc
    parsed = parse_text(text, name)
    if not parsed.documents:
        raise UploadError(
            "no_documents", f"{name}: no gazette documents found (no 文号 line or table-of-contents title)"
        )
    return parsed


def add_gazette(
    corpus_dir: Path,
    filename: str,
    data: bytes,
    served: Corpus,
    replace: bool = False,
    options: ReadOptions | None = None,
) -> tuple[ParsedGazette, list[Path]]:
    """Check an upload and write it into `corpus_dir`; UploadError if invalid or (without `replace`) a duplicate.

    A duplicate is a file of the same name, or a gazette of the same issue (year and number) that `served`
    holds. With `replace` the duplicates are moved aside (returned, to be deleted once the new corpus is live
    or put back with `restore`).
    """
    check_upload_name(filename)
    parsed = parse_upload(filename, data, options)
    target = corpus_dir / parsed.gazette.source_file
    same_issue = {g.gazette.source_file for g in served.gazettes if g.gazette.key == parsed.gazette.key}
    clashes = [p for p in corpus_files(corpus_dir) if p.name == target.name or p.name in same_issue]
    if clashes and not replace:
        raise UploadError(
            "conflict",
            f"gazette {parsed.gazette.key} is already served from {clashes[0].name}; upload with replace=true "
            "to replace it",
        )
    aside = [old.rename(old.with_name(f".{old.name}.replaced")) for old in clashes]
    _write_atomic(target, data)
    return parsed, aside


def restore(added: Path, aside: list[Path]) -> None:
    """Undo `add_gazette`: remove the added file and put replaced files back."""
    added.unlink(missing_ok=True)
    for old in aside:
        old.rename(old.with_name(old.name.removeprefix(".").removesuffix(".replaced")))


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def removed_ids(corpus_dir: Path) -> set[str]:
    """Doc ids withdrawn from serving in this corpus directory."""
    path = corpus_dir / REMOVED_FILE
    if not path.exists():
        return set()
    return set(json.loads(path.read_text(encoding="utf-8")).get("removed", []))


def write_removed(corpus_dir: Path, doc_ids: set[str]) -> None:
    """Replace the corpus directory's withdrawn list (written atomically)."""
    ids = sorted(doc_ids)
    _write_atomic(corpus_dir / REMOVED_FILE, json.dumps({"removed": ids}, ensure_ascii=False, indent=1).encode())


def without(corpus: Corpus, doc_ids: set[str]) -> Corpus:
    """The corpus minus the given documents and their chunks (gazettes and problems kept)."""
    if not doc_ids:
        return corpus
    gazettes = [
        g.model_copy(
            update={
                "documents": [d for d in g.documents if d.doc_id not in doc_ids],
                "chunks": [c for c in g.chunks if c.doc_id not in doc_ids],
            }
        )
        for g in corpus.gazettes
    ]
    return Corpus(gazettes=gazettes, problems=corpus.problems)
