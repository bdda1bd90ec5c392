"""Shared fixtures: the real bundled corpus, parsed once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import rag
from index.models import Corpus
from index.parser import parse_corpus
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    parsed = parse_corpus(CORPUS_DIR)
    assert not parsed.problems, parsed.problems
    return parsed


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> rag.Gongbao:
    """The full service on the bundled corpus, with a real index built once into a temporary directory."""
    settings = Settings(corpus_dir=CORPUS_DIR, index_dir=tmp_path_factory.mktemp("index") / "index")
    return rag.load(settings)
