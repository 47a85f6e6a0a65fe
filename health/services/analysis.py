"""The force health analysis: prevalence of the analysis conditions by unit, sex and age band,
crude and age-standardised, small cells suppressed (``health.reports.prevalence``).

The year's sealed checkups are opened in bulk (one data-key unwrap per officer), turned into
columns and classified; only the resulting cells leave this module. It runs over the whole force
and is only then cut to the caller's subtree, as unit figures are, so suppression chose its
complements once. The ``report`` job stores it per year (``analysis_report``); requests read the
stored cells and compute live only for a year not reported yet. Opening is audited with counts.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from health.ages import completed_years
from health.derived import fill_derived
from health.followup.suppression import DEFAULT_MIN_CELL
from health.reports.conditions import classify
from health.reports.prevalence import prevalence
from health.reports.standard_population import STANDARD_NAME
from health.services import access, audit
from health.services.context import Ctx
from health.services.officers import personal_slot
from health.services.sealed import open_document
from health.vocabulary import Action
from models.repositories import analysis as analysis_repo
from models.repositories import figures as figures_repo
from models.repositories import units as units_repo

NUMERIC_MEASURES = (
    "sbp",
    "dbp",
    "glu",
    "hba1c",
    "tc",
    "ldl",
    "hdl",
    "tg",
    "ua",
    "bmi",
    "weight",
    "height",
    "creat",
    "egfr",
    "u_pro",
)
CODED_MEASURES = ("ecg", "us_abd")


@dataclass(frozen=True)
class Analysis:
    unit_id: uuid.UUID
    year: int
    min_cell: int
    standard_population: str
    cells: list[dict[str, Any]]
    computed_at: datetime
    stored: bool


COLUMNS = ("unit_id", "sex", "age", *NUMERIC_MEASURES, *CODED_MEASURES)


def _opened_columns(ctx: Ctx, year: int) -> dict[str, list[Any]]:
    """Each officer's latest current checkup of the year, opened, as columns: unit, sex, age,
    the analysis measures and the coded findings."""
    latest: dict[uuid.UUID, tuple[Any, ...]] = {}
    for sealed_row in analysis_repo.sealed_checkups(ctx.session, year):
        officer_id, exam_date = sealed_row[0], sealed_row[7]
        if officer_id not in latest or latest[officer_id][7] < exam_date:
            latest[officer_id] = sealed_row
    out: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for (
        officer_id,
        unit_id,
        personal,
        kek,
        dek,
        wrapped,
        checkup_id,
        exam,
        sealed,
    ) in latest.values():
        if personal is None:
            continue
        sealer = ctx.vault.open_key(officer_id, kek, dek, wrapped)
        person = json.loads(sealer.open(personal, personal_slot(officer_id)))
        document = open_document(checkup_id, sealed, sealer)
        out["unit_id"].append(unit_id)
        out["sex"].append(person["sex"])
        out["age"].append(completed_years(date.fromisoformat(person["birth_date"]), exam))
        results = document.get("results", {})
        for code in NUMERIC_MEASURES:
            value = results.get(code)
            out[code].append(float(value) if isinstance(value, int | float) else np.nan)
        coded = document.get("findings", {})
        for modality in CODED_MEASURES:
            out[modality].append(list(coded.get(modality, {}).get("codes", [])))
    return out


def people_frame(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Opened columns with derived BMI and eGFR filled in, classified per condition."""
    frame = pd.DataFrame({name: columns[name] for name in COLUMNS})
    values = {code: frame[code].to_numpy(dtype="float64") for code in NUMERIC_MEASURES}
    filled = fill_derived(values, frame["sex"].to_numpy(), frame["age"].to_numpy(dtype="float64"))
    for code in ("bmi", "egfr"):
        frame[code] = filled[code]
    return pd.concat([frame[["unit_id", "sex", "age"]], classify(frame)], axis=1)


def force_table(ctx: Ctx, year: int, min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """Every cell of the year over the whole force (hidden ones without values)."""
    rows = _opened_columns(ctx, year)
    audit.record(
        ctx,
        "analysis.open",
        "checkup",
        detail=f"year={year};checkups={len(rows['unit_id'])}",
        purpose="analysis",
    )
    units = pd.DataFrame.from_records(
        figures_repo.units(ctx.session), columns=["id", "parent_id", "path"]
    )
    units["parent_id"] = units["parent_id"].astype(object).where(units["parent_id"].notna(), None)
    return prevalence(units, people_frame(rows), min_cell=min_cell)


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def compute(ctx: Ctx, year: int, *, min_cell: int = DEFAULT_MIN_CELL) -> int:
    """The ``report`` job: a year's analysis for every unit, replacing the stored one."""
    access.require(ctx, Action.ANALYSIS_REPORT)
    now = ctx.clock()
    table = force_table(ctx, year, min_cell)
    per_unit: dict[str, list[dict[str, Any]]] = {}
    for row in _records(table):
        per_unit.setdefault(str(row.pop("unit_id")), []).append(row)
    rows = [
        {
            "year": year,
            "unit_id": uuid.UUID(unit),
            "min_cell": min_cell,
            "computed_at": now,
            "cells": json.dumps(cells),
        }
        for unit, cells in per_unit.items()
    ]
    analysis_repo.replace(ctx.session, year, rows)
    audit.record(ctx, "analysis.report", "unit", detail=f"year={year};units={len(rows)}")
    return len(rows)


def analysis(
    ctx: Ctx,
    unit_id: uuid.UUID,
    year: int,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    live: bool = False,
) -> Analysis:
    """The analysis of a unit and every unit below it: stored cells of the year when there are
    (unless ``live``), else computed over the force now. Hidden cells carry no value."""
    access.require(ctx, Action.UNIT_ANALYSIS)
    access.require_unit(ctx, unit_id, action="unit.analysis")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    found = None
    if not live:
        stored = [
            r for r in analysis_repo.stored(ctx.session, unit.path, year) if r.min_cell == min_cell
        ]
        if any(r.unit_id == unit_id for r in stored):
            cells = [
                {**cell, "unit_id": str(r.unit_id)} for r in stored for cell in json.loads(r.cells)
            ]
            computed = min(r.computed_at for r in stored)
            found = Analysis(unit_id, year, min_cell, STANDARD_NAME, cells, computed, True)
    if found is None:
        now = ctx.clock()
        table = force_table(ctx, year, min_cell)
        paths = units_repo.paths(ctx.session)
        inside = {u for u, path in paths.items() if path.startswith(unit.path)}
        table = table[table["unit_id"].isin(inside)]
        found = Analysis(unit_id, year, min_cell, STANDARD_NAME, _records(table), now, False)
    detail = f"year={year};stored={found.stored}"
    audit.record(ctx, "unit.analysis", "unit", resource_id=str(unit_id), detail=detail)
    return found
