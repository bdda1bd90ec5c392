"""`gongbao eval`: retrieval and answer quality on the gold set, against baselines, written to reports/.

Systems measured on the same questions in one run:
- gongbao: the service's own search (clause chunks, hybrid fusion, query understanding) and extractive answers;
- BM25 (jieba): BM25 over jieba words on the same clause chunks;
- LangChain default: RecursiveCharacterTextSplitter(500/50) over the raw files, same embedder, FAISS.

A retrieved chunk is relevant when its normalised text contains one of the item's evidence strings (table
evidence: its cells in order). Retrieval metrics come from ranx.

Answers: gongbao answers through its own `ask`; each baseline answers the way its user would without an LLM,
with the same extractive composer (`rag.answer.extractive_answer`) over its own top hits (as many as gongbao
composes from), so the answer metrics compare retrieval + chunking under one composer. Baseline answers are
only computed in process (with `--url` the baselines are not run).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import faiss
import httpx
import numpy as np
from ranx import Qrels, Run, evaluate
from tqdm import tqdm

from eval.relevance import evidence_matches
from index.formats import read_published
from index.models import SourceSpan
from index.parser import corpus_files
from index.text import norm
from rag import ANSWER_K, PROJECT_ROOT, Gongbao, Hit, extractive_answer

GOLD_DIR = PROJECT_ROOT / "eval" / "gold"
# Tune on dev; test was written from the corpus alone, by someone who read neither the answering code nor dev,
# and is frozen: the dev–test gap says how much of the dev score is tuning.
SPLITS = ("dev", "test")
RETRIEVAL_METRICS = ["hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10"]
K = 10
GONGBAO, BM25, LANGCHAIN = "gongbao", "BM25 (jieba)", "LangChain default"
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_PHRASE_SPLIT = re.compile(r"[、，,；;。：:（）()“”《》\s和及与或]+")
_MARKER = re.compile(r"\[\d+\]")
_OPENING_END = re.compile(r"[。！？!?\n]")
# The metrics whose dev–test difference is reported as the gap.
GAP_METRICS = ("key_fact_recall", "citation_precision", "refusal_accuracy", "false_refusal_rate", "hit_rate@1")


@dataclass
class Retrieved:
    """What a system returned for one question: (chunk id, normalised text) best first."""

    ids: list[str]
    texts: list[str]


Universe = list[tuple[str, str]]  # (chunk id, normalised text) of every chunk a system can return


@dataclass
class AnswerResult:
    """One system's answer to one question (an `Answer` as JSON) and how it scored."""

    answer: dict[str, Any]
    latency_ms: float
    fact_recall: float | None = None  # None for unanswerable items: there are no facts to recall
    citation_precision: float | None = None
    opening_recall: float | None = None  # key-fact recall of the opening sentence alone
    length_ratio: float | None = None  # answer characters / gold answer characters


@dataclass
class ItemResult:
    """Per-item outcome for the report: each system's retrieval and answer."""

    item: dict[str, Any]
    retrieved: dict[str, Retrieved] = field(default_factory=dict)
    answers: dict[str, AnswerResult] = field(default_factory=dict)


