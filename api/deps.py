"""Request dependencies: the session, the caller, and the service context built from both."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.runtime import Runtime
from health.errors import Unauthorized
from health.services.context import Actor, Ctx

bearer = HTTPBearer(auto_error=False, description="Bootstrap API token (OH_API_TOKEN)")


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def session(request: Request) -> Session:
    existing: Session | None = getattr(request.state, "session", None)
    if existing is None:
        existing = runtime(request).sessions()
        request.state.session = existing
    return existing


def actor(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    """Deny by default: every route but the health checks needs the bearer token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("a bearer token is required", code="missing_token")
    expected = runtime(request).api_token.encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise Unauthorized("the bearer token is not valid", code="invalid_token")
    client = request.client.host if request.client else None
    return Actor(id="api-token", role="operator", source=client)


def ctx(
    request: Request,
    caller: Annotated[Actor, Depends(actor)],
    db: Annotated[Session, Depends(session)],
) -> Ctx:
    return Ctx(db, runtime(request).vault, caller)


CtxDep = Annotated[Ctx, Depends(ctx)]
SessionDep = Annotated[Session, Depends(session)]
