"""Every unit figure the endpoint returns, for every unit and both scopes, agrees with a plain
pandas recomputation from the raw rows the test wrote (definitions: health.followup.metrics);
finding counts are hidden exactly when small, and no hidden count can be derived from the
published ones through the roll-up equations.

The expected side reads only the rows below and the documented definitions; it calls nothing
in health.followup.
"""

from __future__ import annotations

import math
import os
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from health.services import finding_tally, unit_reports
from health.services.context import MANAGER, Actor, Ctx
from models.tables import Checkup, Officer, Screening, Task, Unit
from models.tables_bulk import FindingTally

from factories import make_unit

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
CATEGORIES = ("glucose", "lipids", "blood_pressure", "kidney")
SEVERITIES = ("abnormal", "critical", "borderline")
STATUSES = ("requested", "accepted", "in-progress", "on-hold", "completed", "cancelled", "failed")
CLOSED = {"completed", "cancelled", "failed"}
FINDING_COLUMNS = [
    "id",
    "screening_id",
    "checkup_id",
    "officer_id",
    "unit_id",
    "exam_date",
    "family",
    "severity",
    "status",
    "position",
]
FIGURES = (
    "officers",
    "checked",
    "coverage",
    "tasks_due",
    "completed",
    "completion_rate",
    "on_time",
    "on_time_rate",
    "median_days_to_completion",
    "overdue",
)


@dataclass
class Raw:
    units: pd.DataFrame
    officers: pd.DataFrame
    checkups: pd.DataFrame
    findings: pd.DataFrame
    tasks: pd.DataFrame
    bureau: Unit


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(seconds))


