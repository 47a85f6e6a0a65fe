"""Unit figures agree with a plain-Python computation on generated forces, roll-up and small-cell
suppression included; plus a worked example whose figures are written out by hand."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from health.errors import Invalid
from health.followup.lifecycle import CLOSED_STATUSES, STATUSES
from health.followup.metrics import FIGURES, unit_figures

YEAR = 2025
START = datetime(YEAR - 1, 1, 1, tzinfo=UTC)
CATEGORIES = ("hypertension", "diabetes", "obesity")


@dataclass(frozen=True)
class Task:
    unit: str
    status: str
    created: datetime
    due: datetime
    closed: datetime | None


@dataclass(frozen=True)
class Force:
    parents: dict[str, str | None]
    officers: dict[str, str]  # officer -> unit
    checkups: list[tuple[str, date]]
    findings: list[tuple[str, date, str]]
    tasks: list[Task]
    now: datetime
    min_cell: int

    def frames(self) -> dict[str, pd.DataFrame]:
        def path(unit: str) -> str:
            parent = self.parents[unit]
            return (path(parent) if parent else "/") + unit + "/"

        return {
            "units": pd.DataFrame(
                {
                    "id": list(self.parents),
                    "parent_id": list(self.parents.values()),
                    "path": [path(u) for u in self.parents],
                }
            ),
            "officers": pd.DataFrame(
                {"officer_id": list(self.officers), "unit_id": list(self.officers.values())}
            ),
            "checkups": pd.DataFrame(self.checkups, columns=["officer_id", "exam_date"]),
            "findings": pd.DataFrame(
                self.findings, columns=["officer_id", "exam_date", "category"]
            ),
            "tasks": pd.DataFrame(
                {
                    "unit_id": [t.unit for t in self.tasks],
                    "status": [t.status for t in self.tasks],
                    "created_at": [t.created for t in self.tasks],
                    "due": [t.due for t in self.tasks],
                    "closed_at": [t.closed for t in self.tasks],
                }
            ),
        }

    def figures(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        f = self.frames()
        result = unit_figures(
            f["units"],
            f["officers"],
            f["checkups"],
            f["findings"],
            f["tasks"],
            year=YEAR,
            now=self.now,
            min_cell=self.min_cell,
        )
        return result.figures, result.findings


# --- the independent, plain-Python reference -----------------------------------------------------


def subtree(force: Force, unit: str) -> set[str]:
    def above(u: str) -> set[str]:
        parent = force.parents[u]
        return {u} | (above(parent) if parent else set())

    return {u for u in force.parents if unit in above(u)}


def scope_units(force: Force, unit: str, scope: str) -> set[str]:
    return {unit} if scope == "unit" else subtree(force, unit)


def reference_figures(force: Force, units: set[str], year: int) -> dict[str, float]:
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    people = [o for o, u in force.officers.items() if u in units]
    checked = [o for o in people if any(c[0] == o and c[1].year == year for c in force.checkups)]
    tasks = [t for t in force.tasks if t.unit in units]
    cohort = [
        t for t in tasks if start <= t.due < end and t.due <= force.now and t.status != "cancelled"
    ]
    done = [t for t in cohort if t.status == "completed"]
    on_time = [t for t in done if t.closed is not None and t.closed <= t.due]
    days = [(t.closed - t.created).total_seconds() / 86400 for t in done if t.closed]
    snapshot = min(force.now, end)
    overdue = [
        t
        for t in tasks
        if t.created <= snapshot and (t.closed is None or t.closed > snapshot) and t.due < snapshot
    ]
    nan = float("nan")
    return {
        "officers": len(people),
        "checked": len(checked),
        "coverage": len(checked) / len(people) if people else nan,
        "tasks_due": len(cohort),
        "completed": len(done),
        "completion_rate": len(done) / len(cohort) if cohort else nan,
        "on_time": len(on_time),
        "on_time_rate": len(on_time) / len(cohort) if cohort else nan,
        "median_days_to_completion": statistics.median(days) if days else nan,
        "overdue": len(overdue),
    }


def reference_count(force: Force, units: set[str], year: int, category: str) -> int:
    return len(
        {
            officer
            for officer, exam, cat in force.findings
            if cat == category and exam.year == year and force.officers.get(officer) in units
        }
    )


def same(a: Any, b: Any) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return bool(pd.isna(a))
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


# --- generated forces ---------------------------------------------------------------------------

HOURS = 3 * 366 * 24


@st.composite
def forces(draw: st.DrawFn) -> Force:
    size = draw(st.integers(min_value=1, max_value=6))
    parents: dict[str, str | None] = {"u0": None}
    for i in range(1, size):
        parents[f"u{i}"] = f"u{draw(st.integers(min_value=0, max_value=i - 1))}"
    units = list(parents)
    officer_units = draw(st.lists(st.sampled_from(units), max_size=30))
    officers = {f"o{i}": u for i, u in enumerate(officer_units)}
    ids = [*officers, "ghost"]  # a finding for someone not on the roster is not counted
    day = st.integers(min_value=0, max_value=3 * 365 - 1).map(
        lambda d: date(YEAR - 1, 1, 1) + timedelta(days=d)
    )
    checkups = draw(st.lists(st.tuples(st.sampled_from(ids), day), max_size=30))
    findings = draw(
        st.lists(st.tuples(st.sampled_from(ids), day, st.sampled_from(CATEGORIES)), max_size=60)
    )
    now = START + timedelta(hours=draw(st.integers(min_value=366 * 24, max_value=HOURS - 1)))
    tasks = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        created = START + timedelta(
            hours=draw(st.integers(0, int((now - START) / timedelta(hours=1))))
        )
        due = created + timedelta(hours=draw(st.integers(min_value=0, max_value=200 * 24)))
        status = draw(st.sampled_from(STATUSES))
        closed = None
        if status in CLOSED_STATUSES:
            span = int((now - created) / timedelta(hours=1))
            closed = created + timedelta(hours=draw(st.integers(0, span)))
        tasks.append(Task(draw(st.sampled_from(units)), status, created, due, closed))
    min_cell = draw(st.integers(min_value=1, max_value=6))
    return Force(parents, officers, checkups, findings, tasks, now, min_cell)


@settings(max_examples=25, deadline=None)
@given(force=forces())
def test_figures_agree_with_plain_python_per_unit_and_rolled_up(force: Force) -> None:
    figures, _ = force.figures()
    assert len(figures) == 2 * len(force.parents)
    for row in figures.itertuples(index=False):
        units = scope_units(force, row.unit_id, row.scope)
        current = reference_figures(force, units, YEAR)
        previous = reference_figures(force, units, YEAR - 1)
        for name in FIGURES:
            assert same(getattr(row, name), current[name]), (name, row.unit_id, row.scope)
            assert same(getattr(row, f"{name}_previous"), previous[name]), name
            assert same(getattr(row, f"{name}_change"), current[name] - previous[name]), name


@settings(max_examples=25, deadline=None)
@given(force=forces())
def test_finding_counts_agree_and_suppression_protects_small_cells(force: Force) -> None:
    _, findings = force.figures()
    hidden: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for row in findings.itertuples(index=False):
        units = scope_units(force, row.unit_id, row.scope)
        for year, count, suppressed in (
            (YEAR, row.count, row.suppressed),
            (YEAR - 1, row.count_previous, row.suppressed_previous),
        ):
            truth = reference_count(force, units, year, row.category)
            assert suppressed is pd.isna(count)
            if 0 < truth < force.min_cell:
                assert suppressed, (row.unit_id, row.scope, row.category, truth)
            if not suppressed:
                assert count == truth
            if suppressed:
                hidden.setdefault((row.category, year), set()).add((row.unit_id, row.scope))
        if row.suppressed or row.suppressed_previous:
            assert pd.isna(row.count_change)
        else:
            assert row.count_change == row.count - row.count_previous
    children: dict[str, list[str]] = {u: [] for u in force.parents}
    for unit, parent in force.parents.items():
        if parent:
            children[parent].append(unit)
    for cells in hidden.values():
        for unit, kids in children.items():
            equation = [(unit, "subtree"), (unit, "unit"), *((k, "subtree") for k in kids)]
            assert sum(cell in cells for cell in equation) != 1, "a lone hidden cell is recoverable"


# --- a worked example ---------------------------------------------------------------------------


def worked_example() -> Force:
    """Force f ← bureau b ← stations s1, s2; 6 officers in s1, 1 in s2, 1 at b."""
    officers = {f"a{i}": "s1" for i in range(6)} | {"b0": "s2", "c0": "b"}
    now = datetime(YEAR, 7, 1, tzinfo=UTC)
    d = datetime(YEAR, 3, 1, tzinfo=UTC)
    return Force(
        parents={"f": None, "b": "f", "s1": "b", "s2": "b"},
        officers=officers,
        checkups=[("a0", date(YEAR, 2, 1)), ("a1", date(YEAR - 1, 2, 1)), ("b0", date(YEAR, 5, 1))],
        findings=[(f"a{i}", date(YEAR, 2, 1), "hypertension") for i in range(6)]
        + [("b0", date(YEAR, 5, 1), "hypertension")],
        tasks=[
            Task("s1", "completed", d, d + timedelta(days=10), d + timedelta(days=4)),
            Task("s1", "completed", d, d + timedelta(days=10), d + timedelta(days=20)),
            Task("s1", "failed", d, d + timedelta(days=10), d + timedelta(days=30)),
            Task("s1", "cancelled", d, d + timedelta(days=10), d + timedelta(days=1)),
            Task("s2", "in-progress", d, d + timedelta(days=10), None),
            Task("s2", "requested", d, datetime(YEAR, 12, 1, tzinfo=UTC), None),
        ],
        now=now,
        min_cell=5,
    )


def test_worked_example_figures() -> None:
    figures, findings = worked_example().figures()
    table = figures.set_index(["unit_id", "scope"])
    s1, b = table.loc[("s1", "unit")], table.loc[("b", "subtree")]
    assert (s1["officers"], s1["checked"], s1["coverage"]) == (6, 1, pytest.approx(1 / 6))
    assert (s1["tasks_due"], s1["completed"], s1["on_time"]) == (3, 2, 1)
    assert s1["completion_rate"] == pytest.approx(2 / 3)
    assert s1["median_days_to_completion"] == pytest.approx(12.0)
    assert (b["officers"], b["checked"], b["tasks_due"], b["overdue"]) == (8, 2, 4, 1)
    assert table.loc[("f", "subtree"), "officers"] == 8
    assert math.isnan(table.loc[("f", "unit"), "coverage"])
    counts = findings.set_index(["unit_id", "scope", "category"])["count"]
    # s2 has 1 (primary); s1 (6) is the complement beside it in b's equation; the leaf equations
    # hide each station's unit cell with its subtree cell
    assert counts[("b", "subtree", "hypertension")] == 7
    assert counts[("f", "subtree", "hypertension")] == 7
    for cell in ("s1", "s2"):
        assert pd.isna(counts[(cell, "unit", "hypertension")])
        assert pd.isna(counts[(cell, "subtree", "hypertension")])


def test_min_cell_one_publishes_every_count() -> None:
    force = worked_example()
    f = force.frames()
    result = unit_figures(
        f["units"],
        f["officers"],
        f["checkups"],
        f["findings"],
        f["tasks"],
        year=YEAR,
        now=force.now,
        min_cell=1,
    )
    assert not result.findings["suppressed"].any()


@pytest.mark.parametrize(
    ("units", "code"),
    [
        ({"id": ["a", "a"], "parent_id": [None, None]}, "bad_unit_tree"),
        ({"id": ["a", "b"], "parent_id": ["b", "a"]}, "bad_unit_tree"),
        ({"id": ["a"], "parent_id": ["zz"]}, "bad_unit_tree"),
    ],
)
def test_broken_unit_tree_is_refused(units: dict[str, list[Any]], code: str) -> None:
    empty = worked_example().frames()
    with pytest.raises(Invalid) as raised:
        unit_figures(
            pd.DataFrame(units),
            empty["officers"].iloc[:0],
            empty["checkups"].iloc[:0],
            empty["findings"].iloc[:0],
            empty["tasks"].iloc[:0],
            year=YEAR,
            now=datetime(YEAR, 6, 1, tzinfo=UTC),
        )
    assert raised.value.code == code
