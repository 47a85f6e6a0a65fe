"""Request dependencies: the session, the caller, and the service context built from both."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from api.runtime import Runtime
from health.errors import Unauthorized
from health.services import accounts
from health.services.context import Actor, Ctx

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def session(request: Request) -> Session:
    existing: Session | None = getattr(request.state, "session", None)
    if existing is None:
        existing = runtime(request).sessions()
        request.state.session = existing
    return existing


def _anonymous(request: Request) -> Actor:
    return Actor(
        id="anonymous", role="anonymous", source=request.client.host if request.client else None
    )


def anonymous_ctx(request: Request, db: Annotated[Session, Depends(session)]) -> Ctx:
    """For the login and refresh routes, which establish identity rather than require it."""
    ctx = Ctx(db, runtime(request).vault, _anonymous(request))
    request.state.ctx = ctx
    return ctx


def ctx(
    request: Request,
    token: Annotated[str | None, Depends(oauth2)],
    db: Annotated[Session, Depends(session)],
) -> Ctx:
    """Deny by default: every route but the probes and login needs a valid access token."""
    if not token:
        raise Unauthorized("a bearer token is required", code="missing_token")
    rt = runtime(request)
    base = Ctx(db, rt.vault, _anonymous(request))
    context = Ctx(db, rt.vault, accounts.authenticate(base, rt.auth, token))
    request.state.ctx = context
    return context


CtxDep = Annotated[Ctx, Depends(ctx)]
AnonymousCtxDep = Annotated[Ctx, Depends(anonymous_ctx)]
SessionDep = Annotated[Session, Depends(session)]


def auth_policy(request: Request) -> accounts.AuthPolicy:
    return runtime(request).auth


PolicyDep = Annotated[accounts.AuthPolicy, Depends(auth_policy)]

RuntimeDep = Annotated[Runtime, Depends(runtime)]
