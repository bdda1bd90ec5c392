"""`gongbao show` and `gongbao build` go through the service (rag.read_corpus, rag.cite, rag.build): they see the
corpus the service serves, so a withdrawn document is neither shown nor indexed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from index.models import Corpus
from index.parser import corpus_files
from index.store import Manifest
from index.uploads import write_removed
from rag.settings import get_settings
from tests.conftest import CORPUS_DIR

runner = CliRunner()
WITHDRAWN = "青政办〔2020〕64号"


@pytest.fixture()
def withdrawn(corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    """A copy of the bundled corpus with every document of WITHDRAWN withdrawn; yields it and its chunks left."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in corpus_files(CORPUS_DIR):
        shutil.copy(path, folder / path.name)
    gone = {d.doc_id for d in corpus.documents if d.doc_number == WITHDRAWN}
    assert gone
    write_removed(folder, gone)
    monkeypatch.setenv("GONGBAO_CORPUS_DIR", str(folder))
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(tmp_path / "index"))
    get_settings.cache_clear()
    yield tmp_path, sum(c.doc_id not in gone for c in corpus.chunks)
    get_settings.cache_clear()


def test_show_leaves_out_a_withdrawn_document(withdrawn: tuple[Path, int]) -> None:
    shown = runner.invoke(app, ["show", "青政办〔2022〕30号"])
    assert shown.exit_code == 0, shown.output
    gone = runner.invoke(app, ["show", WITHDRAWN, "第八条"])
    assert gone.exit_code == 1 and "Not found" in gone.output


def test_build_indexes_the_served_corpus(withdrawn: tuple[Path, int], built: tuple[Path, Manifest]) -> None:
    root, served_chunks = withdrawn
    shutil.copytree(built[0], root / "index")  # its vectors: nothing new to embed
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.output
    assert f": {served_chunks} chunks" in "".join(result.output.split("\n"))
    assert served_chunks < built[1].chunk_count
