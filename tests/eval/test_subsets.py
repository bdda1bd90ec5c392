"""Dev answers per type and subset: the fresh items (ids `f-`, `h-`) are told from the original ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import subsets
from eval.subsets import render, subset, table


def _row(item_id: str, kind: str, recall: float | None, answerable: bool = True) -> dict:
    return {
        "id": item_id, "type": kind, "answerable": answerable, "gold": "金额", "text": "答", "recall": recall,
        "precision": 1.0, "opening_recall": None, "length_ratio": 1.0, "latency_ms": 1.0,
    }  # fmt: skip


def test_fresh_items_are_a_subset_of_their_own() -> None:
    ids = ("f-001", "h-001", "k-001", "m-001", "n-001", "p-001", "q-001", "r-001", "s-001", "u-001")
    ids += ("w-001", "x-001", "y-001", "z-001", "g20-001", "gtk-001")
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
        "fresh14",
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


def _no_dev_run() -> list[dict]:
    raise AssertionError("the dev run started")


def test_help_explains_and_runs_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # `--help` once ran the whole dev eval and wrote its rows to a file named `--help`
    monkeypatch.setattr(subsets, "run", _no_dev_run)
    with pytest.raises(SystemExit) as stop:
        subsets.main(["--help"])
    assert stop.value.code == 0
    said = capsys.readouterr().out
    assert "usage: python -m eval.subsets" in said and "--compare" in said and "OUT.json" in said


@pytest.mark.parametrize(
    "argv",
    [["--out", "x.json"], ["a.json", "b.json"], ["a.json", "--compare"], ["a.json", "b.json", "c.json", "--compare"]],
)
def test_a_command_line_it_cannot_read_stops_before_the_dev_run(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setattr(subsets, "run", _no_dev_run)
    with pytest.raises(SystemExit) as stop:
        subsets.main(argv)
    assert stop.value.code == 2


def test_a_missing_folder_for_the_rows_stops_before_the_dev_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(subsets, "run", _no_dev_run)
    with pytest.raises(SystemExit) as stop:
        subsets.main([str(tmp_path / "missing" / "out.json")])
    assert stop.value.code == 2


def test_a_run_writes_its_rows_and_compare_reads_two(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [_row("f-1", "fact", 1.0), _row("g-1", "fact", 0.0)]
    monkeypatch.setattr(subsets, "run", lambda: rows)
    out = tmp_path / "after.json"
    subsets.main([str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == rows
    assert "| fact | fresh | 1 | 1.000 → 1.000 |" in capsys.readouterr().out
    before = tmp_path / "before.json"
    before.write_text(json.dumps([_row("f-1", "fact", 0.5), rows[1]]), encoding="utf-8")
    monkeypatch.setattr(subsets, "run", _no_dev_run)
    subsets.main([str(before), str(out), "--compare"])
    assert "| fact | fresh | 1 | 0.500 → 1.000 |" in capsys.readouterr().out
