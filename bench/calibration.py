"""How well build-time nprobe calibration (index.store.calibrate_nprobe) predicts real questions' recall.

Run: ``HF_HUB_OFFLINE=1 python -m bench.calibration --index INDEX-1x --size 100000 --nlist 100 --kind copies gauss``.
For each synthetic set (bench/synthetic.py, seeded by the 1× index's real clause vectors) it builds the service's
IVF index, prints the embedded dev questions' recall@10 per nprobe against exact search, then the calibration's
recall@10 per nprobe for each `DenseConfig.query_mix` (which queries a build calibrates with). Prints only: the
figures are quoted in reports/scale.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

GRID = (2, 4, 8, 12, 16, 24, 32, 48, 64, 96)
MIXES = (0.0, 0.5, 0.75, 1.0)


def main(argv: list[str] | None = None) -> None:
    import faiss

    from bench.ann import _real
    from bench.synthetic import synthetic_vectors
    from index.store import DenseConfig, calibrate_nprobe, ivf_index

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built 1× index folder")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--nlist", type=int, default=100)
    parser.add_argument("--kind", nargs="+", default=["copies", "gauss"])
    args = parser.parse_args(argv)
    real, queries = _real(args.index)
    for kind in args.kind:
        vectors = synthetic_vectors(real, args.size, kind)
        index = ivf_index(vectors, args.nlist)
        _, exact = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(index)
        dev = {}
        for nprobe in GRID:
            ivf.nprobe = nprobe
            _, found = index.search(queries, 10)
            dev[nprobe] = round(
                float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact, strict=True)])), 3
            )
        print(kind, args.size, args.nlist, "dev questions", dev, flush=True)
        for mix in MIXES:  # an unreachable target: the whole grid is swept
            config = DenseConfig(recall_target=1.01, nprobe_grid=GRID, query_mix=mix)
            print(kind, "query_mix", mix, calibrate_nprobe(index, vectors, config).sweep, flush=True)


if __name__ == "__main__":
    main()