def _build(ctx: Ctx, seed: int) -> Raw:
    """force (2 officers) → bureau A (none) → stations of 12, 4, 0; bureau B (1) → 9, 2; rows
    written straight into the tables: checkups (some superseded), findings of every severity,
    tasks in every status, officers erased or moved since their findings and tasks."""
    rng = random.Random(seed)
    force = make_unit(ctx)
    bureau_a = make_unit(ctx, parent=force, kind="bureau")
    bureau_b = make_unit(ctx, parent=force, kind="bureau")
    a1, a2, a3 = (make_unit(ctx, parent=bureau_a) for _ in range(3))
    b1, b2 = make_unit(ctx, parent=bureau_b), make_unit(ctx, parent=bureau_b)
    tree = [force, bureau_a, bureau_b, a1, a2, a3, b1, b2]
    sizes = {force: 2, bureau_a: 0, bureau_b: 1, a1: 12, a2: 4, a3: 0, b1: 9, b2: 2}
    all_units = [u.id for u in tree]
    start = datetime(2024, 6, 1, tzinfo=UTC)

    officers, checkups, screenings, findings, tasks = [], [], [], [], []
    for unit, size in sizes.items():
        for _ in range(size):
            officer_id = uuid.uuid4()
            erased = NOW - timedelta(days=3) if rng.random() < 0.08 else None
            officers.append(
                {
                    "id": officer_id,
                    "unit_id": unit.id,
                    "created_at": start,
                    "erased_at": erased,
                }
            )
            exams = rng.sample(range(0, 600, 7), k=rng.randrange(0, 4))
            for offset in exams:
                exam = date(2025, 1, 3) + timedelta(days=offset)
                if exam > NOW.date():
                    continue
                superseded = rng.random() < 0.15
                for version in (1, 2) if superseded else (1,):
                    checkup_id, screening_id = uuid.uuid4(), uuid.uuid4()
                    status = "superseded" if superseded and version == 1 else "current"
                    # A finding's unit is where the officer served then, not their unit now.
                    then = rng.choice(all_units) if rng.random() < 0.1 else unit.id
                    checkups.append(
                        {
                            "id": checkup_id,
                            "officer_id": officer_id,
                            "unit_id": then,
                            "exam_date": exam,
                            "version": version,
                            "status": status,
                            "content_hash": rng.randbytes(32),
                            "results": rng.randbytes(40),
                            "created_at": start,
                            "created_by": "test",
                        }
                    )
                    screenings.append(
                        {
                            "id": screening_id,
                            "checkup_id": checkup_id,
                            "officer_id": officer_id,
                            "ruleset": "default",
                            "ruleset_version": "1",
                            "status": status,
                            "created_at": start,
                            "created_by": "test",
                            "document": rng.randbytes(40),
                        }
                    )
                    for position, category in enumerate(CATEGORIES):
                        if rng.random() < 0.45:
                            findings.append(
                                {
                                    "id": uuid.uuid4(),
                                    "screening_id": screening_id,
                                    "checkup_id": checkup_id,
                                    "officer_id": officer_id,
                                    "unit_id": then,
                                    "exam_date": exam,
                                    "family": category,
                                    "severity": rng.choice(SEVERITIES),
                                    "status": status,
                                    "position": position,
                                }
                            )
            for _ in range(rng.randrange(0, 6)):
                created = _moment(rng, start, NOW)
                due = created + timedelta(days=rng.randrange(0, 120), hours=rng.randrange(24))
                edge = rng.random()
                if edge < 0.05:
                    due = datetime(2026, 1, 1, tzinfo=UTC)  # exactly on a year boundary
                elif edge < 0.1:
                    due = NOW  # fallen due at the moment of the report, not yet overdue
                status = rng.choice(STATUSES)
                closed = None
                if status in CLOSED:
                    late = timedelta(hours=rng.randrange(0, 200 * 24))
                    early = (due - created) * rng.random()
                    closed = min(created + (early if rng.random() < 0.5 else late), NOW)
                    if rng.random() < 0.05:
                        closed = due  # on the due date is on time
                tasks.append(
                    {
                        "id": uuid.uuid4(),
                        "officer_id": officer_id,
                        "unit_id": rng.choice(all_units) if rng.random() < 0.1 else unit.id,
                        "type": "recheck",
                        "status": status,
                        "priority": rng.randrange(1, 4),
                        "due": due,
                        "version": 1,
                        "exam_date": created.date(),
                        "created_at": created,
                        "closed_at": closed,
                        "outcome": "done_with_result" if status == "completed" else None,
                        "detail": rng.randbytes(24),
                    }
                )
    session = ctx.session
    # Findings are stored as the service stores them: inside the (here random) sealed document,
    # and one pseudonymous tally row per (screening, family), every severity and status.
    tokens = finding_tally.Tokens(ctx.vault.hasher)
    tallies = [
        {
            "token": tokens(f["screening_id"]),
            "family": f["family"],
            "year": f["exam_date"].year,
            "severity": f["severity"],
        }
        for f in findings
    ]
    for table, rows in (
        (Officer, officers),
        (Checkup, checkups),
        (Screening, screenings),
        (FindingTally, tallies),
        (Task, tasks),
    ):
        if rows:
            session.execute(insert(table), rows)
    session.flush()
    units = pd.DataFrame([{"id": u.id, "parent_id": u.parent_id, "path": u.path} for u in tree])
    return Raw(
        units=units,
        officers=pd.DataFrame(officers),
        checkups=pd.DataFrame(checkups),
        findings=pd.DataFrame(findings, columns=FINDING_COLUMNS),
        tasks=pd.DataFrame(tasks),
        bureau=bureau_a,
    )


