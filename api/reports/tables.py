"""Tables of figures as CSV and XLSX downloads.

CSV goes through the service's one writer (``health.csv_export``: no cell becomes a formula).
In XLSX a text cell is stored as text even when it starts with ``=`` (openpyxl would otherwise
store it as a formula, OWASP CSV injection), so it reads back exactly as written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from health.csv_export import write_dicts


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open Chinese text correctly."""
    cleaned = ({c: "" if row.get(c) is None else row.get(c) for c in columns} for row in rows)
    return write_dicts(columns, cleaned, excel_bom=True).encode("utf-8")


def to_xlsx(sheet: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    book = Workbook()
    page = book.active
    page.title = sheet[:31]
    page.append(list(columns))
    for row in rows:
        page.append([row.get(c) for c in columns])
        for cell in page[page.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
