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

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-backend settings the service relies on."""
    if url.startswith("postgresql") and "+" not in url.split(":", 1)[0]:
        url = url.replace("postgresql", "postgresql+psycopg", 1)
    if url.startswith("sqlite"):
        private_sqlite_file(url)
    # Bound parameters (blind indexes, usernames, sealed blobs) never reach logs or exceptions.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