def load_items(gold_dir: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """All gold items, answerable and not, from every *.jsonl file in `gold_dir`."""
    items = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def key_facts(answer: str) -> list[str]:
    """The gold answer's checkable facts: its numbers, else its key phrases (2–12 characters)."""
    numbers = _NUMBER.findall(answer)
    if numbers:
        return sorted(set(numbers))
    phrases = [p for p in _PHRASE_SPLIT.split(answer) if 2 <= len(p) <= 12]
    return sorted(set(phrases))[:8]


def fact_recall(gold_answer: str, answer_text: str) -> float:
    """Share of the gold answer's key facts that appear in the answer (normalised)."""
    facts = key_facts(gold_answer)
    if not facts:
        return 1.0
    text = norm(answer_text)
    return sum(1 for f in facts if norm(f) in text) / len(facts)


def opening_sentence(answer_text: str) -> str:
    """The answer's first sentence (up to its first 。！？ or line break), without [n] markers."""
    text = _MARKER.sub("", answer_text).strip()
    end = _OPENING_END.search(text)
    return text[: end.end()] if end else text


def answer_chars(answer_text: str) -> int:
    """The answer's length as a reader sees it: characters without [n] markers and whitespace."""
    return len(norm(_MARKER.sub("", answer_text)))


def gold_doc_numbers(item: dict[str, Any]) -> set[str]:
    """Every 文号 a gold item is about: its own, and those of the `documents` a comparison lists."""
    numbers = {item.get("doc_number")} | {d.get("doc_number") for d in item.get("documents") or []}
    return {norm(n) for n in numbers if n}


def _relevant(item: dict[str, Any], text: str) -> bool:
    return any(evidence_matches(e, text) for e in item["evidence"])


def citation_precision(
    item: dict[str, Any], citations: list[dict[str, Any]], chunk_text: Callable[[str], str]
) -> float:
    """Share of cited clauses that hold supporting text: an evidence string or, in the gold document, a key fact.

    A clause cited by a status note (`status_note`: the sentence that ends a cited document's validity, rag.status_note)
    supports the note, not the answer's content, and is not counted.
    """
    citations = [c for c in citations if not c.get("status_note")]
    if not citations:
        return 0.0
    good = 0
    facts = [norm(f) for f in key_facts(item["answer"])]
    numbers = gold_doc_numbers(item)
    for c in citations:
        text = norm(chunk_text(c["chunk_id"]))
        same_doc = bool(c.get("doc_number")) and norm(c["doc_number"]) in numbers
        if _relevant(item, text) or (same_doc and any(f in text for f in facts)):
            good += 1
    return good / len(citations)


# ---------- systems ----------


class InProcess:
    """gongbao itself, run in this process on the built index."""

    def __init__(self, service: Gongbao | None = None) -> None:
        import rag

        self.service = service or rag.load()

    def search(self, question: str) -> Retrieved:
        hits = self.service.search(question, k=K)
        return Retrieved([h.chunk_id for h in hits], [norm(h.text) for h in hits])

    def ask(self, question: str) -> dict[str, Any]:
        return self.service.ask(question).model_dump(mode="json")

    def chunk_text(self, chunk_id: str) -> str:
        chunk = self.service.chunk(chunk_id)
        return chunk.text if chunk else ""


class OverHttp:
    """The same measurements against a running service (`--url`), through its public API only."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=60)
        self.client.get("/healthz").raise_for_status()

    def search(self, question: str) -> Retrieved:
        hits = self.client.post("/v1/search", json={"query": question, "k": K}).json()["hits"]
        return Retrieved([h["chunk_id"] for h in hits], [norm(h["text"]) for h in hits])

    def ask(self, question: str) -> dict[str, Any]:
        body: dict[str, Any] = self.client.post("/v1/ask", json={"question": question}).json()
        body["text"] = body.pop("answer")
        return body

    def chunk_text(self, chunk_id: str) -> str:
        resp = self.client.get(f"/v1/chunks/{chunk_id}")
        return str(resp.json()["text"]) if resp.status_code == 200 else ""


class BM25Baseline:
    """BM25 over jieba words on gongbao's own clause chunks (no dense vectors, no query understanding)."""

    def __init__(self, service: Gongbao) -> None:
        self.service = service
        self.store = service.retriever.store

    def hits(self, question: str) -> list[Hit]:
        """Top-K chunks by BM25, as hits carrying their document's title and 文号 like gongbao's own."""
        out = []
        for rank, (idx, score) in enumerate(self.store.keyword(question, K, "jieba"), 1):
            chunk = self.store.chunks[idx]
            out.append(Hit.of(chunk, self.store.documents[chunk.doc_id], rank, score))
        return out

    def chunk_text(self, chunk_id: str) -> str:
        chunk = self.service.chunk(chunk_id)
        return chunk.text if chunk else ""


class LangChainDefault:
    """The baseline a user would build first: 500/50 character chunks of the raw files, same embedder, FAISS.

    Its chunks know nothing of documents: a hit's title is the file name, it has no 文号 and no heading path —
    which is all its user could cite.
    """

    def __init__(self, corpus_dir: Path, embed_queries: Callable[[list[str]], np.ndarray], embed: Callable) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        # add_start_index only records where each chunk starts (for its source lines); the split is unchanged.
        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50, add_start_index=True)
        self.texts: list[str] = []
        self.sources: list[SourceSpan] = []
        for path in corpus_files(corpus_dir):
            _, raw = read_published(path.read_bytes(), path.name)  # a PDF or web page in the corpus: its text
            for doc in splitter.create_documents([raw]):
                start = doc.metadata["start_index"]
                first = raw.count("\n", 0, start) + 1
                self.texts.append(doc.page_content)
                self.sources.append(
                    SourceSpan(file=path.name, line_start=first, line_end=first + doc.page_content.count("\n"))
                )
        vectors = np.asarray(embed(self.texts), dtype="float32")
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)
        self.embed_queries = embed_queries

    def hits(self, question: str) -> list[Hit]:
        """Top-K character chunks by inner product with the question's embedding."""
        scores, idx = self.index.search(np.asarray(self.embed_queries([question]), dtype="float32"), K)
        out: list[Hit] = []
        for i, score in zip(idx[0].tolist(), scores[0].tolist(), strict=True):
            if i < 0:  # FAISS pads with -1 when the index holds fewer than K vectors
                continue
            source = self.sources[i]
            out.append(
                Hit(
                    rank=len(out) + 1,
                    score=score,
                    chunk_id=f"lc-{i}",
                    doc_id=source.file,
                    doc_title=source.file,
                    text=self.texts[i],
                    source=source,
                )
            )
        return out

    def chunk_text(self, chunk_id: str) -> str:
        i = int(chunk_id.removeprefix("lc-")) if chunk_id.startswith("lc-") else -1
        return self.texts[i] if 0 <= i < len(self.texts) else ""

    def universe(self) -> Universe:
        """Every chunk this baseline can return, for nDCG's ideal ranking."""
        return [(f"lc-{i}", norm(t)) for i, t in enumerate(self.texts)]


