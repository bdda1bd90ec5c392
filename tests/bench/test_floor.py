"""bench.floor's report: the ratio and its verdict against the 1.2× target."""

from __future__ import annotations

from bench.floor import render


def test_the_verdict_follows_the_ratio() -> None:
    met = render({"chunks": 10, "floor_s": 10.0, "build_s": 11.0, "ratio": 1.1, "lexical_s": 0.8}, "cmd", (1.0, 1.0))
    missed = render({"chunks": 10, "floor_s": 10.0, "build_s": 13.0, "ratio": 1.3, "lexical_s": 2.5}, "cmd", (1.0, 1.0))
    assert "| 1.10× | met |" in met and "| 1.30× | missed |" in missed
    assert "Of the 3.0 s the build adds, the lexical part timed alone" in missed and "takes 2.5 s" in missed
