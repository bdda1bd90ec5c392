"""Stable ids, and bad input files reported by name while the others parse."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.models import Corpus
from index.parser import parse_corpus, parse_text
from tests.conftest import CORPUS_DIR

SMALL = "004_acdd827c104e1396.txt"


def test_ids_are_unique_and_stable(corpus: Corpus) -> None:
    ids = [c.chunk_id for c in corpus.chunks]
    assert len(ids) == len(set(ids))
    doc_ids = [d.doc_id for d in corpus.documents]
    assert len(doc_ids) == len(set(doc_ids))
    again = parse_corpus(CORPUS_DIR)
    assert [c.chunk_id for c in again.chunks] == ids


def test_editing_one_clause_changes_only_its_id() -> None:
    text = (CORPUS_DIR / SMALL).read_text(encoding="utf-8")
    before = parse_text(text, SMALL)
    edited = text.replace("第十七条 本办法由省财政厅负责解释。", "第十七条 本办法由省财政厅和省发展改革委负责解释。")
    assert edited != text
    after = parse_text(edited, SMALL)
    old, new = [c.chunk_id for c in before.chunks], [c.chunk_id for c in after.chunks]
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert len(changed) == 1
    assert [d.doc_id for d in before.documents] == [d.doc_id for d in after.documents]


def test_gbk_file_is_decoded(tmp_path: Path) -> None:
    text = (CORPUS_DIR / SMALL).read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    parsed = parse_corpus(tmp_path)
    assert not parsed.problems
    assert [d.title for d in parsed.documents] == [d.title for d in parse_text(text, SMALL).documents]


def test_bad_files_are_reported_by_name_and_skipped(tmp_path: Path) -> None:
    shutil.copy(CORPUS_DIR / SMALL, tmp_path / SMALL)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin.txt").write_bytes(b"no gazette here, just words")
    parsed = parse_corpus(tmp_path)
    problems = {p.file: p.message for p in parsed.problems}
    assert set(problems) == {"empty.txt", "binary.txt", "latin.txt"}
    assert "empty" in problems["empty.txt"]
    assert "binary" in problems["binary.txt"]
    assert "no gazette documents" in problems["latin.txt"]
    assert [g.gazette.source_file for g in parsed.gazettes] == [SMALL]
