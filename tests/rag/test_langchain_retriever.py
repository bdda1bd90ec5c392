"""The LangChain retriever passes langchain-tests' standard retriever suite on the real index."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests

import rag
from rag.langchain_retriever import GongbaoRetriever


class TestGongbaoRetriever(RetrieversIntegrationTests):
    _service: rag.Gongbao

    @pytest.fixture(autouse=True)
    def _bind_service(self, service: rag.Gongbao) -> None:
        type(self)._service = service

    @property
    def retriever_constructor(self) -> type[GongbaoRetriever]:
        return GongbaoRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"service": self._service}

    @property
    def retriever_query_example(self) -> str:
        return "稳岗返还比例提高到多少"


def test_metadata_carries_the_citation(service: rag.Gongbao) -> None:
    docs = GongbaoRetriever(service=service, k=3).invoke("2022年助企纾困十条里稳岗返还比例提高到多少？")
    assert len(docs) == 3
    top = next(d for d in docs if "90%" in d.page_content)
    assert top.metadata["doc_number"] == "青政办〔2022〕30号" and top.metadata["section"] == ["一、援企稳岗"]
    assert top.id == top.metadata["chunk_id"]
