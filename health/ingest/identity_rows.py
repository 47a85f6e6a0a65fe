"""Who and when, per row: identity columns read, checked and de-duplicated for both layouts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.ingest.cells import CellError, ColumnOutcome, ObjectArray
from health.ingest.columns import HeaderPlan, IdentityField
from health.ingest.drafts import ReasonCode, RowError
from health.ingest.identity import date_column, identifier_column, sex_column
from health.ingest.sheet import Sheet

BoolArray = npt.NDArray[np.bool_]


@dataclass(slots=True)
class ErrorLog:
    """Errors gathered while reading, sorted by row then column when handed out."""

    entries: list[tuple[int, int, RowError]] = field(default_factory=list)

    def add(
        self, row: int, column: int, header: str, value: str, code: ReasonCode, reason: str
    ) -> None:
        """Record one error at a spreadsheet row and column position."""
        self.entries.append((row, column, RowError(row, header, value, reason, code)))

    def add_cells(
        self,
        sheet: Sheet,
        rows: npt.NDArray[np.intp] | None,
        errors: list[CellError],
        column: int,
        header: str,
        remark_column: int | None = None,
        remark_header: str = "",
    ) -> None:
        """Record cell errors; ``rows`` maps a subset's indexes back to data-row indexes."""
        for error in errors:
            index = int(rows[error.index]) if rows is not None else error.index
            col, head = (remark_column, remark_header) if error.on_remark else (column, header)
            self.add(
                sheet.first_row + index,
                col if col is not None else column,
                head,
                error.value,
                error.reason_code,
                error.reason,
            )

    def rows(self) -> set[int]:
        """Spreadsheet rows that have at least one error."""
        return {row for row, _, _ in self.entries}

    def sorted(self) -> tuple[RowError, ...]:
        """Errors in reading order."""
        return tuple(e for _, _, e in sorted(self.entries, key=lambda t: (t[0], t[1])))


@dataclass(frozen=True, slots=True)
class Identity:
    """Identity values per data row (``None`` where blank or bad)."""

    badge: ObjectArray
    officer_id: ObjectArray
    exam_date: ObjectArray
    sex: ObjectArray
    birth_date: ObjectArray
    name: ObjectArray


def _none(n: int) -> ObjectArray:
    return np.full(n, None, dtype=object)


def read_identity(sheet: Sheet, plan: HeaderPlan, log: ErrorLog) -> Identity:
    """Parse the identity columns present; a cell that fails is logged and left ``None``."""
    n = sheet.n_rows

    def column(name: IdentityField) -> ObjectArray | None:
        index = plan.identity.get(name)
        return sheet.columns[index] if index is not None else None

    def parsed(name: IdentityField, outcome: ColumnOutcome) -> ObjectArray:
        log.add_cells(sheet, None, outcome.errors, plan.identity[name], plan.identity_header(name))
        return outcome.objects

    badge = column("badge_number")
    officer = column("officer_id")
    name = column("name")
    when = column("exam_date")
    sex = column("sex")
    born = column("birth_date")
    return Identity(
        badge=identifier_column(badge) if badge is not None else _none(n),
        officer_id=identifier_column(officer) if officer is not None else _none(n),
        exam_date=parsed("exam_date", date_column(when, "exam date"))
        if when is not None
        else _none(n),
        sex=parsed("sex", sex_column(sex)) if sex is not None else _none(n),
        birth_date=parsed("birth_date", date_column(born, "birth date"))
        if born is not None
        else _none(n),
        name=identifier_column(name) if name is not None else _none(n),
    )


def has_value(objects: ObjectArray) -> BoolArray:
    """True where a cell produced something."""
    mask: BoolArray = ~pd.isna(objects)
    return mask


def usable_rows(
    sheet: Sheet,
    plan: HeaderPlan,
    identity: Identity,
    content: BoolArray,
    default_date: date | None,
    log: ErrorLog,
) -> tuple[BoolArray, ObjectArray]:
    """Rows that name an officer and a date; logs the rest. Returns the mask and the dates."""
    n = sheet.n_rows
    dates = identity.exam_date
    date_cell = _raw_present(sheet, plan, "exam_date")
    if "exam_date" not in plan.identity:
        if default_date is None:
            log.add(
                sheet.header_row,
                -1,
                "exam_date",
                "",
                ReasonCode.MISSING_COLUMN,
                "no exam date column and no exam date given for the upload",
            )
            return np.zeros(n, dtype=np.bool_), dates
        dates = np.full(n, default_date, dtype=object)
    elif default_date is not None:
        dates = np.where(date_cell, dates, np.full(n, default_date, dtype=object))
    if "badge_number" not in plan.identity and "officer_id" not in plan.identity:
        log.add(
            sheet.header_row,
            -1,
            "badge_number",
            "",
            ReasonCode.MISSING_COLUMN,
            "no badge number or officer id column",
        )
        return np.zeros(n, dtype=np.bool_), dates
    has_officer = has_value(identity.badge) | has_value(identity.officer_id)
    has_date = has_value(dates)
    badge_column, badge_header = plan.officer_column()
    for index in np.flatnonzero(content & ~has_officer).tolist():
        log.add(
            sheet.first_row + index,
            badge_column,
            badge_header,
            "",
            ReasonCode.MISSING_OFFICER,
            "no badge number or officer id",
        )
    for index in np.flatnonzero(content & ~has_date & ~date_cell).tolist():
        log.add(
            sheet.first_row + index,
            plan.identity.get("exam_date", -1),
            plan.identity_header("exam_date"),
            "",
            ReasonCode.MALFORMED_DATE,
            "exam date is missing",
        )
    return content & has_officer & has_date, dates


