"""Log-log chart of cost against corpus size for each store, from the results the scale benches wrote.

    python -m bench.chart                       # reports/scale_chart.png

Sources (nothing typed in by hand): reports/scale_corpus.json, scale_corpus_quiet.json and
scale_corpus_100x.json (bench.scale, the embedded FAISS + BM25 store) and the table of reports/scale_milvus.md
(bench.scale_milvus, Milvus Lite beside FAISS in the same run; that run wrote no JSON, so its Markdown table is
parsed; a `--json` file from a later run of bench.scale_milvus is read instead when given). Each series is
labelled with the run it comes from, because the runs were at very different machine loads; the legend gives
each series' log-log slope (cost ∝ size^slope).
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
METRICS = (
    ("build_s", "build (first load), s"),
    ("restart_s", "restart (load in a new process), s"),
    ("search_p50_ms", "search p50, ms"),
    ("ask_p50_ms", "ask p50, ms"),
    ("rss_mb", "serving RSS, MB"),
    ("disk_mb", "on disk, MB"),
)
Series = dict[str, list[tuple[int, float]]]  # metric → [(chunks, value)]


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(value) against log(size): cost ∝ size^slope (1 = linear)."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len({x for x, _ in pts}) < 2:
        raise ValueError("a slope needs two sizes")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def from_scale_json(results: list[dict[str, Any]], with_build: bool = True) -> Series:
    """bench.scale's JSON (one entry per corpus size) as series."""
    out: Series = {key: [] for key, _ in METRICS}
    for r in results:
        n, restart = r["restart"]["chunks"], r["restart"]
        if with_build:
            out["build_s"].append((n, r["build"]["process_s"]))
        out["restart_s"].append((n, restart["load_s"]))
        out["search_p50_ms"].append((n, restart["search_ms"]["p50"]))
        out["ask_p50_ms"].append((n, restart["ask_ms"]["p50"]))
        out["rss_mb"].append((n, restart["serving_rss_mb"]))
        out["disk_mb"].append((n, r["disk_mb"]))
    return out


def _num(cell: str) -> float:
    return float(re.findall(r"[\d.]+", cell.replace(",", ""))[0])


def milvus_table(markdown: str) -> dict[str, Series]:
    """The table bench.scale_milvus writes (columns `STORE N× (C chunks)`), as series per store."""
    rows = [line.strip().strip("|").split("|") for line in markdown.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in rows[0][1:]]
    cells = {r[0].strip(): [c.strip() for c in r[1:]] for r in rows[1:]}

    def find(prefix: str) -> list[str]:
        return next(v for k, v in cells.items() if k.startswith(prefix))

    build, restart = find("build:"), find("restart:")
    search, ask, rss, disk = find("search p50"), find("ask p50"), find("serving RSS"), find("on disk")
    out: dict[str, Series] = {}
    for i, column in enumerate(header):
        match = re.match(r"(\w+) \d+× \(([\d,]+) chunks\)", column)
        if not match:
            raise ValueError(f"unexpected column {column!r}")
        store, n = match.group(1), int(match.group(2).replace(",", ""))
        series = out.setdefault(store, {key: [] for key, _ in METRICS})
        series["build_s"].append((n, _num(build[i])))
        series["restart_s"].append((n, _num(restart[i])))
        series["search_p50_ms"].append((n, _num(search[i].split("/")[0])))
        series["ask_p50_ms"].append((n, _num(ask[i].split("/")[0])))
        series["rss_mb"].append((n, _num(rss[i])))
        # Milvus: the Milvus Lite file plus the writer's caches; FAISS: its index folder.
        series["disk_mb"].append((n, sum(_num(part) for part in disk[i].split(","))))
    return out


def from_milvus_json(results: list[dict[str, Any]]) -> dict[str, Series]:
    """bench.scale_milvus's `--json` output as series per store."""
    out: dict[str, Series] = {}
    for r in results:
        series = out.setdefault(r["store"], {key: [] for key, _ in METRICS})
        n, restart = r["restart"]["chunks"], r["restart"]
        series["build_s"].append((n, r["build"]["load_s"]))
        series["restart_s"].append((n, restart["load_s"]))
        series["search_p50_ms"].append((n, restart["search_ms"]["p50"]))
        series["ask_p50_ms"].append((n, restart["ask_ms"]["p50"]))
        series["rss_mb"].append((n, restart["serving_rss_mb"]))
        series["disk_mb"].append((n, sum(r["disk_mb"].values())))
    return out


def collect(milvus_json: Path | None = None) -> dict[str, Series]:
    """Every series the reports hold, by label."""
    out: dict[str, Series] = {}
    corpus = REPORTS / "scale_corpus.json"
    if corpus.exists():
        out["FAISS+BM25 (bench.scale, load 12–17)"] = from_scale_json(json.loads(corpus.read_text()))
    quiet = REPORTS / "scale_corpus_quiet.json"
    if quiet.exists():  # that run reused the built indexes: its "build" is a reload, left out
        out["FAISS+BM25 (bench.scale, quiet, load 1–2)"] = from_scale_json(json.loads(quiet.read_text()), False)
    hundred = REPORTS / "scale_corpus_100x.json"
    if hundred.exists():  # 1× and 100×, one run at load 1–3 (document cards included)
        out["FAISS+BM25 (bench.scale 1×/100×, load 1–3)"] = from_scale_json(json.loads(hundred.read_text()))
    if milvus_json is not None:
        stores = from_milvus_json(json.loads(milvus_json.read_text()))
    else:
        stores = milvus_table((REPORTS / "scale_milvus.md").read_text(encoding="utf-8"))
    for store, series in stores.items():
        name = "Milvus Lite" if store == "milvus" else "FAISS+BM25"
        out[f"{name} (bench.scale_milvus, loaded machine)"] = series
    return out


def draw(all_series: dict[str, Series], out: Path) -> None:
    """One log-log panel per cost, one line per series, its slope in the legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(15, 9))
    # One colour per series in every panel (a series missing from a panel must not shift the others' colours).
    colours = {label: f"C{i}" for i, label in enumerate(all_series)}
    sizes = sorted({n for series in all_series.values() for points in series.values() for n, _ in points})
    for ax, (key, title) in zip(axes.flat, METRICS, strict=True):
        for label, series in all_series.items():
            points = sorted(series.get(key, []))
            if len(points) < 2:
                continue
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, marker="o", color=colours[label], label=f"{label}: slope {slope(points):.2f}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
        ax.minorticks_off()
        ax.set_title(title)
        ax.set_xlabel("chunks in the corpus")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(
        "Cost against corpus size (log-log; slope 1 = linear growth). 1×, 20× and 100× the bundled gazettes; "
        "runs at different machine loads, labelled",
        fontsize=11,
    )
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPORTS / "scale_chart.png")
    parser.add_argument("--milvus-json", type=Path, help="bench.scale_milvus --json output, instead of its table")
    args = parser.parse_args(argv)
    series = collect(args.milvus_json)
    draw(series, args.out)
    for label, s in series.items():
        slopes = {k: round(slope(sorted(v)), 2) for k, v in s.items() if len(v) >= 2}
        print(label, slopes)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
