"""Dependencies shared by the routers: the service being served, and the admin check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag import Gongbao

_bearer = HTTPBearer(auto_error=False, description="GONGBAO_ADMIN_KEY")


def get_service(request: Request) -> Gongbao:
    """The service snapshot this request works on; an upload swaps in a new one without disturbing readers.

    503 (with Retry-After) while the service is still loading, or if loading it failed.
    """
    service: Gongbao | None = request.app.state.service
    if service is None:
        failed = request.app.state.startup_error
        reason = f"the service failed to load: {failed}" if failed else "the service is starting: loading the index"
        raise HTTPException(503, reason, headers={"Retry-After": "5"})
    return service


Service = Annotated[Gongbao, Depends(get_service)]


def require_admin(svc: Service, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Allow the request only with `Authorization: Bearer $GONGBAO_ADMIN_KEY`; 403 when no key is configured."""
    key = svc.settings.admin_key.get_secret_value() if svc.settings.admin_key else ""
    if not key:
        raise HTTPException(403, "admin routes are disabled: set GONGBAO_ADMIN_KEY on the server to enable them")
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "admin key required: send Authorization: Bearer <GONGBAO_ADMIN_KEY>")
    if not hmac.compare_digest(credentials.credentials.encode(), key.encode()):
        raise HTTPException(403, "wrong admin key")
