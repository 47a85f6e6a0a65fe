"""Uploading again never doubles a checkup: the same file (or the same checkups in another file)
is recognised, a corrected value is a new version that supersedes the old one, and a file that
adds results for the same officer and date merges into a new version without losing any."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from databases import Opened
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.services import accounts, checkups, imports, officers, units
from health.services.checkups import CheckupView
from health.services.context import MEDIC, SYSTEM, Actor, Ctx
from health.services.vault import Vault, unlock
from models.tables import AuditEvent, Checkup

from factories import fast_policy

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
EXAM = date(2026, 3, 1)
TG_MG_DL = 88.57  # mg/dL per mmol/L: molar mass of triolein 885.7 g/mol / 10
# Names as the session files write them: every row is checked against the registered person.
NAMES = {"120101": "张伟", "120102": "李娜", "120103": "王强"}
FIRST = {
    "120101": {"sbp": 118.0, "dbp": 76.0, "glu": 5.4, "tc": 4.6, "u_pro": 0},
    "120102": {"sbp": 131.0, "dbp": 84.0, "glu": 5.9, "tc": 5.2, "u_pro": 1},
    "120103": {"sbp": 126.0, "dbp": 82.0, "glu": 6.1, "tc": 4.9, "u_pro": 0},
}
ECG = {"120101": ["normal"], "120102": ["sinus_bradycardia"], "120103": ["normal"]}


@dataclass
class Clinic:
    sessions: sessionmaker[Session]
    vault: Vault
    medic: Actor
    ids: dict[str, uuid.UUID]

    def run(self, name: str, data: bytes | None = None) -> imports.ImportReport:
        data = (DATA / name).read_bytes() if data is None else data
        return imports.run(self.sessions, self.vault, self.medic, data, name)

    def versions(self, badge: str) -> list[CheckupView]:
        """Every version of the officer's checkups, newest first, read through the service."""
        with self.sessions.begin() as session:
            ctx = Ctx(session, self.vault, self.medic)
            return checkups.of_officer(ctx, self.ids[badge], include_superseded=True)

    def count(self, what: Any) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(what)) or 0)

    def created_events(self) -> int:
        with self.sessions() as session:
            query = select(func.count()).where(
                AuditEvent.action.in_(("checkup.create", "checkup.correct"))
            )
            return int(session.scalar(query) or 0)


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Clinic:
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        bureau = units.create(ctx, code="A", name="Bureau A", kind="bureau", parent_id=None)
        roster = [
            officers.OfficerIn(bureau.id, badge, NAMES[badge], date(1980, 1, 1), "MF"[i % 2])
            for i, badge in enumerate(FIRST)
        ]
        created = officers.register_many(ctx, roster)
        user = accounts.create_user(
            ctx,
            fast_policy(vault),
            username="medic-a",
            role=MEDIC,
            password="long enough password",
            unit_ids=[bureau.id],
        )
        medic = Actor(id=str(user.id), role=MEDIC, user_id=user.id, unit_paths=(bureau.path,))
    ids = {p.badge_number: o.id for p, o in zip(roster, created, strict=True)}
    return Clinic(sessions, vault, medic, ids)


def _assert_first_session_stored(clinic: Clinic) -> None:
    for badge, results in FIRST.items():
        (only,) = clinic.versions(badge)
        assert (only.exam_date, only.version, only.status) == (EXAM, 1, "current")
        assert only.results == pytest.approx(results)
        assert only.findings["ecg"]["codes"] == ECG[badge]


def test_same_file_twice_stores_each_checkup_once(clinic: Clinic) -> None:
    first = clinic.run("session_first.csv")
    assert (first.stored, first.duplicates, first.repeated_file, first.status) == (
        3,
        0,
        False,
        "stored",
    )
    events = clinic.created_events()

    again = clinic.run("session_first.csv")
    assert (again.stored, again.duplicates, again.corrected, again.rejected) == (0, 3, 0, 0)
    assert (again.repeated_file, again.status, again.errors) == (True, "stored", [])
    assert again.upload_id != first.upload_id
    assert clinic.count(Checkup) == 3
    assert clinic.created_events() == events
    _assert_first_session_stored(clinic)


def test_same_checkups_in_a_different_file_are_recognised_as_duplicates(clinic: Clinic) -> None:
    clinic.run("session_first.csv")
    header, *rows = (DATA / "session_first.csv").read_bytes().splitlines(keepends=True)
    reordered = b"".join([header, *reversed(rows)])
    report = clinic.run("session_first_reordered.csv", reordered)
    assert (report.stored, report.duplicates, report.repeated_file) == (0, 3, False)
    assert clinic.count(Checkup) == 3


def test_corrected_file_makes_version_2_and_keeps_version_1_superseded(clinic: Clinic) -> None:
    clinic.run("session_first.csv")
    report = clinic.run("session_corrected.csv")
    assert (report.stored, report.corrected, report.duplicates) == (0, 1, 2)
    assert (report.repeated_file, report.status) == (False, "stored")

    current, earlier = clinic.versions("120102")
    assert (current.version, current.status) == (2, "current")
    assert (earlier.version, earlier.status) == (1, "superseded")
    assert current.results == pytest.approx({**FIRST["120102"], "glu": 6.3})
    assert earlier.results == pytest.approx(FIRST["120102"])
    with clinic.sessions() as session:
        row = session.get(Checkup, current.id)
        assert row is not None and row.supersedes_id == earlier.id
    for badge in ("120101", "120103"):
        (only,) = clinic.versions(badge)
        assert (only.version, only.status) == (1, "current")
    assert clinic.count(Checkup) == 4


def test_second_file_adding_analytes_merges_into_a_new_version(clinic: Clinic) -> None:
    clinic.run("session_first.csv")
    report = clinic.run("session_more_analytes.csv")
    assert (report.stored, report.corrected, report.duplicates) == (0, 1, 0)

    current, earlier = clinic.versions("120101")
    added = {"hb": 152.0, "alt": 31.0, "tg": 150 / TG_MG_DL}
    assert (current.version, current.status, earlier.status) == (2, "current", "superseded")
    assert current.results == pytest.approx({**FIRST["120101"], **added})
    assert current.findings["ecg"]["codes"] == ["normal"]
    assert earlier.results == pytest.approx(FIRST["120101"])

    again = clinic.run("session_more_analytes.csv")
    assert (again.stored, again.corrected, again.duplicates) == (0, 0, 1)
    assert len(clinic.versions("120101")) == 2


def test_correction_back_to_the_first_values_is_a_third_version(clinic: Clinic) -> None:
    clinic.run("session_first.csv")
    clinic.run("session_corrected.csv")
    report = clinic.run("session_first.csv")
    assert (report.stored, report.corrected, report.duplicates) == (0, 1, 2)
    newest, middle, oldest = clinic.versions("120102")
    assert [v.version for v in (newest, middle, oldest)] == [3, 2, 1]
    assert [v.status for v in (newest, middle, oldest)] == ["current", "superseded", "superseded"]
    assert newest.results == pytest.approx(FIRST["120102"])
