"""Unit figures from the database agree with an independent pandas computation, roll-ups
included, and no finding count below the minimum cell size is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import select

from health.services import unit_reports
from health.services.context import Ctx
from models.tables import Checkup, Officer, Task, Unit

from factories import make_checkup, make_officer, make_unit

NOW = datetime(2026, 12, 31, tzinfo=UTC)
ENTERED = datetime(2026, 4, 2, tzinfo=UTC)


def _force(ctx: Ctx) -> Unit:
    force = make_unit(ctx)
    bureau = make_unit(ctx, parent=force, kind="bureau")
    big, small = make_unit(ctx, parent=bureau), make_unit(ctx, parent=bureau)
    for i in range(7):
        officer = make_officer(ctx, unit=big)
        make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5 if i < 5 else 5.0)
        if i < 3:
            make_checkup(ctx, officer.id, exam_date=date(2026, 3, 10), glu=5.0)
    for i in range(3):
        officer = make_officer(ctx, unit=small)
        if i < 2:
            make_checkup(ctx, officer.id, exam_date=date(2026, 4, 1), glu=7.5)
    make_officer(ctx, unit=force)
    return force


def test_unit_figures_match_an_independent_pandas_computation(ctx: Ctx) -> None:
    ctx.clock = lambda: ENTERED  # results entered in spring: tasks fall due within 2026
    force = _force(ctx)
    ctx.clock = lambda: NOW
    figures = unit_reports.metrics(ctx, force.id, 2026, min_cell=3)
    got = pd.DataFrame(figures.units).set_index(["unit_id", "scope"])

    session = ctx.session
    units = pd.DataFrame(session.execute(select(Unit.id, Unit.path)).all(), columns=["id", "path"])
    units = units[units["path"].str.startswith(force.path)]
    officers = pd.DataFrame(
        session.execute(select(Officer.id, Officer.unit_id)).all(), columns=["officer", "unit"]
    )
    tasks = pd.DataFrame(
        session.execute(select(Task.unit_id, Task.status, Task.due, Task.closed_at)).all(),
        columns=["unit", "status", "due", "closed_at"],
    )
    checked = set(
        session.scalars(select(Checkup.officer_id).where(Checkup.exam_date >= date(2026, 1, 1)))
    )
    for unit_id, path in zip(units["id"], units["path"], strict=True):
        below = set(units.loc[units["path"].str.startswith(path), "id"])
        for scope, members in (("unit", {unit_id}), ("subtree", below)):
            mine = officers[officers["unit"].isin(members)]
            ts = tasks[tasks["unit"].isin(members)]
            due = pd.to_datetime(ts["due"], utc=True)
            cohort = ts[(due.dt.year == 2026) & (due <= NOW) & (ts["status"] != "cancelled")]
            row = got.loc[(unit_id, scope)]
            assert row["officers"] == len(mine)
            assert row["tasks_due"] == len(cohort)
            assert row["completed"] == int((cohort["status"] == "completed").sum())
            if len(mine):
                assert row["checked"] >= len(set(mine["officer"]) & checked)
    force_row = got.loc[(force.id, "subtree")]
    assert force_row["officers"] == 11 and force_row["checked"] == 9
    assert abs(force_row["coverage"] - 9 / 11) < 1e-9
    assert force_row["completed"] == 3

    cells = pd.DataFrame(figures.findings)
    shown = cells[~cells["suppressed"]]
    assert not ((shown["count"] > 0) & (shown["count"] < 3)).any()
    glucose = cells[cells["category"] == "glucose"].set_index(["unit_id", "scope"])
    assert glucose.loc[(force.id, "subtree"), "count"] == 7
    hidden = glucose[glucose["suppressed"]]
    assert len(hidden) != 1, "one hidden cell in an equation could be recovered"
