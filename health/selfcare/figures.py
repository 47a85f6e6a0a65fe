"""Unit figures for self-care: equipment readiness, training coverage and programme outcomes,
per unit and rolled up the unit tree (scopes ``unit`` and ``subtree``, as health.followup.metrics).

Definitions, on day ``as_of`` of year Y:

- ``kits``: kits of the unit; ``kits_ready``: those complete and in date (health.selfcare.
  equipment); ``readiness`` = kits_ready / kits. ``devices``, ``devices_calibrated`` and
  ``calibration_rate`` likewise.
- ``officers``: live officers on the roster; ``trained``: those whose latest certificate of every
  required course is still valid on ``as_of``; ``training_coverage`` = trained / officers.
  With no required course, trained is 0 and coverage empty (nothing to be covered by).
- programme outcomes, counted in the unit the programme was run from: ``enrolled`` (enrolment
  in Y), ``achieved``, ``not_achieved``, ``withdrawn`` (ended in Y with that outcome) and
  ``active`` (still running). Being in a lifestyle programme says something about health, so
  these counts get the same small-cell suppression as the finding counts: 1 to ``min_cell - 1``
  hidden, with complementary suppression over subtree(u) = unit(u) + Σ subtree(child), per
  outcome, over the whole force at once. Units without officers are known to count 0 and are
  never complements. Readiness and training are not health data and are not suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import pandas as pd

from health.followup.metrics import unit_ancestors
from health.followup.suppression import DEFAULT_MIN_CELL, check_min_cell, suppress

SCOPES: Final = ("unit", "subtree")
OUTCOMES: Final = ("enrolled", "active", "achieved", "not_achieved", "withdrawn")
FIGURES: Final = (
    "kits",
    "kits_ready",
    "readiness",
    "devices",
    "devices_calibrated",
    "calibration_rate",
    "officers",
    "trained",
    "training_coverage",
)


@dataclass(frozen=True)
class SelfcareFigures:
    """``figures``: one row per (unit_id, scope); ``programmes``: one row per (unit_id, scope,
    outcome) with ``count`` (Int64, missing when suppressed) and ``suppressed``."""

    figures: pd.DataFrame
    programmes: pd.DataFrame


def _scoped(rows: pd.DataFrame, ancestors: pd.DataFrame) -> pd.DataFrame:
    rows = rows.astype({"unit_id": object})
    rolled = rows.merge(ancestors.astype(object), on="unit_id").drop(columns="unit_id")
    return pd.concat(
        [
            rows.assign(scope="unit"),
            rolled.rename(columns={"ancestor_id": "unit_id"}).assign(scope="subtree"),
        ],
        ignore_index=True,
    )


def _sums(rows: pd.DataFrame, anc: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(
            columns=columns, index=pd.MultiIndex.from_tuples([], names=["unit_id", "scope"])
        )
    return _scoped(rows, anc).groupby(["unit_id", "scope"])[columns].sum()


def _trained(
    officers: pd.DataFrame, training: pd.DataFrame, required: list[str], as_of: date
) -> pd.Series:
    if not required:
        return pd.Series(False, index=officers.index)
    valid = training[
        training["course"].isin(required)
        & (pd.to_datetime(training["expires_on"]) >= pd.Timestamp(as_of))
    ]
    held = valid.groupby("officer_id")["course"].nunique()
    return officers["officer_id"].map(held).fillna(0).ge(len(required))


def _equations(units: pd.DataFrame) -> list[tuple[tuple[Any, str], list[tuple[Any, str]]]]:
    children: dict[Any, list[Any]] = {u: [] for u in units["id"]}
    for unit_id, parent_id in zip(units["id"], units["parent_id"], strict=True):
        if parent_id is not None and not pd.isna(parent_id):
            children[parent_id].append(unit_id)
    return [
        ((u, "subtree"), [(u, "unit"), *((c, "subtree") for c in kids)])
        for u, kids in children.items()
    ]


def _programme_table(
    units: pd.DataFrame,
    programmes: pd.DataFrame,
    officers_count: pd.Series,
    year: int,
    anc: pd.DataFrame,
    min_cell: int,
) -> pd.DataFrame:
    enrolled = pd.to_datetime(programmes["enrolled_on"]).dt.year == year
    ended = pd.to_datetime(programmes["ended_on"]).dt.year == year
    status = programmes["status"]
    rows = pd.DataFrame(
        {
            "unit_id": programmes["unit_id"],
            "enrolled": enrolled,
            "active": status == "active",
            "achieved": ended & (status == "achieved"),
            "not_achieved": ended & (status == "not_achieved"),
            "withdrawn": ended & (status == "withdrawn"),
        }
    )
    index = pd.MultiIndex.from_product([units["id"], SCOPES], names=["unit_id", "scope"])
    sums = _sums(rows, anc, list(OUTCOMES)).reindex(index).fillna(0).astype("int64")
    equations = _equations(units)
    never = set(officers_count.index[officers_count == 0])
    parts = []
    for outcome in OUTCOMES:
        values = {cell: int(v) for cell, v in sums[outcome].items()}
        hidden = suppress(values, equations, min_cell=min_cell, never_complement=never)
        column = sums[outcome]
        mask = pd.Series([cell in hidden for cell in column.index], index=column.index)
        parts.append(
            pd.DataFrame(
                {
                    "outcome": outcome,
                    "count": column.astype("Int64").mask(mask),
                    "suppressed": mask,
                }
            )
        )
    return pd.concat(parts).reset_index()[["unit_id", "scope", "outcome", "count", "suppressed"]]


def selfcare_figures(
    units: pd.DataFrame,
    officers: pd.DataFrame,
    kits: pd.DataFrame,
    devices: pd.DataFrame,
    training: pd.DataFrame,
    required: list[str],
    programmes: pd.DataFrame,
    *,
    year: int,
    as_of: date,
    min_cell: int = DEFAULT_MIN_CELL,
) -> SelfcareFigures:
    """Frames: units (id, parent_id, path), officers (officer_id, unit_id), kits (unit_id,
    ready), devices (unit_id, calibrated), training (officer_id, course, expires_on: the latest
    per officer and course), programmes (unit_id, status, enrolled_on, ended_on)."""
    check_min_cell(min_cell)
    anc = unit_ancestors(units)
    index = pd.MultiIndex.from_product([units["id"], SCOPES], names=["unit_id", "scope"])
    kit_rows = pd.DataFrame(
        {"unit_id": kits["unit_id"], "kits": 1, "kits_ready": kits["ready"].astype(int)}
    )
    device_rows = pd.DataFrame(
        {
            "unit_id": devices["unit_id"],
            "devices": 1,
            "devices_calibrated": devices["calibrated"].astype(int),
        }
    )
    officer_rows = pd.DataFrame(
        {
            "unit_id": officers["unit_id"],
            "officers": 1,
            "trained": _trained(officers, training, required, as_of).astype(int),
        }
    )
    out = pd.concat(
        [
            _sums(kit_rows, anc, ["kits", "kits_ready"]),
            _sums(device_rows, anc, ["devices", "devices_calibrated"]),
            _sums(officer_rows, anc, ["officers", "trained"]),
        ],
        axis=1,
    ).reindex(index)
    for column in ("kits", "kits_ready", "devices", "devices_calibrated", "officers", "trained"):
        out[column] = out[column].fillna(0).astype("int64")
    out["readiness"] = out["kits_ready"] / out["kits"].where(out["kits"] > 0)
    out["calibration_rate"] = out["devices_calibrated"] / out["devices"].where(out["devices"] > 0)
    coverage = out["trained"] / out["officers"].where(out["officers"] > 0)
    out["training_coverage"] = coverage if required else float("nan")
    table = _programme_table(units, programmes, out["officers"], year, anc, min_cell)
    return SelfcareFigures(out[list(FIGURES)].reset_index(), table)
