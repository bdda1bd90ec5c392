"""`gongbao ingest PATH...`: gazettes copied into the corpus folder, the index brought up to date."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from index.store import Manifest, load_index
from rag.settings import get_settings
from tests.conftest import CORPUS_DIR, use_embedder

runner = CliRunner()
FILE = "002_80a544ba8699e234.txt"


def _flat(output: str) -> str:
    """Output without whitespace (rich wraps long lines wherever the terminal width falls)."""
    return "".join(output.split())


@pytest.fixture()
def dirs(built: tuple[Path, Manifest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """An empty corpus folder and a copy of the session's index (its vectors are reused for identical text)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copytree(built[0], index)
    monkeypatch.setenv("GONGBAO_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(index))
    get_settings.cache_clear()
    yield corpus, index
    get_settings.cache_clear()


def test_ingest_a_folder_then_again(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index = dirs
    source = tmp_path / "incoming"
    source.mkdir()
    shutil.copy(CORPUS_DIR / FILE, source / FILE)
    result = runner.invoke(app, ["ingest", str(source)])
    assert result.exit_code == 0, result.output
    assert "1filescopied" in _flat(result.output)  # parsed or not: the copied index may already know its bytes
    assert (corpus / FILE).read_bytes() == (CORPUS_DIR / FILE).read_bytes()
    store = load_index(index, use_embedder())
    assert store.manifest.embedded_chunks == 0  # every clause text already had a vector
    assert {c.source.file for c in store.chunks} == {FILE}
    again = runner.invoke(app, ["ingest", str(source / FILE)])
    assert again.exit_code == 0 and "0filescopied" in _flat(again.output) and "0parsed" in _flat(again.output)


def test_ingest_names_a_missing_path(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "nowhere" in result.output
