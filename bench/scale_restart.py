"""Restart at 10^6 chunks (issue #14: "restart ≤ 15 s at 10^6 chunks"), measured on a store of that size.

Two steps, each its own command:

``build`` writes the bundled corpus ``--copies`` times as distinct synthetic issues (`bench.synth_corpus`: each
copy its own issue numbers, 文号 and titles; 574 copies of the 1,745 chunks are 1,001,630 chunks), parses them
with the service's parser and parse cache (`index.corpus_store.load_corpus`), and builds the index with the
service's own builder (`index.store.build_index`: FAISS, both BM25 indexes, jieba's user dictionary, the corpus
store with its packed arrays and validity facts, the manifest with the corpus's `source_key`), so a restart reads
exactly what it reads in service. Only the vectors are not computed (embedding 10^6 chunks takes hours here):
before the build, the vector cache (`vectors.sqlite`, the builder's own cache) is filled with synthetic vectors,
so the builder finds every chunk embedded. Each chunk's vector is its original's real USE vector (read from a
built 1× index) in copy 0 and, in every other copy, that vector plus Gaussian noise (σ = `bench.synthetic.NOISE`
per dimension), normalised: clustered around the real ones, as `bench.synthetic`'s "copies" set.

``measure`` runs the restart ``--repeats`` times, each in a fresh process: `rag.load` on the built index (the corpus
is unchanged, so nothing is parsed or built: what `bench.scale` calls restart), then the service's first question
(`Gongbao.warm_up`, which `gongbao serve` asks before it reports ready); imports are timed apart. The 1-minute load
average is read before and after each run. ``--profile`` adds one more run under pyinstrument. ``--report`` writes
the markdown; ``--json`` the raw runs.

Run::

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale_restart build --work /tmp/restart --seed-index .gongbao/index
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale_restart measure --work /tmp/restart --repeats 3 --profile

Cost (measured at 100×, 174,500 chunks, load 11–15 on 2 shared CPUs; reports/scale_restart_round17.md): parse
558 s and `build_index` 563 s, so about 1.8 h at 10^6 at that load; the build process peaked at 3.3 GB RSS there,
which scaled linearly is 15–19 GB at 10^6 (check the free memory first); the index takes ~9 GB on disk at 10^6
(vector cache ~4 GB), the corpus copies 0.45 GB. `build` keeps the parse cache in the index folder as soon as the
parse is done, so a build stopped after it does not parse again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from rag.settings import PROJECT_ROOT

HERE = Path(__file__).resolve()
DEFAULT_COPIES = 574  # 574 × 1,745 = 1,001,630 chunks: the first copy count reaching 10^6
VECTOR_BLOCK = 20_000  # synthetic vectors written to the cache per transaction


def _paths(work: Path) -> tuple[Path, Path]:
    return work / "corpus", work / "index"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {message}", file=sys.stderr, flush=True)


def _real_vectors(seed_index: Path) -> tuple[dict[str, np.ndarray], str, int]:
    """Per source file of the 1× corpus, its chunks' real vectors in order; the embedder's name and dims."""
    from index.corpus_store import CORPUS_DB, read_served
    from index.store import _read_manifest, exact_vectors

    manifest = _read_manifest(seed_index)
    if manifest is None:
        raise SystemExit(f"no built index at {seed_index}")
    corpus = read_served(seed_index / CORPUS_DB)
    vectors = exact_vectors(seed_index, corpus, manifest)
    out, first = {}, 0
    for g in corpus.gazettes:
        out[g.gazette.source_file] = vectors[first : first + len(g.chunks)]
        first += len(g.chunks)
    return out, manifest.model, manifest.dims


def synthetic_rows(corpus: Any, real: dict[str, np.ndarray], noise: float, seed: int = 0) -> Any:
    """(chunk_id, text sha1, vector) for every chunk of the N× corpus, gazette by gazette: copy 0 (`c000_…`) its
    original's real vector, other copies that vector plus N(0, noise²) per dimension, normalised. A chunk beyond its
    original's count (a copy that parsed differently) takes an original vector at random, noised the same way."""
    from index.embedders import text_sha1
    from index.store import embed_text

    rng = np.random.default_rng(seed)
    docs = {d.doc_id: d for d in corpus.documents}
    pool = np.concatenate(list(real.values()))
    for g in corpus.gazettes:
        name = g.gazette.source_file
        copy, _, original = name.partition("_")
        base = real.get(original)
        n = len(g.chunks)
        if base is not None and len(base) >= n:
            vectors = np.array(base[:n], dtype=np.float32)
        else:
            vectors = pool[rng.integers(0, len(pool), n)].astype(np.float32)
            if base is not None:
                vectors[: len(base)] = base
        if copy != "c000" or base is None or len(base) < n:
            vectors = vectors + rng.normal(0, noise, vectors.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        for chunk, vector in zip(g.chunks, vectors, strict=True):
            yield chunk.chunk_id, text_sha1(embed_text(chunk, docs[chunk.doc_id])), vector


def build(work: Path, copies: int, seed_index: Path, workers: int | None) -> dict[str, Any]:
    """Write the corpus copies, parse them, fill the vector cache with synthetic vectors, build the index."""
    from bench.synth_corpus import write_corpus
    from bench.synthetic import NOISE
    from index.corpus_store import CORPUS_DB, connect, load_corpus, source_key
    from index.embedders import VectorCache, make_embedder
    from index.store import _MARKER_TEXT, MARKER, build_index
    from index.uploads import removed_ids, without
    from rag.settings import Settings

    corpus_dir, index_dir = _paths(work)
    out: dict[str, Any] = {"copies": copies}
    t = time.perf_counter()
    if not (corpus_dir / ".complete").is_file():
        write_corpus(corpus_dir, copies)
        (corpus_dir / ".complete").write_text("")  # a dot-file: not a corpus file (index.parser.corpus_files)
    out["write_corpus_s"] = round(time.perf_counter() - t, 1)
    _log(f"corpus written: {out['write_corpus_s']} s")
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / MARKER).write_text(_MARKER_TEXT)
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir)
    t = time.perf_counter()
    corpus, parsed = load_corpus(corpus_dir, index_dir, workers=workers, progress=True, options=settings.read_options())
    corpus = without(corpus, removed_ids(corpus_dir))
    out["parse_s"] = round(time.perf_counter() - t, 1)
    out["chunks"] = len(corpus.chunks)
    out["documents"] = len(corpus.documents)
    _log(f"parsed: {out['parse_s']} s, {out['chunks']} chunks, {out['documents']} documents")
    if parsed.fresh and not (index_dir / CORPUS_DB).exists():
        # the parse cache alone, so that a build interrupted after this point does not parse again
        db = connect(index_dir / CORPUS_DB)
        db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", parsed.rows())
        db.commit()
        db.close()
    t = time.perf_counter()
    real, model, dims = _real_vectors(seed_index)
    cache = VectorCache(index_dir / "vectors.sqlite")
    try:
        block: list[tuple[str, str, np.ndarray]] = []
        for row in synthetic_rows(corpus, real, NOISE):
            block.append(row)
            if len(block) >= VECTOR_BLOCK:
                cache.put_many(model, block)
                block = []
        if block:
            cache.put_many(model, block)
    finally:
        cache.close()
    out["vectors_s"] = round(time.perf_counter() - t, 1)
    _log(f"synthetic vectors cached: {out['vectors_s']} s")
    embedder = make_embedder(settings.embed_model)
    if (embedder.name, embedder.dims) != (model, dims):
        raise SystemExit(f"the seed index is of {model}, the service embeds with {embedder.name}")
    t = time.perf_counter()
    source = source_key(parsed.keys, removed_ids(corpus_dir), settings.read_options())
    manifest = build_index(corpus, embedder, index_dir, parsed=parsed, progress=True, source=source)
    out["build_s"] = round(time.perf_counter() - t, 1)
    out["embedded"] = manifest.embedded_chunks
    out["dense_index"] = manifest.dense_index
    out["dense_params"] = manifest.dense_params
    out["calibration"] = manifest.dense_calibration.model_dump() if manifest.dense_calibration else None
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["index_files_mb"] = {
        p.name: round(sum(f.stat().st_size for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()) / 2**20, 1)
        for p in sorted(index_dir.iterdir())
    }
    _log(f"built: {out['build_s']} s, {manifest.embedded_chunks} embedded")
    (work / "build.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(corpus_dir: Path, index_dir: Path, profile: bool) -> dict[str, Any]:
    """One fresh process: imports, `rag.load` (a restart), the first question (`warm_up`), RSS."""
    started = time.perf_counter()
    import rag
    from bench.scale import rss_mb
    from rag.settings import Settings

    imported = time.perf_counter()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    t, cpu = time.perf_counter(), _cpu_s()
    service = rag.load(Settings(corpus_dir=corpus_dir, index_dir=index_dir))
    loaded, cpu_loaded = time.perf_counter(), _cpu_s()
    rss_loaded = rss_mb()
    service.warm_up()
    answered, cpu_answered = time.perf_counter(), _cpu_s()
    out: dict[str, Any] = {
        "import_s": round(imported - started, 2),
        "load_s": round(loaded - t, 2),
        "first_question_s": round(answered - loaded, 2),
        "restart_s": round(answered - t, 2),
        # CPU seconds of the process (all its threads): on a shared machine wall time grows with the load, CPU time
        # far less, so the sizes compare better by it
        "load_cpu_s": round(cpu_loaded - cpu, 2),
        "first_question_cpu_s": round(cpu_answered - cpu_loaded, 2),
        "chunks": len(service.chunks),
        "documents": len(service.documents),
        "dense_index": service.manifest.dense_index,
        "rss_after_load_mb": round(rss_loaded),
        "rss_after_first_question_mb": round(rss_mb()),
    }
    if profiler is not None:
        profiler.stop()
        out["profile"] = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=True)
    return out


