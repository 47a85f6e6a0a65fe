"""Spreadsheet uploads: CSV (UTF-8 or GB18030) or XLSX, wide or long, told apart by content.

Entry points for the service: ``read_spreadsheet`` for an upload, ``read_wide``/``read_long``
when the layout is known, ``template`` for the blank CSV medics fill in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from health.catalog import Catalog, ValueKind, load_catalog
from health.csv_export import write_rows
from health.ingest.columns import IDENTITY_LABELS, is_long_layout
from health.ingest.drafts import IngestResult, ReasonCode, RowError
from health.ingest.long import read_long_sheet
from health.ingest.sheet import Sheet, SheetError, load_sheet
from health.ingest.wide import read_wide_sheet

Source = str | Path | bytes


def read_spreadsheet(
    source: Source,
    filename: str | None = None,
    *,
    catalog: Catalog | None = None,
    exam_date: date | None = None,
) -> IngestResult:
    """Read an upload whatever its format and layout.

    ``exam_date`` applies to rows whose date cell is blank (or to all rows if the sheet has no
    date column), for sessions exported without one.
    """
    catalog = catalog or load_catalog()
    try:
        sheet = _sheet(source, filename)
    except SheetError as exc:
        return _unreadable(exc, catalog)
    if is_long_layout(sheet.headers):
        return read_long_sheet(sheet, catalog, exam_date=exam_date)
    return read_wide_sheet(sheet, catalog, exam_date=exam_date)


def read_wide(
    source: pd.DataFrame | Source,
    *,
    catalog: Catalog | None = None,
    exam_date: date | None = None,
) -> IngestResult:
    """Read a wide sheet (one row per officer); a DataFrame's column labels are the headers."""
    catalog = catalog or load_catalog()
    try:
        sheet = _frame_or_file(source)
    except SheetError as exc:
        return _unreadable(exc, catalog)
    return read_wide_sheet(sheet, catalog, exam_date=exam_date)


def read_long(
    source: pd.DataFrame | Source,
    *,
    catalog: Catalog | None = None,
    exam_date: date | None = None,
) -> IngestResult:
    """Read a long sheet (one row per result)."""
    catalog = catalog or load_catalog()
    try:
        sheet = _frame_or_file(source)
    except SheetError as exc:
        return _unreadable(exc, catalog)
    return read_long_sheet(sheet, catalog, exam_date=exam_date)


def template(catalog: Catalog | None = None) -> bytes:
    """A blank wide CSV for this catalog version: identity columns, then every analyte that is
    measured (derived ones are computed) as ``中文名 English name (unit)``.

    UTF-8 with a byte-order mark, which Excel needs to show Chinese headers correctly.
    """
    catalog = catalog or load_catalog()
    headers = [f"{labels[0]} {labels[1]}" for labels in IDENTITY_LABELS.values()]
    for analyte in catalog:
        if analyte.derived:
            continue
        label = f"{analyte.name_zh} {analyte.name_en}"
        is_quantity = analyte.kind is ValueKind.QUANTITY
        headers.append(f"{label} ({analyte.unit})" if is_quantity else label)
    return write_rows(headers, [], excel_bom=True).encode("utf-8")


def template_filename(catalog: Catalog | None = None) -> str:
    """The download name, carrying the catalog version the template was made from."""
    catalog = catalog or load_catalog()
    return f"officer-health-checkup-template-{catalog.version}.csv"


def _sheet(source: Source, filename: str | None) -> Sheet:
    if isinstance(source, bytes):
        return load_sheet(source, filename)
    path = Path(source)
    return load_sheet(path.read_bytes(), filename or path.name)


def _frame_or_file(source: pd.DataFrame | Source) -> Sheet:
    if isinstance(source, pd.DataFrame):
        return Sheet.from_frame(source)
    return _sheet(source, None)


def _unreadable(exc: SheetError, catalog: Catalog) -> IngestResult:
    error = RowError(exc.row, "file", "", exc.reason, ReasonCode.MALFORMED_FILE)
    return IngestResult((), (error,), "wide", catalog.version, 0)
