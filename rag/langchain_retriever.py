"""LangChain interface: the service's search as a `BaseRetriever`, for users who compose their own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.service import Gongbao


class GongbaoRetriever(BaseRetriever):
    """Clause search over the gazettes; each LangChain document carries the citation fields in its metadata.

    >>> retriever = GongbaoRetriever(service=rag.load(), k=5)
    >>> retriever.invoke("稳岗返还比例")[0].metadata["doc_number"]
    '青政办〔2022〕30号'
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: Gongbao
    k: int = 5
    filters: dict[str, Any] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[LCDocument]:
        k = int(kwargs.get("k", self.k))
        hits = self.service.search(query, k=k, filters=kwargs.get("filters", self.filters))
        return [
            LCDocument(
                page_content=h.text,
                id=h.chunk_id,
                metadata=h.model_dump(mode="json", exclude={"text"}),
            )
            for h in hits
        ]
