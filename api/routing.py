"""One commit point per request: the route class commits after the endpoint returns.

Not code after a ``yield`` in a dependency, which FastAPI may run after the response is sent.
When the endpoint fails, the transaction is rolled back and the context's deferred work (audit
of the refusal, a failed-login counter) is committed on its own.

A plain ``def`` endpoint is committed in the same worker thread that ran it, right after it
returns: the commit never waits for a thread (under load, every thread may be held by requests
queued behind it), and the request takes one thread hop instead of three (endpoint, response
validation, commit). The fallback below commits what was not committed that way.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from health.services.context import Ctx


def _session_in(values: dict[str, Any]) -> Session | None:
    for value in values.values():
        if isinstance(value, Ctx):
            return value.session
        if isinstance(value, Session):
            return value
    return None


def _call_and_commit(endpoint: Callable[..., Any], values: dict[str, Any]) -> Any:
    result = endpoint(**values)
    session = _session_in(values)
    if session is not None and session.in_transaction():
        session.commit()
    return result


def _in_one_hop(endpoint: Callable[..., Any]) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def endpoint_then_commit(**values: Any) -> Any:
        return await run_in_threadpool(_call_and_commit, endpoint, values)

    # FastAPI reads parameters, dependencies and the response model from this signature
    # (evaluated here, where the endpoint's module globals are known). Name and docs only:
    # ``__wrapped__`` would make FastAPI see a sync endpoint again.
    endpoint_then_commit.__signature__ = inspect.signature(  # type: ignore[attr-defined]
        endpoint, eval_str=True
    )
    endpoint_then_commit.__name__ = endpoint.__name__
    endpoint_then_commit.__qualname__ = endpoint.__qualname__
    endpoint_then_commit.__module__ = endpoint.__module__
    endpoint_then_commit.__doc__ = endpoint.__doc__
    return endpoint_then_commit


def _after_failure(session: Session, ctx: Ctx | None) -> None:
    try:
        session.rollback()
        if ctx is not None and ctx.deferred:
            with session.begin():
                for work in ctx.deferred:
                    work(ctx)
    finally:
        session.close()


def _commit(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


class TransactionRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # The endpoint itself is wrapped (not the dependant's call): FastAPI rebuilds the
        # dependant from the endpoint for every router that includes this route.
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except BaseException:
                session = getattr(request.state, "session", None)
                if session is not None:
                    ctx = getattr(request.state, "ctx", None)
                    await run_in_threadpool(_after_failure, session, ctx)
                raise
            session = getattr(request.state, "session", None)
            if session is not None:
                if session.in_transaction():
                    await run_in_threadpool(_commit, session)
                else:
                    session.close()  # committed in the endpoint's thread; holds no connection
            return response

        return route
