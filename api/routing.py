"""One commit point per request: the route class commits after the endpoint returns.

Not code after a ``yield`` in a dependency, which FastAPI may run after the response is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


class TransactionRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except BaseException:
                session = getattr(request.state, "session", None)
                if session is not None:
                    await run_in_threadpool(session.rollback)
                    await run_in_threadpool(session.close)
                raise
            session = getattr(request.state, "session", None)
            if session is not None:
                try:
                    await run_in_threadpool(session.commit)
                finally:
                    await run_in_threadpool(session.close)
            return response

        return route
