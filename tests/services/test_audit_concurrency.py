"""Audited work in parallel: appends take no shared row, so concurrent transactions neither
collide (SQLite used to fail on ``audit_event.seq``) nor queue behind one another (PostgreSQL
used to hold every request on the ``audit_head`` row lock until commit)."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from health.crypto import FileKeyProvider
from health.services import audit
from health.services.audit_sequencer import sequence
from health.services.context import SYSTEM, Ctx
from health.services.vault import unlock
from models.db import make_engine, make_sessionmaker
from models.tables import AuditEvent

from factories import make_officer

THREADS = 8
EACH = 25


def test_parallel_audited_transactions_neither_collide_nor_lose_events(
    fresh_url: Callable[[], str], keyring_file: Path
) -> None:
    engine = make_engine(fresh_url(), pool_size=THREADS)
    sessions = make_sessionmaker(engine)
    provider = FileKeyProvider(keyring_file)
    with sessions.begin() as session:
        vault = unlock(session, provider, create=False)
        officer = make_officer(Ctx(session, vault, SYSTEM)).id
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work() -> None:
        start.wait()
        for _ in range(EACH):
            try:
                with sessions.begin() as session:
                    ctx = Ctx(session, vault, SYSTEM)
                    audit.record(ctx, "officer.read", "officer", officer_id=officer)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [], f"{len(errors)} appends failed, first: {errors[0]!r}"
    with sessions() as session:
        reads = select(func.count()).where(AuditEvent.action == "officer.read")
        assert session.scalar(reads) == THREADS * EACH
    assert sequence(sessions, vault.hasher).linked == THREADS * EACH + 2
    with sessions() as session:
        report = audit.verify(session, vault.hasher)
    assert report.ok and report.unchained == 0 and report.checked == THREADS * EACH + 2
    engine.dispose()


def test_an_open_audited_transaction_does_not_hold_up_another_append(
    fresh_url: Callable[[], str], keyring_file: Path, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time by design; a second one waits its turn")
    engine = make_engine(fresh_url())
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
    holder = sessions()
    holder.begin()
    audit.record(Ctx(holder, vault, SYSTEM), "officer.read", "officer")
    try:
        with sessions.begin() as other:
            other.execute(text("SET LOCAL lock_timeout = '2s'"))
            audit.record(Ctx(other, vault, SYSTEM), "officer.read", "officer")
    finally:
        holder.rollback()
        holder.close()
    engine.dispose()


def test_the_sqlite_database_and_its_side_files_are_owner_only(
    fresh_url: Callable[[], str], backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("a SQLite file property")
    url = fresh_url()
    path = Path(str(make_url(url).database))
    path.unlink()
    old = os.umask(0o022)
    try:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as connection:
            connection.execute(text("SELECT * FROM t")).all()
            for suffix in ("", "-wal", "-shm"):
                side = Path(f"{path}{suffix}")
                assert side.exists(), suffix
                assert stat.S_IMODE(side.stat().st_mode) == 0o600, f"{suffix or 'db'} not 0600"
        engine.dispose()
    finally:
        os.umask(old)
