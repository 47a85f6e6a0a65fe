"""Wide layout: one row per officer, one column per analyte (how checkup centres export).

Each analyte column is parsed, converted and range-checked as a whole; a failing cell is left
out of its row's draft and reported, and the row's other results still make a draft. Whether a
draft with errors in its row may be stored is the service's decision (``source_rows`` tells).
"""

from __future__ import annotations

import re
from datetime import date
from itertools import repeat
from typing import TypeVar

import numpy as np
import pandas as pd

from health.catalog import Catalog, ValueKind
from health.ingest.cells import ColumnOutcome, ObjectArray, analyte_column, cell_text, gc_paused
from health.ingest.columns import AnalyteColumn, HeaderPlan, plan_columns
from health.ingest.drafts import (
    CheckupDraft,
    FindingsDraft,
    IngestResult,
    ReasonCode,
    ResultDraft,
)
from health.ingest.identity_rows import (
    ErrorLog,
    Identity,
    SeenRows,
    flag_duplicates,
    flag_empty,
    has_value,
    officer_keys,
    read_identity,
    usable_rows,
)
from health.ingest.sheet import Sheet, has_text

T = TypeVar("T")


def read_wide_sheet(
    sheet: Sheet,
    catalog: Catalog,
    *,
    exam_date: date | None = None,
    seen: SeenRows | None = None,
) -> IngestResult:
    """Drafts and errors from a wide sheet; ``seen`` carries the rows of the sheets before it
    when a file is read in parts (a repeat across parts is refused like one within)."""
    log = ErrorLog()
    plan = plan_columns(sheet.headers, _column_has_text(sheet), catalog, long=False)
    for error in plan.errors:
        log.add(
            sheet.header_row,
            error.index,
            error.header,
            error.value,
            error.reason_code,
            error.reason,
        )
    identity = read_identity(sheet, plan, log)
    outcomes = [_parse_column(sheet, catalog, column, log) for column in plan.analytes]
    content = _content(identity, outcomes, sheet.n_rows)
    for row in log.rows():
        if row >= sheet.first_row:
            content[row - sheet.first_row] = True
    valid, dates = usable_rows(sheet, plan, identity, content, exam_date, log)
    keys = officer_keys(identity)
    valid = flag_duplicates(sheet, plan, keys, dates, valid, identity, log, seen)
    has_result = np.zeros(sheet.n_rows, dtype=np.bool_)
    for outcome in outcomes:
        has_result |= has_value(outcome.objects)
    valid = flag_empty(sheet, plan, valid, has_result, log)
    with gc_paused():
        drafts = _drafts(sheet, plan, identity, dates, outcomes, valid)
    return IngestResult(
        drafts,
        log.sorted(),
        "wide",
        catalog.version,
        int(content.sum()),
        {name: plan.headers[index] for name, index in plan.identity.items()},
    )


def _column_has_text(sheet: Sheet) -> list[bool]:
    return [
        True if cell_text(header) else has_text(column)
        for header, column in zip(sheet.headers, sheet.columns, strict=True)
    ]


def _parse_column(
    sheet: Sheet, catalog: Catalog, column: AnalyteColumn, log: ErrorLog
) -> ColumnOutcome:
    remarks = sheet.columns[column.remark_index] if column.remark_index is not None else None
    values = sheet.columns[column.index]
    if column.part is not None:
        values = _bp_half(sheet, column, values, log)
    outcome = analyte_column(catalog, column.analyte, column.unit, values, remarks)
    remark_header = sheet.headers[column.remark_index] if column.remark_index is not None else ""
    log.add_cells(
        sheet,
        None,
        outcome.errors,
        column.index,
        column.header,
        column.remark_index,
        str(remark_header),
    )
    return outcome


_BP_PAIR = re.compile(r"^\s*([^/／\\]+?)\s*[/／\\]\s*([^/／\\]+?)\s*$")


