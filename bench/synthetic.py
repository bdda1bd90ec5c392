"""Synthetic large-scale runs: dense ANN (FAISS flat vs HNSW) and BM25 at up to 10^6 clauses.

Run: ``HF_HUB_OFFLINE=1 python -m bench.synthetic --index /tmp/gongbao-scale/index-1x --sizes 10000 100000 1000000``
(writes reports/scale_synthetic.md; the index folder is a built 1× index, whose vectors and vocabulary seed the
synthetic data).

Dense: the 1,645 real clause vectors (USE, 512 dims) are part of the set; the bulk are clustered random vectors:
a real clause vector plus Gaussian noise (σ per dimension below), L2-normalised, so neighbourhoods look like
the corpus's rather than uniform noise. Queries are the real embedded gold questions. Recall@10 is measured
against exact (flat) search over the same vectors.

BM25: synthetic clauses drawn from the corpus's own jieba vocabulary (unigram frequencies of the real clauses)
with the real clauses' length distribution; queries are the gold questions tokenised as the service does.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.child import run_json
from rag.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "reports" / "scale_synthetic.md"
NOISE = 0.03  # per-dimension σ of the noise around a real clause vector (before normalising)
MIX_NOISE = 0.01
TIMED_FLAT = 50  # single-query flat searches timed (the exact top-10 of every query is computed in one batch)
EF_SEARCH = (128, 256, 512, 1024)
BLOCK = 100_000


def ms_p50_p95(times: list[float]) -> tuple[float, float]:
    """The median and 95th percentile of timings in seconds, in ms (bench.ann reads it too)."""
    q = statistics.quantiles(times, n=100)
    return round(statistics.median(times) * 1000, 2), round(q[94] * 1000, 2)


def peak_rss_mb() -> int:
    """This process's peak resident memory so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _real(index_dir: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Real clause vectors, real query vectors (gold questions), the gold questions."""
    from eval.runner import load_items
    from index.embedders import make_embedder
    from index.store import load_index

    embedder = make_embedder("use")
    store = load_index(index_dir, embedder)
    questions = [i["question"] for i in load_items(PROJECT_ROOT / "eval" / "gold" / "dev")]
    return np.array(store._vectors), embedder.encode_queries(questions), questions


def synthetic_vectors(real: np.ndarray, n: int, kind: str = "copies", seed: int = 0) -> np.ndarray:
    """`n` vectors: the real ones first, then (normalised, built blockwise) either noisy copies of random real
    ones ("copies": ~n/1,645 near-duplicates per clause, the worst case for an ANN index), points between two
    random real ones plus a little noise ("mix": a ∈ U(0.5, 1), a·u + (1-a)·v + N(0, MIX_NOISE²)), or draws from
    a Gaussian with the real vectors' mean and covariance ("gauss": every vector distinct, spread over the
    directions, and in the proportions, that real clauses occupy: realistic diversity, no near-duplicate
    clusters)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    head = min(n, len(real))
    out[:head] = real[:head]
    if kind == "gauss":
        mean = real.astype(np.float64).mean(axis=0)
        values, basis = np.linalg.eigh(np.cov(real.astype(np.float64), rowvar=False))
        scale = (basis * np.sqrt(np.clip(values, 0, None))).astype(np.float32)  # x = mean + scale @ z
    for start in range(head, n, BLOCK):
        stop = min(n, start + BLOCK)
        if kind == "gauss":
            block = mean.astype(np.float32) + rng.standard_normal((stop - start, real.shape[1]), np.float32) @ scale.T
            out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
            continue
        base = real[rng.integers(0, len(real), stop - start)]
        if kind == "mix":
            a = rng.uniform(0.5, 1.0, (stop - start, 1)).astype(np.float32)
            other = real[rng.integers(0, len(real), stop - start)]
            block = a * base + (1 - a) * other + rng.normal(0, MIX_NOISE, base.shape).astype(np.float32)
            out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
            continue
        block = base + rng.normal(0, NOISE, base.shape).astype(np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def dense_run(vectors: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    import faiss

    from index.store import HNSW_EF_CONSTRUCTION, HNSW_M

    n, dims = vectors.shape
    out: dict[str, Any] = {"n": n}
    build_threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # one query at a time on one thread, as the service searches (index/store.py)
    flat = faiss.IndexFlatIP(dims)
    flat.add(vectors)
    times = []
    for q in queries[:TIMED_FLAT]:
        t = time.perf_counter()
        flat.search(q[None, :], 10)
        times.append(time.perf_counter() - t)
    out["flat_ms"] = ms_p50_p95(times)
    faiss.omp_set_num_threads(build_threads)
    _, exact = flat.search(queries, 10)
    truth = [set(row.tolist()) for row in exact]
    del flat
    gc.collect()
    faiss.omp_set_num_threads(build_threads)
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dims, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    for start in range(0, n, BLOCK):
        hnsw.add(vectors[start : start + BLOCK])
    out["hnsw_build_s"] = round(time.perf_counter() - t, 1)
    out["hnsw"] = {}
    faiss.omp_set_num_threads(1)
    for ef in EF_SEARCH:
        hnsw.hnsw.efSearch = ef
        times, recalls = [], []
        for q, wanted in zip(queries, truth, strict=True):
            t = time.perf_counter()
            _, idx = hnsw.search(q[None, :], 10)
            times.append(time.perf_counter() - t)
            recalls.append(len(wanted & set(idx[0].tolist())) / 10)
        out["hnsw"][ef] = {"ms": ms_p50_p95(times), "recall@10": round(float(np.mean(recalls)), 4)}
    out["peak_rss_mb"] = peak_rss_mb()
    faiss.omp_set_num_threads(build_threads)
    return out


def _served(model: Any, queries: list[list[str]]) -> dict[str, Any]:
    """Save the BM25 index, then open it as the service does (memory-mapped) in a new process: load time, RSS
    after loading and after the queries, query latency there, and the size on disk."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        folder = Path(tmp) / "bm25"
        model.save(str(folder), show_progress=False)
        (Path(tmp) / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
        cmd = [sys.executable, "-m", "bench.synthetic", "--served-bm25", tmp, "--index", "-"]
        out = run_json(cmd)
        out["disk_mb"] = round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20)
    return out


