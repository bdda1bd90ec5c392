"""The `gongbao` command line on the real corpus and the session's index."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from index.store import Manifest
from rag.settings import get_settings
from tests.conftest import CORPUS_DIR

runner = CliRunner()


def _flat(output: str) -> str:
    """Output without the line breaks rich wraps long lines with."""
    return "".join(output.split())


@pytest.fixture()
def env(built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI's settings at the bundled corpus and the session's index."""
    monkeypatch.setenv("GONGBAO_CORPUS_DIR", str(CORPUS_DIR))
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(built[0]))
    monkeypatch.delenv("GONGBAO_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_help_explains_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("parse", "show", "build", "search", "ask", "serve", "eval", "report-corpus"):
        assert command in result.output


@pytest.mark.usefixtures("env")
def test_show_prints_the_clause() -> None:
    result = runner.invoke(app, ["show", "青政办〔2020〕64号", "第八条"])
    assert result.exit_code == 0 and "及时足额办理基建项目资金拨付" in _flat(result.output)
    missing = runner.invoke(app, ["show", "青政办〔2019〕1号"])
    assert missing.exit_code == 1 and "no document matches" in missing.output
    no_clause = runner.invoke(app, ["show", "青政办〔2020〕64号", "第九十九条"])
    assert no_clause.exit_code == 1 and "hasnoclause'第九十九条'" in _flat(no_clause.output)


@pytest.mark.usefixtures("env")
def test_search_json() -> None:
    result = runner.invoke(app, ["search", "稳岗返还比例", "-k", "3", "--json"])
    assert result.exit_code == 0
    hits = json.loads(result.stdout[result.stdout.index("{") :])["hits"]
    assert len(hits) == 3 and any("90%" in h["text"] for h in hits)


@pytest.mark.usefixtures("env")
def test_ask_prints_answer_citations_and_clear_errors() -> None:
    result = runner.invoke(app, ["ask", "2022年助企纾困十条里稳岗返还比例提高到多少？"])
    assert result.exit_code == 0 and "90%" in result.output and "青政办〔2022〕30号" in _flat(result.output)
    llm = runner.invoke(app, ["ask", "盐湖", "--mode", "llm"])
    assert llm.exit_code == 2 and "GONGBAO_LLM_BASE_URL" in _flat(llm.output) and "Traceback" not in llm.output


def test_build_into_a_user_folder_is_refused_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: None
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(folder))
    get_settings.cache_clear()
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 2 and "notagongbaoindex" in _flat(result.output), result.output
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "mine" and "Traceback" not in result.output


def test_index_dir_equal_to_corpus_dir_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: None) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    before = sorted(p.name for p in corpus.iterdir())
    monkeypatch.setenv("GONGBAO_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(corpus))
    get_settings.cache_clear()
    for command in (["build"], ["search", "盐湖"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and "overlap" in _flat(result.output), result.output
    assert sorted(p.name for p in corpus.iterdir()) == before


@pytest.mark.usefixtures("env")
def test_search_json_carries_the_validity_status_and_as_of() -> None:
    def statuses(*extra: str) -> dict[str, str | None]:
        result = runner.invoke(app, ["search", "稳岗返还比例", "-k", "5", "--json", *extra])
        assert result.exit_code == 0, result.output
        hits = json.loads(result.stdout[result.stdout.index("{") :])["hits"]
        return {h["doc_id"]: h["status"] for h in hits}

    assert statuses("--as-of", "2026-01-01")["2022-09-5435ac"] == "expired"  # 有效期至2022年12月31日
    assert statuses("--as-of", "2022-06-01")["2022-09-5435ac"] == "in_force"
    assert "2022-09-5435ac" not in statuses("--as-of", "2026-01-01", "--in-force-only")
    bad = runner.invoke(app, ["search", "稳岗返还比例", "--as-of", "2022-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in _flat(bad.output) and "Traceback" not in bad.output
