"""A season's real uploads: every row checked against the registered person and the calendar,
and forgiving reading (combined blood pressure, decimal commas, upload-level exam date) that
still refuses what cannot be a table (a PDF, an image). Each case states the row, field, value
and reason code reported, and exactly what was stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from databases import Opened
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.ingest import ReasonCode, RowError
from health.services import imports, officers, units
from health.services.context import MEDIC, SYSTEM, Actor, Ctx
from health.services.sealed import results_slot
from health.services.vault import Vault, unlock
from models.tables import Checkup, Officer

PEOPLE = {
    "S001": ("王小明", date(1990, 5, 1), "M"),
    "S002": ("Li Na", date(1992, 2, 29), "F"),
}
TODAY = date(2026, 11, 30)


@dataclass
class Clinic:
    sessions: sessionmaker[Session]
    vault: Vault
    medic: Actor
    badge_of: dict[Any, str]

    def run(
        self, text: str | bytes, name: str = "session.csv", **options: Any
    ) -> imports.ImportReport:
        data = text.encode() if isinstance(text, str) else text
        return imports.run(self.sessions, self.vault, self.medic, data, name, **options)

    def stored(self) -> dict[tuple[str, date], dict[str, float]]:
        out = {}
        with self.sessions() as session:
            for row in session.scalars(select(Checkup).where(Checkup.status == "current")):
                sealer = self.vault.sealer_for(session, row.officer_id)
                document = json.loads(sealer.open(row.results, results_slot(row.id)))
                out[(self.badge_of[row.officer_id], row.exam_date)] = document["results"]
        return out


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Clinic:
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        unit = units.create(ctx, code="S", name="Station S", kind="station", parent_id=None)
        for badge, (name, born, sex) in PEOPLE.items():
            officers.register(ctx, officers.OfficerIn(unit.id, badge, name, born, sex))
        path = unit.path
        ids = dict(session.execute(select(Officer.id, Officer.badge_index)).all())
    badge_of = {}
    for officer_id, index in ids.items():
        badge_of[officer_id] = next(b for b in PEOPLE if vault.hasher.badge_index(b) == index)
    medic = Actor(id="medic-s", role=MEDIC, unit_paths=(path,))
    return Clinic(sessions, vault, medic, badge_of)


def _located(errors: list[RowError]) -> list[tuple[int, str, str, ReasonCode]]:
    return [(e.row, e.field, e.value, e.reason_code) for e in errors]


# ------------------------------------------------------------------ identity


def test_row_with_another_persons_name_sex_and_birth_date_is_refused_naming_each_field(
    clinic: Clinic,
) -> None:
    """Was: accepted, filing the results in the record the badge belongs to."""
    report = clinic.run(
        "警号,姓名,性别,出生日期,体检日期,空腹血糖\n"
        "S001,王 小明,男,1990-05-01,2026-03-01,5.1\n"  # same person, spacing aside
        "S002,张伟,男,1980-01-01,2026-03-01,5.2\n",  # badge S002 with someone else
        mode="valid",
    )
    assert _located(report.errors) == [
        (3, "出生日期", "1980-01-01", ReasonCode.IDENTITY_MISMATCH),
        (3, "姓名", "张伟", ReasonCode.IDENTITY_MISMATCH),
        (3, "性别", "male", ReasonCode.IDENTITY_MISMATCH),
    ]
    assert all("Li Na" not in e.reason and "1992" not in e.reason for e in report.errors)
    assert (report.stored, report.rejected, report.status) == (1, 1, "partial")
    assert clinic.stored() == {("S001", date(2026, 3, 1)): {"glu": 5.1}}


def test_identity_columns_that_match_are_accepted_case_and_width_insensitive(
    clinic: Clinic,
) -> None:
    report = clinic.run("警号,姓名,性别,体检日期,空腹血糖\nS002,ＬＩ  na,F,2026-03-01,5.0\n")
    assert (report.errors, report.stored) == ([], 1)


# ------------------------------------------------------------------ exam dates


def test_exam_date_after_today_is_refused(clinic: Clinic) -> None:
    """Was: exam dates in 2027 accepted."""
    ctx_today = date.today()
    tomorrow = date.fromordinal(ctx_today.toordinal() + 1).isoformat()
    report = clinic.run(
        f"警号,体检日期,空腹血糖\nS001,{tomorrow},5.1\nS002,{ctx_today.isoformat()},5.2\n",
        mode="valid",
    )
    assert _located(report.errors) == [(2, "体检日期", tomorrow, ReasonCode.EXAM_DATE_IN_FUTURE)]
    assert clinic.stored() == {("S002", ctx_today): {"glu": 5.2}}


def test_exam_date_before_the_officers_16th_birthday_is_refused(clinic: Clinic) -> None:
    """Was: an exam in 1990 accepted for an officer born in 1990."""
    report = clinic.run(
        "警号,体检日期,空腹血糖\n"
        "S001,2006-04-30,5.1\n"  # the day before turning 16
        "S001,2006-05-01,5.2\n"  # 16th birthday
        "S002,2008-02-29,5.3\n"  # born 29 February 1992: 16 on 29 February 2008
        "S002,2008-02-28,5.4\n",
        mode="valid",
    )
    assert _located(report.errors) == [
        (2, "体检日期", "2006-04-30", ReasonCode.EXAM_DATE_BEFORE_SERVICE_AGE),
        (5, "体检日期", "2008-02-28", ReasonCode.EXAM_DATE_BEFORE_SERVICE_AGE),
    ]
    assert set(clinic.stored()) == {("S001", date(2006, 5, 1)), ("S002", date(2008, 2, 29))}


def test_upload_level_exam_date_fills_rows_without_one(clinic: Clinic) -> None:
    """Was: no way to give one exam date for a whole upload."""
    report = clinic.run("警号,空腹血糖\nS001,5.1\nS002,5.2\n", exam_date=date(2026, 4, 2))
    assert (report.errors, report.stored) == ([], 2)
    assert set(clinic.stored()) == {("S001", date(2026, 4, 2)), ("S002", date(2026, 4, 2))}
    refused = clinic.run("警号,空腹血糖\nS001,5.3\n")
    assert _located(refused.errors) == [(1, "exam_date", "", ReasonCode.MISSING_COLUMN)]


# ------------------------------------------------------------------ leniency


def test_combined_blood_pressure_column_is_split(clinic: Clinic) -> None:
    """Was: the 血压 column refused the whole file."""
    report = clinic.run(
        "警号,体检日期,血压(mmHg)\nS001,2026-03-01,128/84\nS002,2026-03-01,135\n", mode="valid"
    )
    assert _located(report.errors) == [(3, "血压(mmHg)", "135", ReasonCode.MALFORMED_VALUE)]
    assert report.errors[0].reason == "blood pressure is written systolic/diastolic, e.g. 120/80"
    assert clinic.stored() == {("S001", date(2026, 3, 1)): {"sbp": 128.0, "dbp": 84.0}}


def test_decimal_comma_is_read_where_unambiguous(clinic: Clinic) -> None:
    """Was: "5,6" not a number, with no hint."""
    report = clinic.run(
        '警号,体检日期,空腹血糖,总胆固醇\nS001,2026-03-01,"5,6","4,52"\nS002,2026-03-01,"5,6","1,234"\n',
        mode="valid",
    )
    assert _located(report.errors) == [(3, "总胆固醇", "1,234", ReasonCode.MALFORMED_VALUE)]
    assert "thousands" in report.errors[0].reason
    assert clinic.stored() == {("S001", date(2026, 3, 1)): {"glu": 5.6, "tc": 4.52}}


def test_unknown_column_warning_names_the_closest_catalog_items(clinic: Clinic) -> None:
    report = clinic.run(
        "警号,体检日期,Potasium (mmol/L),空腹血糖\nS001,2026-03-01,4.1,5.0\n", mode="valid"
    )
    assert report.errors == []
    [warning] = report.warnings
    assert (warning.row, warning.field, warning.reason_code) == (
        1,
        "Potasium (mmol/L)",
        ReasonCode.IGNORED_COLUMN,
    )
    assert "closest catalog items: 钾 Potassium" in warning.reason
    assert clinic.stored() == {("S001", date(2026, 3, 1)): {"glu": 5.0}}


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "results.csv", "a PDF report"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png", "an image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.xlsx", "an image"),
    ],
)
def test_pdf_or_image_is_refused_as_such(
    clinic: Clinic, data: bytes, name: str, reason: str
) -> None:
    """Was: a PDF parsed as CSV, with errors about its 'columns'."""
    for dry_run in (True, False):
        report = clinic.run(data, name, dry_run=dry_run, mode="valid")
        assert _located(report.errors) == [(0, "file", "", ReasonCode.UNSUPPORTED_FILE)]
        assert report.errors[0].reason.startswith(reason)
        assert (report.stored, report.checkups) == (0, 0)
    assert clinic.stored() == {}


def test_repeated_file_only_when_an_earlier_upload_of_it_stored_something(clinic: Clinic) -> None:
    """Was: repeated_file true when the earlier attempt had stored nothing."""
    text = "警号,体检日期,空腹血糖\nS001,2026-03-01,5.1\nS002,2026-03-01,abc\n"
    refused = clinic.run(text, mode="all")
    assert (refused.status, refused.stored, refused.repeated_file) == ("rejected", 0, False)
    again = clinic.run(text, mode="all")
    assert (again.status, again.repeated_file) == ("rejected", False)
    stored = clinic.run(text, mode="valid")
    assert (stored.stored, stored.repeated_file) == (1, False)
    repeat = clinic.run(text, mode="valid")
    assert (repeat.stored, repeat.duplicates, repeat.repeated_file) == (0, 1, True)
