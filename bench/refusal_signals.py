"""Do retrieval-confidence signals tell the unanswerable dev questions apart from the answerable ones?

Issue #12 asks to replace the overlap gate with a retrieval-confidence signal. Before fitting one, this measures,
on the dev questions that pass today's refusal checks (the only ones a new signal could still refuse), how well each
candidate signal ranks the unanswerable ones below the answerable ones (AUC: 0.5 is chance), and what its best
threshold would cost: the answerable questions refused per unanswerable one caught.

Signals (each from the hits `ask` hands the extractive answerer, per question):
- `best_sentence`: the best single sentence's (with its heading path and title) share of the question's content
  bigrams, each weighted by its rarity in the corpus (IDF over the served chunks);
- `best_clause`: the same over a whole clause; `pooled`: over all clauses read together;
- `top_score`, `margin`: the fused retrieval score of the first hit, and its lead over the second;
- `dense_value`: for a question asking a figure or a time, the best cosine between the question's embedding and a
  sentence stating a value of the asked type with the asked years (`rag.refusal.supports`), by the served embedder.

Fit set: orig, fresh and fresh2; fresh3 is the check set, so only its counts are printed, never its items.

    PYTHONHASHSEED=0 HF_HUB_OFFLINE=1 python -m bench.refusal_signals
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import rag
import rag.service as service_module
from eval.runner import GOLD_DIR, load_items
from eval.subsets import subset
from rag.cards import CardQuote, card_quote
from rag.evidence import Clause
from rag.lexicon import STATED_FAMILY, key_bigrams
from rag.question import Question
from rag.refusal import _typed, refusal_reason, supports

CHECK_SET = "fresh3"


def capture(service: rag.Gongbao) -> list[dict[str, Any]]:
    """Every non-validity dev item asked; for those answered extractively, the question and clauses it read."""
    seen: dict[str, Any] = {}
    original = service_module.extractive_answer

    def spy(question: Question, hits: Sequence[Clause], started: float | None = None, cfg: Any = None) -> Any:
        seen["last"] = (question, list(hits), cfg)
        return original(question, hits, started, cfg)

    service_module.extractive_answer = spy  # type: ignore[assignment]
    try:
        rows = []
        for item in load_items(GOLD_DIR / "dev"):
            if item["type"] == "validity":
                continue
            seen.pop("last", None)
            answer = service.ask(item["question"])
            rows.append(
                {
                    "id": item["id"],
                    "unanswerable": item["type"] == "unanswerable",
                    "answerable": answer.answerable,
                    "read": seen.get("last"),
                }
            )
        return rows
    finally:
        service_module.extractive_answer = original


def passes_checks(read: tuple[Question, list[Clause], Any]) -> bool:
    """Whether today's checks let the question through (the answerer's own order: card, then refusal)."""
    question, clauses, cfg = read
    card = card_quote(question, clauses, cfg)
    return isinstance(card, CardQuote) or (card is None and refusal_reason(question, clauses, cfg) is None)


def signals(
    read: tuple[Question, list[Clause], Any], idf: Callable[[str], float], cosine: Callable[[str, list[str]], float]
) -> dict[str, float]:
    """The candidate signals of one question's retrieval (see the module docstring)."""
    question, hits, _ = read
    clauses = [c for c in hits if c.kind != "card"] or hits
    wanted = question.bigrams
    total = sum(idf(b) for b in wanted) or 1.0

    def share(held: set[str] | frozenset[str]) -> float:
        return sum(idf(b) for b in wanted & held) / total

    best_sentence = best_clause = 0.0
    pooled: set[str] = set()
    value_sentences: list[str] = []
    kinds = tuple(dict.fromkeys(k for kind, _, _ in question.asked_values for k in STATED_FAMILY[kind]))
    for clause in clauses:
        frame = key_bigrams(clause.doc_title + "".join(clause.section))
        pooled |= clause.context_bigrams
        best_clause = max(best_clause, share(clause.context_bigrams))
        for unit in clause.units:
            best_sentence = max(best_sentence, share(frame | key_bigrams(unit)))
        if _typed(question):
            value_sentences += [
                u
                for u, s in zip(clause.units, supports(question, clause, kinds), strict=True)
                if s.kinds and s.years_held
            ]
    scores = [c.hit.score for c in clauses if hasattr(c.hit, "score")]
    out = {
        "best_sentence": best_sentence,
        "best_clause": best_clause,
        "pooled": share(pooled),
        "top_score": scores[0] if scores else 0.0,
        "margin": scores[0] - scores[1] if len(scores) > 1 else 0.0,
    }
    if _typed(question):
        out["dense_value"] = cosine(question.text, value_sentences) if value_sentences else 0.0
    return out


def auc(unanswerable: list[float], answerable: list[float]) -> float:
    """Probability that an answerable question scores above an unanswerable one (ties half)."""
    pairs = [(a > u) + 0.5 * (a == u) for u in unanswerable for a in answerable]
    return sum(pairs) / len(pairs) if pairs else float("nan")


def cheapest_catch(unanswerable: list[float], answerable: list[float], catch: int) -> int:
    """Answerable questions refused by the lowest threshold that refuses `catch` unanswerable ones (a question is
    refused when its score is at or below the threshold)."""
    if len(unanswerable) < catch:
        return -1
    threshold = sorted(unanswerable)[catch - 1]
    return sum(a <= threshold for a in answerable)


def main() -> None:
    service = rag.load()
    chunks = [c for c in service.chunks if c.kind != "card"]
    titles = {d.doc_id: d.title for d in service.documents}
    df: Counter[str] = Counter()
    for chunk in chunks:
        df.update(key_bigrams(f"{titles.get(chunk.doc_id, '')}{''.join(chunk.section)}{chunk.text}"))

    def idf(bigram: str) -> float:
        return math.log((len(chunks) + 1) / (df.get(bigram, 0) + 0.5))

    embedder = service.retriever.embedder

    def cosine(question: str, sentences: list[str]) -> float:
        q = embedder.encode_queries([question])[0]
        s = embedder.encode_passages(sentences)
        sims = (s @ q) / (np.linalg.norm(s, axis=1) * np.linalg.norm(q) + 1e-9)
        return float(sims.max())

    rows = capture(service)
    fit = [r for r in rows if subset(r["id"]) != CHECK_SET and r["read"] is not None and passes_checks(r["read"])]
    held_out = [r for r in rows if subset(r["id"]) == CHECK_SET and r["read"] is not None and passes_checks(r["read"])]
    features = [(r["unanswerable"], signals(r["read"], idf, cosine)) for r in fit]
    n_un = sum(u for u, _ in features)
    print(f"fit set (orig, fresh, fresh2) passing today's checks: {len(features)} questions, {n_un} unanswerable")
    print(f"check set ({CHECK_SET}) passing today's checks: {len(held_out)} questions (items not read)")
    print("| signal | questions | unanswerable | AUC | answerable refused to catch 1 / 3 / 6 |")
    print("|---|---|---|---|---|")
    for name in ("best_sentence", "best_clause", "pooled", "top_score", "margin", "dense_value"):
        un = [f[name] for u, f in features if u and name in f]
        an = [f[name] for u, f in features if not u and name in f]
        costs = " / ".join(str(cheapest_catch(un, an, k)) for k in (1, 3, 6))
        print(f"| {name} | {len(un) + len(an)} | {len(un)} | {auc(un, an):.3f} | {costs} |")


if __name__ == "__main__":
    main()
