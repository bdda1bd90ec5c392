"""Write reports/corpus.md: documents per gazette, clauses per document type, clause length distribution."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from index.models import Corpus

COMMAND = "gongbao report-corpus"


def _percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def render(corpus: Corpus) -> str:
    """The corpus report as markdown."""
    out = ["# Corpus report", "", f"Made by `{COMMAND}` from the parsed corpus.", ""]
    out += ["## Documents per gazette", "", "| file | issue | documents | attachments | chunks |"]
    out.append("|---|---|---|---|---|")
    for g in corpus.gazettes:
        att = sum(1 for d in g.documents if d.parent_id)
        out.append(f"| {g.gazette.source_file} | {g.gazette.label} | {len(g.documents)} | {att} | {len(g.chunks)} |")
    out.append(f"| **total** | | {len(corpus.documents)} | | {len(corpus.chunks)} |")
    doc_type = {d.doc_id: d.doc_type for d in corpus.documents}
    by_type: Counter[str] = Counter()
    rows_by_type: Counter[str] = Counter()
    for c in corpus.chunks:
        (rows_by_type if c.kind == "table_row" else by_type)[doc_type[c.doc_id]] += 1
    out += ["", "## Chunks per document type", "", "| type | clauses | table rows |", "|---|---|---|"]
    for t in sorted(set(by_type) | set(rows_by_type), key=lambda t: -(by_type[t] + rows_by_type[t])):
        out.append(f"| {t} | {by_type[t]} | {rows_by_type[t]} |")
    out += ["", "## Chunk length (characters)", "", "| kind | n | min | p50 | mean | p90 | p99 | max | split parts |"]
    out.append("|---|---|---|---|---|---|---|---|---|")
    for kind in ("clause", "table_row"):
        lengths = [len(c.text) for c in corpus.chunks if c.kind == kind]
        parts = sum(1 for c in corpus.chunks if c.kind == kind and c.parts > 1)
        if lengths:
            out.append(
                f"| {kind} | {len(lengths)} | {min(lengths)} | {_percentile(lengths, 0.5)} | "
                f"{statistics.mean(lengths):.0f} | {_percentile(lengths, 0.9)} | {_percentile(lengths, 0.99)} | "
                f"{max(lengths)} | {parts} |"
            )
    buckets = [50, 100, 200, 400, 600, 10**9]
    lengths = [len(c.text) for c in corpus.chunks]
    out += ["", "| length ≤ | chunks |", "|---|---|"]
    low = 0
    for b in buckets:
        n = sum(1 for x in lengths if low < x <= b)
        out.append(f"| {b if b < 10**9 else '∞'} | {n} |")
        low = b
    if corpus.problems:
        out += ["", "## Files skipped", ""] + [f"- {p.file}: {p.message}" for p in corpus.problems]
    return "\n".join(out) + "\n"


def write(corpus: Corpus, path: Path) -> Path:
    """Write the report to `path` (directories created) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(corpus), encoding="utf-8")
    return path
