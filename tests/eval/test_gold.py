"""The gold set is well-formed: fields, unique ids, verbatim evidence, honest unanswerable items."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import CORPUS_DIR, ROOT

GOLD_DIR = ROOT / "eval" / "gold"
FIELDS = {"id", "question", "answer", "doc_title", "doc_number", "section", "evidence", "type", "difficulty", "file"}
TYPES = {"fact", "responsible", "list", "definition", "multi_clause", "multi_doc", "citation", "unanswerable"}


def _items() -> list[dict]:  # type: ignore[type-arg]
    items = []
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append(json.loads(line))
    return items


ITEMS = _items()
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in CORPUS_DIR.glob("*.txt")}


def test_size_and_spread() -> None:
    assert len(ITEMS) >= 250
    per_file = Counter(i["file"] for i in ITEMS)
    assert set(per_file) == set(TEXTS) and min(per_file.values()) >= 40
    types = Counter(i["type"] for i in ITEMS)
    assert set(types) == TYPES
    assert 0.30 <= types["fact"] / len(ITEMS) <= 0.40
    assert 0.08 <= types["unanswerable"] / len(ITEMS) <= 0.12


def test_ids_unique_and_fields_present() -> None:
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids))
    for item in ITEMS:
        assert set(item) >= FIELDS, item["id"]
        assert item["type"] in TYPES and item["difficulty"] in {"easy", "medium", "hard"}
        assert item["question"].strip() and item["answer"].strip()
        assert isinstance(item["section"], list)


@pytest.mark.parametrize("item", [i for i in ITEMS if i["type"] != "unanswerable"], ids=lambda i: i["id"])
def test_evidence_is_verbatim(item: dict) -> None:  # type: ignore[type-arg]
    assert 1 <= len(item["evidence"]) <= 3
    for evidence in item["evidence"]:
        assert evidence in TEXTS[item["file"]], evidence
        assert "\n" not in evidence


def test_unanswerable_items_say_so_and_cite_nothing() -> None:
    for item in (i for i in ITEMS if i["type"] == "unanswerable"):
        assert item["evidence"] == [] and item["doc_title"] is None
        assert "未找到" in item["answer"]
