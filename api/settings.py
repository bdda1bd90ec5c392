"""The HTTP front's own settings, read from the same GONGBAO_* environment variables as the service's.

The query service (`rag.settings.Settings`) knows nothing of HTTP: the admin key, the upload and body limits, the
chat 「来源」 list and the connection limits of `gongbao serve` are read here, by `api/`, and only here.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class HttpSettings(BaseSettings):
    """What the HTTP front needs. Every field can be set as GONGBAO_<NAME> (e.g. GONGBAO_ADMIN_KEY)."""

    model_config = SettingsConfigDict(env_prefix="GONGBAO_", env_file=None, extra="ignore")

    admin_key: SecretStr | None = Field(
        None, description="Bearer token for POST/DELETE /v1/documents; unset = admin routes refuse (403)."
    )
    max_upload_bytes: int = Field(5_000_000, gt=0, description="Largest gazette file accepted by upload (413).")
    max_body_bytes: int = Field(
        4_000_000, gt=0, description="Largest JSON request body (413), refused before it is parsed."
    )
    max_upload_chunks: int = Field(
        5_000,
        gt=0,
        description="Most clauses one uploaded gazette may add (422 above; bundled issues have 140-522).",
    )
    background_upload_chunks: int = Field(
        1_000,
        ge=0,
        description="Uploads of more clauses than this are indexed in the background: 202 and a job to poll at "
        "GET /v1/jobs/{id}.",
    )
    chat_sources: bool = Field(
        True, description="Append a short 「来源」 list to chat answers (for clients that drop the `citations` field)."
    )
    keep_alive_seconds: int = Field(5, gt=0, description="An idle kept-alive HTTP connection is closed after this.")
    header_timeout_seconds: float = Field(
        10.0, gt=0, description="A connection that has not sent a complete request head within this is closed."
    )
    max_connections: int = Field(
        1_000, gt=0, description="Open connections (and tasks) beyond this are answered 503 at once."
    )

    def admin_secret(self) -> str:
        """The admin key as text ('' when none is configured: the admin routes then refuse)."""
        return self.admin_key.get_secret_value() if self.admin_key else ""


@lru_cache(maxsize=1)
def get_http_settings() -> HttpSettings:
    """The process-wide HTTP settings (read once from the environment)."""
    return HttpSettings()
