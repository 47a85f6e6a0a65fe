"""Every kind of bad input in an import is reported at its exact row, field and value, and the
database is left unchanged (dry run, all-or-nothing) or holds exactly the valid checkups (valid).

Each test imports one sample file from tests/data/import as a medic serving Bureau A, three
times on one committed database: as a dry run, then ``mode=all``, then ``mode=valid``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from databases import Opened
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.ingest import BADGE_SYSTEM, ReasonCode, RowError
from health.services import accounts, imports, officers, units
from health.services.context import MEDIC, SYSTEM, Actor, Ctx
from health.services.intake import NO_SUCH_OFFICER
from health.services.sealed import results_slot
from health.services.vault import Vault, unlock
from models.tables import Checkup, Upload

from factories import fast_policy

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
EXAM = date(2026, 3, 1)
GLU_MG_DL = 18.016  # mg/dL per mmol/L: molar mass of glucose 180.16 g/mol / 10
IN_A = {
    "120101": ("张伟", date(1980, 5, 12), "M"),
    "120102": ("李娜", date(1988, 11, 3), "F"),
    "120103": ("王强", date(1975, 1, 20), "M"),
    "120104": ("刘洋", date(1990, 7, 7), "M"),
}
IN_B = {"120901": ("陈静", date(1985, 2, 14), "F")}

Located = tuple[int, str, str, ReasonCode]
Expected = Mapping[str, Mapping[str, float]]


@dataclass
class Clinic:
    """A committed database with Bureau A (served by the medic) and Bureau B (not served)."""

    sessions: sessionmaker[Session]
    vault: Vault
    medic: Actor
    badges: dict[uuid.UUID, str]

    def run(self, name: str, **options: Any) -> imports.ImportReport:
        data = (DATA / name).read_bytes()
        return imports.run(self.sessions, self.vault, self.medic, data, name, **options)

    def snapshot(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, int]]:
        """Every checkup and upload row as stored, and the row count of every table."""
        with self.sessions() as session:
            checkups = session.execute(
                select(Checkup.id, Checkup.version, Checkup.status, Checkup.results).order_by(
                    Checkup.id
                )
            ).all()
            uploads = session.execute(
                select(Upload.id, Upload.status, Upload.stored).order_by(Upload.id)
            ).all()
            tables = inspect(session.connection()).get_table_names()
            counts = {
                t: int(session.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) for t in tables
            }
            return [tuple(r) for r in checkups], [tuple(r) for r in uploads], counts

    def stored(self) -> dict[str, dict[str, Any]]:
        """Current checkups opened straight from the rows (no service read, so no audit event),
        keyed by badge number."""
        out: dict[str, dict[str, Any]] = {}
        with self.sessions() as session:
            for row in session.scalars(select(Checkup).where(Checkup.status == "current")):
                sealer = self.vault.sealer_for(session, row.officer_id)
                document = json.loads(sealer.open(row.results, results_slot(row.id)))
                badge = self.badges[row.officer_id]
                assert badge not in out, "two current checkups for one officer"
                assert (row.exam_date, row.version) == (EXAM, 1)
                out[badge] = document["results"]
        return out


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Clinic:
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        force = units.create(ctx, code="F", name="Force", kind="force", parent_id=None)
        bureau_a = units.create(ctx, code="A", name="Bureau A", kind="bureau", parent_id=force.id)
        bureau_b = units.create(ctx, code="B", name="Bureau B", kind="bureau", parent_id=force.id)
        a1 = units.create(ctx, code="A1", name="Station A1", kind="station", parent_id=bureau_a.id)
        b1 = units.create(ctx, code="B1", name="Station B1", kind="station", parent_id=bureau_b.id)
        badges: dict[uuid.UUID, str] = {}
        for unit_id, people in ((a1.id, IN_A), (b1.id, IN_B)):
            roster = [
                officers.OfficerIn(unit_id, badge, name, born, sex)
                for badge, (name, born, sex) in people.items()
            ]
            for person, new in zip(roster, officers.register_many(ctx, roster), strict=True):
                badges[new.id] = person.badge_number
        user = accounts.create_user(
            ctx,
            fast_policy(vault),
            username="medic-a",
            role=MEDIC,
            password="long enough password",
            unit_ids=[bureau_a.id],
        )
        medic = Actor(id=str(user.id), role=MEDIC, user_id=user.id, unit_paths=(bureau_a.path,))
    return Clinic(sessions, vault, medic, badges)


def _located(errors: list[RowError]) -> list[Located]:
    return [(e.row, e.field, e.value, e.reason_code) for e in errors]


def _assert_results(actual: Mapping[str, Any], expected: Expected) -> None:
    assert set(actual) == set(expected)
    for badge, results in expected.items():
        assert actual[badge] == pytest.approx(dict(results)), badge


def _three_modes(
    clinic: Clinic, name: str, errors: list[Located], valid: Expected, *, file_level: bool
) -> imports.ImportReport:
    """Dry runs store nothing, ``all`` stores nothing, ``valid`` stores exactly ``valid``.

    Returns the ``valid`` report.
    """
    before = clinic.snapshot()
    for mode in ("all", "valid"):
        preview = clinic.run(name, dry_run=True, mode=mode)
        assert _located(preview.errors) == errors
        assert (preview.status, preview.upload_id, preview.stored) == ("preview", None, 0)
        # valid counts the checkups that pass in either mode (was 0 for every mode=all preview)
        assert preview.valid == (0 if file_level else len(valid))
        assert clinic.snapshot() == before, f"a dry run ({mode}) changed the database"

    refused = clinic.run(name, mode="all")
    assert _located(refused.errors) == errors
    assert (refused.status, refused.stored) == ("rejected", 0)
    assert refused.valid == (0 if file_level else len(valid))
    checkups_after, uploads_after, counts_after = clinic.snapshot()
    assert checkups_after == before[0], "mode=all stored checkups from a file with errors"
    assert [(u[1], u[2]) for u in uploads_after] == [("rejected", 0)]
    changed = {t for t, n in counts_after.items() if n != before[2][t]}
    assert changed == {"upload", "audit_event", "audit_pending"}, (
        "mode=all wrote more than the upload record (and its audit event, queued for the chain)"
    )

    report = clinic.run(name, mode="valid")
    assert _located(report.errors) == errors
    assert (report.valid, report.stored, report.duplicates) == (len(valid), len(valid), 0)
    _assert_results(clinic.stored(), valid)
    return report


# ------------------------------------------------------------------ unknown analyte


def test_unknown_analyte_column_refuses_the_file_in_mode_all(clinic: Clinic) -> None:
    before = clinic.snapshot()
    for dry_run in (True, False):
        report = clinic.run("unknown_column.csv", mode="all", dry_run=dry_run)
        assert _located(report.errors) == [(1, "血型", "血型", ReasonCode.UNKNOWN_COLUMN)]
        assert report.errors[0].reason == "header names no analyte in the catalog"
        assert (report.valid, report.stored, report.rejected) == (0, 0, 2)
    assert report.status == "rejected"
    assert clinic.snapshot()[0] == before[0]


def test_unknown_analyte_column_is_ignored_with_a_warning_in_mode_valid(clinic: Clinic) -> None:
    """Was: one unknown column refused the whole file even in mode=valid, with no hint."""
    preview = clinic.run("unknown_column.csv", mode="valid", dry_run=True)
    assert (preview.errors, preview.valid, preview.rejected) == ([], 2, 0)
    assert _located(preview.warnings) == [(1, "血型", "血型", ReasonCode.IGNORED_COLUMN)]
    report = clinic.run("unknown_column.csv", mode="valid")
    assert (report.status, report.stored, report.errors) == ("stored", 2, [])
    assert [w.field for w in report.warnings] == ["血型"]
    _assert_results(
        clinic.stored(),
        {"120101": {"glu": 5.4, "sbp": 118.0}, "120102": {"glu": 5.9, "sbp": 131.0}},
    )


def _long_unknown_item_preview(clinic: Clinic) -> imports.ImportReport:
    before = clinic.snapshot()
    preview = clinic.run("unknown_item_long.csv", dry_run=True, mode="valid")
    assert _located(preview.errors) == [(5, "项目名称", "血型", ReasonCode.UNKNOWN_ANALYTE)]
    assert preview.errors[0].reason == "item names no analyte in the catalog"
    assert preview.layout == "long"
    refused = clinic.run("unknown_item_long.csv", mode="all")
    assert (refused.status, refused.stored) == ("rejected", 0)
    assert clinic.snapshot()[0] == before[0]
    return preview


def test_unknown_analyte_item_in_a_long_sheet_is_reported_and_all_stores_nothing(
    clinic: Clinic,
) -> None:
    _long_unknown_item_preview(clinic)


def test_unknown_analyte_item_refuses_its_officers_whole_checkup_in_mode_valid(
    clinic: Clinic,
) -> None:
    preview = _long_unknown_item_preview(clinic)
    assert preview.valid == 1
    report = clinic.run("unknown_item_long.csv", mode="valid")
    assert (report.stored, report.rejected, report.status) == (1, 1, "partial")
    _assert_results(clinic.stored(), {"120101": {"glu": 5.4, "sbp": 118.0}})


# ------------------------------------------------------------------ unit not convertible


def test_unit_not_convertible_refuses_the_whole_file_gb18030(clinic: Clinic) -> None:
    raw = (DATA / "bad_unit_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    report = _three_modes(
        clinic,
        "bad_unit_gb18030.csv",
        [(1, "总胆固醇(U/L)", "U/L", ReasonCode.UNIT_NOT_CONVERTIBLE)],
        {},
        file_level=True,
    )
    assert report.errors[0].reason == "unit cannot be converted to mmol/L for tc"
    assert report.status == "rejected"


# ------------------------------------------------------------------ impossible value


def test_impossible_value_refuses_its_row_xlsx(clinic: Clinic) -> None:
    report = _three_modes(
        clinic,
        "impossible_value.xlsx",
        # the sheet has a title row above the header: rows are counted as Excel shows them
        [(4, "收缩压(mmHg)", "400", ReasonCode.IMPLAUSIBLE_VALUE)],
        {
            "120101": {"sbp": 118.0, "dbp": 76.0, "glu": 5.4},
            "120103": {"sbp": 126.0, "dbp": 82.0, "glu": 6.1},
        },
        file_level=False,
    )
    assert report.errors[0].reason == "outside the physically plausible range 40-300 mm[Hg] of sbp"
    assert (report.status, report.rejected) == ("partial", 1)


# ------------------------------------------------------------------ malformed value


def test_malformed_values_refuse_their_rows(clinic: Clinic) -> None:
    report = _three_modes(
        clinic,
        "malformed_value.csv",
        [
            (3, "空腹血糖(mmol/L)", "未测", ReasonCode.MALFORMED_VALUE),
            (4, "尿蛋白", "+++++", ReasonCode.MALFORMED_VALUE),
        ],
        {"120101": {"glu": 5.4, "u_pro": 0, "sbp": 118.0}},
        file_level=False,
    )
    assert [e.reason for e in report.errors] == [
        "is not a number",
        "is not a level of the dipstick scale",
    ]
    assert (report.status, report.rejected) == ("partial", 2)


# ------------------------------------------------------------------ officers


def test_unknown_badge_number_refuses_its_row(clinic: Clinic) -> None:
    report = _three_modes(
        clinic,
        "unknown_badge.csv",
        [(3, "警号", "120999", ReasonCode.MISSING_OFFICER)],
        {"120101": {"glu": 5.4, "sbp": 118.0}, "120103": {"glu": 6.1, "sbp": 126.0}},
        file_level=False,
    )
    assert report.errors[0].reason == NO_SUCH_OFFICER
    assert (report.status, report.rejected) == ("partial", 1)


def test_officer_outside_the_medics_units_reads_exactly_like_an_unknown_badge(
    clinic: Clinic,
) -> None:
    outside = _three_modes(
        clinic,
        "out_of_scope.csv",
        [(3, "警号", "120901", ReasonCode.MISSING_OFFICER)],
        {"120101": {"glu": 5.4, "sbp": 118.0}, "120103": {"glu": 6.1, "sbp": 126.0}},
        file_level=False,
    )
    # The two files differ only in that badge: everything but the echoed value is identical.
    unknown = clinic.run("unknown_badge.csv", dry_run=True, mode="valid")
    preview = clinic.run("out_of_scope.csv", dry_run=True, mode="valid")
    assert [(e.row, e.field, e.reason, e.reason_code) for e in preview.errors] == [
        (e.row, e.field, e.reason, e.reason_code) for e in unknown.errors
    ]
    assert [e.value for e in preview.errors + unknown.errors] == ["120901", "120999"]
    shape = ("rows_read", "checkups", "valid", "rejected", "status", "layout")
    assert [getattr(preview, f) for f in shape] == [getattr(unknown, f) for f in shape]
    assert outside.errors[0].reason == NO_SUCH_OFFICER
    # It is scope, not absence: the system operator may import that row.
    data = (DATA / "out_of_scope.csv").read_bytes()
    as_system = imports.run(
        clinic.sessions, clinic.vault, SYSTEM, data, "out_of_scope.csv", dry_run=True
    )
    assert (as_system.errors, as_system.valid) == ([], 3)


# ------------------------------------------------------------------ duplicates


def test_duplicate_rows_within_the_file_are_all_refused_gb18030(clinic: Clinic) -> None:
    report = _three_modes(
        clinic,
        "duplicate_rows_gb18030.csv",
        [
            (2, "警号", "120101", ReasonCode.DUPLICATE_IN_FILE),
            (4, "警号", "120101", ReasonCode.DUPLICATE_IN_FILE),
        ],
        {"120102": {"glu": 106 / GLU_MG_DL, "sbp": 131.0}},
        file_level=False,
    )
    assert [e.reason for e in report.errors] == [
        "same officer and exam date as row 4",
        "same officer and exam date as row 2",
    ]


# ------------------------------------------------------------------ dates


def test_malformed_dates_refuse_their_rows(clinic: Clinic) -> None:
    report = _three_modes(
        clinic,
        "malformed_date.csv",
        [
            (3, "体检日期", "2026-02-30", ReasonCode.MALFORMED_DATE),
            # month-first or day-first is ambiguous, so refused
            (4, "体检日期", "03/01/2026", ReasonCode.MALFORMED_DATE),
        ],
        {"120101": {"glu": 5.4, "sbp": 118.0}, "120104": {"glu": 5.0, "sbp": 121.0}},
        file_level=False,
    )
    assert {e.reason for e in report.errors} == {"exam date is not a date (use YYYY-MM-DD)"}


def test_mode_valid_with_refused_rows_is_partial_even_when_no_draft_was_refused(
    clinic: Clinic,
) -> None:
    report = clinic.run("malformed_date.csv", mode="valid")
    assert report.stored == 2
    assert report.status == "partial"


# ------------------------------------------------------------------ unreadable files


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "file is empty"),
        ("not_text.csv", "file is neither UTF-8 nor GB18030 text"),
        ("damaged.xlsx", "file is not a readable XLSX workbook"),
    ],
)
def test_empty_or_unreadable_file_is_refused_whole(clinic: Clinic, name: str, reason: str) -> None:
    report = _three_modes(
        clinic, name, [(0, "file", "", ReasonCode.MALFORMED_FILE)], {}, file_level=True
    )
    assert report.errors[0].reason == reason
    assert (report.status, report.rows_read, report.checkups) == ("rejected", 0, 0)


def test_header_only_file_is_reported_not_stored(clinic: Clinic) -> None:
    report = clinic.run("header_only.csv", mode="valid")
    assert [e.reason_code for e in report.errors] == [ReasonCode.MALFORMED_FILE]
    assert report.status == "rejected"


# ------------------------------------------------------------------ FHIR


def _bundle(*observations: dict[str, Any]) -> bytes:
    patient = {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": BADGE_SYSTEM, "value": "120101"}],
    }
    entries = [{"resource": patient}] + [{"resource": o} for o in observations]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def _observation(loinc: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": EXAM.isoformat(),
        "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": unit},
    }


def test_fhir_refused_observation_refuses_its_officers_whole_checkup_in_mode_valid(
    clinic: Clinic,
) -> None:
    data = _bundle(_observation("1558-6", 5.4, "mmol/L"), _observation("8480-6", 400, "mm[Hg]"))
    report = imports.run(clinic.sessions, clinic.vault, clinic.medic, data, "b.json", mode="valid")
    assert _located(report.errors) == [
        (2, "Observation.valueQuantity.value", "400", ReasonCode.IMPLAUSIBLE_VALUE)
    ]
    assert (report.stored, report.rejected) == (0, 1)
    assert clinic.stored() == {}
