"""An officer's record shaped for a page: trend charts from the record service's series.

The record service (``health.services.record``) already gives each result in the reader's
language with its interval and flag, and the findings grouped by problem; this module only
groups the series into charts (one unit per chart) and draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from api.web import charts
from api.web.i18n import Formats
from api.web.messages import N_
from health.i18n import Lang
from health.services.record import Trend

# The key measures of the issue, grouped so that one chart holds values of one unit.
TRENDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Blood pressure"), ("sbp", "dbp")),
    (N_("Weight"), ("weight",)),
    (N_("Body mass index"), ("bmi",)),
    (N_("Waist"), ("waist",)),
    (N_("Fasting glucose"), ("glu",)),
    (N_("HbA1c"), ("hba1c",)),
    (N_("Cholesterol and LDL"), ("tc", "ldl", "hdl", "non_hdl")),
    (N_("Triglycerides"), ("tg",)),
    (N_("Uric acid"), ("ua",)),
    (N_("eGFR (kidney function)"), ("egfr",)),
    (N_("Liver enzymes"), ("alt", "ast", "ggt")),
)
TREND_CODES: tuple[str, ...] = tuple(code for _, codes in TRENDS for code in codes)


def lang_of(fmt: Formats) -> Lang:
    return "zh" if fmt.is_zh else "en"


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    svg: str
    rows: list[tuple[str, list[str]]]
    series: list[str]


def _band(trend: Trend) -> charts.Band | None:
    """The reference interval of the latest point, when it has one (single-series charts)."""
    if not trend.points:
        return None
    last = trend.points[-1]
    if last.reference_low is None and last.reference_high is None:
        return None
    return charts.Band(last.reference_low, last.reference_high)


def trend_charts(
    trends: Sequence[Trend], fmt: Formats, gettext: Callable[[str], str]
) -> list[Chart]:
    """One chart per key measure that has values, with its numbers as a table beside it."""
    by_code = {t.code: t for t in trends}
    out = []
    for title_id, codes in TRENDS:
        present = [by_code[c] for c in codes if c in by_code and by_code[c].points]
        if not present:
            continue
        title = gettext(title_id)
        series = [
            charts.Series(t.name, tuple((p.exam_date, p.value) for p in t.points)) for t in present
        ]
        days: list[date] = sorted({p.exam_date for t in present for p in t.points})
        shown = {(t.code, p.exam_date): p.display for t in present for p in t.points}
        table = [(fmt.date(d), [shown.get((t.code, d), "") for t in present]) for d in days]
        svg = charts.line_chart(
            title,
            present[0].unit,
            series,
            band=_band(present[0]) if len(present) == 1 else None,
            number=lambda v: fmt.number(v, 1),
            day=lambda d: str(d.year),
            description=gettext("Values at each checkup; the table below gives the numbers."),
        )
        out.append(Chart(title, present[0].unit, svg, table, [t.name for t in present]))
    return out