def _members(raw: Raw, unit_id: uuid.UUID, scope: str) -> set[uuid.UUID]:
    if scope == "unit":
        return {unit_id}
    path = raw.units.set_index("id").loc[unit_id, "path"]
    return set(raw.units.loc[raw.units["path"].str.startswith(path), "id"])


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _expected_year(raw: Raw, year: int) -> tuple[dict[Any, dict[str, Any]], dict[Any, int]]:
    """Figures per (unit, scope) and finding counts per (unit, scope, category), by definition."""
    snapshot = min(pd.Timestamp(NOW), pd.Timestamp(year + 1, 1, 1, tz=UTC))
    now = pd.Timestamp(NOW)
    roster = raw.officers[raw.officers["erased_at"].isna()]
    checkups = raw.checkups[raw.checkups["status"] == "current"]
    checked_ids = set(
        checkups.loc[pd.to_datetime(checkups["exam_date"]).dt.year == year, "officer_id"]
    )
    tasks = raw.tasks.copy()
    for column in ("due", "created_at", "closed_at"):
        tasks[column] = pd.to_datetime(tasks[column], utc=True)
    f = raw.findings
    f = f[
        (f["status"] == "current")
        & f["severity"].isin(["abnormal", "critical"])
        & (pd.to_datetime(f["exam_date"]).dt.year == year)
    ]
    f = f.merge(roster[["id", "unit_id"]], left_on="officer_id", right_on="id", suffixes=("_", ""))
    f = f[["officer_id", "family", "unit_id"]].drop_duplicates()

    figures: dict[Any, dict[str, Any]] = {}
    counts: dict[Any, int] = {}
    for unit_id in raw.units["id"]:
        for scope in ("unit", "subtree"):
            members = _members(raw, unit_id, scope)
            mine = roster[roster["unit_id"].isin(members)]
            t = tasks[tasks["unit_id"].isin(members)]
            due_in = t[
                (t["due"].dt.year == year) & (t["due"] <= now) & (t["status"] != "cancelled")
            ]
            done = due_in[due_in["status"] == "completed"]
            days = (done["closed_at"] - done["created_at"]).dt.total_seconds() / 86400
            overdue = t[
                (t["created_at"] <= snapshot)
                & (t["closed_at"].isna() | (t["closed_at"] > snapshot))
                & (t["due"] < snapshot)
            ]
            n, checked, cohort = len(mine), int(mine["id"].isin(checked_ids).sum()), len(due_in)
            on_time = int((done["closed_at"] <= done["due"]).sum())
            figures[unit_id, scope] = {
                "officers": n,
                "checked": checked,
                "coverage": checked / n if n else None,
                "tasks_due": cohort,
                "completed": len(done),
                "completion_rate": len(done) / cohort if cohort else None,
                "on_time": on_time,
                "on_time_rate": on_time / cohort if cohort else None,
                "median_days_to_completion": float(days.median()) if len(done) else None,
                "overdue": len(overdue),
            }
            here = f[f["unit_id"].isin(members)]
            for category, group in here.groupby("family"):
                counts[unit_id, scope, category] = group["officer_id"].nunique()
    return figures, counts


def _same(got: Any, want: Any) -> bool:
    got, want = _none(got), _none(want)
    if isinstance(want, float) and isinstance(got, (int, float)):
        return bool(abs(got - want) <= 1e-9 * max(1.0, abs(want)))
    return bool(got == want)


def _change(current: Any, previous: Any) -> Any:
    return None if current is None or previous is None else current - previous


def _assert_no_hidden_cell_derivable(raw: Raw, hidden: set[tuple[uuid.UUID, str]]) -> None:
    """In subtree(u) = unit(u) + Σ subtree(child), published cells are constants; a hidden cell
    is derivable exactly when its unit vector lies in the row space of the hidden columns."""
    cells = [(u, s) for u in raw.units["id"] for s in ("unit", "subtree")]
    column = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for unit_id in raw.units["id"]:
        row = np.zeros(len(cells))
        row[column[unit_id, "subtree"]] = 1
        row[column[unit_id, "unit"]] = -1
        children = raw.units.loc[raw.units["parent_id"] == unit_id, "id"]
        for child in children:
            row[column[child, "subtree"]] = -1
        rows.append(row)
        in_equation = [(unit_id, "subtree"), (unit_id, "unit"), *((c, "subtree") for c in children)]
        assert sum(cell in hidden for cell in in_equation) != 1, "one hidden cell in an equation"
    if not hidden:
        return
    order = sorted(hidden, key=column.__getitem__)
    a_hidden = np.array(rows)[:, [column[c] for c in order]]
    rank = np.linalg.matrix_rank(a_hidden)
    for i, cell in enumerate(order):
        unit_vector = np.zeros((1, len(order)))
        unit_vector[0, i] = 1
        assert np.linalg.matrix_rank(np.vstack([a_hidden, unit_vector])) > rank, cell


