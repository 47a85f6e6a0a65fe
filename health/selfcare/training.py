"""First-aid training: certificate validity, each officer's standing per course, and the reader
of attendance spreadsheets (the checkup import's conventions: nothing stored by reading; every
problem located by row, column and value with a log-safe reason).

Training records are not health data; the badge number in a file still is an identifier, so a
``RowError`` never quotes it in its reason, and drafts do not print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from typing import Final, Literal

from health.ingest.cells import cell_text
from health.ingest.drafts import ReasonCode, RowError
from health.ingest.identity import parse_date
from health.ingest.sheet import SheetError, load_sheet
from health.selfcare.equipment import add_months

Standing = Literal["current", "expiring", "expired", "untrained"]
STANDINGS: Final[tuple[Standing, ...]] = ("current", "expiring", "expired", "untrained")
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "badge_number": ("badge_number", "badge", "警号"),
    "course": ("course", "course_code", "课程", "课程代码"),
    "attended_on": ("attended_on", "date", "培训日期", "日期"),
    "certificate": ("certificate", "certificate_no", "证书编号"),
}
REQUIRED_COLUMNS: Final = ("badge_number", "course", "attended_on")


def expires_on(attended_on: date, validity_months: int) -> date:
    """A certificate is valid through the same day ``validity_months`` later."""
    return add_months(attended_on, validity_months)


def standing(latest_expiry: date | None, as_of: date, within: int) -> Standing:
    """Never trained; expired (last certificate ran out before ``as_of``); expiring within
    ``within`` days; or current."""
    if latest_expiry is None:
        return "untrained"
    if latest_expiry < as_of:
        return "expired"
    if latest_expiry <= as_of + timedelta(days=within):
        return "expiring"
    return "current"


@dataclass(frozen=True, slots=True)
class AttendanceDraft:
    row: int
    badge_number: str = dc_field(repr=False)
    course: str
    attended_on: date
    certificate: str | None


def _column_of(header: str) -> str | None:
    text = header.strip().lower()
    for name, aliases in COLUMNS.items():
        if text in (a.lower() for a in aliases):
            return name
    return None


def read_attendance(data: bytes, filename: str) -> tuple[list[AttendanceDraft], list[RowError]]:
    """Drafts for the rows that read cleanly, and every problem found; header problems are
    row 1 and concern the whole file."""
    try:
        sheet = load_sheet(data, filename)
    except SheetError as exc:
        return [], [RowError(exc.row, "file", "", exc.reason, ReasonCode.MALFORMED_FILE)]
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, raw in enumerate(sheet.headers):
        header = cell_text(raw) or ""
        name = _column_of(header)
        if name is None:
            errors.append(RowError(1, header, header, "unknown column", ReasonCode.UNKNOWN_COLUMN))
        elif name in positions:
            errors.append(
                RowError(1, header, header, "column given twice", ReasonCode.DUPLICATE_COLUMN)
            )
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            errors.append(
                RowError(1, name, "", "required column missing", ReasonCode.MISSING_COLUMN)
            )
    if errors:
        return [], errors
    rows = len(sheet.columns[0]) if sheet.columns else 0
    drafts: list[AttendanceDraft] = []
    seen: set[tuple[str, str, date]] = set()
    for i in range(rows):
        row = sheet.first_row + i
        cells = {n: cell_text(sheet.columns[p][i]) or "" for n, p in positions.items()}
        if not any(cells.values()):
            continue
        bad = False
        badge, course = cells["badge_number"].strip(), cells["course"].strip()
        if not badge:
            errors.append(
                RowError(
                    row, "badge_number", "", "badge number is blank", ReasonCode.MISSING_OFFICER
                )
            )
            bad = True
        if not course:
            errors.append(
                RowError(row, "course", "", "course is blank", ReasonCode.MALFORMED_VALUE)
            )
            bad = True
        day = parse_date(cells["attended_on"])
        if day is None:
            errors.append(
                RowError(
                    row,
                    "attended_on",
                    cells["attended_on"],
                    "not a date (use YYYY-MM-DD)",
                    ReasonCode.MALFORMED_DATE,
                )
            )
            bad = True
        if bad or day is None:
            continue
        key = (badge, course, day)
        if key in seen:
            errors.append(
                RowError(
                    row,
                    "badge_number",
                    badge,
                    "the same attendance is listed twice in the file",
                    ReasonCode.DUPLICATE_IN_FILE,
                )
            )
            continue
        seen.add(key)
        certificate = cells.get("certificate", "").strip() or None
        drafts.append(AttendanceDraft(row, badge, course, day, certificate))
    return drafts, errors
