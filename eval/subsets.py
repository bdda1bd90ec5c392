"""Dev answers per question type and per subset: the original items, `fresh.jsonl` (ids `f-`), `fresh2.jsonl` (`h-`),
`fresh3.jsonl` (`k-`), `fresh4.jsonl` (`m-`),
`fresh5.jsonl` (`n-`), `fresh6.jsonl` (`p-`), `fresh7.jsonl` (`q-`), `fresh8.jsonl` (`r-`), `fresh9.jsonl` (`s-`),
`fresh10.jsonl` (`u-`), `fresh11.jsonl` (`w-`),
`fresh12.jsonl` (`x-`), `fresh13.jsonl` (`y-`) and `fresh14.jsonl` (`z-`).

A change should hold on every subset, not on the total only (an improvement on one and a loss on another is
overfitting): each was written by a different person, the fresh ones without reading the code.
Dev only: a held-out split's items are never read here.

    python -m eval.subsets [OUT.json]      # per-item rows to OUT.json (optional), the table on stdout
    python -m eval.subsets before.json after.json --compare    # the two runs' tables side by side
    python -m eval.subsets --help

The base runs compared against are made with `PYTHONHASHSEED=0 HF_HUB_OFFLINE=1` (a fixed hash seed, no model
download): make the other run the same way.
"""

from __future__ import annotations

import argparse
import json
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
    "z-": "fresh14",
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
    `fresh11` (`w-…`), `fresh12` (`x-…`), `fresh13` (`y-…`), `fresh14` (`z-…`), each written independently, or
    `orig`."""
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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: an optional file for the per-item rows, or two such files and `--compare`. Anything else
    (an option it does not know, a third file, an OUT whose folder is missing) stops here, before the dev run."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.subsets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="JSON",
        help="without --compare: at most one, OUT.json, where the per-item rows of the dev run are written "
        "(optional; the table goes to stdout either way); with --compare: the before and the after run's rows",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="run nothing: print the table of two runs' per-item rows (before.json after.json) side by side",
    )
    args = parser.parse_args(argv)
    if args.compare and len(args.files) != 2:
        parser.error("--compare takes two files: before.json after.json")
    if not args.compare and len(args.files) > 1:
        parser.error("a dev run writes one file (OUT.json); to compare two runs add --compare")
    if not args.compare and args.files and not args.files[0].parent.is_dir():
        parser.error(f"no folder {args.files[0].parent} for {args.files[0]}")  # not found out after the whole run
    return args


def main(argv: list[str] | None = None) -> None:
    """Run dev and print its table (rows to OUT.json when given), or compare two runs (`--compare`)."""
    args = parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.files)
        print(render(table(before), table(after)))
        return
    rows = run()
    if args.files:
        args.files[0].write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    t = table(rows)
    print(render(t, t))


if __name__ == "__main__":
    main()
