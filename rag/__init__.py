"""Retrieval and cited answers over the parsed gazettes. Start with `rag.load()`.

The package face: what `api/` and `eval/` use (pinned by tests/rag/test_exported_members.py).
"""

from index.errors import GongbaoError, NotFoundError, UnknownFilterError, UnknownModeError
from rag.answer import extractive_answer
from rag.config import AnswerConfig, RetrieverConfig
from rag.corpus import with_upload, without_document
from rag.evidence import Clause
from rag.models import Answer, Citation, Hit
from rag.question import Question
from rag.retriever import Ranking, Retriever
from rag.service import ANSWER_K, Gongbao, build, cite, load, read_corpus
from rag.settings import PROJECT_ROOT, Settings, get_settings

__all__ = [
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
]
