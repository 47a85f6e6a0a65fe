"""Request dependencies: the session, the caller, and the service context built from both."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.runtime import Runtime
from health.errors import Forbidden, Unauthorized
from health.services import access, accounts, session_cache
from health.services.context import INTEGRATOR, Actor, Ctx, anonymous

FHIR_PREFIX = "/fhir/"
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def _runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


async def runtime(request: Request) -> Runtime:
    """Async on purpose: trivial dependencies should not hop to the thread pool."""
    return _runtime(request)


def _session(request: Request) -> Session:
    existing: Session | None = getattr(request.state, "session", None)
    if existing is None:
        existing = _runtime(request).sessions()
        request.state.session = existing
    return existing


async def session(request: Request) -> Session:
    """Created here (no I/O until first use) and committed by ``TransactionRoute``."""
    return _session(request)


def _anonymous(request: Request) -> Actor:
    return anonymous(request.client.host if request.client else None)


async def anonymous_ctx(request: Request, db: Annotated[Session, Depends(session)]) -> Ctx:
    """For the login and refresh routes, which establish identity rather than require it."""
    ctx = Ctx(db, _runtime(request).vault, _anonymous(request))
    request.state.ctx = ctx
    return ctx


async def ctx(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Ctx:
    """Deny by default: every route but the probes and login needs a valid access token.

    A token checked in the last few seconds is answered from memory without a thread hop or a
    database round trip (``session_cache`` states the bound); otherwise it is checked in full.
    The session is the request's one (``session``), taken directly: a sub-dependency costs
    FastAPI more per request than making it.
    """
    if not token:
        raise Unauthorized("a bearer token is required", code="missing_token")
    rt = _runtime(request)
    db = _session(request)
    base = Ctx(db, rt.vault, _anonymous(request))
    actor = session_cache.remembered(base, rt.session_cache, token)
    if actor is None:
        actor = await run_in_threadpool(
            session_cache.authenticate, base, rt.auth, rt.session_cache, token
        )
    context = Ctx(db, rt.vault, actor)
    request.state.ctx = context
    if actor.role == INTEGRATOR and not request.url.path.startswith(FHIR_PREFIX):
        # A client credential is scoped to the FHIR facade: deny by default everywhere else.
        access.deny(context, "api.request", "route")
        raise Forbidden("integrator tokens read the FHIR facade only", code="role_forbidden")
    return context


CtxDep = Annotated[Ctx, Depends(ctx)]
AnonymousCtxDep = Annotated[Ctx, Depends(anonymous_ctx)]
SessionDep = Annotated[Session, Depends(session)]


async def auth_policy(request: Request) -> accounts.AuthPolicy:
    return _runtime(request).auth


PolicyDep = Annotated[accounts.AuthPolicy, Depends(auth_policy)]

RuntimeDep = Annotated[Runtime, Depends(runtime)]
