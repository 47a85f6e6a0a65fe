"""A long import refreshes the planner statistics of the checkup and task tables it grows, so
each chunk's lookups of current checkups and open tasks stay index lookups (PostgreSQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.services import imports, officers
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.repositories import planner_stats

from factories import make_unit, officer_in

N = 40
EXAM = date(2026, 3, 1)


@dataclass
class Clinic:
    sessions: sessionmaker[Session]
    vault: Vault

    def believed(self) -> float | None:
        with self.sessions() as session:
            return planner_stats.believed_checkups(session)

    def believed_tasks(self) -> float:
        with self.sessions() as session:
            query = text("SELECT reltuples FROM pg_class WHERE oid = CAST('task' AS regclass)")
            return float(session.scalar(query) or 0.0)

    def import_session(self) -> imports.ImportReport:
        return imports.run(
            self.sessions, self.vault, SYSTEM, _session_file(), "s.csv", chunk_size=8
        )


@pytest.fixture
def clinic(
    backend: str, fresh_url: Callable[[], str], opened: Opened, keyring_file: Path
) -> Clinic:
    """N officers in a fresh PostgreSQL database whose tables were never analysed."""
    if backend != "postgresql":
        pytest.skip("SQLite plans these lookups by index without statistics")
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        unit = make_unit(ctx)
        badges = [officer_in(unit.id, badge_number=f"A{i:04d}") for i in range(N)]
        officers.register_many(ctx, badges)
    return Clinic(sessions, vault)


def _session_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["警号", "体检日期", "空腹血糖(mmol/L)", "收缩压(mmHg)"])
    writer.writerows([f"A{i:04d}", EXAM.isoformat(), "7.9", "165"] for i in range(N))
    return out.getvalue().encode()


def test_import_past_the_threshold_analyses_the_tables_it_grew(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    believed = clinic.believed()
    assert believed is not None and believed < N  # never analysed since the migrations
    monkeypatch.setattr(imports, "ANALYZE_FROM", 10)
    assert clinic.import_session().stored == N
    # Chunks of 8: checked at 16 stored (analysed), then at 32 (analysed again).
    believed = clinic.believed()
    assert believed is not None and believed >= 20
    assert clinic.believed_tasks() >= 20  # each checkup planned tasks


def test_import_below_the_threshold_leaves_the_statistics_alone(clinic: Clinic) -> None:
    before = clinic.believed()
    assert clinic.import_session().stored == N < imports.ANALYZE_FROM
    assert clinic.believed() == before


def test_planner_statistics_are_postgresql_only(backend: str, session: Session) -> None:
    believed = planner_stats.believed_checkups(session)
    planner_stats.analyze_read_back(session)
    assert (believed is None) == (backend == "sqlite")
