"""Dependencies shared by the routers: the service being served, the HTTP settings, and the admin check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.settings import HttpSettings
from rag import Gongbao

_bearer = HTTPBearer(auto_error=False, description="GONGBAO_ADMIN_KEY")

# The `code` of a JSON error, by HTTP status.
ERROR_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
    507: "insufficient_storage",
}


def get_service(request: Request) -> Gongbao:
    """The service snapshot this request works on; an upload swaps in a new one without disturbing readers.

    503 (with Retry-After) while the service is still loading, or if loading it failed.
    """
    service: Gongbao | None = request.app.state.service
    if service is None:
        failed = request.app.state.startup_error
        reason = f"the service failed to load: {failed}" if failed else "the service is starting: loading the index"
        raise HTTPException(503, reason, headers={"Retry-After": "5"})
    # With Milvus, another replica may have changed the shared corpus: serve the newer snapshot from now on.
    fresh = service.refreshed()
    if fresh is not service:
        request.app.state.service = fresh
    return fresh


Service = Annotated[Gongbao, Depends(get_service)]


def get_http(request: Request) -> HttpSettings:
    """The HTTP front's settings this app was built with (api.settings, not the query service's)."""
    http: HttpSettings = request.app.state.http
    return http


Http = Annotated[HttpSettings, Depends(get_http)]


def admin_refusal(key: str, authorization: str | None) -> HTTPException | None:
    """Why a request with this Authorization header may not make admin changes (None: it may).

    403 when no key is configured, 401 without a bearer token, 403 with a wrong one (compared in constant time).
    """
    if not key:
        return HTTPException(403, "admin routes are disabled: set GONGBAO_ADMIN_KEY on the server to enable them")
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return HTTPException(401, "admin key required: send Authorization: Bearer <GONGBAO_ADMIN_KEY>")
    if not hmac.compare_digest(token.strip().encode(), key.encode()):
        return HTTPException(403, "wrong admin key")
    return None


def require_admin(http: Http, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Allow the request only with `Authorization: Bearer $GONGBAO_ADMIN_KEY`; 403 when no key is configured.

    (Requests to the admin routes are also checked before their body is read: api.limits.AdminGate.)
    """
    key = http.admin_secret()
    header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    refusal = admin_refusal(key, header)
    if refusal is not None:
        raise refusal
