"""The pure helpers behind reports/perf.md and reports/scale_chart.png: percentiles, per-cell rows, the
gongbao/langchain ratios, the log-log slope and the parsing of bench.scale_milvus's table."""

from __future__ import annotations

import math

import pytest

from bench.chart import REPORTS, milvus_table, slope
from bench.perf import Cell, percentiles, ratios, row


def test_percentiles_of_1_to_101_are_the_order_statistics() -> None:
    assert percentiles([float(v) for v in range(101, 0, -1)]) == (51.0, 96.0, 100.0)
    assert percentiles([7.0]) == (7.0, 7.0, 7.0)
    with pytest.raises(ValueError):
        percentiles([])


def test_a_row_counts_errors_as_requests_but_not_as_throughput() -> None:
    cell = Cell("gongbao", "ask", 4, 2.0, tuple(float(v) for v in range(1, 11)), 3, 1.0, 2.0)
    r = row(cell)
    assert (r["requests"], r["errors"], r["per_second"]) == (13, 3, 5.0)
    assert r["p50_ms"] == 5.5


def test_ratios_are_ours_over_theirs_per_route_and_clients() -> None:
    def mk(system: str, route: str, clients: int, p: float, rps: float) -> dict[str, object]:
        return {"system": system, "route": route, "clients": clients, "p50_ms": p, "p95_ms": 2 * p,
                "p99_ms": 3 * p, "per_second": rps}  # fmt: skip

    rows = [
        mk("gongbao", "search", 1, 6.0, 100.0),
        mk("langchain", "search", 1, 4.0, 200.0),
        mk("gongbao", "ask", 16, 30.0, 50.0),  # no langchain cell to compare with: no ratio
    ]
    assert ratios(rows) == [
        {"route": "search", "clients": 1, "p50_ms": 1.5, "p95_ms": 1.5, "p99_ms": 1.5, "per_second": 0.5}
    ]


def test_slope_is_the_growth_exponent() -> None:
    assert slope([(10, 10.0), (1000, 1000.0)]) == pytest.approx(1.0)
    assert slope([(100, 10.0), (10_000, 100.0), (1_000_000, 1000.0)]) == pytest.approx(0.5)
    assert slope([(100, 3.0), (10_000, 3.0)]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        slope([(100, 3.0)])


def test_the_milvus_table_is_read_per_store_and_size() -> None:
    table = "\n".join(
        [
            "| | faiss 1× (1,000 chunks) | milvus 1× (1,000 chunks) | milvus 10× (10,000 chunks) |",
            "|---|---|---|---|",
            "| build: first `rag.load`, s | 1.5 | 2.5 | 25.0 |",
            "| restart: `rag.load` in a new process, s | 3 | 4 | 5 |",
            "| search p50 / p95, ms | 10.0 / 20.0 | 11.0 / 30.0 | 110.0 / 300.0 |",
            "| ask p50 / p95, ms | 12.0 / 22.0 | 13.0 / 33.0 | 130.0 / 330.0 |",
            "| serving RSS after the queries, MB | 600 | 700 | 1,700 |",
            "| on disk, MB | faiss 17.5 | milvus 11.0, writer caches 9.0 | milvus 110.0, writer caches 90.0 |",
        ]
    )
    stores = milvus_table(table)
    assert set(stores) == {"faiss", "milvus"}
    milvus = stores["milvus"]
    assert milvus["build_s"] == [(1000, 2.5), (10_000, 25.0)]
    assert milvus["search_p50_ms"] == [(1000, 11.0), (10_000, 110.0)]  # p50, not p95
    assert milvus["rss_mb"] == [(1000, 700.0), (10_000, 1700.0)]
    assert milvus["disk_mb"] == [(1000, 20.0), (10_000, 200.0)]  # the Lite file and the writer caches
    assert stores["faiss"]["ask_p50_ms"] == [(1000, 12.0)]
    assert slope(milvus["build_s"]) == pytest.approx(1.0)


def test_the_committed_milvus_report_parses_to_both_stores_at_two_sizes() -> None:
    stores = milvus_table((REPORTS / "scale_milvus.md").read_text(encoding="utf-8"))
    assert set(stores) == {"faiss", "milvus"}
    for series in stores.values():
        for points in series.values():
            assert len({n for n, _ in points}) == 2 and all(v > 0 and not math.isnan(v) for _, v in points)