class Baseline(Protocol):
    """A baseline: ranked hits for a question, and a cited chunk's text by id (for citation precision)."""

    def hits(self, question: str) -> list[Hit]: ...

    def chunk_text(self, chunk_id: str) -> str: ...


# ---------- metrics ----------


def retrieval_metrics(results: list[ItemResult], system: str, universe: Universe | None = None) -> dict[str, float]:
    """Hit@1/5/10, MRR@10, nDCG@10 (ranx) and all-evidence-in-top-10 over answerable items.

    With the system's `universe`, every relevant chunk counts for nDCG; without it (a remote service) only the
    relevant chunks it returned are known.
    """
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    all_in_top = []
    for r in results:
        if r.item["type"] == "unanswerable" or system not in r.retrieved:
            continue
        got = r.retrieved[system]
        pool = universe if universe is not None else list(zip(got.ids, got.texts, strict=True))
        rel = {cid: 1 for cid, text in pool if _relevant(r.item, text)}
        qid = r.item["id"]
        qrels[qid] = rel or {"__none__": 1}  # an item nothing relevant was found for still counts as a miss
        run[qid] = {cid: float(K - n) for n, cid in enumerate(got.ids)} or {"__empty__": 0.0}
        joined = " ".join(got.texts)
        all_in_top.append(all(evidence_matches(e, joined) for e in r.item["evidence"]))
    scores = evaluate(Qrels(qrels), Run(run), RETRIEVAL_METRICS)
    out = {m: float(scores[m]) for m in RETRIEVAL_METRICS}
    out["all_evidence@10"] = sum(all_in_top) / len(all_in_top)
    return out


def _mean(values: list[float]) -> float:
    return statistics.mean(values) if values else 0.0


