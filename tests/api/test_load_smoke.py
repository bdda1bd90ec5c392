"""The bounded version of bench/load.py that CI runs: a few clients for a few seconds against the session's
server, every kind of request, no errors, and a report with the targets checked."""

from __future__ import annotations

import asyncio
import os

import pytest

from bench.load import KINDS, drive, report, summary


def test_a_short_mixed_load_has_no_errors(base_url: str) -> None:
    run = asyncio.run(drive(base_url, clients=4, duration=6, cold_seconds=2, pid=os.getpid()))
    data = summary(run, 6, 2)
    everything = data["phases"]["all"]
    assert everything["all"]["errors"] == 0, data["error_samples"]
    assert set(KINDS) <= set(everything) and everything["all"]["requests"] >= 8
    assert data["rss_mb"]["peak"] > 0 and "zero_errors: met" in report(
        data, {"command": "test", "clients": 4, "duration": 6, "cold_seconds": 2}
    )


def test_load_is_only_sent_to_loopback() -> None:
    with pytest.raises(SystemExit, match="loopback"):
        asyncio.run(drive("http://example.com:8000", clients=1, duration=1, cold_seconds=0))
