"""Tables of figures as CSV and XLSX downloads.

Cells are ids, codes and numbers only; a text cell that a spreadsheet would read as a formula
(leading = + - @, tab or carriage return) is prefixed with an apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe(row.get(c)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheet: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet[:31]
    page.append(list(columns))
    for row in rows:
        page.append([_safe(row.get(c)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