def answer_metrics(results: list[ItemResult], system: str = GONGBAO) -> dict[str, float]:
    """Key-fact recall, citation precision, refusal accuracy, false-refusal rate, latency percentiles of a system."""
    answered_by = [(r.item, r.answers[system]) for r in results if system in r.answers]
    answerable = [a for item, a in answered_by if item["type"] != "unanswerable"]
    unanswerable = [a for item, a in answered_by if item["type"] == "unanswerable"]
    answered = [a for a in answerable if a.answer["answerable"]]
    latencies = sorted(a.latency_ms for _, a in answered_by)
    out: dict[str, float] = {
        "key_fact_recall": _mean([a.fact_recall or 0.0 for a in answerable]),
        "key_fact_recall_answered": _mean([a.fact_recall or 0.0 for a in answered]),
        "citation_precision": _mean([a.citation_precision or 0.0 for a in answered]),
        "latency_p50_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "latency_p95_ms": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else 0.0,
    }
    if answered:
        ratios = sorted(a.length_ratio or 0.0 for a in answered)
        out["length_ratio_p50"] = statistics.median(ratios)
        out["length_ratio_p90"] = ratios[min(len(ratios) - 1, int(0.9 * len(ratios)))]
        out["answer_chars_p50"] = float(statistics.median(answer_chars(a.answer["text"]) for a in answered))
    # Questions that ask for a figure (the gold answer holds a number): does the opening sentence state it?
    figures = [
        (item, a) for item, a in answered_by if item["type"] != "unanswerable" and _NUMBER.search(item["answer"])
    ]
    if figures:
        out["opening_holds_figure"] = _mean(
            [float(a.answer["answerable"] and (a.opening_recall or 0.0) > 0) for _, a in figures]
        )
    if unanswerable:  # only defined where there are such items (a per-type row may have none)
        out["refusal_accuracy"] = sum(1 for a in unanswerable if not a.answer["answerable"]) / len(unanswerable)
    if answerable:
        out["false_refusal_rate"] = 1 - len(answered) / len(answerable)
    return out


def score_answer(
    item: dict[str, Any], answer: dict[str, Any], latency_ms: float, chunk_text: Callable[[str], str]
) -> AnswerResult:
    """An answer with its key-fact recall and citation precision (answerable items only)."""
    result = AnswerResult(answer, latency_ms)
    if item["type"] != "unanswerable":
        result.fact_recall = fact_recall(item["answer"], answer["text"])
        result.citation_precision = citation_precision(item, answer["citations"], chunk_text)
        result.opening_recall = fact_recall(item["answer"], opening_sentence(answer["text"]))
        result.length_ratio = answer_chars(answer["text"]) / max(1, answer_chars(item["answer"]))
    return result


def _run_baseline(baseline: Baseline, item: dict[str, Any]) -> tuple[Retrieved, AnswerResult]:
    """A baseline's top-K hits, and its extractive answer over the first ANSWER_K of them (timed together)."""
    question = item["question"]
    started = time.perf_counter()
    hits = baseline.hits(question)
    answer = extractive_answer(question, hits[:ANSWER_K]).model_dump(mode="json")
    latency_ms = (time.perf_counter() - started) * 1000
    retrieved = Retrieved([h.chunk_id for h in hits], [norm(h.text) for h in hits])
    return retrieved, score_answer(item, answer, latency_ms, baseline.chunk_text)


def _systems(
    url: str | None, baselines: bool, service: Gongbao | None
) -> tuple[InProcess | OverHttp, dict[str, Baseline], dict[str, Universe]]:
    """The measured service (in process, or over HTTP), its baselines and each system's chunk universe."""
    target: InProcess | OverHttp = OverHttp(url) if url else InProcess(service)
    others: dict[str, Baseline] = {}
    universes: dict[str, Universe] = {}
    if isinstance(target, InProcess):
        universes[GONGBAO] = [(c.chunk_id, norm(c.text)) for c in target.service.chunks]
    if baselines and isinstance(target, InProcess):
        others[BM25] = BM25Baseline(target.service)
        universes[BM25] = universes[GONGBAO]
        emb = target.service.retriever.embedder
        lc = LangChainDefault(target.service.settings.corpus_dir, emb.encode_queries, emb.encode_passages)
        others[LANGCHAIN] = lc
        universes[LANGCHAIN] = lc.universe()
    return target, others, universes


