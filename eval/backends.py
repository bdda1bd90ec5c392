"""`gongbao eval --backends faiss,milvus`: the gold-set evaluation on each vector store in one run, side by side.

The FAISS side is the configured index (GONGBAO_INDEX_DIR, built if needed); the Milvus side is that same index
moved into Milvus by `gongbao migrate` (same vectors, same corpus), at GONGBAO_MILVUS_URI unless `milvus_uri` is
given. Both are measured on every split with the same items; only aggregates are reported (a held-out split's
items are written nowhere), plus how often the two stores put the same clause first.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import rag
from eval.runner import GOLD_DIR, GONGBAO, SPLITS, K, headline, load_items, run_splits
from index.milvus_store import Collections, connect, migrate_index

BACKENDS = ("faiss", "milvus")
ROWS = (
    ("hit_rate@1", "Hit@1"),
    ("hit_rate@5", "Hit@5"),
    ("mrr@10", "MRR@10"),
    ("key_fact_recall", "key-fact recall"),
    ("citation_precision", "citation precision"),
    ("refusal_accuracy", "refusal accuracy"),
    ("false_refusal_rate", "false refusals"),
    ("opening_holds_figure", "opening states the figure"),
    ("length_ratio_p50", "answer length ÷ gold (median)"),
    ("latency_p50_ms", "answer p50 ms"),
    ("latency_p95_ms", "answer p95 ms"),
)


def _agreement(services: dict[str, rag.Gongbao], gold_root: Path, split: str) -> dict[str, float]:
    """Over a split's questions: share whose first hit is the same clause on both stores, mean top-K overlap."""
    questions = [i["question"] for i in load_items(gold_root / split)]
    faiss, milvus = services["faiss"], services["milvus"]
    same_first = 0
    overlap = 0.0
    for q in questions:
        a = [h.chunk_id for h in faiss.search(q, k=K)]
        b = [h.chunk_id for h in milvus.search(q, k=K)]
        same_first += a[:1] == b[:1]
        overlap += len(set(a) & set(b)) / max(1, len(a))
    n = max(1, len(questions))
    return {"items": len(questions), "same_first": same_first / n, "overlap_at_k": overlap / n}


def compare_backends(
    settings: rag.Settings | None = None,
    milvus_uri: str | None = None,
    gold_root: Path = GOLD_DIR,
    splits: tuple[str, ...] = SPLITS,
) -> dict[str, Any]:
    """Both stores over the gold splits; {"backends": {name: {split: headline}}, "agreement", "migrate_seconds"}."""
    settings = settings or rag.get_settings()
    faiss = rag.load(settings.model_copy(update={"vector_store": "faiss"}))
    uri = milvus_uri or settings.milvus_uri
    names = Collections(settings.milvus_collection)
    started = time.perf_counter()
    migrate_index(settings.index_dir, connect(uri), names, replace=True)
    migrate_seconds = time.perf_counter() - started
    milvus_settings = settings.model_copy(update={"vector_store": "milvus", "milvus_uri": uri})
    milvus = rag.load(milvus_settings, embedder=faiss.retriever.embedder, sync=False)
    services = {"faiss": faiss, "milvus": milvus}
    data: dict[str, Any] = {"backends": {}, "items": {}, "agreement": {}, "migrate_seconds": round(migrate_seconds, 1)}
    for name, service in services.items():
        service.warm_up()
        result = run_splits(gold_root=gold_root, splits=splits, baselines=False, service=service)
        data["backends"][name] = {s: headline(result["splits"][s]) for s in splits}
        data["items"] = {s: result["splits"][s]["items"] for s in splits}
        del result  # per-item rows are not kept (a held-out split's items are reported as aggregates only)
    for split in splits:
        data["agreement"][split] = _agreement(services, gold_root, split)
    data["milvus_uri"] = uri
    return data


def render(data: dict[str, Any], command: str) -> str:
    """reports/milvus.md: the two stores side by side per split, the difference, and what it amounts to in items."""
    lines = [
        "# gongbao on each vector store: FAISS + BM25 (embedded) and Milvus (Lite)",
        "",
        f"Made by `{command}` on this project's 2-core machine (shared with other jobs while it ran). The Milvus side",
        f"is the same FAISS index moved into Milvus Lite by `gongbao migrate` ({data['migrate_seconds']} s, nothing",
        "re-embedded): same vectors, same corpus, same retriever and answerer; what differs is the engine —",
        "Milvus's own BM25 (its jieba analyzer in search mode, its own IDF) instead of bm25s with the corpus's user",
        "dictionary, and Milvus's dense search instead of FAISS. Extractive mode. Aggregates only.",
        "",
    ]
    for split, items in data["items"].items():
        lines += [
            f"## {split} ({items} items)",
            "",
            "| metric | faiss | milvus | difference | ≈ items |",
            "|---|---|---|---|---|",
        ]
        faiss, milvus = data["backends"]["faiss"][split], data["backends"]["milvus"][split]
        for key, label in ROWS:
            if key not in faiss or key not in milvus:
                continue
            a, b = faiss[key], milvus[key]
            diff = b - a
            items_diff = "" if key.endswith("_ms") or key.startswith("length") else f"{abs(diff) * items:.1f}"
            lines.append(f"| {label} | {a:.3f} | {b:.3f} | {diff:+.3f} | {items_diff} |")
        agree = data["agreement"][split]
        lines += [
            "",
            f"Same first clause on both stores: {agree['same_first']:.3f} of the questions; mean overlap of the top "
            f"{K}: {agree['overlap_at_k']:.3f}.",
            "",
        ]
    lines += [
        "`≈ items` is the difference times the split's item count: how many items it amounts to (for a mean over",
        "answerable or unanswerable items only, it overstates slightly). Latency is `ask` in process: Milvus Lite is",
        "a Python engine reached over a local gRPC channel (three searches per question, each a round trip), the",
        "test engine rather than the production one; see reports/scale_milvus.md.",
        "",
    ]
    return "\n".join(lines)


def write(data: dict[str, Any], path: Path, command: str) -> Path:
    """Write the report; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data, command), encoding="utf-8")
    return path


__all__ = ["BACKENDS", "GONGBAO", "compare_backends", "render", "write"]
