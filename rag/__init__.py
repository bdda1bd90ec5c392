"""Retrieval and cited answers over the parsed gazettes. Start with `rag.load()`."""

from rag.service import Gongbao, load

__all__ = ["Gongbao", "load"]
