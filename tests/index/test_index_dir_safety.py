"""A wrong GONGBAO_INDEX_DIR never deletes a folder the project did not make (reliability issue, defect 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.embedders import Embedder
from index.models import Corpus
from index.store import MARKER, IndexDirError, Manifest, build_index, check_index_dir, is_index_dir
from rag.settings import Settings


class NeverEmbedder(Embedder):
    """Fails the test if a refused build got as far as embedding anything."""

    name = "never"
    dims = 4

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("a refused build must not embed")

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        raise AssertionError("a refused build must not embed")


def _user_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "thesis.docx").write_bytes(b"years of work")
    (path / "photos").mkdir()
    (path / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    return path


def _files(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_build_refuses_a_folder_that_is_not_an_index(corpus: Corpus, tmp_path: Path) -> None:
    folder = _user_folder(tmp_path / "home")
    before = _files(folder)
    with pytest.raises(IndexDirError, match="not a gongbao index"):
        build_index(corpus, NeverEmbedder(), folder, force=True, progress=False)
    assert _files(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"], "no building folder left behind"


def test_build_refuses_a_user_folder_where_the_backup_goes(corpus: Corpus, tmp_path: Path) -> None:
    """The old index is moved to `<name>.old` during a swap; a user's folder of that name is never deleted."""
    folder = _user_folder(tmp_path / "index.old")
    with pytest.raises(IndexDirError, match=r"index\.old"):
        build_index(corpus, NeverEmbedder(), tmp_path / "index", progress=False)
    assert (folder / "thesis.docx").read_bytes() == b"years of work"


def test_build_refuses_a_file(corpus: Corpus, tmp_path: Path) -> None:
    target = tmp_path / "index"
    target.write_text("notes", encoding="utf-8")
    with pytest.raises(IndexDirError, match="is a file"):
        build_index(corpus, NeverEmbedder(), target, progress=False)
    assert target.read_text(encoding="utf-8") == "notes"


def test_indexes_absent_and_empty_folders_are_accepted(built: tuple[Path, Manifest], tmp_path: Path) -> None:
    assert (built[0] / MARKER).is_file() and is_index_dir(built[0])
    check_index_dir(built[0])
    check_index_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_index_dir(tmp_path / "empty")
    legacy = tmp_path / "legacy"  # built before the marker existed: its manifest still marks it as ours
    shutil.copytree(built[0], legacy)
    (legacy / MARKER).unlink()
    check_index_dir(legacy)


@pytest.mark.parametrize(
    ("corpus_dir", "index_dir"),
    [("data", "data"), ("data", "data/index"), ("data/corpus", "data"), ("data/./corpus", "data/corpus/../corpus")],
)
def test_settings_refuse_overlapping_corpus_and_index(tmp_path: Path, corpus_dir: str, index_dir: str) -> None:
    with pytest.raises(ValueError, match="overlap"):
        Settings(corpus_dir=tmp_path / corpus_dir, index_dir=tmp_path / index_dir)


def test_settings_accept_sibling_folders(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "corpus-index")
    assert settings.index_dir.name == "corpus-index"
