"""Serving latency and throughput over real HTTP: gongbao (`gongbao serve`, the app of api.app.create_app under
uvicorn) beside the LangChain-default pipeline (bench.perf_app) serving the same routes, in one run.

    python -m bench.perf                                   # 1, 4, 16 clients × 30 s per cell
    python -m bench.perf --clients 1 4 --duration 10 --out reports/perf-short.md

Both servers start on loopback and are warmed up; then for each number of clients, each route (`POST
/v1/search`, `POST /v1/ask`) and each system in turn, that many closed-loop clients send the dev questions
(eval/gold/dev, never the test split) for `--duration` seconds. Each cell records requests, errors, p50/p95/p99
latency, throughput and the machine's 1-minute load average before and after it. The report gives gongbao's
figure over LangChain's as a ratio (latency: > 1 means gongbao is slower; throughput: > 1 means gongbao serves
more). Client and servers share the machine's cores, so the figures are those of this machine at that load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.load import ROOT, _check_loopback, _free_port, questions, start_server

SYSTEMS = ("gongbao", "langchain")
ROUTES = ("search", "ask")


@dataclass(frozen=True)
class Cell:
    """One measured cell: a system serving a route to `clients` concurrent clients for `seconds`."""

    system: str
    route: str
    clients: int
    seconds: float
    latencies_ms: tuple[float, ...]
    errors: int
    load_before: float
    load_after: float


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of `values` (linear interpolation between order statistics; one value is all three)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


def row(cell: Cell) -> dict[str, Any]:
    """A cell's figures: requests, errors, p50/p95/p99 in ms, successful requests per second, load averages."""
    ok = list(cell.latencies_ms)
    p50, p95, p99 = percentiles(ok) if ok else (float("nan"),) * 3
    return {
        "system": cell.system,
        "route": cell.route,
        "clients": cell.clients,
        "requests": len(ok) + cell.errors,
        "errors": cell.errors,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "p99_ms": round(p99, 2),
        "per_second": round(len(ok) / cell.seconds, 2),
        "load_before": round(cell.load_before, 2),
        "load_after": round(cell.load_after, 2),
    }


def ratios(rows: list[dict[str, Any]], ours: str = "gongbao", theirs: str = "langchain") -> list[dict[str, Any]]:
    """For each (route, clients) both systems were measured at: `ours` over `theirs` for p50/p95/p99 and
    throughput."""
    by = {(r["system"], r["route"], r["clients"]): r for r in rows}
    out = []
    for (system, route, clients), mine in by.items():
        other = by.get((theirs, route, clients))
        if system != ours or other is None:
            continue
        ratio = {"route": route, "clients": clients}
        for key in ("p50_ms", "p95_ms", "p99_ms", "per_second"):
            ratio[key] = round(mine[key] / other[key], 2) if other[key] else float("nan")
        out.append(ratio)
    return out


async def _client(url: str, route: str, seed: int, deadline: float, asked: list[str], out: list[float]) -> int:
    rng = random.Random(seed)
    errors = 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        while time.monotonic() < deadline:
            question = rng.choice(asked)
            body = {"query": question, "k": 5} if route == "search" else {"question": question}
            started = time.perf_counter()
            try:
                r = await client.post(f"/v1/{route}", json=body)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                out.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1
    return errors


async def measure(url: str, system: str, route: str, clients: int, seconds: float, asked: list[str]) -> Cell:
    """`clients` closed-loop clients posting the questions to `route` for `seconds`."""
    _check_loopback(url)
    latencies: list[float] = []
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    deadline = started + seconds
    errors = await asyncio.gather(*[_client(url, route, s, deadline, asked, latencies) for s in range(clients)])
    elapsed = time.monotonic() - started  # the last requests finish after the deadline
    return Cell(system, route, clients, elapsed, tuple(latencies), sum(errors), load_before, os.getloadavg()[0])