def _bp_half(
    sheet: Sheet, column: AnalyteColumn, values: ObjectArray, log: ErrorLog
) -> ObjectArray:
    """The systolic (part 0) or diastolic (part 1) half of ``120/80`` cells; a cell that is not
    two values around a slash is reported once, on the systolic pass, and read as blank."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    halves = np.full(len(uniques) + 1, None, dtype=object)
    for u, raw in enumerate(uniques.tolist()):
        text = cell_text(raw)
        if text is None:
            continue
        match = _BP_PAIR.match(text)
        if match is not None:
            halves[u] = match[1 + (column.part or 0)]
        elif column.part == 0:
            for index in np.flatnonzero(codes == u).tolist():
                log.add(
                    sheet.first_row + index,
                    column.index,
                    column.header,
                    text,
                    ReasonCode.MALFORMED_VALUE,
                    "blood pressure is written systolic/diastolic, e.g. 120/80",
                )
    out: ObjectArray = halves[np.asarray(codes, dtype=np.intp)]
    return out


def _content(identity: Identity, outcomes: list[ColumnOutcome], n: int) -> np.ndarray:
    content = np.zeros(n, dtype=np.bool_)
    for array in (identity.badge, identity.officer_id, identity.exam_date, identity.name):
        content |= has_value(array)
    for outcome in outcomes:
        content |= has_value(outcome.objects)
    return content


def _drafts(
    sheet: Sheet,
    plan: HeaderPlan,
    identity: Identity,
    dates: ObjectArray,
    outcomes: list[ColumnOutcome],
    valid: np.ndarray,
) -> tuple[CheckupDraft, ...]:
    rows = np.flatnonzero(valid)
    if rows.size == 0:
        return ()
    result_codes: list[str] = []
    finding_codes: list[str] = []
    result_grid = np.empty((rows.size, 0), dtype=object)
    finding_grid = np.empty((rows.size, 0), dtype=object)
    result_columns: list[ObjectArray] = []
    finding_columns: list[ObjectArray] = []
    for column, outcome in zip(plan.analytes, outcomes, strict=True):
        if column.analyte.kind is ValueKind.CODED:
            finding_codes.append(column.analyte.code)
            finding_columns.append(outcome.objects[rows])
        else:
            result_codes.append(column.analyte.code)
            result_columns.append(outcome.objects[rows])
    if result_columns:
        result_grid = np.column_stack(result_columns)
    if finding_columns:
        finding_grid = np.column_stack(finding_columns)
    fields = [
        identity.badge[rows].tolist(),
        identity.officer_id[rows].tolist(),
        dates[rows].tolist(),
        identity.sex[rows].tolist(),
        identity.birth_date[rows].tolist(),
        identity.name[rows].tolist(),
    ]
    result_dicts: list[dict[str, ResultDraft]] = _row_dicts(result_codes, result_grid)
    finding_dicts: list[dict[str, FindingsDraft]] = _row_dicts(finding_codes, finding_grid)
    first = sheet.first_row
    drafts = [
        CheckupDraft(when, badge, officer, results, findings, sex, born, name, (first + index,))
        for index, badge, officer, when, sex, born, name, results, findings in zip(
            rows.tolist(), *fields, result_dicts, finding_dicts, strict=True
        )
    ]
    return tuple(drafts)


def _row_dicts(codes: list[str], grid: ObjectArray) -> list[dict[str, T]]:
    """One dict per row of a grid of drafts, blank cells left out.

    Complete rows (the common case) are built by ``map`` without a Python-level loop.
    """
    rows: list[list[T]] = grid.tolist()
    dicts: list[dict[str, T]] = list(map(dict, map(zip, repeat(codes), rows)))
    incomplete = np.flatnonzero(pd.isna(grid).any(axis=1)).tolist() if grid.size else []
    for k in incomplete:
        dicts[k] = {c: o for c, o in zip(codes, rows[k], strict=True) if o is not None}
    return dicts
