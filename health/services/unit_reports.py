"""Per-unit reports: figures for managers, the annual recall list, home-visit rounds.

Figures are computed over the whole force and only then cut to the caller's subtree, because
small-cell suppression must choose its complements once for the whole tree (two calls on
different subtrees could otherwise reveal together what each hides). They hold counts, rates
and medians only. Finding categories are analyte families with an abnormal or critical result.
Reading the whole force takes seconds at 100k officers, so the ``report`` job computes a year
ahead of time into ``unit_report``; requests read those rows (and say when they were
computed), and compute live only for a year not reported yet.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from health.followup.metrics import unit_figures
from health.followup.recall import recall_by_unit, recall_frame
from health.followup.rounds import HomeVisitTask, plan_rounds
from health.followup.suppression import DEFAULT_MIN_CELL
from health.services import access, audit, finding_tally, selfcare_training
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import figures as figures_repo
from models.repositories import tasks as tasks_repo
from models.repositories import units as units_repo


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns)


def force_frames(ctx: Ctx, year: int) -> dict[str, pd.DataFrame]:
    """The inputs of ``unit_figures`` read from the database (this year and the one before)."""
    since = date(year - 1, 1, 1)
    session = ctx.session
    frames = {
        "units": _frame(figures_repo.units(session), ["id", "parent_id", "path"]),
        "officers": _frame(figures_repo.officers(session), ["officer_id", "unit_id"]),
        "checkups": _frame(figures_repo.checkups(session, since), ["officer_id", "exam_date"]),
        "findings": finding_tally.officer_findings(ctx, since),
        "tasks": _frame(
            figures_repo.tasks(session), ["unit_id", "status", "created_at", "due", "closed_at"]
        ),
    }
    units = frames["units"]
    units["parent_id"] = units["parent_id"].astype(object).where(units["parent_id"].notna(), None)
    return frames


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


@dataclass(frozen=True)
class Figures:
    """``computed_at`` is the report's moment (``now`` of the definitions); ``stored`` says
    whether it was read from the last ``report`` run rather than computed for this request."""

    unit_id: uuid.UUID
    year: int
    min_cell: int
    units: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    computed_at: datetime
    stored: bool


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _force_figures(ctx: Ctx, year: int, min_cell: int, now: datetime) -> Any:
    frames = force_frames(ctx, year)
    result = unit_figures(
        frames["units"],
        frames["officers"],
        frames["checkups"],
        frames["findings"],
        frames["tasks"],
        year=year,
        now=now,
        min_cell=min_cell,
    )
    return frames["units"], result


def _stored(ctx: Ctx, unit_id: uuid.UUID, path: str, year: int, min_cell: int) -> Figures | None:
    found = figures_repo.reports(ctx.session, path, year)
    if not any(r.unit_id == unit_id and r.min_cell == min_cell for r in found):
        return None
    rows = [r for r in found if r.min_cell == min_cell]
    units: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for report in rows:
        for part, into in ((report.figures, units), (report.findings, findings)):
            into.extend({**row, "unit_id": report.unit_id} for row in json.loads(part))
    computed = min(r.computed_at for r in rows)
    return Figures(unit_id, year, min_cell, units, findings, computed, True)


def metrics(
    ctx: Ctx,
    unit_id: uuid.UUID,
    year: int,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    live: bool = False,
) -> Figures:
    """Figures of a unit and every unit below it, both scopes, with year-over-year change:
    the stored report of the year when there is one (unless ``live``), else computed now."""
    access.require(ctx, Action.UNIT_METRICS)
    access.require_unit(ctx, unit_id, action="unit.metrics")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    found = None if live else _stored(ctx, unit_id, unit.path, year, min_cell)
    if found is None:
        now = ctx.clock()
        units, result = _force_figures(ctx, year, min_cell, now)
        paths = dict(zip(units["id"], units["path"], strict=True))
        inside = {u for u, p in paths.items() if str(p).startswith(unit.path)}
        figures = result.figures[result.figures["unit_id"].isin(inside)]
        findings = result.findings[result.findings["unit_id"].isin(inside)]
        found = Figures(unit_id, year, min_cell, _records(figures), _records(findings), now, False)
    detail = f"year={year};stored={found.stored}"
    audit.record(ctx, "unit.metrics", "unit", resource_id=str(unit_id), detail=detail)
    return found


def compute(ctx: Ctx, year: int, *, min_cell: int = DEFAULT_MIN_CELL) -> int:
    """The ``report`` job: a year's figures for every unit, replacing the stored ones."""
    access.require(ctx, Action.UNIT_REPORT)
    now = ctx.clock()
    _, result = _force_figures(ctx, year, min_cell, now)
    per_unit: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for part, frame in (("figures", result.figures), ("findings", result.findings)):
        for row in _records(frame):
            unit = row.pop("unit_id")
            per_unit.setdefault(unit, {"figures": [], "findings": []})[part].append(row)
    rows = [
        {
            "year": year,
            "unit_id": _uuid(unit),
            "min_cell": min_cell,
            "computed_at": now,
            "figures": json.dumps(parts["figures"]),
            "findings": json.dumps(parts["findings"]),
        }
        for unit, parts in per_unit.items()
    ]
    figures_repo.replace_reports(ctx.session, year, rows)
    audit.record(ctx, "unit.report", "unit", detail=f"year={year};units={len(rows)}")
    return len(rows)


