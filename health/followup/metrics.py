"""Unit figures for a year, per unit and rolled up the unit tree, computed over whole columns.

Every figure is given for two scopes: ``unit`` (the unit's own officers and tasks) and
``subtree`` (the unit and every unit below it). Roll-ups are computed from the pooled rows of
the subtree, never by averaging the children's rates or medians. Officers and their checkups
and findings count in their unit on the roster passed in; tasks count in the task's unit.

Definitions for year Y (``now`` is the moment of the report, UTC):

- ``officers``: officers on the roster. ``checked``: those with at least one checkup whose exam
  date falls in Y. ``coverage`` = checked / officers (empty when there are no officers).
- ``tasks_due``: follow-up tasks whose due date falls in Y and is not after ``now`` (they have
  fallen due), excluding cancelled ones (a cancelled task should never have been worked;
  failed ones - unreachable, declined - stay in). ``completed``: of those, the ones now
  ``completed`` (whenever that happened). ``on_time``: completed ones closed on or before their
  due date. ``completion_rate`` = completed / tasks_due and ``on_time_rate`` = on_time /
  tasks_due (empty when tasks_due is 0).
- ``median_days_to_completion``: median of (closed − created), in days with fractions, over the
  completed tasks above (empty when none).
- ``overdue``: tasks overdue (health.followup.overdue) at the snapshot min(now, end of Y):
  created by then, not closed by then, due before then; any due year.
- ``findings``: per category, the number of distinct officers with at least one finding of that
  category on a checkup with exam date in Y. Counts of 1 to ``min_cell - 1`` are suppressed,
  with complementary suppression over the tree equations subtree(u) = unit(u) + Σ subtree(child)
  (health.followup.suppression), so no suppressed count can be recovered from the others.
- Year-over-year: every figure also comes as ``<figure>_previous`` (the same definition for
  Y − 1, with snapshot min(now, end of Y − 1) and the previous roster when given) and
  ``<figure>_change`` = current − previous (rates in fractions: 0.05 is 5 percentage points).
  A finding's change is empty when either year's count is suppressed.

Suppression must run over the whole force's tree at once and only then be filtered for the
caller: two calls on different subtrees could choose different complements, and together give
away what each hides. Task figures are not suppressed: managers see those tasks on their
worklist anyway; they carry no diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import pandas as pd

from health.errors import Invalid
from health.followup.id_codes import IdCodes
from health.followup.overdue import overdue_at_mask
from health.followup.suppression import DEFAULT_MIN_CELL, check_min_cell, suppress
from health.vocabulary import TaskStatus

SCOPES: Final = ("unit", "subtree")
COUNTS: Final = ("officers", "checked", "tasks_due", "completed", "on_time", "overdue")
RATES: Final = ("coverage", "completion_rate", "on_time_rate", "median_days_to_completion")
FIGURES: Final = (
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
DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class UnitFigures:
    """``figures``: one row per (unit_id, scope) with FIGURES and their _previous and _change;
    ``findings``: one row per (unit_id, scope, category) with count, count_previous,
    count_change (Int64, missing when suppressed) and the suppression flags."""

    figures: pd.DataFrame
    findings: pd.DataFrame


def unit_ancestors(units: pd.DataFrame) -> pd.DataFrame:
    """Pairs (unit_id, ancestor_id) for every unit and each unit above it, itself included."""
    if units["id"].duplicated().any():
        raise Invalid("unit ids must be unique", code="bad_unit_tree")
    parents = units["parent_id"].dropna()
    if not parents.isin(units["id"]).all():
        raise Invalid("a unit's parent is not in the tree", code="bad_unit_tree")
    parent = pd.Series(units["parent_id"].to_numpy(), index=units["id"].to_numpy())
    pairs = pd.DataFrame({"unit_id": units["id"], "ancestor_id": units["id"]})
    blocks, frontier = [pairs], pairs
    for _ in range(len(units) + 1):
        frontier = frontier.assign(ancestor_id=frontier["ancestor_id"].map(parent))
        frontier = frontier[frontier["ancestor_id"].notna()]
        if frontier.empty:
            return pd.concat(blocks, ignore_index=True)
        blocks.append(frontier)
    raise Invalid("the unit tree has a cycle", code="bad_unit_tree")


def _scoped(rows: pd.DataFrame, ancestors: pd.DataFrame) -> pd.DataFrame:
    """Each row once for its own unit (scope unit) and once per unit above or at it (subtree)."""
    rows = rows.astype({"unit_id": object})
    rolled = rows.merge(ancestors.astype(object), on="unit_id").drop(columns="unit_id")
    return pd.concat(
        [
            rows.assign(scope="unit"),
            rolled.rename(columns={"ancestor_id": "unit_id"}).assign(scope="subtree"),
        ],
        ignore_index=True,
    )


def _year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1, tz=UTC), pd.Timestamp(year + 1, 1, 1, tz=UTC)


def _utc(column: pd.Series) -> Any:
    return pd.to_datetime(column, utc=True)


def _officer_figures(
    officers: pd.DataFrame, checkups: pd.DataFrame, year: int, anc: pd.DataFrame
) -> pd.DataFrame:
    exam_year = pd.to_datetime(checkups["exam_date"]).dt.year
    seen = checkups.loc[exam_year == year, "officer_id"].unique()
    rows = pd.DataFrame(
        {"unit_id": officers["unit_id"], "checked": officers["officer_id"].isin(seen)}
    )
    grouped = _scoped(rows, anc).groupby(["unit_id", "scope"])["checked"]
    return pd.DataFrame({"officers": grouped.size(), "checked": grouped.sum()})


def _task_figures(tasks: pd.DataFrame, year: int, now: datetime, anc: pd.DataFrame) -> pd.DataFrame:
    start, end = _year_bounds(year)
    stamp = pd.Timestamp(now)
    due, created, closed = _utc(tasks["due"]), _utc(tasks["created_at"]), _utc(tasks["closed_at"])
    status = tasks["status"]
    cohort = (due >= start) & (due < end) & (due <= stamp) & (status != TaskStatus.CANCELLED)
    completed = cohort & (status == TaskStatus.COMPLETED)
    rows = pd.DataFrame(
        {
            "unit_id": tasks["unit_id"],
            "tasks_due": cohort,
            "completed": completed,
            "on_time": completed & (closed <= due),
            "days": ((closed - created) / DAY).where(completed),
            "overdue": overdue_at_mask(created, due, closed, min(stamp, end)),
        }
    )
    grouped = _scoped(rows, anc).groupby(["unit_id", "scope"])
    sums = grouped[["tasks_due", "completed", "on_time", "overdue"]].sum()
    sums["median_days_to_completion"] = grouped["days"].median()
    return sums


def _year_figures(
    units: pd.DataFrame,
    officers: pd.DataFrame,
    checkups: pd.DataFrame,
    tasks: pd.DataFrame,
    year: int,
    now: datetime,
    anc: pd.DataFrame,
) -> pd.DataFrame:
    index = pd.MultiIndex.from_product([units["id"], SCOPES], names=["unit_id", "scope"])
    out = pd.concat(
        [_officer_figures(officers, checkups, year, anc), _task_figures(tasks, year, now, anc)],
        axis=1,
    ).reindex(index)
    for column in COUNTS:
        out[column] = out[column].fillna(0).astype("int64")
    out["median_days_to_completion"] = out["median_days_to_completion"].astype("float64")
    out["coverage"] = out["checked"] / out["officers"].where(out["officers"] > 0)
    base = out["tasks_due"].where(out["tasks_due"] > 0)
    out["completion_rate"] = out["completed"] / base
    out["on_time_rate"] = out["on_time"] / base
    return out[list(FIGURES)]


def _finding_counts(
    officers: pd.DataFrame, findings: pd.DataFrame, year: int, anc: pd.DataFrame
) -> pd.Series:
    exam_year = pd.to_datetime(findings["exam_date"]).dt.year
    listed = findings.loc[exam_year == year, ["officer_id", "category"]].drop_duplicates()
    unit_of = pd.Series(officers["unit_id"].to_numpy(), index=officers["officer_id"].to_numpy())
    rows = pd.DataFrame(
        {"unit_id": listed["officer_id"].map(unit_of), "category": listed["category"]}
    ).dropna(subset=["unit_id"])
    scoped = _scoped(rows, anc)
    return scoped.groupby(["unit_id", "scope", "category"]).size()


def _equations(units: pd.DataFrame) -> list[tuple[tuple[Any, str], list[tuple[Any, str]]]]:
    """subtree(u) = unit(u) + Σ subtree(child) for every unit u, as cell keys (unit_id, scope)."""
    children: dict[Any, list[Any]] = {u: [] for u in units["id"]}
    for unit_id, parent_id in zip(units["id"], units["parent_id"], strict=True):
        if not pd.isna(parent_id):
            children[parent_id].append(unit_id)
    return [
        ((u, "subtree"), [(u, "unit"), *((c, "subtree") for c in kids)])
        for u, kids in children.items()
    ]


def _suppressed(
    counts: pd.Series, population: pd.Series, units: pd.DataFrame, min_cell: int
) -> pd.Series:
    """Which (unit_id, scope, category) cells to hide, category by category."""
    small = (counts > 0) & (counts < min_cell)
    if not small.any():
        return pd.Series(False, index=counts.index)
    equations = _equations(units)
    never = set(population.index[population == 0])
    cells: list[tuple[Any, Any, Any]] = []
    for category in small[small].index.get_level_values("category").unique():
        in_category = counts.xs(category, level="category")
        values = dict(zip(in_category.index, in_category.astype(int), strict=True))
        found = suppress(values, equations, min_cell=min_cell, never_complement=never)
        cells.extend((unit_id, scope, category) for unit_id, scope in found)
    return pd.Series(counts.index.isin(cells), index=counts.index)


def _finding_table(
    counts: dict[str, pd.Series], population: dict[str, pd.Series], units: pd.DataFrame, m: int
) -> pd.DataFrame:
    categories = sorted(
        set(counts["current"].index.get_level_values("category"))
        | set(counts["previous"].index.get_level_values("category"))
    )
    index = pd.MultiIndex.from_product(
        [units["id"], SCOPES, categories], names=["unit_id", "scope", "category"]
    )
    table = pd.DataFrame(index=index)
    for label, suffix in (("current", ""), ("previous", "_previous")):
        full = counts[label].reindex(index, fill_value=0).astype("int64")
        hidden = _suppressed(full, population[label], units, m)
        table[f"count{suffix}"] = full.astype("Int64").mask(hidden)
        table[f"suppressed{suffix}"] = hidden
    table["count_change"] = table["count"] - table["count_previous"]
    return table.reset_index()


def unit_figures(
    units: pd.DataFrame,
    officers: pd.DataFrame,
    checkups: pd.DataFrame,
    findings: pd.DataFrame,
    tasks: pd.DataFrame,
    *,
    year: int,
    now: datetime,
    min_cell: int = DEFAULT_MIN_CELL,
    previous_officers: pd.DataFrame | None = None,
) -> UnitFigures:
    """All unit figures for ``year`` and their change from the year before (module docstring).

    Frames: units (id, parent_id, path), officers (officer_id, unit_id), checkups (officer_id,
    exam_date), findings (officer_id, exam_date, category), tasks (unit_id, status, created_at,
    due, closed_at; closed_at set exactly when the status is closed).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise Invalid("now must be timezone-aware (UTC)", code="naive_datetime")
    check_min_cell(min_cell)
    for roster in (officers, previous_officers):
        if roster is not None and roster["officer_id"].duplicated().any():
            raise Invalid("an officer appears twice on a roster", code="bad_roster")
    codes = IdCodes.of(units, officers, *([] if previous_officers is None else [previous_officers]))
    units = units.assign(id=codes.unit(units["id"]), parent_id=codes.unit(units["parent_id"]))
    officers, checkups, findings, tasks = (
        _coded_roster(codes, officers),
        checkups.assign(officer_id=codes.officer(checkups["officer_id"])),
        findings.assign(officer_id=codes.officer(findings["officer_id"])),
        tasks.assign(unit_id=codes.unit(tasks["unit_id"])),
    )
    if previous_officers is not None:
        previous_officers = _coded_roster(codes, previous_officers)
    if "path" in units:
        units = units.sort_values("path", kind="stable")
    anc = unit_ancestors(units)
    rosters = {"current": officers, "previous": officers}
    if previous_officers is not None:
        rosters["previous"] = previous_officers
    years = {"current": year, "previous": year - 1}
    per_year = {
        label: _year_figures(units, rosters[label], checkups, tasks, years[label], now, anc)
        for label in years
    }
    current, previous = per_year["current"], per_year["previous"]
    figures = current.copy()
    for name in FIGURES:
        figures[f"{name}_previous"] = previous[name]
        figures[f"{name}_change"] = current[name] - previous[name]
    counts = {
        label: _finding_counts(rosters[label], findings, years[label], anc) for label in years
    }
    population = {label: per_year[label]["officers"] for label in years}
    table = _finding_table(counts, population, units, min_cell)
    figures = figures.reset_index()
    figures["unit_id"] = codes.unit_ids(figures["unit_id"])
    table["unit_id"] = codes.unit_ids(table["unit_id"])
    return UnitFigures(figures=figures, findings=table)


def _coded_roster(codes: IdCodes, roster: pd.DataFrame) -> pd.DataFrame:
    return roster.assign(
        officer_id=codes.officer(roster["officer_id"]), unit_id=codes.unit(roster["unit_id"])
    )
