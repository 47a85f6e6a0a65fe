"""The one CSV writer for every file the service hands out: cells cannot become formulas.

A cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR is run as a formula (or split into
one) by Excel and LibreOffice when the file is opened (OWASP "CSV Injection"); uploaded values
and reasons come back in exports, so every writer goes through here. defusedcsv prefixes such
cells with ``'`` (numbers such as ``-1.5`` stay numbers); TAB and CR, which it leaves alone,
are prefixed here the same way.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from defusedcsv import csv as defused

_CONTROL_STARTS = ("\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell as written: leading TAB/CR quoted with ``'``; the rest is left to defusedcsv."""
    if isinstance(value, str) and value.startswith(_CONTROL_STARTS):
        return "'" + value
    return value


def write_rows(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel_bom: bool = False
) -> str:
    """Rows as RFC 4180 CSV text; ``excel_bom`` adds a BOM so Excel reads UTF-8."""
    out = io.StringIO()
    writer = defused.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" if excel_bom else "") + out.getvalue()


def write_dicts(
    columns: Sequence[str], records: Iterable[Mapping[str, Any]], *, excel_bom: bool = False
) -> str:
    """Mappings as CSV under ``columns`` (missing keys empty, extra keys ignored)."""
    return write_rows(
        columns, ([record.get(c, "") for c in columns] for record in records), excel_bom=excel_bom
    )
