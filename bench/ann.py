"""ANN at up to 10^6 vectors: the dense index types the service can choose (index/store.py), side by side.

Run: ``HF_HUB_OFFLINE=1 python -m bench.ann --index /tmp/gongbao-scale/index-1x --kind gauss --sizes 1000000``
(writes reports/scale_synthetic_ann_<kind>.md). The index folder is a built 1× index whose 1,645 real clause
vectors seed the synthetic set (bench/synthetic.py `synthetic_vectors`); queries are the dev split's gold
questions, embedded. Recall@10 is against exact inner-product search over the same vectors.

Each index is built with the service's own builder (`index.store.ivf_index`, HNSW with the service's M and
efConstruction), written to disk and read back (the restart cost of that part), then searched one query at a
time on one thread, as the service searches.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import BULK, current_rss_mb, ms_p50_p95, peak_rss_mb, synthetic_vectors
from rag.settings import PROJECT_ROOT

NPROBE = (16, 32, 64, 128)
NPROBE_REFINE = (64, 128, 256)  # 4-bit fast-scan codes are cheap to scan: more cells
REFINE_K_FACTOR = 10  # candidates re-scored with 8-bit codes: k_factor × 10
EF_SEARCH = (256, 512, 1024)


def _real(index_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """Real clause vectors and the embedded dev questions (cached beside the index: embedding them is slow)."""
    cache = index_dir.parent / f"{index_dir.name}-ann-real.npz"
    if cache.exists():
        data = np.load(cache)
        return data["real"], data["queries"]
    from bench.synthetic import _real as real_and_queries

    real, queries, _ = real_and_queries(index_dir)
    np.savez(cache, real=real, queries=queries)
    return real, queries


def _search(index: Any, queries: np.ndarray, truth: list[set[int]]) -> dict[str, Any]:
    times, recalls = [], []
    for q, wanted in zip(queries, truth, strict=True):
        t = time.perf_counter()
        _, idx = index.search(q[None, :], 10)
        times.append(time.perf_counter() - t)
        recalls.append(len(wanted & set(idx[0].tolist())) / 10)
    return {"ms": ms_p50_p95(times), "recall@10": round(float(np.mean(recalls)), 4)}


def _round_trip(index: Any, folder: Path) -> tuple[Any, float, int, int]:
    """Write the index, free it, read it back: (index, read seconds, file MB, RSS growth MB of the read)."""
    import faiss

    path = folder / "dense.faiss"
    faiss.write_index(index, str(path))
    del index
    gc.collect()
    before = current_rss_mb()
    t = time.perf_counter()
    loaded = faiss.read_index(str(path))
    if isinstance(loaded, faiss.IndexIVF):
        loaded.make_direct_map()  # as IndexStore does on load (a refined index decodes from its refine codes)
    seconds = time.perf_counter() - t
    size = round(path.stat().st_size / 2**20)
    path.unlink()
    return loaded, round(seconds, 2), size, current_rss_mb() - before


def run(
    vectors: np.ndarray,
    queries: np.ndarray,
    methods: list[str],
    folder: Path,
    nprobes: tuple[int, ...] = NPROBE,
    nlists: tuple[int, ...] = (),
    query_mixes: tuple[float, ...] = (),
) -> dict[str, Any]:
    """Build each index of `methods` (IVF ones once per nlist of `nlists`; none: the service's n / IVF_LIST_SIZE),
    calibrate IVF's nprobe as a build does, and time the dev questions over the settings swept."""
    import faiss

    from index.store import HNSW_EF_CONSTRUCTION, HNSW_M, IVF_LIST_SIZE, DenseConfig, calibrate_nprobe, ivf_index

    n, dims = vectors.shape
    threads = faiss.omp_get_max_threads()
    out: dict[str, Any] = {"n": n, "rows": []}
    faiss.omp_set_num_threads(1)
    times = []
    for q in queries[:50]:
        t = time.perf_counter()
        faiss.knn(q[None, :], vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
        times.append(time.perf_counter() - t)
    out["flat_ms"] = ms_p50_p95(times)
    faiss.omp_set_num_threads(threads)
    _, exact = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    truth = [set(row.tolist()) for row in exact]
    builds = [(m, nl) for m in methods for nl in (nlists or (max(1, n // IVF_LIST_SIZE),) if m != "hnsw" else (0,))]
    for method, nlist in builds:
        t = time.perf_counter()
        if method == "hnsw":
            index: Any = faiss.IndexHNSWFlat(dims, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            for start in range(0, n, 100_000):
                index.add(vectors[start : start + 100_000])
            label = f"HNSW M={HNSW_M}, efC={HNSW_EF_CONSTRUCTION}"
        else:
            codec = {"ivf_flat": "Flat", "ivf_sq8": "SQ8", "ivf_pq_refine": f"PQ{dims // 4}x4fs,Refine(SQ8)"}[method]
            index = ivf_index(vectors, nlist, codec, k_factor=REFINE_K_FACTOR)
            label = f"IVF{nlist},{codec}"
        build_s = round(time.perf_counter() - t, 1)
        index, read_s, size_mb, rss_mb = _round_trip(index, folder)
        calibration, others = None, []
        if method != "hnsw":  # as a build does (index.store.calibrate_nprobe), on the index read back
            calibration = calibrate_nprobe(index, vectors, DenseConfig())
            for mix in query_mixes:  # other calibration queries, for comparison (not the service's choice)
                others.append(calibrate_nprobe(index, vectors, DenseConfig(query_mix=mix)))
            print(calibration, others, flush=True)
        faiss.omp_set_num_threads(1)
        sweep = {}
        if method == "hnsw":
            for ef in EF_SEARCH:
                index.hnsw.efSearch = ef
                sweep[f"ef={ef}"] = _search(index, queries, truth)
        else:
            ivf = faiss.extract_index_ivf(index)
            swept = NPROBE_REFINE if method == "ivf_pq_refine" else nprobes
            if calibration is not None:
                swept = tuple(sorted({*swept, calibration.nprobe, *(c.nprobe for c in others)}))
            for nprobe in swept:
                ivf.nprobe = nprobe
                sweep[f"nprobe={nprobe}"] = _search(index, queries, truth)
        faiss.omp_set_num_threads(threads)
        row = {"index": label, "build_s": build_s, "read_s": read_s, "file_mb": size_mb, "rss_mb": rss_mb}
        if calibration is not None:
            row["calibration"] = calibration.model_dump()
            row["other_calibrations"] = [
                {"query_mix": m, **c.model_dump()} for m, c in zip(query_mixes, others, strict=True)
            ]
        out["rows"].append({**row, "sweep": sweep})
        print(n, row, sweep, flush=True)
        del index
        gc.collect()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def report(results: list[dict[str, Any]], command: str, kind: str, real: int = 1645, questions: int = 275) -> str:
    lines = [
        f"# Scale: ANN index types at up to 10^6 vectors ({kind} set)",
        "",
        f"Command: `{command}` (2 CPUs shared with other helpers' test suites; load average when the report was "
        f"written: {os.getloadavg()[0]:.1f}; one query at a time on one thread).",
        "",
        f"Vectors: 512-dim USE; the {real:,} real clause vectors plus synthetic ones: {BULK[kind]}, normalised. "
        f"Queries: the dev split's {questions} gold questions, embedded. "
        "Recall@10 against exact search over the same set. Build = train + add; read = `faiss.read_index` "
        "(+ the direct map IVF needs) from the page cache; RSS = resident growth of that read.",
        "",
        "IVF's nprobe is then calibrated as a build does (`index.store.calibrate_nprobe`, default `DenseConfig`: "
        "200 held-out vectors as queries, `query_mix`, target 0.95): the calibrated nprobe is marked ◆ in the "
        "sweep, and its held-out recall and cost are listed below the table, beside what the dev questions get "
        "there.",
        "",
        "| vectors | index | build s | file MB | read s | RSS MB | setting: p50 / p95 ms, recall@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    calibrations = []
    for r in results:
        lines.append(
            f"| {r['n']:,} | exact (flat, 50 queries) | – | – | – | – | {r['flat_ms'][0]} / {r['flat_ms'][1]} |"
        )
        for row in r["rows"]:
            chosen = f"nprobe={row['calibration']['nprobe']}" if "calibration" in row else None
            cells = "; ".join(
                f"{'◆ ' if k == chosen else ''}{k}: {v['ms'][0]} / {v['ms'][1]}, **{v['recall@10']}**"
                for k, v in row["sweep"].items()
            )
            if chosen:
                cal, dev = row["calibration"], row["sweep"][chosen]
                calibrations.append(
                    f"- {r['n']:,}, {row['index']}: calibrated nprobe **{cal['nprobe']}** in {cal['seconds']} s "
                    f"(held-out recall@10 {cal['recall_at_10']}, sweep {cal['sweep']}); the dev questions there: "
                    f"recall@10 **{dev['recall@10']}**, p50 / p95 {dev['ms'][0]} / {dev['ms'][1]} ms."
                )
                for other in row.get("other_calibrations", []):
                    there = row["sweep"][f"nprobe={other['nprobe']}"]
                    calibrations.append(
                        f"  - with `query_mix` {other['query_mix']}: nprobe {other['nprobe']} (held-out recall@10 "
                        f"{other['recall_at_10']}, {other['seconds']} s); the dev questions there: recall@10 "
                        f"{there['recall@10']}, p50 / p95 {there['ms'][0]} / {there['ms'][1]} ms."
                    )
            lines.append(
                f"| {r['n']:,} | {row['index']} | {row['build_s']} | {row['file_mb']} | {row['read_s']} | "
                f"{row['rss_mb']} | {cells} |"
            )
    if calibrations:
        lines += ["", "Calibration (build time) against the dev questions:", "", *calibrations]
    lines += ["", "Peak RSS of the run (vectors, exact search, one index at a time): "]
    lines[-1] += ", ".join(f"{r['n']:,}: {r['peak_rss_mb']} MB" for r in results) + "."
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True, help="a built 1× index folder")
    parser.add_argument("--kind", choices=sorted(BULK), default="gauss")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--methods", nargs="+", choices=["hnsw", "ivf_flat", "ivf_sq8", "ivf_pq_refine"], default=["ivf_sq8"]
    )
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--nprobe", type=int, nargs="+", default=list(NPROBE), help="IVF cells probed (swept)")
    parser.add_argument(
        "--query-mix", type=float, nargs="+", default=[], help="also calibrate with these DenseConfig.query_mix"
    )
    parser.add_argument(
        "--nlist", type=int, nargs="+", default=[], help="IVF cells (one index each; default n / IVF_LIST_SIZE)"
    )
    parser.add_argument(
        "--build-threads", type=int, default=None, help="OpenMP threads while building (default: faiss's)"
    )
    args = parser.parse_args(argv)
    if args.build_threads:
        import faiss

        # On an oversubscribed machine faiss's many short parallel regions (PQ training: one per sub-quantizer
        # and iteration) wait on their barriers: 290 s with 2 threads, 12 s with 1 (20,000 vectors, load ~15).
        faiss.omp_set_num_threads(args.build_threads)
    real, queries = _real(args.index)
    results = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        for n in args.sizes:
            vectors = synthetic_vectors(real, n, args.kind)
            results.append(
                run(
                    vectors,
                    queries,
                    args.methods,
                    Path(tmp),
                    tuple(args.nprobe),
                    tuple(args.nlist),
                    tuple(args.query_mix),
                )
            )
            del vectors
            gc.collect()
    command = (
        f"HF_HUB_OFFLINE=1 .venv/bin/python -m bench.ann --index INDEX-1x --kind {args.kind} --sizes "
        + " ".join(map(str, args.sizes))
        + " --methods "
        + " ".join(args.methods)
        + (f" --build-threads {args.build_threads}" if args.build_threads else "")
        + ("" if tuple(args.nprobe) == NPROBE else " --nprobe " + " ".join(map(str, args.nprobe)))
        + (" --nlist " + " ".join(map(str, args.nlist)) if args.nlist else "")
        + (" --query-mix " + " ".join(map(str, args.query_mix)) if args.query_mix else "")
    )
    text = report(results, command, args.kind, len(real), len(queries))
    path = args.report or PROJECT_ROOT / "reports" / f"scale_synthetic_ann_{args.kind}.md"
    path.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
