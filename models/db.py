"""Engines and sessions for SQLite (embedded) and PostgreSQL (production).

SQLite writers: the driver opens a transaction only at the first write, so a writing
transaction's first statement takes the write lock and waits (``busy_timeout``) for the one
before it, exactly as ``BEGIN IMMEDIATE`` would; reads never hold a lock that a writer waits
on (WAL). Requests therefore never read-then-upgrade into SQLITE_BUSY; the sequencer, which
must read the chain tip and extend it, takes ``BEGIN IMMEDIATE`` itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Deleted rows (a shredded key) are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only (0600), like the keyring, before SQLite opens it.

    SQLite gives ``-wal`` and ``-shm`` the main file's mode; existing files are tightened too.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for suffix in SQLITE_SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.chmod(0o600)


def _begin_at_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """PostgreSQL: prove a pooled connection alive with the ``BEGIN`` its transaction needs
    anyway (psycopg sends ``BEGIN`` before the first statement unless one is open), instead
    of a separate ping round trip. A connection the server dropped (``pg_terminate_backend``,
    a restart) fails here, and the pool replaces it before anyone uses it, as a pre-ping would.

    Only plain transactions start here (psycopg's own ``BEGIN`` for a connection without
    isolation, read-only or deferrable settings); any other connection gets an empty query.
    """
    pgconn = dbapi_connection.pgconn
    plain = (
        not dbapi_connection.autocommit
        and dbapi_connection.isolation_level is None
        and dbapi_connection.read_only is None
        and dbapi_connection.deferrable is None
        and pgconn.transaction_status == pq.TransactionStatus.IDLE
    )
    try:
        result = pgconn.exec_(b"BEGIN" if plain else b";")
    except psycopg.Error as exc:
        raise DisconnectionError(f"connection unusable at checkout: {type(exc).__name__}") from exc
    if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.EMPTY_QUERY):
        raise DisconnectionError(
            f"connection unusable at checkout ({pq.ExecStatus(result.status).name}, "
            f"connection {pq.ConnStatus(pgconn.status).name})"
        )


def make_engine(url: str, *, live_check: bool = False, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the service relies on.

    ``live_check``: every pooled connection is checked alive at checkout (on PostgreSQL by the
    transaction's own ``BEGIN``, see ``_begin_at_checkout``; elsewhere by the pool's pre-ping).
    """
    if url.startswith("postgresql") and "+" not in url.split(":", 1)[0]:
        url = url.replace("postgresql", "postgresql+psycopg", 1)
    if url.startswith("sqlite"):
        private_sqlite_file(url)
    # Bound parameters (blind indexes, usernames, sealed blobs) never reach logs or exceptions.
    kwargs.setdefault("hide_parameters", True)
    postgres_psycopg = make_url(url).get_driver_name() == "psycopg"
    if live_check and not postgres_psycopg:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if live_check and postgres_psycopg:
        event.listen(engine, "checkout", _begin_at_checkout)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
