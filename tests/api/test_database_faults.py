"""A database that drops connections or is too busy answers 503 with Retry-After, never 500:
pooled connections are checked alive at checkout (``pg_terminate_backend``, a restart), and
transient database errors are told apart from bugs (issue 9, defects 0 and 11)."""

from __future__ import annotations

from databases import kill_other_connections
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from world import World

from api import deps


def test_requests_after_the_server_killed_every_connection_succeed(world: World) -> None:
    engine = world.runtime.engine
    if engine.dialect.name != "postgresql":
        return  # nothing to kill on SQLite: the file is opened in-process
    headers = world.headers("officer")
    for _ in range(3):  # fill the pool with idle connections
        assert world.client.get("/api/v1/me", headers=headers).status_code == 200
    assert kill_other_connections(engine.url.render_as_string(hide_password=False)) >= 1
    statuses = [world.client.get("/api/v1/me", headers=headers).status_code for _ in range(5)]
    assert statuses == [200] * 5


def _failing(exc: Exception) -> object:
    async def dependency() -> None:
        raise exc

    return dependency


def test_a_transient_database_error_is_a_503_with_retry_after(world: World) -> None:
    app = world.client.app
    locked = OperationalError("BEGIN", {}, Exception("database is locked"))
    for exc in (locked, PoolTimeout("QueuePool limit reached")):
        app.dependency_overrides[deps.ctx] = _failing(exc)  # type: ignore[attr-defined]
        try:
            response = world.client.get("/api/v1/me")
        finally:
            app.dependency_overrides.clear()  # type: ignore[attr-defined]
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "2"
        assert response.headers["content-type"] == "application/problem+json"
        assert "locked" not in response.text