def served_child(tmp: Path) -> dict[str, Any]:
    """The child of `_served`: a fresh process holding only the memory-mapped BM25 index."""
    import bm25s

    from index.store import top_k

    base = current_rss_mb()
    t = time.perf_counter()
    model = bm25s.BM25.load(str(tmp / "bm25"), mmap=True, show_progress=False)
    load_s = time.perf_counter() - t
    loaded = current_rss_mb()
    vocab = model.vocab_dict
    times = []
    for tokens in json.loads((tmp / "queries.json").read_text(encoding="utf-8")):
        tokens = [w for w in tokens if w in vocab]
        if not tokens:
            continue
        t = time.perf_counter()
        top_k(np.asarray(model.get_scores(tokens), dtype=np.float32), 50)
        times.append(time.perf_counter() - t)
    return {
        "load_s": round(load_s, 2),
        "rss_after_load_mb": loaded - base,
        "rss_after_queries_mb": current_rss_mb() - base,
        "served_ms": ms_p50_p95(times),
    }


def current_rss_mb() -> int:
    """This process's resident memory now (VmRSS), in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        return round(int(next(x for x in f if x.startswith("VmRSS:")).split()[1]) / 1024)


def bm25_run(index_dir: Path, questions: list[str], n: int, seed: int = 0, serve: bool = False) -> dict[str, Any]:
    import bm25s

    from index.corpus_store import CORPUS_DB, read_served
    from index.store import embed_text, jieba_tokens, make_jieba, top_k

    corpus = read_served(index_dir / CORPUS_DB)
    docs = {d.doc_id: d for d in corpus.documents}
    tok = make_jieba(index_dir / "userdict.txt")
    real = [jieba_tokens(tok, embed_text(c, docs[c.doc_id])) for c in corpus.chunks]
    vocab: dict[str, int] = {}
    counts: list[int] = []
    for tokens in real:
        for w in tokens:
            if w not in vocab:
                vocab[w] = len(vocab)
                counts.append(0)
            counts[vocab[w]] += 1
    p = np.asarray(counts, dtype=np.float64) / sum(counts)
    lengths = np.asarray([len(t) for t in real])
    rng = np.random.default_rng(seed)
    t = time.perf_counter()
    ids: list[list[int]] = [[vocab[w] for w in tokens] for tokens in real[:n]]
    for start in range(len(ids), n, BLOCK):
        size = min(BLOCK, n - start)
        lens = rng.choice(lengths, size)
        flat = rng.choice(len(p), int(lens.sum()), p=p)
        ids.extend(a.tolist() for a in np.split(flat, np.cumsum(lens)[:-1]))
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    model = bm25s.BM25()
    model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    build_s = time.perf_counter() - t
    del ids
    gc.collect()
    served = _served(model, [jieba_tokens(tok, q) for q in questions]) if serve else {}
    times, masked = [], []
    mask = np.zeros(n, dtype=np.float32)
    mask[rng.choice(n, n // 10, replace=False)] = 1.0  # a filter passing 10% of the clauses
    for q in questions:
        qids = [vocab[w] for w in jieba_tokens(tok, q) if w in vocab]
        if not qids:
            continue
        t = time.perf_counter()
        scores = model.get_scores(qids)
        top_k(scores, 50)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        scores = model.get_scores(qids, weight_mask=mask)
        top_k(scores, 50)
        masked.append(time.perf_counter() - t)
    return {
        "n": n,
        "vocab": len(vocab),
        "mean_tokens": round(float(lengths.mean()), 1),
        "generate_s": round(gen_s, 1),
        "build_s": round(build_s, 1),
        "ms": ms_p50_p95(times),
        "masked_ms": ms_p50_p95(masked),
        "queries": len(times),
        "peak_rss_mb": peak_rss_mb(),
        **served,
    }


BULK = {
    "copies": f"a real clause vector + N(0, {NOISE}²) per dimension",
    "mix": f"a·u + (1−a)·v + N(0, {MIX_NOISE}²) per dimension for random real clause vectors u, v and a ∈ U(0.5, 1)",
    "gauss": "draws from a Gaussian with the real clause vectors' mean and full covariance (realistic diversity: "
    "every vector distinct, no near-duplicate clusters)",
}


def report(dense: list[dict[str, Any]], bm25: list[dict[str, Any]], command: str, kind: str = "copies") -> str:
    lines = [
        "# Scale: synthetic dense (ANN) and BM25 runs",
        "",
        f"Command: `{command}` (2 CPUs shared with other jobs; load average when the report was written: "
        f"{os.getloadavg()[0]:.1f}; one query at a time).",
        "",
        f"Dense: 512-dim USE vectors; the 1,645 real clause vectors plus clustered random vectors for the bulk "
        f"({BULK[kind]}, normalised). Queries: the real embedded gold "
        "questions. Recall@10 against exact flat search over the same set. HNSW M=32, efConstruction=80.",
        "",
        "| vectors | flat p50 / p95 ms | HNSW build s | "
        + " | ".join(f"HNSW ef={ef} p50 / p95 ms, recall@10" for ef in EF_SEARCH)
        + " | peak RSS MB |",
        "|---|---|---|" + "---|" * len(EF_SEARCH) + "---|",
    ]
    for d in dense:
        cells = [
            f"{d['hnsw'][ef]['ms'][0]} / {d['hnsw'][ef]['ms'][1]}, {d['hnsw'][ef]['recall@10']}" for ef in EF_SEARCH
        ]
        lines.append(
            f"| {d['n']:,} | {d['flat_ms'][0]} / {d['flat_ms'][1]} | {d['hnsw_build_s']} | "
            + " | ".join(cells)
            + f" | {d['peak_rss_mb']} |"
        )
    lines += [
        "",
        "BM25 (bm25s, jieba tokens): synthetic clauses drawn from the corpus's own vocabulary and clause lengths; "
        "queries: the gold questions. Time = scoring + top-50 selection; masked = with a filter (weight mask) "
        "passing 10% of the clauses.",
        "",
        "| clauses | vocabulary | tokens/clause | index build s | p50 / p95 ms | masked p50 / p95 ms | peak RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for b in bm25:
        lines.append(
            f"| {b['n']:,} | {b['vocab']:,} | {b['mean_tokens']} | {b['build_s']} | {b['ms'][0]} / {b['ms'][1]} | "
            f"{b['masked_ms'][0]} / {b['masked_ms'][1]} | {b['peak_rss_mb']} |"
        )
    if any("load_s" in b for b in bm25):
        lines += [
            "",
            "Served as the service serves it (`--served`): the saved index opened memory-mapped "
            "(`bm25s.BM25.load(..., mmap=True)`) in a new process holding nothing else; RSS is that process's "
            "growth (pages of the index the queries touched), latency is string tokens in, top-50 out.",
            "",
            "| clauses | on disk MB | load s | RSS after load MB | RSS after the queries MB | p50 / p95 ms |",
            "|---|---|---|---|---|---|",
        ]
        for b in bm25:
            if "load_s" in b:
                lines.append(
                    f"| {b['n']:,} | {b['disk_mb']} | {b['load_s']} | {b['rss_after_load_mb']} | "
                    f"{b['rss_after_queries_mb']} | {b['served_ms'][0]} / {b['served_ms'][1]} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True, help="a built 1× index folder")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--bm25-sizes", type=int, nargs="*", default=None)
    parser.add_argument("--kind", choices=sorted(BULK), default="copies", help="synthetic vectors (see above)")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--served", action="store_true", help="also open each BM25 index memory-mapped, as served")
    parser.add_argument("--served-bm25", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.served_bm25:
        print(json.dumps(served_child(args.served_bm25)))
        return
    real, queries, questions = _real(args.index)
    dense, bm25 = [], []
    for n in args.sizes:
        vectors = synthetic_vectors(real, n, args.kind)
        dense.append(dense_run(vectors, queries))
        del vectors
        gc.collect()
        print(dense[-1], flush=True)
    for n in args.sizes if args.bm25_sizes is None else args.bm25_sizes:
        bm25.append(bm25_run(args.index, questions, n, serve=args.served))
        gc.collect()
        print(bm25[-1], flush=True)
    sizes = " ".join(map(str, args.sizes))
    command = (
        f"HF_HUB_OFFLINE=1 .venv/bin/python -m bench.synthetic --index INDEX-1x --kind {args.kind} --sizes {sizes}"
    )
    if args.bm25_sizes is not None:
        command += " --bm25-sizes " + " ".join(map(str, args.bm25_sizes))
    if args.served:
        command += " --served"
    text = report(dense, bm25, command, args.kind)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
