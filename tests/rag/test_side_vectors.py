"""RetrieverConfig.side_vectors: a comparison's sides searched with their own vectors, or with the question's."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from rag.config import RETRIEVAL
from rag.retriever import Retriever


class _Counting:
    """An embedder stand-in: each text's vector is its length, and what was embedded is recorded."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    def encode_query_groups(self, groups: list[list[str]]) -> list[np.ndarray]:
        return [self.encode_queries(g) for g in groups]


def _retriever(side_vectors: bool) -> tuple[Retriever, _Counting]:
    retriever = Retriever.__new__(Retriever)  # _embed reads the config and the embedder only
    embedder = _Counting()
    retriever.config = replace(RETRIEVAL, side_vectors=side_vectors)
    retriever.embedder = embedder  # type: ignore[assignment]
    return retriever, embedder


QUESTION, SIDES = "甲乡和乙镇的补助标准各是多少", ["甲乡的补助标准各是多少", "乙镇的补助标准各是多少？"]


def test_the_sides_are_embedded_with_the_question_by_default() -> None:
    retriever, embedder = _retriever(True)
    whole, sides = retriever._embed(QUESTION, SIDES)
    assert embedder.embedded == [QUESTION, *SIDES]
    assert whole is not None and sides is not None
    assert [float(v[0]) for v in sides] == [float(len(s)) for s in SIDES]


def test_without_side_vectors_only_the_question_is_embedded_and_each_side_gets_its_vector() -> None:
    retriever, embedder = _retriever(False)
    whole, sides = retriever._embed(QUESTION, SIDES)
    assert embedder.embedded == [QUESTION]
    assert whole is not None and sides is not None and len(sides) == len(SIDES)
    assert all(np.array_equal(v, whole) for v in sides)
