"""Appraisal indicators beyond the unit figures, per unit subtree and year, from clear facts and
the analysis cells (no individual value enters; small denominators give no value at all).

- ``critical_ack_rate``: of the urgent contacts opened in the year for a critical result (not
  cancelled), the share completed (which needs a medic's acknowledgement) by their due time.
- ``programme_participation``: of the officers with a lifestyle task opened in the year, the
  share enrolled in a lifestyle programme that was running at some time in the year.
- ``leading_risk_change``: the mean year-over-year change in the crude prevalence (subtree, all
  officers) of the force's leading modifiable risk factors of the year: the ``LEADING_TOP`` of
  ``LEADING_RISK_FACTORS`` most prevalent force-wide; each unit averages those it has shown in
  both years (a suppressed cell is left out), and has no value when it has none.
- ``<condition>_change``: the same change for one analysis condition.

A rate over fewer than ``min_cell`` officers or tasks is not given: it would tell a manager
about one or two identifiable people (that a critical value occurred, who joined a programme).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

import numpy as np
import pandas as pd

from health.followup.metrics import unit_ancestors

# The modifiable cardiometabolic risk factors of the analysis (health.reports.conditions).
LEADING_RISK_FACTORS: Final = (
    "hypertension",
    "diabetes",
    "dyslipidaemia",
    "hyperuricaemia",
    "overweight_obesity",
)
LEADING_TOP: Final = 3


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _subtree_rate(units: pd.DataFrame, rows: pd.DataFrame, hit: str, min_cell: int) -> pd.Series:
    """Per unit (subtree): mean of boolean column ``hit`` over ``rows`` (unit_id, hit), missing
    where fewer than ``min_cell`` rows fall in the subtree."""
    index = pd.Index(units["id"], name="unit_id")
    if rows.empty:
        return pd.Series(np.nan, index=index)
    pairs = unit_ancestors(units).astype(object)
    rolled = rows.astype({"unit_id": object}).merge(pairs, on="unit_id")
    grouped = rolled.groupby("ancestor_id")[hit].agg(["sum", "count"])
    grouped = grouped.reindex(index, fill_value=0)
    rate = grouped["sum"] / grouped["count"].where(grouped["count"] >= min_cell)
    return rate.astype("float64")


def critical_ack_rate(
    units: pd.DataFrame, urgent: pd.DataFrame, year: int, min_cell: int
) -> pd.Series:
    """``urgent``: unit_id, status, created_at, due, closed_at, critical (urgent contacts)."""
    start, end = _year_bounds(year)
    chosen = urgent[
        urgent["critical"].astype(bool)
        & (urgent["created_at"] >= start)
        & (urgent["created_at"] < end)
        & (urgent["status"] != "cancelled")
    ]
    on_time = (chosen["status"] == "completed") & (chosen["closed_at"] <= chosen["due"])
    rows = pd.DataFrame({"unit_id": chosen["unit_id"], "hit": on_time.astype(bool)})
    return _subtree_rate(units, rows, "hit", min_cell)


def programme_participation(
    units: pd.DataFrame,
    lifestyle: pd.DataFrame,
    programmes: pd.DataFrame,
    year: int,
    min_cell: int,
) -> pd.Series:
    """``lifestyle``: officer_id, unit_id, created_at of lifestyle tasks; ``programmes``:
    officer_id, enrolled_on, ended_on. Each officer counts once, in the unit of their task."""
    start, end = _year_bounds(year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    tasks = lifestyle[(lifestyle["created_at"] >= start) & (lifestyle["created_at"] < end)]
    people = tasks.drop_duplicates("officer_id", keep="last")[["officer_id", "unit_id"]]
    running = programmes[
        (programmes["enrolled_on"] <= last)
        & (programmes["ended_on"].isna() | (programmes["ended_on"] >= first))
    ]
    enrolled = set(running["officer_id"])
    rows = pd.DataFrame(
        {"unit_id": people["unit_id"], "hit": people["officer_id"].isin(enrolled).astype(bool)}
    )
    return _subtree_rate(units, rows, "hit", min_cell)


def _subtree_crude(table: pd.DataFrame, condition: str) -> pd.Series:
    rows = table[
        (table["scope"] == "subtree")
        & (table["group"] == "all")
        & (table["condition"] == condition)
    ]
    return pd.Series(
        rows["crude"].to_numpy(dtype="float64"), index=rows["unit_id"].to_numpy(), name=condition
    )


def condition_change(current: pd.DataFrame, previous: pd.DataFrame, condition: str) -> pd.Series:
    """Crude prevalence this year minus last year (subtree, all); missing if either is hidden."""
    return _subtree_crude(current, condition) - _subtree_crude(previous, condition)


def leading_factors(current: pd.DataFrame, root: object) -> list[str]:
    """The year's ``LEADING_TOP`` risk factors by force-wide crude prevalence."""
    shown = {
        factor: _subtree_crude(current, factor).get(root, np.nan) for factor in LEADING_RISK_FACTORS
    }
    ranked = sorted((f for f, v in shown.items() if not pd.isna(v)), key=lambda f: (-shown[f], f))
    return ranked[:LEADING_TOP]


def leading_risk_change(
    current: pd.DataFrame, previous: pd.DataFrame, factors: list[str]
) -> pd.Series:
    """Per unit, the mean change of ``factors`` over those shown in both years."""
    if not factors:
        return pd.Series(dtype="float64")
    changes = pd.concat([condition_change(current, previous, f) for f in factors], axis=1)
    return changes.mean(axis=1, skipna=True)
