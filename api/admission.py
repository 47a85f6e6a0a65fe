"""Admission control: a bounded number of requests in flight per worker, 503 past a wait.

Every admitted request may hold one database connection and one thread at a time, so with the
pool and the thread limiter sized to the same bound, no admitted request (nor its commit) ever
waits on a connection or thread held by a request queued behind it. Those that cannot be
admitted in time are told to come back (503 + Retry-After) instead of hanging.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import localised

# Probes answer without a slot: liveness must not depend on load.
EXEMPT = frozenset({"/healthz"})


async def send_unavailable(scope: Scope, send: Send, retry_after: int) -> None:
    response = localised(
        Request(scope), 503, "overloaded", "the service is busy; retry after the indicated delay"
    )
    response.headers["retry-after"] = str(retry_after)
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})


class Admission:
    """At most ``limit`` requests inside the app; the rest wait up to ``timeout`` in order."""

    def __init__(self, app: ASGIApp, *, limit: int, timeout: float, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self.retry_after = retry_after
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # bound to the running loop, so created on first use
            self._slots = asyncio.Semaphore(self.limit)
        if self._slots.locked():
            try:
                await asyncio.wait_for(self._slots.acquire(), self.timeout)
            except TimeoutError:
                await send_unavailable(scope, send, self.retry_after)
                return
        else:  # a free slot: taken at once, without the task ``wait_for`` starts
            await self._slots.acquire()
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()