def _run_child(work: Path, profile: bool, code: Path = PROJECT_ROOT) -> dict[str, Any]:
    """One restart in a fresh process of the code tree `code` (this file run with that tree first on the path)."""
    corpus_dir, index_dir = _paths(work)
    cmd = [sys.executable, str(HERE), "--child", str(corpus_dir), str(index_dir)] + ["--profile"] * profile
    before = os.getloadavg()[0]
    start = time.perf_counter()
    # imported here: the child runs this file with another tree first on the path, which may not have bench.child
    from bench.child import run_json

    result = run_json(cmd, code, tree_on_path=True)
    result["process_s"] = round(time.perf_counter() - start, 2)
    result["load_avg"] = [round(before, 1), round(os.getloadavg()[0], 1)]
    result["tree"] = str(code)
    return result


def report(runs: list[dict[str, Any]], built: dict[str, Any] | None, command: str) -> str:
    timed = [r for r in runs if "profile" not in r]
    lines = [
        "# Restart at 10^6 chunks (synthetic copies of the bundled corpus, synthetic vectors)",
        "",
        f"Command: `{command}` ({os.cpu_count()} CPUs shared with other jobs; each run's 1-minute load average "
        f"before and after it is in its row; load average when the report was written: {os.getloadavg()[0]:.1f}).",
        "",
    ]
    if built:
        lines += [
            f"Store: {built['chunks']:,} chunks, {built['documents']:,} documents ({built['copies']} copies of the "
            f"bundled corpus as distinct issues), dense index {built['dense_index']} {built.get('dense_params')}; "
            f"{built['embedded']} chunks embedded by the build (the vectors are synthetic, see the module's "
            f"docstring). Index files (MB): {built['index_files_mb']}.",
            "",
        ]
    lines += [
        "| run | tree | restart (`rag.load` + first question) s | `rag.load` s | first question s "
        "| CPU s (load / first question) | imports s "
        "| RSS after load MB | RSS after the first question MB | load avg before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(timed, 1):
        lines.append(
            f"| {i} | {r.get('tree', '')} | {r['restart_s']} | {r['load_s']} | {r['first_question_s']} | "
            f"{r.get('load_cpu_s')} / {r.get('first_question_cpu_s')} | {r['import_s']} | "
            f"{r['rss_after_load_mb']} | {r['rss_after_first_question_mb']} | {r['load_avg'][0]} → {r['load_avg'][1]} |"
        )
    for r in runs:
        if "profile" in r:
            lines += [
                "",
                f"Profiled run of {r.get('tree', '')} (pyinstrument, 1 ms; `rag.load` + first question "
                f"{r['restart_s']} s, load avg "
                f"{r['load_avg'][0]} → {r['load_avg'][1]}):",
                "",
                "```",
                *r["profile"].strip().splitlines()[:120],
                "```",
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step")
    b = sub.add_parser("build", help="write the corpus copies and build their index (synthetic vectors)")
    b.add_argument("--work", type=Path, required=True, help="folder for the corpus copies and the index")
    b.add_argument(
        "--copies",
        type=int,
        default=DEFAULT_COPIES,
        help="distinct synthetic issues of each bundled gazette (default %(default)s: about 10^6 chunks)",
    )
    b.add_argument(
        "--seed-index",
        type=Path,
        default=PROJECT_ROOT / ".gongbao" / "index",
        help="a built 1× index whose vectors seed the synthetic ones (default: %(default)s)",
    )
    b.add_argument("--workers", type=int, default=None, help="parser processes (default: one per CPU)")
    m = sub.add_parser("measure", help="restart the service on the built index in fresh processes")
    m.add_argument("--work", type=Path, required=True, help="the folder `build` wrote")
    m.add_argument("--repeats", type=int, default=3, help="timed restarts per code tree (default %(default)s)")
    m.add_argument("--profile", action="store_true", help="one more run (per tree) under pyinstrument")
    m.add_argument(
        "--code",
        type=Path,
        nargs="+",
        default=[PROJECT_ROOT],
        help="code trees to restart, alternated run by run (an A/B: e.g. /work/main .); default this tree",
    )
    m.add_argument("--report", type=Path, default=None, help="write a Markdown report here")
    m.add_argument("--json", type=Path, default=None, help="write every run's figures here as JSON")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile", dest="child_profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.child_profile), ensure_ascii=False))
        return
    if args.step == "build":
        print(json.dumps(build(args.work, args.copies, args.seed_index, args.workers), ensure_ascii=False))
        return
    if args.step != "measure":
        parser.print_help()
        return
    runs = []
    trees = [c.resolve() for c in args.code]
    for _ in range(args.repeats):
        for code in trees:
            runs.append(_run_child(args.work, False, code))
            _log(json.dumps(runs[-1], ensure_ascii=False))
    if args.profile:
        for code in trees:
            runs.append(_run_child(args.work, True, code))
            _log(f"profiled {code}: {runs[-1]['restart_s']} s")
    built_path = args.work / "build.json"
    built = json.loads(built_path.read_text(encoding="utf-8")) if built_path.is_file() else None
    command = "HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale_restart " + " ".join(sys.argv[1:])
    from bench.scale import write_outputs

    write_outputs(report(runs, built, command), runs, args.report, args.json)


if __name__ == "__main__":
    main()
