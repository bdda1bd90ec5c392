"""Dependencies shared by the routers: the service being served, and the admin check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag import Gongbao

_bearer = HTTPBearer(auto_error=False, description="GONGBAO_ADMIN_KEY")


def get_service(request: Request) -> Gongbao:
    """The service snapshot this request works on; an upload swaps in a new one without disturbing readers."""
    service: Gongbao = request.app.state.service
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
