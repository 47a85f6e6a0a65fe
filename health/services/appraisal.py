"""Units' appraisal on checkups: admins publish versions of the scoring scheme; the ``report``
job scores every unit for a year under the newest version, over the whole force so peers at the
same level are ranked together; managers read their subtree's scores with the components.

Indicators come from the unit figures (coverage, follow-up completion, on-time completion,
subtree scope), from the tasks and programmes (critical values acknowledged in time, lifestyle
programme participation; the urgent contacts' sealed critical marks opened and audited as a
count) and from the health analysis (year-over-year change in the crude prevalence of each
condition and of the leading risk factors, subtree, all officers; missing when a cell is
suppressed); definitions in ``health.reports.appraisal_indicators``. No individual value enters
a score.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from health.errors import Conflict
from health.followup.metrics import unit_figures
from health.followup.suppression import DEFAULT_MIN_CELL
from health.reports import appraisal_indicators as indicators
from health.reports.appraisal import (
    Scheme,
    default_scheme,
    parse_scheme,
    scheme_body,
    score_units,
)
from health.reports.conditions import CONDITIONS
from health.services import access, analysis, audit, unit_reports
from health.services.context import Ctx
from health.services.task_slots import detail_slot
from health.vocabulary import Action
from models.repositories import analysis as analysis_repo
from models.repositories import appraisal_inputs as inputs_repo
from models.repositories import units as units_repo
from models.tables_reports import AppraisalScheme


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
    units = frames["units"]
    values["critical_ack_rate"] = indicators.critical_ack_rate(
        units, _urgent_contacts(ctx, year), year, DEFAULT_MIN_CELL
    ).reindex(values.index)
    values["programme_participation"] = _participation(ctx, units, year).reindex(values.index)
    current, previous = analysis.force_table(ctx, year), analysis.force_table(ctx, year - 1)
    for condition in CONDITIONS:
        change = indicators.condition_change(current, previous, condition.code)
        values[f"{condition.code}_change"] = change.reindex(values.index)
    root = units.loc[units["parent_id"].isna(), "id"]
    factors = indicators.leading_factors(current, root.iloc[0]) if len(root) == 1 else []
    leading = indicators.leading_risk_change(current, previous, factors)
    values["leading_risk_change"] = leading.reindex(values.index)
    depth = units.set_index("id")["path"].map(lambda p: str(p).strip("/").count("/"))
    return values, depth


def _urgent_contacts(ctx: Ctx, year: int) -> pd.DataFrame:
    """The year's urgent contacts with their sealed critical mark opened (audited as a count)."""
    since, until = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = inputs_repo.urgent_contacts(ctx.session, since, until)
    critical = []
    for task_id, officer_id, *_, detail, kek, dek, wrapped in rows:
        sealer = ctx.vault.open_key(officer_id, kek, dek, wrapped)
        opened = json.loads(sealer.open(detail, detail_slot(task_id)))
        critical.append(bool(opened.get("critical", False)))
    audit.record(ctx, "appraisal.open", "task", detail=f"year={year};urgent_contacts={len(rows)}")
    return pd.DataFrame(
        {
            "unit_id": [r[2] for r in rows],
            "status": [r[3] for r in rows],
            "created_at": pd.Series([r[4] for r in rows], dtype=object),
            "due": pd.Series([r[5] for r in rows], dtype=object),
            "closed_at": pd.Series([r[6] for r in rows], dtype=object),
            "critical": pd.Series(critical, dtype=bool),
        }
    )


def _participation(ctx: Ctx, units: pd.DataFrame, year: int) -> pd.Series:
    since, until = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    lifestyle = pd.DataFrame.from_records(
        inputs_repo.lifestyle_tasks(ctx.session, since, until),
        columns=["officer_id", "unit_id", "created_at"],
    )
    spans = pd.DataFrame.from_records(
        inputs_repo.programme_spans(ctx.session), columns=["officer_id", "enrolled_on", "ended_on"]
    )
    return indicators.programme_participation(units, lifestyle, spans, year, DEFAULT_MIN_CELL)


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
                "explain_zh": i.explain_zh,
                "explain_en": i.explain_en,
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
                    {
                        "weight_used": _clean(row["weight_used"]),
                        "indicators": components,
                        # Every indicator's value, scored or not: what a unit could improve.
                        "values": {
                            code: _clean(values.at[unit_id, code]) for code in values.columns
                        },
                    }
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