VALIDITY = "validity"  # the slice of validity questions (「…还有效吗」): reported on its own, not in the totals


def validity_correct(item: dict[str, Any], answer: dict[str, Any], chunk_text: Callable[[str], str]) -> bool:
    """Whether an answer to a validity question is right.

    An item marked `"answerable": false` (the text states nothing about what is asked) is right when the answer
    says it does not know (answerable false). Any other is right when the answer is given, holds every key fact
    of the gold answer (its dates and 文号 numbers), and cites a clause holding an evidence string (the sentence
    that states the date, the expiry or the repeal).
    """
    if item.get("answerable", True) is False:
        return not answer["answerable"]
    if not answer["answerable"] or fact_recall(item["answer"], answer["text"]) < 1.0:
        return False
    return any(_relevant(item, norm(chunk_text(c["chunk_id"]))) for c in answer.get("citations", []))


def validity_slice(target: InProcess | OverHttp, items: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """Accuracy on the validity questions, overall and for items the text answers / does not, with per-item rows."""
    rows = []
    for item in tqdm(items, desc=f"{label} ({VALIDITY})", unit="q"):
        started = time.perf_counter()
        answer = target.ask(item["question"])
        latency = (time.perf_counter() - started) * 1000
        rows.append(
            {
                "id": item["id"],
                "question": item["question"],
                "gold": item["answer"],
                "answer": answer.get("text", ""),
                "mode": answer.get("mode"),
                "stated": item.get("answerable", True) is not False,
                "correct": validity_correct(item, answer, target.chunk_text),
                "latency_ms": latency,
            }
        )
    stated = [r for r in rows if r["stated"]]
    unstated = [r for r in rows if not r["stated"]]
    return {
        "n": len(rows),
        "accuracy": _mean([float(r["correct"]) for r in rows]),
        "accuracy_stated": _mean([float(r["correct"]) for r in stated]),
        "accuracy_not_stated": _mean([float(r["correct"]) for r in unstated]),
        "n_stated": len(stated),
        "n_not_stated": len(unstated),
        "answered_from_validity_data": _mean([float(r["mode"] == VALIDITY) for r in rows]),
        "latency_p50_ms": statistics.median(r["latency_ms"] for r in rows) if rows else 0.0,
        "items": rows,
    }


def _run_items(
    items: list[dict[str, Any]],
    systems: tuple[InProcess | OverHttp, dict[str, Baseline], dict[str, Universe]],
    url: str | None,
    label: str = "evaluating",
) -> dict[str, Any]:
    """Every system on the items; validity questions form their own slice (gongbao only), outside the totals."""
    target, others, universes = systems
    validity = [i for i in items if i["type"] == VALIDITY]
    items = [i for i in items if i["type"] != VALIDITY]
    results = []
    for item in tqdm(items, desc=label, unit="q"):
        r = ItemResult(item)
        r.retrieved[GONGBAO] = target.search(item["question"])
        started = time.perf_counter()
        answer = target.ask(item["question"])
        r.answers[GONGBAO] = score_answer(item, answer, (time.perf_counter() - started) * 1000, target.chunk_text)
        for name, baseline in others.items():
            r.retrieved[name], r.answers[name] = _run_baseline(baseline, item)
        results.append(r)
    summary = _summarise(results, [GONGBAO, *others], universes, url)
    if validity:
        summary[VALIDITY] = validity_slice(target, validity, label)
    return summary


def run_eval(
    url: str | None = None, gold_dir: Path = GOLD_DIR / "dev", baselines: bool = True, service: Gongbao | None = None
) -> dict[str, Any]:
    """Run every system over the gold items of one folder (in-process on `service`/the configured index, or over
    HTTP). Pointed at a held-out split's folder (eval/gold/test), it reports aggregates only, as `run_splits` does."""
    summary = _run_items(load_items(gold_dir), _systems(url, baselines, service), url)
    return _aggregates_only(summary) if is_held_out(gold_dir) else summary


def is_held_out(gold_dir: Path) -> bool:
    """Whether `gold_dir` is one of the project's held-out splits (every split but dev)."""
    held_out = {(GOLD_DIR / split).resolve() for split in SPLITS if split != "dev"}
    return gold_dir.resolve() in held_out


def _aggregates_only(summary: dict[str, Any]) -> dict[str, Any]:
    # A held-out split's per-item rows are written nowhere: reading them is how a test split becomes a second dev
    # split. Its aggregates (overall, by type, by gazette) are reported.
    summary.pop("worst", None)
    summary.get(VALIDITY, {}).pop("items", None)
    return summary


def run_splits(
    url: str | None = None,
    gold_root: Path = GOLD_DIR,
    splits: tuple[str, ...] = SPLITS,
    baselines: bool = True,
    service: Gongbao | None = None,
) -> dict[str, Any]:
    """Every split (a subfolder of `gold_root`) measured with the same systems, and the dev–test gap."""
    systems = _systems(url, baselines, service)
    data: dict[str, Any] = {"target": url or "in-process", "splits": {}}
    for split in splits:
        summary = _run_items(load_items(gold_root / split), systems, url, label=split)
        data["splits"][split] = _aggregates_only(summary) if split != "dev" else summary
    if {"dev", "test"} <= set(data["splits"]):
        dev, test = (headline(data["splits"][s]) for s in ("dev", "test"))
        data["gap"] = {m: dev[m] - test[m] for m in GAP_METRICS if m in dev and m in test}
    return data


def headline(split: dict[str, Any]) -> dict[str, float]:
    """gongbao's retrieval and answer metrics on one split, in one row."""
    return {**split["retrieval"][GONGBAO], **split["answers"]}


def _summarise(
    results: list[ItemResult], systems: list[str], universes: dict[str, Universe], url: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "target": url or "in-process",
        "items": len(results),
        "answer_k": ANSWER_K,
        "retrieval": {s: retrieval_metrics(results, s, universes.get(s)) for s in systems},
        # `answers` stays gongbao's own (the CLI's summary line and older readers of eval.json use it);
        # `answers_by_system` has one row per system, gongbao first.
        "answers": answer_metrics(results, GONGBAO),
        "answers_by_system": {s: answer_metrics(results, s) for s in systems},
        "by_type": {},
        "by_gazette": {},
    }
    groups: dict[str, dict[str, list[ItemResult]]] = {"by_type": defaultdict(list), "by_gazette": defaultdict(list)}
    for r in results:
        groups["by_type"][r.item["type"]].append(r)
        groups["by_gazette"][r.item["file"]].append(r)
    for key, grouped in groups.items():
        for name, rs in sorted(grouped.items()):
            row: dict[str, Any] = {"n": len(rs)}
            if any(x.item["type"] != "unanswerable" for x in rs):
                row.update(retrieval_metrics(rs, GONGBAO, universes.get(GONGBAO)))
            row.update(answer_metrics(rs, GONGBAO))
            data[key][name] = row
    data["worst"] = [_worst_row(r) for r in _worst(results)]
    return data


def _worst(results: list[ItemResult], n: int = 20) -> list[ItemResult]:
    def badness(r: ItemResult) -> float:
        answer = r.answers[GONGBAO]
        if r.item["type"] == "unanswerable":
            return 1.0 if answer.answer["answerable"] else 0.0
        got = r.retrieved[GONGBAO]
        rank = next((i for i, t in enumerate(got.texts) if _relevant(r.item, t)), K)
        return rank / K + (1 - (answer.fact_recall or 0.0))

    return sorted(results, key=badness, reverse=True)[:n]


def _worst_row(r: ItemResult) -> dict[str, Any]:
    return {
        "id": r.item["id"],
        "type": r.item["type"],
        "question": r.item["question"],
        "gold": r.item["answer"][:80],
        "answer": r.answers[GONGBAO].answer.get("text", "")[:120],
        "retrieved": [t[:50] for t in r.retrieved[GONGBAO].texts[:3]],
    }
