"""One commit point per request: the route class commits after the endpoint returns.

Not code after a ``yield`` in a dependency, which FastAPI may run after the response is sent.
When the endpoint fails, the transaction is rolled back and the context's deferred work (audit
of the refusal, a failed-login counter) is committed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from health.services.context import Ctx


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
                await run_in_threadpool(_commit, session)
            return response

        return route
