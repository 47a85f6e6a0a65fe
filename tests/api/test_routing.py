"""The route class: one thread hop per request, the commit inside it (api/routing.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from sqlalchemy import func, select
from world import World

from models.tables import AuditEvent


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the functions the app hands to the thread pool, in order."""
    hops: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        called = getattr(func, "func", func)  # starlette hands over a functools.partial
        hops.append(getattr(called, "__name__", repr(called)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return hops


def _reads_audited(world: World) -> int:
    with world.runtime.sessions() as session:
        query = select(func.count()).where(AuditEvent.action == "officer.read")
        return int(session.scalar(query.select_from(AuditEvent)) or 0)


def test_an_audited_read_takes_one_thread_hop_and_commits_its_audit_in_it(
    world: World, thread_hops: list[str]
) -> None:
    headers = world.headers("officer")
    assert world.client.get("/api/v1/me", headers=headers).status_code == 200  # token checked
    before = _reads_audited(world)
    thread_hops.clear()
    me = world.client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert thread_hops == ["_call_and_commit"]
    assert _reads_audited(world) == before + 1
