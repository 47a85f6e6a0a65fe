"""Units' appraisal on checkups: admins publish versions of the scoring scheme; the ``report``
job scores every unit for a year under the newest version, over the whole force so peers at the
same level are ranked together; managers read their subtree's scores with the components.

Indicators come from the unit figures (coverage, follow-up completion, on-time completion,
subtree scope) and from the health analysis (year-over-year change in the crude prevalence of
hypertension and of overweight/obesity, subtree, all officers; missing when either year's cell
is suppressed). No individual value enters a score.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from health.errors import Conflict
from health.followup.metrics import unit_figures
from health.reports.appraisal import (
    Scheme,
    default_scheme,
    parse_scheme,
    scheme_body,
    score_units,
)
from health.services import access, analysis, audit, unit_reports
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import analysis as analysis_repo
from models.repositories import units as units_repo
from models.tables_reports import AppraisalScheme

CHANGE_INDICATORS = {
    "hypertension_change": "hypertension",
    "overweight_obesity_change": "overweight_obesity",
}


@dataclass(frozen=True)
class UnitScore:
    unit_id: uuid.UUID
    year: int
    scheme_version: str
    score: float | None
    rank: int | None
    peers: int
    components: dict[str, Any]
    computed_at: datetime


def publish(ctx: Ctx, body: dict[str, Any]) -> Scheme:
    """A new scheme version, checked; a published version is never replaced."""
    access.require(ctx, Action.APPRAISAL_PUBLISH)
    scheme = parse_scheme(body)
    if analysis_repo.scheme(ctx.session, scheme.version) is not None:
        raise Conflict(
            f"scheme version {scheme.version} is already published", code="scheme_exists"
        )
    _store(ctx, scheme)
    audit.record(ctx, "appraisal.publish", "appraisal_scheme", resource_id=scheme.version)
    return scheme


def _store(ctx: Ctx, scheme: Scheme) -> None:
    row = AppraisalScheme(
        version=scheme.version,
        published_at=ctx.clock(),
        published_by=ctx.actor.id,
        body=json.dumps(scheme_body(scheme), ensure_ascii=False),
    )
    analysis_repo.add_scheme(ctx.session, row)


def published(ctx: Ctx) -> list[Scheme]:
    """Every published version, newest first (the default one once it has been used)."""
    access.require(ctx, Action.APPRAISAL_SCHEMES)
    return [parse_scheme(json.loads(r.body)) for r in analysis_repo.schemes(ctx.session)]


def _current(ctx: Ctx) -> Scheme:
    found = analysis_repo.schemes(ctx.session)
    if found:
        return parse_scheme(json.loads(found[0].body))
    scheme = default_scheme()
    if analysis_repo.scheme(ctx.session, scheme.version) is None:
        _store(ctx, scheme)
    return scheme


def _subtree_all(table: pd.DataFrame, condition: str) -> pd.Series:
    rows = table[
        (table["scope"] == "subtree")
        & (table["group"] == "all")
        & (table["condition"] == condition)
    ]
    return pd.Series(rows["crude"].to_numpy(dtype="float64"), index=rows["unit_id"].to_numpy())


def indicator_values(ctx: Ctx, year: int) -> tuple[pd.DataFrame, pd.Series]:
    """Indicator values per unit (subtree) and each unit's depth in the tree."""
    frames = unit_reports.force_frames(ctx, year)
    figures = unit_figures(
        frames["units"],
        frames["officers"],
        frames["checkups"],
        frames["findings"],
        frames["tasks"],
        year=year,
        now=ctx.clock(),
    ).figures
    subtree = figures[figures["scope"] == "subtree"].set_index("unit_id")
    values = subtree[["coverage", "completion_rate", "on_time_rate"]].astype("float64")
    current, previous = analysis.force_table(ctx, year), analysis.force_table(ctx, year - 1)
    for code, condition in CHANGE_INDICATORS.items():
        change = _subtree_all(current, condition) - _subtree_all(previous, condition)
        values[code] = change.reindex(values.index)
    units = frames["units"].set_index("id")
    depth = units["path"].map(lambda p: str(p).strip("/").count("/"))
    return values, depth


def _clean(value: Any) -> Any:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def appraise(ctx: Ctx, year: int) -> int:
    """The ``report`` job: every unit's score for the year under the newest scheme version."""
    access.require(ctx, Action.APPRAISAL_SCORE)
    scheme = _current(ctx)
    values, depth = indicator_values(ctx, year)
    scored = score_units(values, depth, scheme)
    now = ctx.clock()
    rows = []
    for unit_id, row in scored.iterrows():
        components = {
            i.code: {
                "value": _clean(row[f"{i.code}_value"]),
                "component": _clean(row[f"{i.code}_component"]),
                "weight": i.weight,
                "target": i.target,
                "floor": i.floor,
            }
            for i in scheme.indicators
        }
        score = _clean(row["score"])
        rows.append(
            {
                "year": year,
                "unit_id": unit_id if isinstance(unit_id, uuid.UUID) else uuid.UUID(str(unit_id)),
                "scheme_version": scheme.version,
                "score": score,
                "rank": None if score is None else int(row["rank"]),
                "peers": int(row["peers"]),
                "computed_at": now,
                "components": json.dumps(
                    {"weight_used": _clean(row["weight_used"]), "indicators": components}
                ),
            }
        )
    analysis_repo.replace_scores(ctx.session, year, rows)
    audit.record(
        ctx, "appraisal.score", "unit", detail=f"year={year};units={len(rows)};v={scheme.version}"
    )
    return len(rows)


def scores(ctx: Ctx, unit_id: uuid.UUID, year: int) -> list[UnitScore]:
    """Stored scores of a unit and every unit below it for the year (empty until scored)."""
    access.require(ctx, Action.UNIT_APPRAISAL)
    access.require_unit(ctx, unit_id, action="unit.appraisal")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    out = [
        UnitScore(
            row.unit_id,
            row.year,
            row.scheme_version,
            row.score,
            row.rank,
            row.peers,
            json.loads(row.components),
            row.computed_at,
        )
        for row, _ in analysis_repo.scores(ctx.session, unit.path, year)
    ]
    audit.record(ctx, "unit.appraisal", "unit", resource_id=str(unit_id), detail=f"year={year}")
    return out
