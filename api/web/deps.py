"""Page dependencies: the signed-in caller (or a redirect to sign in) and the runtime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.runtime import Runtime
from api.web.render import db_session, runtime_of
from api.web.session import LoginRequired, anonymous_ctx, signed_in_ctx
from health.services.context import Ctx


def page_ctx(request: Request) -> Ctx:
    """Deny by default: every page but sign-in needs a live session."""
    ctx = signed_in_ctx(request, db_session(request), runtime_of(request))
    if ctx is None:
        raise LoginRequired("sign in first", code="login_required")
    return ctx


def optional_ctx(request: Request) -> Ctx | None:
    return signed_in_ctx(request, db_session(request), runtime_of(request))


def public_ctx(request: Request) -> Ctx:
    return anonymous_ctx(request, db_session(request), runtime_of(request))


async def runtime(request: Request) -> Runtime:
    return runtime_of(request)


PageCtx = Annotated[Ctx, Depends(page_ctx)]
MaybeCtx = Annotated[Ctx | None, Depends(optional_ctx)]
PublicCtx = Annotated[Ctx, Depends(public_ctx)]
WebRuntime = Annotated[Runtime, Depends(runtime)]
