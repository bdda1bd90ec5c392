"""Adding gazettes and withdrawing documents at the file level: checks first, atomic writes, undo."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index.formats.sniff import Kind
from index.models import Corpus
from index.parser import corpus_files, parse_corpus
from index.uploads import (
    UploadError,
    add_gazette,
    removed_ids,
    restore,
    safe_filename,
    without,
    write_removed,
)
from tests.conftest import CORPUS_DIR
from tests.fixtures.make_published import Rendered

UPLOADED = "001_a2741b667bdfe332.txt"  # the 2022 issue holding 青政办〔2022〕30号


@pytest.fixture()
def four(tmp_path: Path) -> tuple[Path, Corpus]:
    """A corpus directory with four of the five gazettes, and its parse."""
    for path in corpus_files(CORPUS_DIR):
        if path.name != UPLOADED:
            shutil.copy(path, tmp_path / path.name)
    return tmp_path, parse_corpus(tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("../../etc/passwd", "passwd.txt"), ("公报 2024.txt", "公报_2024.txt"), ("", "upload.txt"), ("a.md", "a.md")],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "not_text"), (b"\x00\x01binary", "not_text"), ("只是一段文字。".encode(), "no_documents")],
)
def test_bad_uploads_write_nothing(four: tuple[Path, Corpus], data: bytes, code: str) -> None:
    directory, corpus = four
    before = sorted(p.name for p in directory.iterdir())
    with pytest.raises(UploadError) as caught:
        add_gazette(directory, "new.txt", data, corpus)
    assert caught.value.code == code and caught.value.message
    assert sorted(p.name for p in directory.iterdir()) == before


def test_add_then_conflict_then_replace(four: tuple[Path, Corpus]) -> None:
    directory, corpus = four
    data = (CORPUS_DIR / UPLOADED).read_bytes()
    parsed, aside = add_gazette(directory, "2022年第9期.txt", data, corpus)
    assert aside == [] and (directory / parsed.gazette.source_file).read_bytes() == data
    assert any(d.doc_number == "青政办〔2022〕30号" for d in parsed.documents)
    grown = parse_corpus(directory)
    with pytest.raises(UploadError, match="already served") as caught:  # same issue under another name
        add_gazette(directory, "again.txt", data, grown)
    assert caught.value.code == "conflict"
    again, aside = add_gazette(directory, "again.txt", data, grown, replace=True)
    assert [p.name for p in aside] == [".2022年第9期.txt.replaced"]
    assert {p.name for p in corpus_files(directory)} == {p.name for p in corpus_files(CORPUS_DIR)} - {UPLOADED} | {
        "again.txt"
    }
    restore(directory / again.gazette.source_file, aside)  # undo: the replaced file is back, the new one gone
    assert (directory / "2022年第9期.txt").exists() and not (directory / "again.txt").exists()


def test_withdrawn_documents_stay_withdrawn(four: tuple[Path, Corpus]) -> None:
    directory, corpus = four
    victim = corpus.documents[0].doc_id
    write_removed(directory, {victim})
    assert removed_ids(directory) == {victim}
    reparsed = without(parse_corpus(directory), removed_ids(directory))  # ids are stable, so the list applies
    assert victim not in {d.doc_id for d in reparsed.documents}
    assert victim not in {c.doc_id for c in reparsed.chunks}
    assert len(reparsed.documents) == len(corpus.documents) - 1


def test_a_pdf_upload_is_stored_as_pdf_whatever_its_name(four: tuple[Path, Corpus], published: Rendered) -> None:
    directory, corpus = four
    data = published.pdf.read_bytes()
    parsed, _ = add_gazette(directory, "2022年第9期.txt", data, corpus)  # named .txt, but the bytes are a PDF
    assert parsed.gazette.source_file == "2022年第9期.pdf" and parsed.gazette.key == "2022-09"
    assert (directory / "2022年第9期.pdf").read_bytes() == data
    assert any(d.doc_number == "青政办〔2022〕30号" for d in parse_corpus(directory).documents)


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("公报.txt", "pdf", "公报.pdf"),
        ("a.docx", "docx", "a.docx"),
        ("page", "html", "page.html"),
        ("x.pdf", "text", "x.pdf.txt"),
    ],
)
def test_safe_filename_takes_the_suffix_of_the_content(name: str, kind: Kind, expected: str) -> None:
    assert safe_filename(name, kind) == expected


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda r: b"\x89PNG\r\n\x1a\n" + r.pdf.read_bytes()[:100], "unsupported"),  # a picture named .pdf
        (lambda r: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "unsupported"),  # legacy .doc
        (lambda r: r.scan.read_bytes(), "no_text"),
    ],
)
def test_refused_published_uploads_write_nothing(
    four: tuple[Path, Corpus], published: Rendered, make: Callable[[Rendered], bytes], code: str
) -> None:
    directory, corpus = four
    before = sorted(p.name for p in directory.iterdir())
    with pytest.raises(UploadError) as caught:
        add_gazette(directory, "gazette.pdf", make(published), corpus)
    assert caught.value.code == code
    assert sorted(p.name for p in directory.iterdir()) == before
