"""Where the milliseconds of one authenticated ``GET /api/v1/me`` go, measured in-process
(one client, no concurrency, so the machine's other load disturbs it least).

Each phase is timed on its own against the same database, over the same officer: the token
check (remembered and in full), the one query for officer and key, unwrapping the key and
opening the record, the audit event, the commit; then the whole request through the ASGI app
(FastAPI, routing, middleware, thread hops, JSON), so what the framework adds is the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from health.services import access, accounts, audit, me, officers, session_cache
from health.services.context import Actor, Ctx

REPS = 300


def _per_call_ms(work: Callable[[], Any], reps: int = REPS) -> float:
    work()
    started = time.perf_counter()
    for _ in range(reps):
        work()
    return (time.perf_counter() - started) / reps * 1000


def run(url: str, var: Path, username: str, password: str) -> dict[str, float]:
    from api.app import create_app
    from api.runtime import start
    from health.settings import Settings

    settings = Settings(var_dir=var, database_url=url, audit_sequence_seconds=0)
    rt = start(settings)
    with rt.sessions.begin() as session:
        anonymous = Ctx(session, rt.vault, Actor(id="anonymous", role="anonymous"))
        token = accounts.login(anonymous, rt.auth, username, password).access_token
    with rt.sessions() as session:
        base = Ctx(session, rt.vault, Actor(id="anonymous", role="anonymous"))
        actor = accounts.authenticate(base, rt.auth, token)
    officer_id = actor.officer_id
    assert officer_id is not None
    cache = session_cache.SessionCache(timedelta(seconds=60))
    figures: dict[str, float] = {}

    def in_session(work: Callable[[Ctx], Any], commit: bool = False) -> Callable[[], None]:
        def run_once() -> None:
            with rt.sessions() as session:
                ctx = Ctx(session, rt.vault, actor)
                work(ctx)
                if commit:
                    session.commit()
                else:
                    session.rollback()

        return run_once

    def check_token(ctx: Ctx) -> None:
        session_cache.authenticate(ctx, rt.auth, None, token)

    def check_token_remembered(ctx: Ctx) -> None:
        session_cache.authenticate(ctx, rt.auth, cache, token)

    def query(ctx: Ctx) -> None:
        from models.repositories import officers as officers_repo

        officers_repo.get_with_key(ctx.session, officer_id)

    def query_and_open(ctx: Ctx) -> None:
        officers._open(ctx, access.officer_in_scope(ctx, officer_id, action="officer.read"))

    def record(ctx: Ctx) -> None:
        audit.record(ctx, "officer.read", "officer", officer_id=officer_id, purpose="self")

    empty = _per_call_ms(in_session(lambda ctx: None))
    figures["session open/close (no query)"] = empty
    figures["token check in full (session + user query)"] = (
        _per_call_ms(in_session(check_token)) - empty
    )
    figures["token check remembered"] = _per_call_ms(in_session(check_token_remembered)) - empty
    figures["officer + key (one query)"] = _per_call_ms(in_session(query)) - empty
    figures["unwrap key + open record"] = (
        _per_call_ms(in_session(query_and_open)) - figures["officer + key (one query)"] - empty
    )
    figures["audit event (MAC + insert)"] = _per_call_ms(in_session(record)) - empty
    figures["commit"] = (
        _per_call_ms(in_session(record, commit=True))
        - figures["audit event (MAC + insert)"]
        - empty
    )
    figures["service total (me.record + commit)"] = _per_call_ms(in_session(me.record, commit=True))
    app = create_app(settings, rt)
    headers = {"Authorization": f"Bearer {token}"}

    async def through_app() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(20):
                assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
            started = time.perf_counter()
            for _ in range(REPS):
                await client.get("/api/v1/me", headers=headers)
            return (time.perf_counter() - started) / REPS * 1000

    async def lifespan_and_measure() -> tuple[float, float]:
        async with app.router.lifespan_context(app):
            whole = await through_app()
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                started = time.perf_counter()
                for _ in range(REPS):
                    await client.get("/healthz")
                hello = (time.perf_counter() - started) / REPS * 1000
        return whole, hello

    whole, hello = asyncio.run(lifespan_and_measure())
    figures["whole request in-process (ASGI)"] = whole
    figures["/healthz in-process (ASGI)"] = hello
    figures["framework + thread hops + JSON (rest)"] = (
        whole - figures["service total (me.record + commit)"] - figures["token check remembered"]
    )
    rt.engine.dispose()
    return figures
