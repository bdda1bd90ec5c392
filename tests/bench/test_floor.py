"""bench.floor's report: the ratio and its verdict against the 1.2× target, and the lexical part's pieces."""

from __future__ import annotations

from bench.floor import render

PARTS = {
    "lexical_cpu_s": 2.4,
    "dictionary_cpu_s": 0.7,
    "jieba_by_block_cpu_s": 0.9,
    "jieba_per_text_cpu_s": 1.2,
    "char_cpu_s": 0.2,
}


def test_the_verdict_follows_the_ratio() -> None:
    met = render(
        {"chunks": 10, "floor_s": 10.0, "build_s": 11.0, "ratio": 1.1, "lexical_s": 0.8, **PARTS}, "cmd", (1.0, 1.0)
    )
    missed = render(
        {"chunks": 10, "floor_s": 10.0, "build_s": 13.0, "ratio": 1.3, "lexical_s": 2.5, **PARTS}, "cmd", (1.0, 1.0)
    )
    assert "| 1.10× | met |" in met and "| 1.30× | missed |" in missed
    assert (
        "Of the 3.0 s the build adds, the lexical part timed alone" in missed and "takes 2.5 s (2.40 s CPU)" in missed
    )
    assert "dictionary with the corpus terms 0.70, every chunk's jieba tokens 0.90" in missed
    assert "as it did before: 1.20), character tokens 0.20." in missed
    assert "The load exceeded" not in missed


def test_a_loaded_machine_is_said_to_blur_the_ratio() -> None:
    result = {"chunks": 10, "floor_s": 10.0, "build_s": 12.0, "ratio": 1.2, "lexical_s": 2.0, **PARTS}
    assert "**The load exceeded the" in render(result, "cmd", (99.0, 99.0))
