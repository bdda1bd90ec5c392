"""Peak memory of building a BM25 index: every text's tokens held as strings (before) or streamed as ids (now).

Run: ``HF_HUB_OFFLINE=1 python -m bench.bm25_memory --index INDEX-1x --copies 20 --way strings`` and again with
``--way ids``, each in a fresh process (peak RSS is per process). Builds the character BM25 index (the larger one)
over the 1× index's indexed texts repeated `copies` times and prints the growth of peak RSS and the seconds.
Prints only: the figures are quoted in reports/scale.md.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    import bm25s

    from index.corpus_store import CORPUS_DB, read_served
    from index.store import _save_bm25, char_tokens, embed_text

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built 1× index folder")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--way", choices=["strings", "ids"], required=True)
    args = parser.parse_args(argv)
    corpus = read_served(args.index / CORPUS_DB)
    docs = {d.doc_id: d for d in corpus.documents}
    texts = [embed_text(c, docs[c.doc_id]) for c in corpus.chunks] * args.copies
    base, started = _peak_mb(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if args.way == "strings":  # as index/store.py built it before: a list of every text's token strings
            model = bm25s.BM25()
            model.index([char_tokens(t) for t in texts], show_progress=False)
            model.save(tmp, show_progress=False)
        else:
            _save_bm25((char_tokens(t) for t in texts), Path(tmp))
    print(
        f"{args.way}: {len(texts)} texts, peak RSS growth {_peak_mb() - base:.0f} MB, "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
