"""Pooled connections are checked alive at checkout. On PostgreSQL the check is the transaction's
own ``BEGIN`` rather than a separate ping round trip: a checked-out connection is already in its
transaction, a connection the server dropped is replaced before anyone uses it, and a connection
that must not be in a transaction (autocommit) gets an empty query instead."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import pytest
from databases import kill_other_connections
from psycopg import pq
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from models.db import make_engine


def _postgres_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite is opened in-process: the pool's pre-ping checks it as before")


def _status(engine: Engine) -> pq.TransactionStatus:
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        return pq.TransactionStatus(raw.pgconn.transaction_status)


class Pools(NamedTuple):
    url: str
    checked: Engine  # live_check=True
    unchecked: Engine


@pytest.fixture
def pools(backend: str, fresh_url: Callable[[], str]) -> Iterator[Pools]:
    """Two engines on one database, each holding one idle pooled connection."""
    _postgres_only(backend)
    url = fresh_url()
    found = Pools(url, make_engine(url, live_check=True), make_engine(url))
    try:
        for engine in (found.checked, found.unchecked):
            _backend_pid(engine)
        yield found
    finally:
        found.checked.dispose()
        found.unchecked.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        connection.commit()
    return pid


def test_a_checked_out_connection_has_begun_its_transaction_before_any_statement(
    pools: Pools,
) -> None:
    assert _status(pools.checked) == pq.TransactionStatus.INTRANS
    assert _status(pools.unchecked) == pq.TransactionStatus.IDLE
    with pools.checked.connect() as connection:
        before = connection.execute(text("SELECT now() < statement_timestamp()")).scalar()
        connection.commit()
    assert before is True  # the transaction began at checkout, before this statement


def test_a_connection_the_server_dropped_is_replaced_at_checkout(pools: Pools) -> None:
    pid = _backend_pid(pools.checked)
    assert kill_other_connections(pools.url) >= 2
    assert _backend_pid(pools.checked) != pid
    with pytest.raises(OperationalError), pools.unchecked.connect() as connection:
        connection.execute(text("SELECT 1"))


def test_an_autocommit_connection_is_checked_without_opening_a_transaction(
    backend: str, fresh_url: Callable[[], str]
) -> None:
    _postgres_only(backend)
    engine = make_engine(fresh_url(), live_check=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE TABLE probe (n int)"))  # needs no transaction
        assert _status(engine) == pq.TransactionStatus.IDLE
        with engine.connect() as connection:
            connection.execute(text("INSERT INTO probe VALUES (1)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM probe")).scalar_one() == 1
    finally:
        engine.dispose()
