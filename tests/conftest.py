"""Shared fixtures: the real bundled corpus, parsed once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.models import Corpus
from index.parser import parse_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    parsed = parse_corpus(CORPUS_DIR)
    assert not parsed.problems, parsed.problems
    return parsed
