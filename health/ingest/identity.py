"""Identity cells: badge numbers, officer ids, dates and sex, parsed once per distinct text."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from health.ingest.cells import CellError, ColumnOutcome, ObjectArray, cell_text, spread
from health.ingest.drafts import ReasonCode, Sex

_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
# Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is allowed for (ECMA-376 §18.17.4.1).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (10_000, 80_000)  # 1927-05-18 .. 2119-01-10: beyond that a number is no date
_SEX: dict[str, Sex] = {
    "男": "male",
    "男性": "male",
    "m": "male",
    "male": "male",
    "1": "male",
    "女": "female",
    "女性": "female",
    "f": "female",
    "female": "female",
    "2": "female",
}
# "1"/"2" follow GB/T 2261.1-2003 (human sex codes: 1 male, 2 female), as Chinese HR exports do.


def parse_date(value: object) -> date | None:
    """A date from ``2026-03-01``, ``2026/3/1``, ``2026年3月1日``, ``20260301``, an Excel date
    cell or an Excel serial number; ``None`` if it is none of those.

    Day-first or month-first forms (``3/1/2026``) are refused: they are ambiguous.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = cell_text(value)
    if text is None:
        return None
    match = _YMD.match(text) or _COMPACT.match(text)
    if match is not None:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if _SERIAL.match(text):
        return _from_serial(float(text))
    return None


def _from_serial(serial: float) -> date | None:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1] or not serial.is_integer():
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def date_column(values: ObjectArray, what: str) -> ColumnOutcome:
    """Dates per row (``None`` where blank); unparseable cells become ``malformed_date``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    outcomes: list[object] = []
    for raw in uniques.tolist():
        text = cell_text(raw)
        if text is None:
            outcomes.append(None)
            continue
        parsed = parse_date(raw)
        if parsed is None:
            reason = f"{what} is not a date (use YYYY-MM-DD)"
            outcomes.append(CellError(-1, text, ReasonCode.MALFORMED_DATE, reason))
        else:
            outcomes.append(parsed)
    return spread(np.asarray(codes, dtype=np.intp), outcomes)


def sex_column(values: ObjectArray) -> ColumnOutcome:
    """``male``/``female`` per row from 男/女, M/F, male/female or GB/T 2261.1 codes 1/2."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    outcomes: list[object] = []
    for raw in uniques.tolist():
        text = cell_text(raw)
        if text is None:
            outcomes.append(None)
            continue
        sex = _SEX.get(text.casefold())
        if sex is None:
            reason = "sex must be 男/女, M/F or 1/2"
            outcomes.append(CellError(-1, text, ReasonCode.MALFORMED_VALUE, reason))
        else:
            outcomes.append(sex)
    return spread(np.asarray(codes, dtype=np.intp), outcomes)


def identifier_column(values: ObjectArray) -> ObjectArray:
    """Identifier text per row (``None`` where blank); spreadsheet numbers lose a ``.0``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    for i, raw in enumerate(uniques.tolist()):
        table[i] = cell_text(raw)
    result: ObjectArray = table[np.asarray(codes, dtype=np.intp)]
    return result
