"""Same hits before and after a speed change: every dev question's top-10 search results, recorded and compared.

Run: ``HF_HUB_OFFLINE=1 python -m bench.same_hits --corpus CORPUS --index INDEX --out before.json`` on the code
before the change, then ``... --out after.json --against before.json`` on the code after it: the second run lists
every question whose top-10 chunk ids (in order) or scores (to 1e-6) differ, and exits 1 if any does. A speed
change must leave this list empty (reports/scale.md).

The questions are every item of `eval/gold/dev` (both subsets); `search` runs with k=10, no filters, plus one
filtered search per question (the question's own year, when it names one) so that the filtered path is compared
too.

Both runs use PYTHONHASHSEED=0 (the tool restarts itself with it): some orders follow a set of strings' iteration
order, which the hash seed changes from one process to the next (on main at aa8ba82, dev question f-193's four
document cards, all scored 1.0, came in another order under one seed of three), so two runs with different seeds
can differ without any code change.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rag.settings import PROJECT_ROOT

K = 10


def _questions(gold: Path) -> list[tuple[str, str]]:
    from eval.runner import load_items

    return [(str(i["id"]), str(i["question"])) for i in load_items(gold)]


def record(service: Any, questions: list[tuple[str, str]]) -> dict[str, Any]:
    """Question id → its top-K (chunk id, score) list, unfiltered and filtered by the first year it names."""
    from rag.question import as_question

    out: dict[str, Any] = {}
    for qid, text in questions:
        hits = service.search(text, k=K)
        row: dict[str, Any] = {"all": [[h.chunk_id, round(h.score, 6)] for h in hits]}
        years = sorted(as_question(text).years)
        if years:
            filtered = service.search(text, k=K, filters={"year": years[0]})
            row["year"] = [[h.chunk_id, round(h.score, 6)] for h in filtered]
        out[qid] = row
    return out


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per question (and search) whose ids differ in order or whose scores differ by more than 1e-6."""
    lines = []
    for qid in sorted(set(before) | set(after)):
        b, a = before.get(qid, {}), after.get(qid, {})
        for kind in sorted(set(b) | set(a)):
            old, new = b.get(kind, []), a.get(kind, [])
            ids_old, ids_new = [c for c, _ in old], [c for c, _ in new]
            if ids_old != ids_new:
                lines.append(f"{qid} [{kind}]: ids {ids_old} -> {ids_new}")
            elif any(abs(x - y) > 1e-6 for (_, x), (_, y) in zip(old, new, strict=True)):
                lines.append(f"{qid} [{kind}]: scores {[s for _, s in old]} -> {[s for _, s in new]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--gold", type=Path, default=PROJECT_ROOT / "eval" / "gold" / "dev")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--against", type=Path, default=None, help="an earlier --out to compare with")
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":
        argv = sys.argv[1:] if argv is None else argv
        os.execve(
            sys.executable, [sys.executable, "-m", "bench.same_hits", *argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )
    import rag
    from rag.settings import Settings

    service = rag.load(Settings(corpus_dir=args.corpus, index_dir=args.index))
    questions = _questions(args.gold)
    result = record(service, questions)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    searches = sum(len(v) for v in result.values())
    print(f"{len(questions)} questions, {searches} searches recorded in {args.out}")
    if args.against is None:
        return 0
    diff = differences(json.loads(args.against.read_text(encoding="utf-8")), result)
    for line in diff:
        print(line)
    print(f"{len(diff)} searches differ from {args.against}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
