"""`officer-health demo` builds years that look like real years: checkups entered over the
season, tasks created then, worked and closed over the following weeks, some late. The unit
figures computed on it fall in plausible ranges (was: on-time 0.0, median completion 0.0013
days, more overdue than due)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from health.services import demo, unit_reports
from health.services.context import MANAGER, Actor, Ctx
from models.tables import Task, Unit

from factories import fast_policy

TODAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
# Plausible for a police occupational-health service that works its lists (DEMO ranges: an
# on-time rate between a half and nineteen in twenty, most tasks closed within days to weeks).
ON_TIME = (0.5, 0.95)
COMPLETION = (0.6, 0.99)
MEDIAN_DAYS = (2.0, 60.0)


def test_demo_years_give_plausible_unit_figures(ctx: Ctx) -> None:
    ctx.clock = lambda: TODAY
    report = demo.seed(ctx, fast_policy(ctx.vault), officers_per_station=12, years=3)
    assert report.created
    tasks = list(ctx.session.scalars(select(Task)))
    created_days = {t.created_at.date() for t in tasks}
    assert len(created_days) > 20, "tasks are created over the seasons, not at one instant"
    assert all(t.created_at.date() > t.exam_date for t in tasks)
    closed = [t for t in tasks if t.closed_at is not None]
    assert sum(t.closed_at > t.due for t in closed) > 0, "some tasks are closed late"

    force = ctx.session.scalars(select(Unit).where(Unit.code == "FORCE")).one()
    manager = Ctx(ctx.session, ctx.vault, Actor(id="m", role=MANAGER, unit_paths=(force.path,)))
    manager.clock = lambda: TODAY
    for year in (2025, 2024):
        figures = unit_reports.metrics(manager, force.id, year, live=True)
        whole = next(
            f for f in figures.units if f["unit_id"] == force.id and f["scope"] == "subtree"
        )
        assert whole["tasks_due"] > 20, year
        assert ON_TIME[0] <= whole["on_time_rate"] <= ON_TIME[1], (year, whole)
        assert COMPLETION[0] <= whole["completion_rate"] <= COMPLETION[1], (year, whole)
        assert MEDIAN_DAYS[0] <= whole["median_days_to_completion"] <= MEDIAN_DAYS[1], (year, whole)
        assert whole["overdue"] < whole["tasks_due"], (year, whole)
    this_year = unit_reports.metrics(manager, force.id, 2026, live=True)
    current = next(
        f for f in this_year.units if f["unit_id"] == force.id and f["scope"] == "subtree"
    )
    assert current["checked"] > 0 and current["tasks_due"] > 0
    assert date(2026, 1, 1) <= max(t.created_at.date() for t in tasks) <= TODAY.date()
