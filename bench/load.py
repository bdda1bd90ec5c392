"""Bounded load on a gongbao server over loopback: N clients for a fixed time, mixing search, ask, cite and
streaming chat; a cold phase (right after a restart that reuses the index) and a warm phase; a Markdown report.

    python -m bench.load                                  # 50 clients × 300 s: starts its own `gongbao serve`
    python -m bench.load --clients 10 --duration 30 --out reports/load-short.md
    python -m bench.load --url http://127.0.0.1:8000 --pid 1234   # an already running server (RSS via its pid)

Only loopback addresses are accepted, every request has a time-out, and the run stops by itself after
`--duration` seconds (the server it started is stopped with SIGTERM). The report gives, per phase and per
kind of request: requests, errors, p50/p95/p99 latency and throughput, and the server's RSS at the start, its
peak and at the end, with the targets (0 errors, RSS growth ≤ 10 %, cold p95 within 2× warm) checked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
KINDS = ("search", "ask", "cite", "chat-stream")
WEIGHTS = (0.35, 0.35, 0.15, 0.15)
CITES = ["青政办〔2020〕64号第八条", "助企纾困十条第三条", "青政办〔2022〕30号", "青政〔2020〕60号第三条"]
FALLBACK_QUESTIONS = [
    "2022年助企纾困十条里稳岗返还比例提高到多少？",
    "盐湖产业2025年的目标是什么？",
    "高原美丽城镇示范省建设的目标？",
]


@dataclass
class Result:
    kind: str
    phase: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)
    started: float = 0.0


def questions() -> list[str]:
    """Questions of the gold dev split (real users' kind of questions), or a few fixed ones."""
    found = []
    for path in sorted((ROOT / "eval" / "gold" / "dev").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line)["question"])
    return found or FALLBACK_QUESTIONS


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to send load to {host!r}: bench/load.py only targets loopback addresses")


async def _one(client: httpx.AsyncClient, kind: str, rng: random.Random, asked: list[str]) -> None:
    question = rng.choice(asked)
    if kind == "search":
        r = await client.post("/v1/search", json={"query": question, "k": 5})
    elif kind == "ask":
        r = await client.post("/v1/ask", json={"question": question})
    elif kind == "cite":
        r = await client.get("/v1/cite", params={"ref": rng.choice(CITES)})
        if r.status_code == 404:  # a citation this corpus does not hold is an answer, not an error
            return
    else:
        body = {"model": "gongbao", "messages": [{"role": "user", "content": question}], "stream": True}
        async with client.stream("POST", "/v1/chat/completions", json=body) as r:
            text = "".join([chunk async for chunk in r.aiter_text()])
            if r.status_code == 200 and not text.rstrip().endswith("data: [DONE]"):
                raise RuntimeError("stream ended without [DONE]")
            if '"error"' in text.split("data: [DONE]")[0][-400:]:
                raise RuntimeError("stream reported an error")
    if r.status_code != 200:
        raise RuntimeError(f"HTTP {r.status_code}: {r.text[:120]}")


