"""A long import refreshes the planner statistics of the checkup and task tables it grows, so
each chunk's lookups of current checkups and open tasks stay index lookups (PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.services import imports, officers, units
from health.services.context import SYSTEM, Ctx
from health.services.vault import unlock
from models.repositories import planner_stats

N = 40
EXAM = date(2026, 3, 1)


def _clinic(sessions: sessionmaker[Session], keyring_file: Path) -> None:
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        unit = units.create(ctx, code="A", name="Analysed", kind="force", parent_id=None)
        officers.register_many(
            ctx,
            [
                officers.OfficerIn(unit.id, f"A{i:04d}", f"Officer {i}", date(1980, 1, 1), "M")
                for i in range(N)
            ],
        )


def _session_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["警号", "体检日期", "空腹血糖(mmol/L)", "收缩压(mmHg)"])
    writer.writerows([f"A{i:04d}", EXAM.isoformat(), "7.9", "165"] for i in range(N))
    return out.getvalue().encode()


def _believed(sessions: sessionmaker[Session]) -> float | None:
    with sessions() as session:
        return planner_stats.believed_checkups(session)


def _believed_tasks(sessions: sessionmaker[Session]) -> float:
    with sessions() as session:
        query = text("SELECT reltuples FROM pg_class WHERE oid = CAST('task' AS regclass)")
        return float(session.scalar(query) or 0.0)


def test_import_past_the_threshold_analyses_the_tables_it_grew(
    backend: str,
    fresh_url: Callable[[], str],
    opened: Opened,
    keyring_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite plans these lookups by index without statistics")
    sessions = opened.sessions(fresh_url())
    _clinic(sessions, keyring_file)
    believed = _believed(sessions)
    assert believed is not None and believed < N  # never analysed since the migrations
    monkeypatch.setattr(imports, "ANALYZE_FROM", 10)
    with sessions() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
    report = imports.run(sessions, vault, SYSTEM, _session_file(), "s.csv", chunk_size=8)
    assert report.stored == N
    # Chunks of 8: checked at 16 stored (analysed), then at 32 (analysed again).
    believed = _believed(sessions)
    assert believed is not None and believed >= 20
    assert _believed_tasks(sessions) >= 20  # each checkup planned tasks


def test_import_below_the_threshold_leaves_the_statistics_alone(
    backend: str, fresh_url: Callable[[], str], opened: Opened, keyring_file: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite plans these lookups by index without statistics")
    sessions = opened.sessions(fresh_url())
    _clinic(sessions, keyring_file)
    before = _believed(sessions)
    with sessions() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
    report = imports.run(sessions, vault, SYSTEM, _session_file(), "s.csv", chunk_size=8)
    assert report.stored == N < imports.ANALYZE_FROM
    assert _believed(sessions) == before


def test_planner_statistics_are_postgresql_only(backend: str, session: Session) -> None:
    believed = planner_stats.believed_checkups(session)
    planner_stats.analyze_read_back(session)
    assert (believed is None) == (backend == "sqlite")
