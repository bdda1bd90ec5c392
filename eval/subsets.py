"""Dev answers per question type and per subset: the original items, `fresh.jsonl` (ids `f-`), `fresh2.jsonl` (`h-`),
`fresh3.jsonl` (`k-`), `fresh4.jsonl` (`m-`),
`fresh5.jsonl` (`n-`), `fresh6.jsonl` (`p-`), `fresh7.jsonl` (`q-`), `fresh8.jsonl` (`r-`), `fresh9.jsonl` (`s-`),
`fresh10.jsonl` (`u-`), `fresh11.jsonl` (`w-`),
`fresh12.jsonl` (`x-`) and `fresh13.jsonl` (`y-`).

A change should hold on every subset, not on the total only (an improvement on one and a loss on another is
overfitting): each was written by a different person, the fresh ones without reading the code.
Dev only: a held-out split's items are never read here.

    python -m eval.subsets [OUT.json]      # per-item rows to OUT.json (optional), the table on stdout
    python -m eval.subsets before.json after.json --compare    # the two runs' tables side by side
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from eval.runner import GOLD_DIR, GONGBAO, AnswerResult, InProcess, ItemResult, answer_metrics, load_items, score_answer

SUBSET_PREFIXES = {
    "f-": "fresh",
    "h-": "fresh2",
    "k-": "fresh3",
    "m-": "fresh4",
    "n-": "fresh5",
    "p-": "fresh6",
    "q-": "fresh7",
    "r-": "fresh8",
    "s-": "fresh9",
    "u-": "fresh10",
    "w-": "fresh11",
    "x-": "fresh12",
    "y-": "fresh13",
}
COLUMNS = (
    "key_fact_recall",
    "citation_precision",
    "false_refusal_rate",
    "refusal_accuracy",
    "opening_holds_figure",
    "length_ratio_p50",
)


def subset(item_id: str) -> str:
    """The subset of a dev item: `fresh` (ids `f-…`), `fresh2` (`h-…`), `fresh3` (`k-…`), `fresh4` (`m-…`),
    `fresh5` (`n-…`), `fresh6` (`p-…`), `fresh7` (`q-…`), `fresh8` (`r-…`), `fresh9` (`s-…`), `fresh10` (`u-…`),
    `fresh11` (`w-…`), `fresh12` (`x-…`), `fresh13` (`y-…`), each written independently, or `orig`."""
    return next((name for prefix, name in SUBSET_PREFIXES.items() if item_id.startswith(prefix)), "orig")


def run(gold_dir: Path = GOLD_DIR / "dev") -> list[dict[str, Any]]:
    """Every non-validity dev item asked in process, with its scores (as `gongbao eval` scores them)."""
    target = InProcess()
    rows = []
    for item in load_items(gold_dir):
        if item["type"] == "validity":
            continue
        started = time.perf_counter()
        answer = target.ask(item["question"])
        scored = score_answer(item, answer, (time.perf_counter() - started) * 1000, target.chunk_text)
        rows.append(
            {
                "id": item["id"],
                "type": item["type"],
                "answerable": answer["answerable"],
                "gold": item["answer"],
                "text": answer["text"],
                "recall": scored.fact_recall,
                "precision": scored.citation_precision,
                "opening_recall": scored.opening_recall,
                "length_ratio": scored.length_ratio,
                "latency_ms": scored.latency_ms,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, float]]:
    """(type, subset) → the answer metrics of those rows; type `ALL` and subset `all` aggregate."""
    groups: dict[tuple[str, str], list[ItemResult]] = defaultdict(list)
    for row in rows:
        result = ItemResult({"type": row["type"], "answer": row["gold"]})
        result.answers[GONGBAO] = AnswerResult(
            answer={"answerable": row["answerable"], "text": row["text"]},
            latency_ms=row["latency_ms"],
            fact_recall=row["recall"],
            citation_precision=row["precision"],
            opening_recall=row["opening_recall"],
            length_ratio=row["length_ratio"],
        )
        part = subset(row["id"])
        for key in ((row["type"], part), (row["type"], "all"), ("ALL", part), ("ALL", "all")):
            groups[key].append(result)
    return {key: {"n": len(rs), **answer_metrics(rs)} for key, rs in groups.items()}


def render(before: dict[tuple[str, str], dict[str, float]], after: dict[tuple[str, str], dict[str, float]]) -> str:
    """A markdown table of two runs per type and subset (before → after)."""
    lines = ["| type | subset | n | " + " | ".join(COLUMNS) + " |", "|---|---|---|" + "---|" * len(COLUMNS)]
    for key in sorted(after, key=lambda k: (k[0] == "ALL", k[0], k[1])):
        b, a = before.get(key, {}), after[key]
        cells = [f"{b[c]:.3f} → {a[c]:.3f}" if c in a and c in b else "" for c in COLUMNS]
        lines.append(f"| {key[0]} | {key[1]} | {int(a['n'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if "--compare" in argv:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[:2])
        print(render(table(before), table(after)))
        return
    rows = run()
    if argv:
        Path(argv[0]).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    t = table(rows)
    print(render(t, t))


if __name__ == "__main__":
    main(sys.argv[1:])