def report(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The Markdown report: the command, the setting, every cell, and the ratios."""
    lines = [
        "# Serving performance over HTTP: gongbao beside a LangChain-default pipeline",
        "",
        f"Command: `{meta['command']}`  ",
        f"Run {meta['started']} → {meta['ended']} (UTC), {os.cpu_count()} CPUs shared by the load client and both "
        f"servers; {meta['duration']:.0f} s per cell after {meta['warmup']} warm-up requests per route and "
        f"system; {meta['questions']} dev questions (eval/gold/dev) drawn at random by closed-loop clients.",
        "",
        "- **gongbao**: `gongbao serve` (api.app.create_app under uvicorn, its middleware and JSON request log "
        f"included), {meta['gongbao_chunks']} clause chunks, hybrid dense + BM25 retrieval, extractive cited answers.",
        "- **langchain**: bench/perf_app.py, the eval's LangChain-default baseline (RecursiveCharacterTextSplitter "
        f"500/50 over the raw corpus files, the same embedder, flat FAISS), {meta['langchain_chunks']} chunks, plain "
        "uvicorn + FastAPI with the same request/response shapes; its ask is the same extractive answerer over its "
        "top chunks.",
        "",
        f"Machine load average (1 min) at the start and the end of the run: {meta['load_start']} / "
        f"{meta['load_end']}; per cell in the table below. This run itself keeps about 1–2 of the "
        f"{os.cpu_count()} CPUs busy (client + server); a load well above that is other work on the machine.",
        "",
        "## Cells",
        "",
        "| route | clients | system | requests | errors | p50 ms | p95 ms | p99 ms | req/s | load before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['route']} | {r['clients']} | {r['system']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['per_second']} | {r['load_before']} → {r['load_after']} |"
        )
    lines += [
        "",
        "## gongbao / langchain",
        "",
        "Latency ratios > 1: gongbao is slower; throughput ratio > 1: gongbao serves more requests per second.",
        "",
        "| route | clients | p50 | p95 | p99 | throughput |",
        "|---|---|---|---|---|---|",
    ]
    for r in ratios(rows):
        lines.append(
            f"| {r['route']} | {r['clients']} | {r['p50_ms']}× | {r['p95_ms']}× | {r['p99_ms']}× | {r['per_second']}× |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--duration", type=float, default=30, help="seconds per cell")
    parser.add_argument("--warmup", type=int, default=20, help="requests per route and system before measuring")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "perf.md")
    args = parser.parse_args(argv)
    if args.duration > 600 or max(args.clients) > 64:
        raise SystemExit("bounded by design: at most 64 clients and 600 s per cell")
    asked = questions()
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    load_start = round(os.getloadavg()[0], 2)
    g_port, l_port = _free_port(), _free_port()
    servers = [start_server(g_port)]
    try:
        servers.append(start_server(l_port, module="bench.perf_app", args=()))
        urls = {"gongbao": f"http://127.0.0.1:{g_port}", "langchain": f"http://127.0.0.1:{l_port}"}
        chunks = {s: httpx.get(f"{u}/healthz", timeout=10).json()["chunks"] for s, u in urls.items()}
        for url in urls.values():  # warm: first requests load lazies and fill caches
            for route in ROUTES:
                asyncio.run(_warm(url, route, asked[: args.warmup]))
        rows = []
        for clients in args.clients:
            for route in ROUTES:
                for system in SYSTEMS:  # alternating systems per cell: a change of machine load hits both alike
                    cell = asyncio.run(measure(urls[system], system, route, clients, args.duration, asked))
                    rows.append(row(cell))
                    print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    finally:
        for process in servers:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    meta = {
        "command": ("python -m bench.perf " + " ".join(argv if argv is not None else sys.argv[1:])).strip(),
        "started": started,
        "ended": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "duration": args.duration,
        "warmup": args.warmup,
        "questions": len(asked),
        "gongbao_chunks": chunks["gongbao"],
        "langchain_chunks": chunks["langchain"],
        "load_start": load_start,
        "load_end": round(os.getloadavg()[0], 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(rows, meta), encoding="utf-8")
    data = {"meta": meta, "cells": rows, "ratios": ratios(rows)}
    args.out.with_suffix(".json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))
    return 0


async def _warm(url: str, route: str, asked: list[str]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        for question in asked:
            body = {"query": question, "k": 5} if route == "search" else {"question": question}
            r = await client.post(f"/v1/{route}", json=body)
            r.raise_for_status()


if __name__ == "__main__":
    raise SystemExit(main())
