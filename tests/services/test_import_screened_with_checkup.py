"""A checkup an import stores is never visible without its screening: both (and the tasks and
tallies screening derives) are written in the same chunk transaction, so a chunk that fails
while planning follow-up leaves none of its checkups behind, and a re-run completes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from databases import Opened
from sqlalchemy import func, select

from health.crypto import FileKeyProvider
from health.services import imports, officers, tasks, units
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.tables import Checkup, Screening, Task
from models.tables_bulk import FindingTally

N, CHUNK = 30, 10
EXAM = date(2026, 3, 1)


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> tuple[Any, Vault]:
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        unit = units.create(ctx, code="S", name="Screened", kind="force", parent_id=None)
        officers.register_many(
            ctx,
            [
                officers.OfficerIn(unit.id, f"S{i:04d}", f"Officer {i}", date(1975, 1, 1), "M")
                for i in range(N)
            ],
        )
    return sessions, vault


def _file() -> bytes:
    rows = ["警号,体检日期,空腹血糖(mmol/L),收缩压(mm[Hg]),舒张压(mm[Hg])"]
    rows += [f"S{i:04d},{EXAM.isoformat()},{7.0 + i / 10:.1f},150,95" for i in range(N)]
    return ("\n".join(rows) + "\n").encode()


def _unscreened(sessions: Any) -> tuple[int, int]:
    """(checkups, checkups without a current screening)."""
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(Checkup)) or 0
        screened = select(Screening.checkup_id).where(Screening.status == "current")
        missing = session.scalar(
            select(func.count()).select_from(Checkup).where(Checkup.id.not_in(screened))
        )
    return int(stored), int(missing or 0)


def test_a_chunk_failing_in_follow_up_leaves_no_unscreened_checkup_and_a_rerun_completes(
    clinic: tuple[Any, Vault], monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions, vault = clinic
    real = tasks.plan_from_screening
    calls = {"n": 0}

    def fail_second_chunk(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("crash while planning the second chunk's follow-up")
        real(*args, **kwargs)

    monkeypatch.setattr(tasks, "plan_from_screening", fail_second_chunk)
    with pytest.raises(RuntimeError):
        imports.run(sessions, vault, SYSTEM, _file(), "session.csv", chunk_size=CHUNK)
    assert _unscreened(sessions) == (CHUNK, 0), "the first chunk whole, screened; no other"

    monkeypatch.setattr(tasks, "plan_from_screening", real)
    report = imports.run(sessions, vault, SYSTEM, _file(), "session.csv", chunk_size=CHUNK)
    assert (report.stored, report.duplicates) == (N - CHUNK, CHUNK)
    assert _unscreened(sessions) == (N, 0)
    with sessions() as session:
        # Each officer's glucose ≥ 7.0 is abnormal: one glucose tally row per screening, and
        # its follow-up task, none doubled by the failed attempt.
        glucose = select(func.count()).where(FindingTally.family == "glucose")
        assert session.scalar(glucose) == N
        assert session.scalar(select(func.count(func.distinct(Task.officer_id)))) == N