def _check(raw: Raw, figures: unit_reports.Figures, year: int, min_cell: int) -> None:
    current, counts = _expected_year(raw, year)
    previous, counts_previous = _expected_year(raw, year - 1)
    got = pd.DataFrame(figures.units).set_index(["unit_id", "scope"])
    assert set(got.index) == set(current), "one row per unit of the subtree and scope"
    for key, want in current.items():
        row = got.loc[key]
        for name in FIGURES:
            before = previous[key][name]
            assert _same(row[name], want[name]), (key, name, row[name], want[name])
            assert _same(row[f"{name}_previous"], before), (key, name, "previous")
            expected_change = _change(want[name], before)
            assert _same(row[f"{name}_change"], expected_change), (key, name, "change")

    cells = pd.DataFrame(figures.findings)
    categories = {c for *_, c in counts} | {c for *_, c in counts_previous}
    assert set(cells["category"]) == categories
    assert len(cells) == len(current) * len(categories), "every unit × scope × category"
    population = {
        label: {k: v["officers"] for k, v in expected.items()}
        for label, expected in (("", current), ("_previous", previous))
    }
    for row in cells.to_dict("records"):
        key = (row["unit_id"], row["scope"], row["category"])
        for suffix, truth in (("", counts), ("_previous", counts_previous)):
            want, hidden = truth.get(key, 0), bool(row[f"suppressed{suffix}"])
            if 0 < want < min_cell:
                assert hidden, (key, suffix, "small count shown")
            if hidden:
                assert _none(row[f"count{suffix}"]) is None, (key, suffix)
                assert population[suffix][key[:2]] > 0, "a count everyone knows is 0 was hidden"
            else:
                assert row[f"count{suffix}"] == want, (key, suffix, row[f"count{suffix}"], want)
        change = row["count_change"]
        if row["suppressed"] or row["suppressed_previous"]:
            assert _none(change) is None, key
        else:
            assert change == counts.get(key, 0) - counts_previous.get(key, 0), key
    for suffix in ("", "_previous"):
        for category in categories:
            mine = cells[(cells["category"] == category) & cells[f"suppressed{suffix}"]]
            hidden = set(zip(mine["unit_id"], mine["scope"], strict=True))
            _assert_no_hidden_cell_derivable(raw, hidden)


SEEDS = range(int(os.environ.get("OH_FIGURE_SEEDS", "4")))


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("seed", SEEDS)
def test_unit_figures_for_the_force_match_pandas_for_every_unit_and_scope(
    ctx: Ctx, seed: int, year: int
) -> None:
    ctx.clock = lambda: NOW
    raw = _build(ctx, seed)
    min_cell = (3, 5)[seed % 2]
    root = raw.units.loc[raw.units["parent_id"].isna(), "id"].item()
    figures = unit_reports.metrics(ctx, root, year, min_cell=min_cell)
    _check(raw, figures, year, min_cell)


def test_a_managers_bureau_figures_are_the_force_figures_cut_to_the_bureau(ctx: Ctx) -> None:
    ctx.clock = lambda: NOW
    raw = _build(ctx, 7)
    root = raw.units.loc[raw.units["parent_id"].isna(), "id"].item()
    whole = unit_reports.metrics(ctx, root, 2026, min_cell=5)
    manager = Ctx(
        ctx.session,
        ctx.vault,
        Actor(id="mgr", role=MANAGER, unit_paths=(raw.bureau.path,)),
        clock=lambda: NOW,
    )
    bureau = unit_reports.metrics(manager, raw.bureau.id, 2026, min_cell=5)
    inside = _members(raw, raw.bureau.id, "subtree")
    for part in ("units", "findings"):
        cut = [r for r in getattr(whole, part) if r["unit_id"] in inside]
        mine = getattr(bureau, part)
        assert len(mine) == len(cut) > 0
        key = ("unit_id", "scope", "category") if part == "findings" else ("unit_id", "scope")
        by_key = {tuple(r[k] for k in key): r for r in cut}
        for row in mine:
            want = by_key[tuple(row[k] for k in key)]
            assert all(_same(row[k], want[k]) for k in row if k not in ("unit_id", "scope"))


def test_stored_report_figures_are_the_live_figures_of_the_moment_they_were_computed(
    ctx: Ctx,
) -> None:
    raw = _build(ctx, 11)
    root = raw.units.loc[raw.units["parent_id"].isna(), "id"].item()
    ctx.clock = lambda: NOW
    assert unit_reports.compute(ctx, 2026) == len(raw.units)
    ctx.clock = lambda: NOW + timedelta(days=30)
    stored = unit_reports.metrics(ctx, root, 2026)
    assert stored.stored and stored.computed_at == NOW
    _check(raw, stored, 2026, 5)
    ctx.clock = lambda: NOW
    live = unit_reports.metrics(ctx, root, 2026, live=True)
    assert not live.stored
    for part in ("units", "findings"):
        key = ("unit_id", "scope", "category") if part == "findings" else ("unit_id", "scope")
        want = {tuple(r[k] for k in key): r for r in getattr(live, part)}
        got = getattr(stored, part)
        assert len(got) == len(want)
        for row in got:
            assert row.keys() == want[tuple(row[k] for k in key)].keys()
            assert all(_same(v, want[tuple(row[k] for k in key)][k]) for k, v in row.items())
    other_year = unit_reports.metrics(ctx, root, 2025)
    assert not other_year.stored, "a year without a report is computed live"
