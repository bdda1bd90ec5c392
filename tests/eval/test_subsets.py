"""Dev answers per type and subset: the fresh items (ids `f-`, `h-`) are told from the original ones."""

from __future__ import annotations

from eval.subsets import render, subset, table


def _row(item_id: str, kind: str, recall: float | None, answerable: bool = True) -> dict:
    return {
        "id": item_id, "type": kind, "answerable": answerable, "gold": "金额", "text": "答", "recall": recall,
        "precision": 1.0, "opening_recall": None, "length_ratio": 1.0, "latency_ms": 1.0,
    }  # fmt: skip


def test_fresh_items_are_a_subset_of_their_own() -> None:
    ids = ("f-001", "h-001", "k-001", "m-001", "n-001", "p-001", "q-001", "r-001", "s-001", "u-001")
    ids += ("w-001", "x-001", "y-001", "g20-001", "gtk-001")
    assert tuple(subset(i) for i in ids) == (
        "fresh",
        "fresh2",
        "fresh3",
        "fresh4",
        "fresh5",
        "fresh6",
        "fresh7",
        "fresh8",
        "fresh9",
        "fresh10",
        "fresh11",
        "fresh12",
        "fresh13",
        "orig",
        "orig",
    )


def test_each_type_is_measured_per_subset_and_in_all() -> None:
    rows = [_row("f-1", "fact", 1.0), _row("g-1", "fact", 0.0), _row("g-2", "fact", 0.5)]
    measured = table(rows)
    assert measured[("fact", "fresh")]["key_fact_recall"] == 1.0
    assert measured[("fact", "orig")]["key_fact_recall"] == 0.25
    assert measured[("ALL", "all")]["n"] == 3
    assert "| fact | fresh | 1 | 1.000 → 1.000 |" in render(measured, measured)
