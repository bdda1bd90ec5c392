"""What `index.names.names_in` says about every dev question on a corpus, and how long it takes: to show that a
change to naming gives the same documents (record before and after, then compare) and what it costs per call.

For each dev item: the naming of its question (`Retriever.named`, as `Retriever.resolve` reads it after
`Question.read`) and the documents each comparison side names (`Retriever.side_documents`). Outputs are stored as a
digest per item id, so the held-out items' results are compared without being printed; only ids outside fresh7
(``q-``) are listed when they differ. Timing: every question's `names_in` call (its normalised text and years,
warm: the title tables built first), `--repeat` times, with the load average beside it.

Run (CORPUS is a corpus folder, parsed in memory, or an index folder holding ``corpus.sqlite``, opened read-only):
    ``python -m bench.names_compare record CORPUS OUT.json [--repeat 3] [--profile]``
    ``python -m bench.names_compare compare BEFORE.json AFTER.json``
Before a change, run the recording with the old code first on the path (``PYTHONPATH=/work/main``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from eval.runner import load_items
from index.corpus_store import CORPUS_DB, StoredCorpus
from index.models import Corpus
from index.names import _GAP, _QUOTED, NAMING_TOKENS, _candidates, _titles, _tokens, names_in
from index.parser import parse_corpus
from index.text import DOC_NUMBER, norm
from rag.config import RetrieverConfig
from rag.question import Question
from rag.retriever import Retriever
from rag.settings import PROJECT_ROOT

HELD_OUT = "q-"  # fresh7: compared by digest, never printed


def open_corpus(path: Path) -> Corpus:
    """An index folder's stored corpus (read-only), or a corpus folder parsed in memory."""
    if (path / CORPUS_DB).exists():
        return StoredCorpus.open(path / CORPUS_DB)
    return parse_corpus(path)


def candidates(corpus: Corpus, texts: list[str]) -> dict[str, int]:
    """Titles examined for abbreviations over the questions (one call each): main's first cut alone (`prune=False`)
    and with the exact second cut, as `names_in` reads the text (文号 and 《》 titles cut out first)."""
    cfg = RetrieverConfig()
    titles = _titles(corpus)
    counts = {"first_cut": 0, "both_cuts": 0}
    for text in texts:
        q = _QUOTED.sub(_GAP, DOC_NUMBER.sub(_GAP, norm(text)))
        query = _tokens(q)[:NAMING_TOKENS]
        for key, prune in (("first_cut", False), ("both_cuts", True)):
            counts[key] += len(_candidates(titles, query, cfg.name_weight, cfg.typed_name_weight, prune))
    return counts


def record(corpus_path: Path, out: Path, repeat: int, profile: bool, gold: Path) -> dict[str, Any]:
    """Every dev item's naming digest and the time per `names_in` call; written to `out` as JSON."""
    corpus = open_corpus(corpus_path)
    cfg = RetrieverConfig()
    reader: Any = SimpleNamespace(store=SimpleNamespace(corpus=corpus), config=cfg)
    items = load_items(gold)
    questions = [(str(it.get("id", "")), Question.read(it["question"])) for it in items]
    started = time.perf_counter()
    names_in(corpus, "", cfg.name_weight, cfg.typed_name_weight)  # the title tables, built once per corpus
    build_s = time.perf_counter() - started
    digests: dict[str, str] = {}
    for item_id, q in questions:
        named = Retriever.named(reader, q)
        sides = Retriever.side_documents(reader, q, named) if q.sides else []
        said = repr(([(n.words, n.doc_ids, n.how, round(n.weight, 9)) for n in named], sides))
        digests[item_id] = hashlib.sha256(said.encode()).hexdigest()
    calls = [(q.normalised, q.years) for _, q in questions]
    examined = candidates(corpus, [text for text, _ in calls])
    profiler = None
    if profile:
        from pyinstrument import Profiler  # a development tool, imported only when asked for

        profiler = Profiler()
        profiler.start()
    load_before = os.getloadavg()
    started = time.perf_counter()
    for _ in range(repeat):
        for text, years in calls:
            names_in(corpus, text, cfg.name_weight, cfg.typed_name_weight, years)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    result = {
        "corpus": str(corpus_path),
        "documents": len(corpus.documents),
        "items": len(digests),
        "title_tables_s": round(build_s, 3),
        "calls": len(calls) * repeat,
        "ms_per_call": round(1000 * elapsed / (len(calls) * repeat), 4),
        "load_1min": [round(load_before[0], 2), round(load_after[0], 2)],
        "candidate_titles": examined,
        "digests": digests,
    }
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return result


def compare(before: Path, after: Path) -> list[str]:
    """Item ids whose naming differs (held-out ids counted, not named)."""
    a = json.loads(before.read_text(encoding="utf-8"))["digests"]
    b = json.loads(after.read_text(encoding="utf-8"))["digests"]
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("corpus", type=Path)
    rec.add_argument("out", type=Path)
    rec.add_argument("--repeat", type=int, default=3)
    rec.add_argument("--profile", action="store_true")
    rec.add_argument("--gold", type=Path, default=PROJECT_ROOT / "eval" / "gold" / "dev")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        result = record(args.corpus, args.out, args.repeat, args.profile, args.gold)
        print({k: v for k, v in result.items() if k != "digests"})
    else:
        differing = compare(args.before, args.after)
        held = sum(k.startswith(HELD_OUT) for k in differing)
        shown = [k for k in differing if not k.startswith(HELD_OUT)]
        print(f"items differing: {len(differing)} (held-out fresh7: {held}) {shown}")


if __name__ == "__main__":
    main()
