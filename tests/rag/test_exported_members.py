"""The package face of `rag`: exactly these names, each defined in the project (modelled on httpx's test)."""

from __future__ import annotations

import inspect

import rag

EXPECTED = {
    "ANSWER_K",
    "PROJECT_ROOT",
    "Answer",
    "AnswerConfig",
    "Citation",
    "Clause",
    "Gongbao",
    "GongbaoError",
    "Hit",
    "NotFoundError",
    "Question",
    "Ranking",
    "Retriever",
    "RetrieverConfig",
    "Settings",
    "UnknownFilterError",
    "UnknownModeError",
    "build",
    "cite",
    "extractive_answer",
    "get_settings",
    "load",
    "read_corpus",
    "with_upload",
    "without_document",
}


def test_all_exports() -> None:
    assert set(rag.__all__) == EXPECTED
    assert len(rag.__all__) == len(EXPECTED)  # no name twice


def test_exported_members_are_importable_and_ours() -> None:
    for name in rag.__all__:
        member = getattr(rag, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert member.__module__.split(".")[0] in ("rag", "index"), (name, member.__module__)
