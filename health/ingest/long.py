"""Long layout: one row per result (badge, date, item, value, unit), as lab systems export.

Rows are resolved to analytes once per distinct item text, then parsed in groups of the same
analyte and unit with the wide layout's column parsers, and finally gathered per officer and
date into drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from health.catalog import Analyte, Catalog, ValueKind
from health.ingest.cells import ObjectArray, analyte_column, cell_text, gc_paused
from health.ingest.columns import HeaderPlan, LongField, plan_columns
from health.ingest.drafts import (
    CheckupDraft,
    FindingsDraft,
    IngestResult,
    ReasonCode,
    ResultDraft,
    Sex,
)
from health.ingest.identity import identifier_column
from health.ingest.identity_rows import (
    BoolArray,
    ErrorLog,
    Identity,
    flag_empty,
    has_value,
    officer_keys,
    read_identity,
    usable_rows,
)
from health.ingest.sheet import Sheet


def read_long_sheet(
    sheet: Sheet, catalog: Catalog, *, exam_date: date | None = None
) -> IngestResult:
    """Drafts and errors from a long sheet."""
    log = ErrorLog()
    plan = plan_columns(sheet.headers, [True] * len(sheet.headers), catalog, long=True)
    for error in plan.errors:
        log.add(
            sheet.header_row,
            error.index,
            error.header,
            error.value,
            error.reason_code,
            error.reason,
        )
    if "value" not in plan.long or not {"item", "loinc"} & plan.long.keys():
        log.add(
            sheet.header_row,
            -1,
            "item",
            "",
            ReasonCode.MISSING_COLUMN,
            "a long sheet needs an item (or LOINC) column and a value column",
        )
        return IngestResult((), log.sorted(), "long", catalog.version, 0)
    identity = read_identity(sheet, plan, log)
    texts = {name: _texts(sheet, plan, name) for name in ("item", "value", "unit", "loinc")}
    analytes, item_units = _resolve_items(sheet, plan, catalog, texts, log)
    objects = _parse_values(sheet, plan, catalog, analytes, item_units, texts, log)
    content = has_value(objects) | has_value(texts["item"]) | has_value(texts["value"])
    content |= has_value(identity.badge) | has_value(identity.officer_id)
    identified, dates = usable_rows(sheet, plan, identity, content, exam_date, log)
    valid = flag_empty(sheet, plan, identified, has_value(objects), log)
    with gc_paused():
        drafts = _gather(
            sheet, plan, identity, dates, analytes, objects, texts, valid, identified, log
        )
    return IngestResult(
        drafts,
        log.sorted(),
        "long",
        catalog.version,
        int(content.sum()),
        {name: plan.headers[index] for name, index in plan.identity.items()},
    )


def _texts(sheet: Sheet, plan: HeaderPlan, name: LongField) -> ObjectArray:
    index = plan.long.get(name)
    if index is None:
        return np.full(sheet.n_rows, None, dtype=object)
    return identifier_column(sheet.columns[index])


def _resolve_items(
    sheet: Sheet,
    plan: HeaderPlan,
    catalog: Catalog,
    texts: dict[str, ObjectArray],
    log: ErrorLog,
) -> tuple[ObjectArray, ObjectArray]:
    """Per row the analyte (or ``None``) and the unit written inside the item text."""
    keys = np.array(
        [f"{i or ''}\x1f{c or ''}" for i, c in zip(texts["item"], texts["loinc"], strict=True)],
        dtype=object,
    )
    codes, uniques = pd.factorize(keys)
    found = np.empty(len(uniques) + 1, dtype=object)
    units = np.empty(len(uniques) + 1, dtype=object)
    for u, key in enumerate(uniques.tolist()):
        item, _, loinc = str(key).partition("\x1f")
        analyte, unit = None, None
        if loinc:
            analyte = catalog.by_loinc(loinc)
        if analyte is None and item:
            match = catalog.match_header(item)
            analyte, unit = (match.analyte, match.unit) if match else (None, None)
        found[u], units[u] = analyte, unit
    analytes: ObjectArray = found[codes]
    item_units: ObjectArray = units[codes]
    unknown = ~has_value(analytes) & (has_value(texts["item"]) | has_value(texts["loinc"]))
    by_loinc = "loinc" in plan.long and "item" not in plan.long
    column = plan.long["loinc" if by_loinc else "item"]
    header = plan.long_header("loinc" if by_loinc else "item")
    for index in np.flatnonzero(unknown).tolist():
        value = texts["item"][index] or texts["loinc"][index] or ""
        log.add(
            sheet.first_row + index,
            column,
            header,
            str(value),
            ReasonCode.UNKNOWN_ANALYTE,
            "item names no analyte in the catalog",
        )
    return analytes, item_units


def _nitrogen_units(catalog: Catalog, items: ObjectArray, units: ObjectArray) -> ObjectArray:
    """A mass unit on a ``BUN``/``尿素氮`` row is nitrogen mass (see ``Catalog.label_unit``)."""
    out: ObjectArray = units.copy()
    for item in pd.unique(items[has_value(items)]).tolist():
        if not catalog.is_nitrogen_label(str(item)):
            continue
        rows = items == item
        out[rows] = [catalog.label_unit(str(item), u) for u in units[rows].tolist()]
    return out


def _parse_values(
    sheet: Sheet,
    plan: HeaderPlan,
    catalog: Catalog,
    analytes: ObjectArray,
    item_units: ObjectArray,
    texts: dict[str, ObjectArray],
    log: ErrorLog,
) -> ObjectArray:
    """Result objects per row, parsed in groups of one analyte and one unit."""
    objects = np.full(sheet.n_rows, None, dtype=object)
    units = np.where(has_value(texts["unit"]), texts["unit"], item_units)
    units = _nitrogen_units(catalog, texts["item"], units)
    known = np.flatnonzero(has_value(analytes))
    if known.size == 0:
        return objects
    frame = pd.DataFrame(
        {
            "code": [a.code for a in analytes[known].tolist()],
            "unit": ["" if u is None else str(u) for u in units[known].tolist()],
            "row": known,
        }
    )
    value_column = sheet.columns[plan.long["value"]]
    remark_index = plan.long.get("remark")
    for (code, unit_text), group in frame.groupby(["code", "unit"], sort=False):
        rows = group["row"].to_numpy(dtype=np.intp)
        analyte = catalog.get(str(code))
        unit = str(unit_text) or None
        if analyte.kind is not ValueKind.QUANTITY:
            unit = None
        elif not catalog.accepts_unit(analyte.code, unit):
            _unit_errors(sheet, plan, analyte, unit or "", rows, texts, log)
            continue
        remarks = sheet.columns[remark_index][rows] if remark_index is not None else None
        outcome = analyte_column(catalog, analyte, unit, value_column[rows], remarks)
        objects[rows] = outcome.objects
        log.add_cells(
            sheet,
            rows,
            outcome.errors,
            plan.long["value"],
            plan.long_header("value"),
            remark_index,
            plan.long_header("remark"),
        )
    return objects


def _unit_errors(
    sheet: Sheet,
    plan: HeaderPlan,
    analyte: Analyte,
    unit: str,
    rows: np.ndarray,
    texts: dict[str, ObjectArray],
    log: ErrorLog,
) -> None:
    reason = f"unit cannot be converted to {analyte.unit} for {analyte.code}"
    for index in rows.tolist():
        from_unit_column = texts["unit"][index] is not None
        name: LongField = "unit" if from_unit_column else "item"
        log.add(
            sheet.first_row + index,
            plan.long.get(name, -1),
            plan.long_header(name),
            unit,
            ReasonCode.UNIT_NOT_CONVERTIBLE,
            reason,
        )


@dataclass(slots=True)
class _Draft:
    rows: list[int] = field(default_factory=list)
    results: dict[str, ResultDraft] = field(default_factory=dict)
    findings: dict[str, FindingsDraft] = field(default_factory=dict)
    sex: Sex | None = None
    birth_date: date | None = None
    name: str | None = None
    badge: str | None = None
    officer_id: str | None = None


def _gather(
    sheet: Sheet,
    plan: HeaderPlan,
    identity: Identity,
    dates: ObjectArray,
    analytes: ObjectArray,
    objects: ObjectArray,
    texts: dict[str, ObjectArray],
    valid: BoolArray,
    identified: BoolArray,
    log: ErrorLog,
) -> tuple[CheckupDraft, ...]:
    """One draft per officer and date; an analyte given twice for one draft is refused.

    Every identified row joins its draft's ``source_rows``, refused values included, so the
    service refuses that checkup whole instead of storing it without the refused result.
    """
    keys = officer_keys(identity)
    drafts: dict[tuple[object, date], _Draft] = {}
    seen: dict[tuple[object, date, str], list[int]] = {}
    usable = valid & has_value(objects)
    for index in np.flatnonzero(identified).tolist():
        key = (keys[index], dates[index])
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = _Draft(
                badge=identity.badge[index], officer_id=identity.officer_id[index]
            )
        draft.rows.append(sheet.first_row + index)
        if not usable[index]:
            continue
        draft.sex = draft.sex or identity.sex[index]
        draft.birth_date = draft.birth_date or identity.birth_date[index]
        draft.name = draft.name or identity.name[index]
        code = analytes[index].code
        seen.setdefault((key[0], key[1], code), []).append(index)
        result = objects[index]
        if isinstance(result, FindingsDraft):
            draft.findings[code] = result
        else:
            draft.results[code] = result
    for (officer, when, code), indexes in seen.items():
        if len(indexes) < 2:
            continue
        draft = drafts[(officer, when)]
        draft.results.pop(code, None)
        draft.findings.pop(code, None)
        for index in indexes:
            other = next(i for i in indexes if i != index)
            log.add(
                sheet.first_row + index,
                plan.long.get("item", -1),
                plan.long_header("item"),
                cell_text(texts["item"][index]) or code,
                ReasonCode.DUPLICATE_IN_FILE,
                f"{code} given twice for one officer and date (also row {sheet.first_row + other})",
            )
    return tuple(
        CheckupDraft(
            when,
            d.badge,
            d.officer_id,
            d.results,
            d.findings,
            d.sex,
            d.birth_date,
            d.name,
            tuple(d.rows),
        )
        for (_, when), d in drafts.items()
        if d.results or d.findings
    )
