"""Per-unit reports: figures for managers, the annual recall list, home-visit rounds.

Figures are computed over the whole force and only then cut to the caller's subtree, because
small-cell suppression must choose its complements once for the whole tree (two calls on
different subtrees could otherwise reveal together what each hides). They hold counts, rates
and medians only. Finding categories are analyte families with an abnormal or critical result.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import pandas as pd

from health.followup.metrics import unit_figures
from health.followup.recall import recall_by_unit, recall_frame
from health.followup.rounds import HomeVisitTask, plan_rounds
from health.followup.suppression import DEFAULT_MIN_CELL
from health.services import access, audit
from health.services.context import MANAGER, MEDIC, Ctx
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
        "findings": _frame(
            figures_repo.findings(session, since), ["officer_id", "exam_date", "category"]
        ),
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
    unit_id: uuid.UUID
    year: int
    min_cell: int
    units: list[dict[str, Any]]
    findings: list[dict[str, Any]]


def metrics(
    ctx: Ctx, unit_id: uuid.UUID, year: int, *, min_cell: int = DEFAULT_MIN_CELL
) -> Figures:
    """Figures of a unit and every unit below it, both scopes, with year-over-year change."""
    access.require_role(ctx, MANAGER, action="unit.metrics")
    access.require_unit(ctx, unit_id, action="unit.metrics")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    frames = force_frames(ctx, year)
    result = unit_figures(
        frames["units"],
        frames["officers"],
        frames["checkups"],
        frames["findings"],
        frames["tasks"],
        year=year,
        now=ctx.clock(),
        min_cell=min_cell,
    )
    paths = dict(zip(frames["units"]["id"], frames["units"]["path"], strict=True))
    inside = {u for u, p in paths.items() if str(p).startswith(unit.path)}
    figures = result.figures[result.figures["unit_id"].isin(inside)]
    findings = result.findings[result.findings["unit_id"].isin(inside)]
    audit.record(ctx, "unit.metrics", "unit", resource_id=str(unit_id), detail=f"year={year}")
    return Figures(
        unit_id,
        year,
        min_cell,
        [{k: _clean(v) for k, v in row.items()} for row in figures.to_dict("records")],
        [{k: _clean(v) for k, v in row.items()} for row in findings.to_dict("records")],
    )


@dataclass(frozen=True)
class RecallList:
    unit_id: uuid.UUID
    due: list[uuid.UUID]
    overdue: list[uuid.UUID]
    done: int


def recall(ctx: Ctx, unit_id: uuid.UUID, year: int, as_of: date) -> list[RecallList]:
    """Who is due or overdue for this year's checkup, per unit of the subtree (officer ids)."""
    access.require_role(ctx, MEDIC, MANAGER, action="unit.recall")
    access.require_unit(ctx, unit_id, action="unit.recall")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    rows = figures_repo.last_checkups(ctx.session, unit.path, as_of)
    roster = _frame(rows, ["officer_id", "unit_id", "last_checkup"])
    lists = recall_by_unit(recall_frame(roster, year, as_of)) if len(roster) else {}
    audit.record(ctx, "unit.recall", "unit", resource_id=str(unit_id), detail=f"year={year}")
    return [
        RecallList(uuid.UUID(str(u)), [*map(_uuid, r.due)], [*map(_uuid, r.overdue)], r.done)
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
    access.require_role(ctx, MEDIC, action="unit.rounds")
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
