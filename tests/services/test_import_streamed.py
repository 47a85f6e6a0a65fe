"""A wide CSV read in parts (``chunk_size`` rows each) decides exactly as the same file read in
one part: the same errors on the same rows (a repeat across parts refuses both rows, and a third
copy too), the same counts, all-or-nothing in ``mode=all``, only the good rows in ``mode=valid``,
and the same refused rows handed back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.ingest import ReasonCode
from health.services import import_stream, imports, officers, units
from health.services.context import SYSTEM, Ctx
from health.services.vault import Vault, unlock
from models.tables import Checkup

N = 30
EXAM = date(2026, 3, 1)
WHOLE = 10_000  # one part for this file


@dataclass
class Clinic:
    sessions: sessionmaker[Session]
    vault: Vault

    def run(self, data: bytes, chunk: int, **options: object) -> imports.ImportReport:
        return imports.run(
            self.sessions, self.vault, SYSTEM, data, "session.csv", chunk_size=chunk, **options
        )  # type: ignore[arg-type]

    def checkups(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Checkup)) or 0)


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Clinic:
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        unit = units.create(ctx, code="S", name="Streamed", kind="force", parent_id=None)
        officers.register_many(
            ctx,
            [
                officers.OfficerIn(unit.id, f"S{i:04d}", f"Officer {i}", date(1980, 1, 1), "M")
                for i in range(N)
            ],
        )
    return Clinic(sessions, vault)


def _file(rows: list[list[str]], *, note: bool = True) -> bytes:
    """A session; its ``备注`` column is none of the catalog's (``mode=valid`` skips it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["警号", "体检日期", "空腹血糖(mmol/L)", "收缩压(mmHg)", "备注"][: 5 if note else 4]
    )
    writer.writerows([row[: 5 if note else 4] for row in rows])
    return out.getvalue().encode()


def _good(i: int) -> list[str]:
    return [f"S{i:04d}", EXAM.isoformat(), f"{5 + i / 100:.2f}", str(110 + i), ""]


def _session_with_problems() -> bytes:
    rows = [_good(i) for i in range(N)]
    rows[2][4] = "a remark\nover two lines"  # a quoted newline inside one record
    rows[20] = _good(3)  # row 22 repeats row 5 (another part when parts are 4 rows)
    rows[25] = _good(3)  # and a third copy
    rows[11] = ["X9999", EXAM.isoformat(), "5.1", "120", ""]  # nobody of that badge
    rows[17][2] = "abc"  # not a number
    return _file(rows)


def _decision(report: imports.ImportReport) -> tuple[object, ...]:
    errors = [(e.row, e.field, e.reason_code, e.reason) for e in report.errors]
    return (
        errors,
        report.rows_read,
        report.checkups,
        report.valid,
        report.rejected,
        report.status,
    )


def test_parts_of_four_rows_preview_exactly_as_the_whole_file(clinic: Clinic) -> None:
    data = _session_with_problems()
    assert import_stream.streamable(data, "session.csv")
    streamed = clinic.run(data, 4, dry_run=True, mode="valid")
    whole = clinic.run(data, WHOLE, dry_run=True, mode="valid")
    for mine, theirs in zip(_decision(streamed), _decision(whole), strict=True):
        assert mine == theirs
    repeated = {e.row for e in streamed.errors if e.reason_code == ReasonCode.DUPLICATE_IN_FILE}
    assert repeated == {5, 22, 27}
    assert streamed.valid == N - 3 - 1 - 1  # three copies, the unknown badge, the bad value
    assert clinic.checkups() == 0


def test_mode_all_with_an_error_in_the_last_part_stores_nothing(clinic: Clinic) -> None:
    rows = [_good(i) for i in range(N)]
    assert clinic.run(_file(rows, note=False), 4, dry_run=True).errors == []
    rows[-1][3] = "-5"  # impossible, in the very last part
    report = clinic.run(_file(rows, note=False), 4, mode="all")
    # Counted per checkup whatever the mode: N - 1 fine, one refused; none stored.
    assert (report.status, report.stored, report.valid, report.rejected) == (
        "rejected",
        0,
        N - 1,
        1,
    )
    assert clinic.checkups() == 0


def test_mode_valid_stores_the_good_rows_of_every_part_and_returns_the_refused_ones(
    clinic: Clinic,
) -> None:
    report = clinic.run(_session_with_problems(), 4, mode="valid")
    assert report.status == "partial"
    assert report.stored == clinic.checkups() == N - 5
    assert report.upload_id is not None
    with clinic.sessions.begin() as session:
        refused = imports.rejected_csv(Ctx(session, clinic.vault, SYSTEM), report.upload_id)
    lines = list(csv.reader(io.StringIO(refused.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["S0003", "X9999", "S0017", "S0003", "S0003"]
    again = clinic.run(_session_with_problems(), 4, mode="valid")
    assert (again.stored, again.duplicates) == (0, N - 5)
    assert clinic.checkups() == N - 5


def test_long_layout_and_workbooks_are_read_whole() -> None:
    assert not import_stream.streamable(b"PK\x03\x04rest", "session.xlsx")
    assert not import_stream.streamable(b'{"resourceType": "Bundle"}', "bundle.json")
    long_sheet = "警号,体检日期,项目,结果,单位\nS0001,2026-03-01,GLU,5.1,mmol/L\n".encode()
    assert not import_stream.streamable(long_sheet, "long.csv")


def test_unknown_badges_in_every_part_are_refused_with_one_error_each(clinic: Clinic) -> None:
    rows = [[f"Z{i:04d}", EXAM.isoformat(), "5.0", "120", ""] for i in range(12)]
    report = clinic.run(_file(rows), 5, mode="valid")
    assert report.rejected == 12
    assert [e.reason_code for e in report.errors] == [ReasonCode.MISSING_OFFICER] * 12
    assert (report.stored, clinic.checkups()) == (0, 0)
