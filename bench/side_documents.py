"""How many comparison sides of the dev questions resolve to documents (`Retriever.side_documents`) on a corpus:
whether a benchmark corpus takes the per-document side path a real corpus takes (review8 PF2). Parses the corpus
in memory (no index, no embedder); leaves fresh6 (ids ``p-``, the held-out check set) out.

Run: ``python -m bench.side_documents CORPUS_DIR``
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from eval.runner import load_items
from index.parser import parse_corpus
from rag.config import RetrieverConfig
from rag.question import as_question
from rag.retriever import Retriever
from rag.settings import PROJECT_ROOT


def count(corpus_dir: Path, gold: Path = PROJECT_ROOT / "eval" / "gold" / "dev") -> dict[str, int]:
    """Sides that name one document, several (a notice and its plans), none; and the chunks parsed."""
    corpus = parse_corpus(corpus_dir)
    # side_documents reads only the store's corpus and the config: no index is needed to resolve names
    reader: Any = SimpleNamespace(store=SimpleNamespace(corpus=corpus), config=RetrieverConfig())
    sides: Counter[str] = Counter()
    for item in load_items(gold):
        if str(item.get("id", "")).startswith("p-"):
            continue
        question = as_question(item["question"])
        if not question.sides:
            continue
        for docs in Retriever.side_documents(reader, question, Retriever.named(reader, question)):
            sides["one" if len(docs) == 1 else "several" if docs else "none"] += 1
    return {"chunks": len(corpus.chunks), **sides}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    print(count(parser.parse_args(argv).corpus))


if __name__ == "__main__":
    main()