def _raw_present(sheet: Sheet, plan: HeaderPlan, name: IdentityField) -> BoolArray:
    """Rows whose cell in a column had text (a malformed date was already logged)."""
    index = plan.identity.get(name)
    if index is None:
        return np.zeros(sheet.n_rows, dtype=np.bool_)
    texts = identifier_column(sheet.columns[index])
    return has_value(texts)


def officer_keys(identity: Identity) -> ObjectArray:
    """One key per row naming the officer: the badge number, else the officer id."""
    keys: ObjectArray = np.where(
        has_value(identity.badge),
        identity.badge,
        np.array(
            ["#" + str(v) if v is not None else None for v in identity.officer_id.tolist()],
            dtype=object,
        ),
    )
    return keys


class SeenRows:
    """Officer and exam date of every row read so far, across the sheets of one streamed file,
    so a row repeated in a later sheet refuses both (each key is 8 bytes of a hash: a million
    rows cost about 100 MB, not the rows themselves)."""

    def __init__(self) -> None:
        self._first: dict[int, int] = {}
        self._reported: set[int] = set()

    @staticmethod
    def _key(officer: object, exam_date: object) -> int:
        digest = hashlib.blake2b(f"{officer}\x00{exam_date}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big")

    def check(
        self,
        sheet: Sheet,
        plan: HeaderPlan,
        keys: ObjectArray,
        dates: ObjectArray,
        candidates: npt.NDArray[np.intp],
        identity: Identity,
        log: ErrorLog,
    ) -> set[int]:
        """Record these rows; report each that repeats an earlier sheet's row (and that row,
        once); returns the indexes of this sheet refused for it."""
        column, header = plan.officer_column()
        refused: set[int] = set()
        for index in candidates.tolist():
            key = self._key(keys[index], dates[index])
            row = sheet.first_row + index
            earlier = self._first.setdefault(key, row)
            if earlier == row or earlier >= sheet.first_row:
                continue
            badge = str(identity.badge[index] or identity.officer_id[index] or "")
            reason = ReasonCode.DUPLICATE_IN_FILE
            log.add(
                row, column, header, badge, reason, f"same officer and exam date as row {earlier}"
            )
            if earlier not in self._reported:
                log.add(
                    earlier,
                    column,
                    header,
                    badge,
                    reason,
                    f"same officer and exam date as row {row}",
                )
                self._reported.add(earlier)
            refused.add(index)
        return refused


def flag_duplicates(
    sheet: Sheet,
    plan: HeaderPlan,
    keys: ObjectArray,
    dates: ObjectArray,
    valid: BoolArray,
    identity: Identity,
    log: ErrorLog,
    seen: SeenRows | None = None,
) -> BoolArray:
    """Rows of the same officer and date are all refused: which one is right is the medic's call.
    With ``seen`` (a file read sheet by sheet), rows of earlier sheets count too."""
    rows = np.flatnonzero(valid)
    if seen is not None:
        again = seen.check(sheet, plan, keys, dates, rows, identity, log)
        if again:
            valid = valid.copy()
            valid[list(again)] = False
            rows = np.flatnonzero(valid)
    if rows.size == 0:
        return valid
    frame = pd.DataFrame({"k": keys[rows], "d": dates[rows], "row": rows})
    repeated = frame[frame.duplicated(["k", "d"], keep=False)]
    if repeated.empty:
        return valid
    valid = valid.copy()
    column, header = plan.officer_column()
    for _, group in repeated.groupby(["k", "d"], sort=False):
        members = [int(r) for r in group["row"].tolist()]
        for index in members:
            other = next(m for m in members if m != index)
            badge = identity.badge[index] or identity.officer_id[index] or ""
            log.add(
                sheet.first_row + index,
                column,
                header,
                str(badge),
                ReasonCode.DUPLICATE_IN_FILE,
                f"same officer and exam date as row {sheet.first_row + other}",
            )
            valid[index] = False
    return valid


def flag_empty(
    sheet: Sheet, plan: HeaderPlan, valid: BoolArray, has_result: BoolArray, log: ErrorLog
) -> BoolArray:
    """Rows that name an officer and date but carry no result make no draft; they are reported
    unless another error on the row already explains it."""
    empty = np.flatnonzero(valid & ~has_result).tolist()
    if not empty:
        return valid
    with_errors = log.rows()
    column, header = plan.officer_column()
    for index in empty:
        if sheet.first_row + index not in with_errors:
            log.add(
                sheet.first_row + index,
                column,
                header,
                "",
                ReasonCode.NO_RESULTS,
                "row names an officer but has no results",
            )
    return valid & has_result
