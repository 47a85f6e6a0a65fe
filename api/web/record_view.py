"""An officer's record shaped for a page: latest results with flags, trend charts, findings.

Works on what the services return (checkup views, finding views); it opens nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from api.web import charts
from api.web.i18n import Formats
from api.web.messages import N_
from health.catalog import Catalog, load_catalog
from health.catalog.errors import UnknownAnalyteError
from health.services.checkups import CheckupView
from health.services.screening import FindingView

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
SEVERITY_ORDER = {"critical": 0, "abnormal": 1, "borderline": 2, "normal": 3}


@cache
def catalog() -> Catalog:
    return load_catalog()


def analyte_name(code: str | None, fmt: Formats) -> str:
    if not code:
        return ""
    try:
        analyte = catalog().get(code)
    except UnknownAnalyteError:
        return code
    return analyte.name_zh if fmt.is_zh else analyte.name_en


def analyte_unit(code: str) -> str:
    try:
        unit = catalog().get(code).unit
    except UnknownAnalyteError:
        return ""
    return (unit or "").replace("mm[Hg]", "mmHg").replace("{ordinal}", "")


@dataclass(frozen=True)
class ResultRow:
    code: str
    name: str
    value: str
    unit: str
    severity: str
    interpretation: str
    reference: str


@dataclass(frozen=True)
class Trend:
    title: str
    unit: str
    svg: str
    rows: list[tuple[str, list[str]]]
    series: list[str]


def _value_text(value: Any, fmt: Formats) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return fmt.number(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _reference(finding: dict[str, Any], fmt: Formats) -> str:
    low, high = finding.get("reference_low"), finding.get("reference_high")
    if low is not None and high is not None:
        return f"{fmt.number(low)}–{fmt.number(high)}"
    if high is not None:
        return f"≤ {fmt.number(high)}"
    if low is not None:
        return f"≥ {fmt.number(low)}"
    return ""


def latest_results(
    checkups: Sequence[CheckupView], findings: Sequence[FindingView], fmt: Formats
) -> tuple[CheckupView | None, list[ResultRow]]:
    """The newest checkup, each result with the grade its screening gave (normal if none)."""
    if not checkups:
        return None, []
    latest = max(checkups, key=lambda c: c.exam_date)
    grades: dict[str, dict[str, Any]] = {}
    for view in findings:
        f = view.finding
        if view.checkup_id == latest.id and f.get("kind") == "grade" and f.get("analyte"):
            known = grades.get(f["analyte"])
            if known is None or SEVERITY_ORDER[f["severity"]] < SEVERITY_ORDER[known["severity"]]:
                grades[f["analyte"]] = f
    rows = []
    for code, value in latest.results.items():
        graded = grades.get(code, {})
        rows.append(
            ResultRow(
                code,
                analyte_name(code, fmt),
                _value_text(value, fmt),
                analyte_unit(code),
                graded.get("severity", "normal"),
                graded.get("interpretation", "N"),
                _reference(graded, fmt) if graded else "",
            )
        )
    order = {a.code: i for i, a in enumerate(catalog())}
    rows.sort(key=lambda r: order.get(r.code, len(order)))
    return latest, rows


def trends(
    checkups: Sequence[CheckupView], fmt: Formats, gettext: Callable[[str], str]
) -> list[Trend]:
    """One chart per key measure that has at least one value, with its numbers as a table."""
    out = []
    for title_id, codes in TRENDS:
        series = []
        for code in codes:
            points = tuple(
                (c.exam_date, float(c.results[code]))
                for c in checkups
                if isinstance(c.results.get(code), int | float)
                and not isinstance(c.results.get(code), bool)
            )
            if points:
                series.append(charts.Series(analyte_name(code, fmt), points))
        if not series:
            continue
        title = gettext(title_id)
        unit = analyte_unit(codes[0])
        days = sorted({d for s in series for d, _ in s.points})
        table = [
            (
                fmt.date(d),
                [next((fmt.number(v) for pd, v in s.points if pd == d), "") for s in series],
            )
            for d in days
        ]
        svg = charts.line_chart(
            title,
            unit,
            series,
            number=lambda v: fmt.number(v, 1),
            day=lambda d: str(d.year),
            description=gettext("Values at each checkup; the table below gives the numbers."),
        )
        out.append(Trend(title, unit, svg, table, [s.label for s in series]))
    return out


@dataclass(frozen=True)
class FindingRow:
    exam_date: str
    family: str
    analyte: str
    severity: str
    meaning: str
    advice: str
    clinical: str
    rule_id: str
    ruleset_version: str
    threshold: str
    source: str
    inputs: str


def finding_rows(
    findings: Sequence[FindingView], fmt: Formats, *, latest_only: bool = False
) -> list[FindingRow]:
    """Findings, most severe first; provenance (rule, version, threshold, source) kept."""
    if latest_only and findings:
        newest = max(f.exam_date for f in findings)
        findings = [f for f in findings if f.exam_date == newest]
    rows = []
    for view in sorted(
        findings,
        key=lambda v: (-v.exam_date.toordinal(), SEVERITY_ORDER.get(v.finding["severity"], 9)),
    ):
        f = view.finding
        inputs = ", ".join(
            f"{analyte_name(str(code).removeprefix('prev.'), fmt)}"
            f"{' ←' if str(code).startswith('prev.') else ''} = {_value_text(value, fmt) or '–'}"
            for code, value in f.get("inputs") or []
        )
        rows.append(
            FindingRow(
                fmt.date(view.exam_date),
                f.get("family") or "other",
                analyte_name(f.get("analyte"), fmt),
                f["severity"],
                fmt.pick(view.meaning),
                fmt.pick(view.advice),
                fmt.pick(view.clinical),
                f["rule_id"],
                view.ruleset_version,
                str(f.get("threshold") or ""),
                str(f.get("source") or ""),
                inputs,
            )
        )
    return rows
