"""Reading a unit roster (one row per officer: badge, national ID, name, sex, birth date, unit).

Nothing is looked up here: the reader returns clean rows and every problem with row, column,
value and reason; the service resolves units and officers and decides what changes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from health.catalog.text import fold_label
from health.ingest.cells import CellError, ObjectArray, cell_text
from health.ingest.drafts import ReasonCode, RowError
from health.ingest.identity import date_column, identifier_column, sex_column
from health.ingest.sheet import Sheet
from health.national_id import REASONS, birth_date_of, normalise, problem

RosterField = Literal["badge_number", "national_id", "name", "sex", "birth_date", "unit_code"]
REQUIRED: tuple[RosterField, ...] = ("badge_number", "name", "sex", "birth_date", "unit_code")
ALIASES: dict[RosterField, tuple[str, ...]] = {
    "badge_number": ("badge_number", "badge", "badge no", "警号", "警员编号"),
    "national_id": (
        "national_id",
        "id_number",
        "id number",
        "身份证号",
        "身份证号码",
        "公民身份号码",
    ),
    "name": ("name", "full name", "姓名"),
    "sex": ("sex", "gender", "性别"),
    "birth_date": ("birth_date", "date of birth", "dob", "出生日期"),
    "unit_code": ("unit_code", "unit", "单位", "单位代码", "单位编码"),
}
_LOOKUP = {fold_label(alias): name for name, aliases in ALIASES.items() for alias in aliases}
# An officer is at least 16 (Labour Law of the PRC art. 15: no employment under 16) and a
# roster birth date past 100 years is a typing error, not a serving officer.
MIN_AGE_YEARS = 16
MAX_AGE_YEARS = 100
_SEX_CODE = {"male": "M", "female": "F"}


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One officer as the roster states them; ``sex`` is ``M``/``F`` as the register keeps it."""

    row: int
    badge_number: str
    name: str
    sex: str
    birth_date: date
    unit_code: str
    national_id: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class RosterSheet:
    rows: list[RosterRow]
    errors: list[RowError]
    rows_read: int
    headers: dict[RosterField, str]


def normalise_name(text: str) -> str:
    """Names compare width-, case- and space-insensitively (``张 伟`` is ``张伟``)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _plan(sheet: Sheet) -> tuple[dict[RosterField, int], list[RowError]]:
    columns: dict[RosterField, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(sheet.headers):
        text = cell_text(raw)
        if text is None:
            continue
        name = _LOOKUP.get(fold_label(text))
        if name is None:
            continue  # extra roster columns (rank, phone...) are not ours to keep
        if name in columns:
            errors.append(
                RowError(
                    sheet.header_row,
                    text,
                    text,
                    "this column appears twice",
                    ReasonCode.DUPLICATE_COLUMN,
                )
            )
            continue
        columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            errors.append(
                RowError(
                    sheet.header_row,
                    name,
                    "",
                    f"the roster needs a {name} column ({', '.join(ALIASES[name][-2:])})",
                    ReasonCode.MISSING_COLUMN,
                )
            )
    return columns, errors


def read_roster(sheet: Sheet, today: date) -> RosterSheet:
    """Rows with every required cell valid; the rest as errors naming the file's header."""
    columns, errors = _plan(sheet)
    headers = {name: str(cell_text(sheet.headers[i])) for name, i in columns.items()}
    if any(e.reason_code == ReasonCode.MISSING_COLUMN for e in errors):
        return RosterSheet([], errors, sheet.n_rows, headers)
    n = sheet.n_rows
    col = {name: sheet.columns[i] for name, i in columns.items()}
    texts: dict[str, ObjectArray] = {
        name: identifier_column(col[name])
        for name in ("badge_number", "name", "unit_code", "national_id")
        if name in col
    }
    born = date_column(col["birth_date"], "birth date")
    sex = sex_column(col["sex"])
    bad: dict[int, list[RowError]] = {}

    def fail(index: int, name: RosterField, value: str, reason: str, code: ReasonCode) -> None:
        row = sheet.first_row + index
        bad.setdefault(index, []).append(RowError(row, headers[name], value, reason, code))

    for name, outcome in (("birth_date", born), ("sex", sex)):
        for error in outcome.errors:
            assert isinstance(error, CellError)
            fail(error.index, name, error.value, error.reason, error.reason_code)  # type: ignore[arg-type]
    seen_badges: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    rows: list[RosterRow] = []
    for i in range(n):
        cells = {name: texts[name][i] for name in texts}
        if all(v is None for v in cells.values()) and born.objects[i] is None:
            continue  # a blank line
        for name in ("badge_number", "name", "unit_code"):
            if cells[name] is None:
                fail(i, name, "", f"{name} is empty", ReasonCode.MISSING_VALUE)  # type: ignore[arg-type]
        for name, outcome in (("birth_date", born), ("sex", sex)):
            if outcome.objects[i] is None and i not in {e.index for e in outcome.errors}:
                fail(i, name, "", f"{name} is empty", ReasonCode.MISSING_VALUE)  # type: ignore[arg-type]
        birth = born.objects[i]
        if isinstance(birth, date) and not _plausible_birth(birth, today):
            fail(
                i,
                "birth_date",
                birth.isoformat(),
                f"an officer is {MIN_AGE_YEARS} to {MAX_AGE_YEARS} years old",
                ReasonCode.IMPLAUSIBLE_VALUE,
            )
        national = cells.get("national_id")
        if national is not None:
            national = normalise(national)
            trouble = problem(national)
            if trouble is not None:
                fail(i, "national_id", national, REASONS[trouble], ReasonCode.INVALID_NATIONAL_ID)
            elif isinstance(birth, date) and birth_date_of(national) != birth:
                fail(
                    i,
                    "national_id",
                    national,
                    "the birth date inside the national ID number differs from birth_date",
                    ReasonCode.INVALID_NATIONAL_ID,
                )
            elif national in seen_ids:
                fail(
                    i,
                    "national_id",
                    national,
                    f"this national ID number is also on row {seen_ids[national]}",
                    ReasonCode.DUPLICATE_IN_FILE,
                )
            else:
                seen_ids[national] = sheet.first_row + i
        badge = cells["badge_number"]
        if badge is not None:
            key = "".join(unicodedata.normalize("NFKC", badge).split()).upper()
            if key in seen_badges:
                fail(
                    i,
                    "badge_number",
                    badge,
                    f"this badge number is also on row {seen_badges[key]}",
                    ReasonCode.DUPLICATE_IN_FILE,
                )
            else:
                seen_badges[key] = sheet.first_row + i
        if i in bad:
            continue
        rows.append(
            RosterRow(
                row=sheet.first_row + i,
                badge_number=str(badge).strip(),
                name=" ".join(str(cells["name"]).split()),
                sex=_SEX_CODE[str(sex.objects[i])],
                birth_date=birth,
                unit_code=str(cells["unit_code"]).strip(),
                national_id=national,
            )
        )
    for index in sorted(bad):
        errors.extend(bad[index])
    return RosterSheet(rows, errors, n, headers)


def _plausible_birth(birth: date, today: date) -> bool:
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return MIN_AGE_YEARS <= age <= MAX_AGE_YEARS
