"""The force health analysis as a reader's summary for a unit (and everything below it): each
condition's prevalence over the last years, the leading problems of the year with what the
follow-up policy does for them, the year's figures by sex and age band and by the units
directly below. Built only from ``analysis.analysis`` cells (suppressed as there; access and
audit as there), so the summary, its exports and its PDF carry no more than the cells do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from health.i18n import Lang
from health.reports.conditions import CONDITIONS
from health.reports.interventions import Intervention, interventions
from health.reports.prevalence import AGE_GROUPS, SEX_GROUPS
from health.reports.prevalence import COLUMNS as CELL_COLUMNS
from health.services import analysis, rulesets
from health.services.context import Ctx
from models.repositories import units as units_repo

YEARS_SHOWN = 5
LEADING = 5


@dataclass(frozen=True)
class Figure:
    """One condition in one cell (hidden counts and rates are ``None``)."""

    n: int | None
    cases: int | None
    crude: float | None
    crude_low: float | None
    crude_high: float | None
    standardised: float | None
    standardised_low: float | None
    standardised_high: float | None
    suppressed: bool

    @property
    def rate(self) -> float | None:
        """The figure a ranking or a trend reads: standardised when shown, else crude."""
        return self.standardised if self.standardised is not None else self.crude


@dataclass(frozen=True)
class ConditionLine:
    code: str
    name: str
    criterion: str
    source: str
    by_year: dict[int, Figure]
    change: float | None
    interventions: list[Intervention]


@dataclass(frozen=True)
class GroupLine:
    key: str
    label: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class AnalysisSummary:
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    year: int
    years: list[int]
    lang: Lang
    standard_population: str
    min_cell: int
    computed_at: datetime
    conditions: list[ConditionLine]
    leading: list[ConditionLine]
    groups: list[GroupLine]
    units: list[GroupLine]


def _figure(cell: dict[str, Any] | None) -> Figure:
    cell = cell or {}
    return Figure(
        n=cell.get("n"),
        cases=cell.get("cases"),
        crude=cell.get("crude"),
        crude_low=cell.get("crude_low"),
        crude_high=cell.get("crude_high"),
        standardised=cell.get("standardised"),
        standardised_low=cell.get("standardised_low"),
        standardised_high=cell.get("standardised_high"),
        suppressed=bool(cell.get("suppressed", True)),
    )


def _group_label(group: str, lang: Lang) -> str:
    if group == "sex:M":
        return "男" if lang == "zh" else "Men"
    if group == "sex:F":
        return "女" if lang == "zh" else "Women"
    band = group[4:]
    if band == "other":
        return "其他年龄" if lang == "zh" else "Other ages"
    return f"{band} 岁" if lang == "zh" else f"Aged {band}"


def summary(ctx: Ctx, unit_id: uuid.UUID, year: int, lang: Lang) -> AnalysisSummary:
    """The unit's analysis for ``year`` and the years before it (stored where reported)."""
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    cells: dict[int, dict[tuple[str, str, str, str], dict[str, Any]]] = {}
    latest = None
    for one in years:
        found = analysis.analysis(ctx, unit_id, one)
        cells[one] = {
            (str(c["unit_id"]), c["scope"], c["group"], c["condition"]): c for c in found.cells
        }
        latest = found
    assert latest is not None
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    here = str(unit_id)
    policy = rulesets.active_policy(ctx)
    lines = []
    for condition in CONDITIONS:
        by_year = {
            one: _figure(cells[one].get((here, "subtree", "all", condition.code))) for one in years
        }
        now, before = by_year[year].crude, by_year[year - 1].crude
        lines.append(
            ConditionLine(
                code=condition.code,
                name=condition.name_zh if lang == "zh" else condition.name_en,
                criterion=condition.criterion,
                source=condition.source,
                by_year=by_year,
                change=None if now is None or before is None else now - before,
                interventions=interventions(policy, condition.code, lang),
            )
        )
    ranked = [line for line in lines if line.by_year[year].rate is not None]
    ranked.sort(key=lambda line: -(line.by_year[year].rate or 0.0))
    this_year = cells[year]
    groups = [
        GroupLine(
            group,
            _group_label(group, lang),
            {c.code: _figure(this_year.get((here, "subtree", group, c.code))) for c in CONDITIONS},
        )
        for group in (*SEX_GROUPS, *AGE_GROUPS)
    ]
    children = sorted(
        (u for u in units_repo.list_all(ctx.session) if u.parent_id == unit_id),
        key=lambda u: u.code,
    )
    units = [
        GroupLine(
            str(child.id),
            child.name,
            {
                c.code: _figure(this_year.get((str(child.id), "subtree", "all", c.code)))
                for c in CONDITIONS
            },
        )
        for child in children
    ]
    return AnalysisSummary(
        unit_id=unit_id,
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        years=years,
        lang=lang,
        standard_population=latest.standard_population,
        min_cell=latest.min_cell,
        computed_at=latest.computed_at,
        conditions=lines,
        leading=ranked[:LEADING],
        groups=groups,
        units=units,
    )


# Each figure column of the analysis cells, from the examined count on.
TREND_COLUMNS = (
    "unit_code",
    "condition",
    "name",
    "year",
    *CELL_COLUMNS[CELL_COLUMNS.index("n") :],
    "leading_rank",
    "interventions",
)


def trend_rows(found: AnalysisSummary) -> list[dict[str, Any]]:
    """The summary as a table: one row per condition and year (the export of the PDF's figures);
    the year's leading problems carry their rank and the policy's interventions."""
    rank = {line.code: i + 1 for i, line in enumerate(found.leading)}
    rows = []
    for line in found.conditions:
        steps = "; ".join(f"{i.task_name}: {i.reason} ({i.due})" for i in line.interventions)
        for year, figure in sorted(line.by_year.items()):
            latest = year == found.year
            rows.append(
                {
                    "unit_code": found.unit_code,
                    "condition": line.code,
                    "name": line.name,
                    "year": year,
                    "n": figure.n,
                    "cases": figure.cases,
                    "crude": figure.crude,
                    "crude_low": figure.crude_low,
                    "crude_high": figure.crude_high,
                    "standardised": figure.standardised,
                    "standardised_low": figure.standardised_low,
                    "standardised_high": figure.standardised_high,
                    "suppressed": figure.suppressed,
                    "leading_rank": rank.get(line.code) if latest else None,
                    "interventions": steps if latest and line.code in rank else None,
                }
            )
    return rows