async def _client(
    url: str, seed: int, deadline: float, cold_until: float, run: Run, asked: list[str], timeout: float
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        while time.monotonic() < deadline:
            kind = rng.choices(KINDS, WEIGHTS)[0]
            started = time.monotonic()
            phase = "cold" if started < cold_until else "warm"
            try:
                await _one(client, kind, rng, asked)
                run.results.append(Result(kind, phase, time.monotonic() - started, True))
            except Exception as exc:
                run.results.append(
                    Result(kind, phase, time.monotonic() - started, False, f"{type(exc).__name__}: {exc}")
                )


async def _sample_rss(pid: int | None, deadline: float, run: Run) -> None:
    if pid is None:
        return
    process = psutil.Process(pid)
    while time.monotonic() < deadline + 1:
        try:
            rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
        except psutil.Error:
            return
        run.rss.append((time.monotonic(), rss))
        await asyncio.sleep(1)


async def drive(
    url: str, clients: int, duration: float, cold_seconds: float, pid: int | None = None, timeout: float = 60
) -> Run:
    """Send the mixed load for `duration` seconds with `clients` concurrent clients; the first `cold_seconds`
    count as the cold phase."""
    _check_loopback(url)
    now = time.monotonic()
    run = Run(started=now)
    deadline, cold_until = now + duration, now + cold_seconds
    asked = questions()
    tasks = [_client(url, seed, deadline, cold_until, run, asked, timeout) for seed in range(clients)]
    await asyncio.gather(_sample_rss(pid, deadline, run), *tasks)
    return run


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else 0.0
        return v, v, v
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


def summary(run: Run, duration: float, cold_seconds: float) -> dict[str, Any]:
    """Requests, errors, latency percentiles (ms) and throughput per phase and kind, RSS, and the targets."""
    out: dict[str, Any] = {"phases": {}}
    spans = {"cold": min(cold_seconds, duration), "warm": max(duration - cold_seconds, 1e-9), "all": duration}
    for phase in ("cold", "warm", "all"):
        rows = {}
        chosen = [r for r in run.results if phase == "all" or r.phase == phase]
        for kind in (*KINDS, "all"):
            rs = [r for r in chosen if kind == "all" or r.kind == kind]
            if not rs:
                continue
            p50, p95, p99 = _percentiles([r.seconds * 1000 for r in rs if r.ok] or [0.0])
            rows[kind] = {
                "requests": len(rs),
                "errors": sum(not r.ok for r in rs),
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(p99, 1),
                "per_second": round(len(rs) / spans[phase], 2),
            }
        out["phases"][phase] = rows
    errors = [r.detail for r in run.results if not r.ok]
    out["error_samples"] = sorted(set(errors))[:10]
    if run.rss:
        values = [v for _, v in run.rss]
        out["rss_mb"] = {"start": values[0] / 2**20, "peak": max(values) / 2**20, "end": values[-1] / 2**20}
        warm = [v for t, v in run.rss if t >= run.started + cold_seconds]
        if warm and cold_seconds > 0:  # growth once warmed up: caches filled in the cold phase are not a leak
            out["rss_mb"]["warm_start"] = warm[0] / 2**20
            out["rss_growth_warm"] = round((values[-1] - warm[0]) / warm[0], 4)
    cold, warm = out["phases"].get("cold", {}).get("all"), out["phases"].get("warm", {}).get("all")
    targets = {"zero_errors": len(errors) == 0}
    if "rss_mb" in out:
        growth = (out["rss_mb"]["end"] - out["rss_mb"]["start"]) / out["rss_mb"]["start"]
        out["rss_growth"] = round(growth, 4)
        targets["rss_growth_le_10pct"] = growth <= 0.10
    if cold and warm:
        out["cold_over_warm_p95"] = round(cold["p95_ms"] / max(warm["p95_ms"], 1e-9), 2)
        targets["cold_p95_within_2x_warm"] = out["cold_over_warm_p95"] <= 2.0
    out["targets"] = targets
    return out


def report(data: dict[str, Any], args: dict[str, Any]) -> str:
    lines = [
        "# Load test",
        "",
        f"Command: `{args['command']}`  ",
        f"{args['clients']} clients × {args['duration']:.0f} s over loopback (cold phase: the first "
        f"{args['cold_seconds']:.0f} s after the server reported ready, having restarted on an existing index); "
        f"mix: search 35 %, ask 35 %, cite 15 %, streaming chat 15 %; {os.cpu_count()} CPUs shared by client and "
        "server. Latencies are of successful requests.",
        "",
    ]
    if "load_average" in data:
        before, after = data["load_average"]
        lines += [f"Machine load average (1 min) at the start and the end: {before} / {after}.", ""]
    for phase, rows in data["phases"].items():
        lines += [
            f"## {phase}",
            "",
            "| kind | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
            "|---|---|---|---|---|---|---|",
        ]
        for kind, row in rows.items():
            lines.append(
                f"| {kind} | {row['requests']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | "
                f"{row['p99_ms']} | {row['per_second']} |"
            )
        lines.append("")
    if "rss_mb" in data:
        rss = data["rss_mb"]
        lines += [
            "## Server memory (RSS, with child processes)",
            "",
            f"start {rss['start']:.0f} MB, peak {rss['peak']:.0f} MB, end {rss['end']:.0f} MB "
            f"(growth {data['rss_growth'] * 100:+.1f} %)"
            + (
                f"; {rss['warm_start']:.0f} MB at the end of the cold phase (growth over the warm phase "
                f"{data['rss_growth_warm'] * 100:+.1f} %)"
                if "warm_start" in rss
                else ""
            ),
            "",
        ]
    lines += ["## Targets", ""]
    lines += [f"- {name}: {'met' if met else 'MISSED'}" for name, met in data["targets"].items()]
    if "cold_over_warm_p95" in data:
        lines.append(f"- cold p95 / warm p95 = {data['cold_over_warm_p95']}")
    if data["error_samples"]:
        lines += ["", "## Errors (samples)", ""] + [f"- {e}" for e in data["error_samples"]]
    return "\n".join(lines) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    port: int, ready_timeout: float = 600, module: str = "api.cli", args: tuple[str, ...] = ("serve",)
) -> subprocess.Popen[bytes]:
    """`python -m MODULE ARGS --host 127.0.0.1 --port PORT` (default: `gongbao serve`) in a subprocess, returned once
    its /healthz says ready (the index is reused). Its output goes to .gongbao/<module>.log."""
    (ROOT / ".gongbao").mkdir(exist_ok=True)
    log_path = ROOT / ".gongbao" / f"{module}.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{module} exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise SystemExit(f"{module} did not become ready in {ready_timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load (the run stops by itself)")
    parser.add_argument("--cold-seconds", type=float, default=30, help="the first seconds, counted as cold")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--pid", type=int, help="the running server's pid, for its RSS")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "load.md")
    args = parser.parse_args(argv)
    if args.duration > 3600 or args.clients > 500:
        raise SystemExit("bounded by design: at most 500 clients and 3600 s")
    process = None
    url, pid = args.url, args.pid
    if url is None:
        port = _free_port()
        process = start_server(port)
        url, pid = f"http://127.0.0.1:{port}", process.pid
    load_before = os.getloadavg()[0]
    try:
        run = asyncio.run(drive(url, args.clients, args.duration, args.cold_seconds, pid))
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    data = summary(run, args.duration, args.cold_seconds)
    data["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    command = "python -m bench.load " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(data, {**vars(args), "command": command.strip()})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(text)
    return 0 if all(data["targets"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
