"""One settings object for the whole service, read from GONGBAO_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.formats import ReadOptions

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from index.milvus_store import Collections

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Service configuration. Every field can be set as GONGBAO_<NAME> (e.g. GONGBAO_INDEX_DIR)."""

    model_config = SettingsConfigDict(env_prefix="GONGBAO_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus", description="Directory of gazette files (.txt, .md, .pdf, .docx, .html) to serve."
    )
    index_dir: Path = Field(PROJECT_ROOT / ".gongbao" / "index", description="Where the built index lives.")
    log_level: str = Field("INFO", description="Python logging level.")
    embed_model: str = Field(
        "use",
        description="'use' (bundled Universal Sentence Encoder, Apache-2.0), 'm3e-small' (bundled, non-commercial "
        "research licence) or a local sentence-transformers model directory.",
    )
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8001/v1); unset = no LLM mode."
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the LLM endpoint.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the LLM endpoint.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before an LLM call falls back to extractive.")
    vector_store: Literal["faiss", "milvus"] = Field(
        "faiss",
        description="'faiss': the embedded FAISS + BM25 index in GONGBAO_INDEX_DIR (one machine, nothing to run); "
        "'milvus': Milvus at GONGBAO_MILVUS_URI, shared by any number of replicas.",
    )
    milvus_uri: str = Field(
        str(PROJECT_ROOT / ".gongbao" / "milvus.db"),
        description="A file path ending in .db runs Milvus Lite in process; http://host:19530 reaches a Milvus "
        "standalone or cluster.",
    )
    milvus_token: SecretStr | None = Field(None, description="Milvus credentials ('user:password' or an API key).")
    milvus_collection: str = Field(
        "gongbao",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$",
        description="Name prefix of the Milvus collections (<name>_chunks, <name>_corpus).",
    )
    milvus_refresh_seconds: float = Field(
        5.0,
        ge=0,
        description="How often a replica checks whether another replica changed the corpus in Milvus (at most once "
        "per this many seconds, on a request); 0 checks on every request.",
    )

    max_pages: int = Field(500, gt=0, description="Most pages read from a PDF (more: refused, 413).")
    max_extracted_chars: int = Field(
        3_000_000, gt=0, description="Most characters of text taken from one file of any format (more: refused, 413)."
    )
    ocr: Literal["tesseract"] | None = Field(
        None, description="'tesseract' reads scanned PDF pages with OCR (chi_sim); unset = a scan is refused."
    )

    @model_validator(mode="after")
    def _separate_folders(self) -> Settings:
        """The index folder is replaced on every rebuild: it must not be, contain, or sit inside the corpus."""
        corpus, index = self.corpus_dir.expanduser().resolve(), self.index_dir.expanduser().resolve()
        if corpus == index or corpus in index.parents or index in corpus.parents:
            raise ValueError(
                f"GONGBAO_INDEX_DIR ({index}) and GONGBAO_CORPUS_DIR ({corpus}) overlap; the index folder is "
                "replaced on every rebuild, so it must be a separate folder"
            )
        return self

    def read_options(self) -> ReadOptions:
        """The limits and OCR engine that the format readers in index/ take as a parameter."""
        return ReadOptions(max_pages=self.max_pages, max_chars=self.max_extracted_chars, ocr=self.ocr)

    def milvus(self) -> tuple[MilvusClient, Collections]:
        """A client of GONGBAO_MILVUS_URI (with GONGBAO_MILVUS_TOKEN) and the names of its collections. pymilvus is
        imported here, on demand: it takes seconds, and a FAISS deployment never needs it."""
        from index.milvus_store import Collections, connect

        token = self.milvus_token.get_secret_value() if self.milvus_token else ""
        return connect(self.milvus_uri, token), Collections(self.milvus_collection)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