@dataclass(frozen=True)
class RecallList:
    unit_id: uuid.UUID
    due: list[uuid.UUID]
    overdue: list[uuid.UUID]
    done: int
    # Officers who need a required first-aid course by the recall (untrained, expired or
    # expiring within 90 days): the annual recall includes training due (self-care).
    training_due: list[uuid.UUID] = field(default_factory=list)


def recall(ctx: Ctx, unit_id: uuid.UUID, year: int, as_of: date) -> list[RecallList]:
    """Who is due or overdue for this year's checkup, per unit of the subtree (officer ids)."""
    access.require(ctx, Action.UNIT_RECALL)
    access.require_unit(ctx, unit_id, action="unit.recall")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    rows = figures_repo.last_checkups(ctx.session, unit.path, as_of)
    roster = _frame(rows, ["officer_id", "unit_id", "last_checkup"])
    lists = recall_by_unit(recall_frame(roster, year, as_of)) if len(roster) else {}
    training = selfcare_training.due_for_recall(ctx, unit.path, as_of)
    audit.record(ctx, "unit.recall", "unit", resource_id=str(unit_id), detail=f"year={year}")
    return [
        RecallList(
            uuid.UUID(str(u)),
            [*map(_uuid, r.due)],
            [*map(_uuid, r.overdue)],
            r.done,
            training.get(_uuid(u), []),
        )
        for u, r in lists.items()
    ]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@dataclass(frozen=True)
class VisitOut:
    officer_id: uuid.UUID
    priority: int
    due: date
    task_ids: list[uuid.UUID]


@dataclass(frozen=True)
class RoundOut:
    unit_id: uuid.UUID
    week: str
    visits: list[VisitOut]


def rounds(ctx: Ctx, unit_id: uuid.UUID, *, today: date | None = None) -> list[RoundOut]:
    """The home-visit rounds per unit and ISO week of a medic's subtree (overdue in this week)."""
    access.require(ctx, Action.UNIT_ROUNDS)
    access.require_unit(ctx, unit_id, action="unit.rounds")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    day = today or ctx.clock().astimezone(UTC).date()
    tasks = tasks_repo.open_home_visits(ctx.session, unit.path)
    planned = plan_rounds(
        [HomeVisitTask(t.id, t.officer_id, t.unit_id, t.due, t.priority) for t in tasks],
        today=day,
    )
    audit.record(ctx, "unit.rounds", "unit", resource_id=str(unit_id), detail=f"tasks={len(tasks)}")
    return [
        RoundOut(
            _uuid(r.unit_id),
            str(r.week),
            [
                VisitOut(_uuid(v.officer_id), v.priority, v.due, [*map(_uuid, v.task_ids)])
                for v in r.visits
            ],
        )
        for r in planned
    ]
