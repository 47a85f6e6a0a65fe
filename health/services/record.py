"""The officer's record in plain language: the latest checkup as report sections, trends across
checkups, and findings grouped by problem with what happens next.

Use cases for the JSON API, the web pages and the PDF report alike. Each call checks that the
caller may see the officer (the officer themself, or a medic serving the unit), opens what it
needs and writes one audit event.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from health.ages import completed_years
from health.catalog import load_catalog
from health.catalog.catalog import Catalog
from health.errors import Invalid
from health.i18n import Lang
from health.i18n.display import printed_unit
from health.screening.finding import Demographics
from health.screening.results import GradedCheckup, grade_checkups
from health.screening.ruleset import Ruleset
from health.services import access, audit, risk_scoring, rulesets
from health.services.context import Ctx
from health.services.officers import personal_slot
from health.services.problem_views import ProblemView, problem_views
from health.services.record_lines import ResultLine, Section, result_line, sections
from health.services.screening_documents import StoredScreening, current_screenings
from health.services.sealed import open_document
from models.repositories import checkups as checkups_repo
from models.tables import Checkup

DEFAULT_TREND_ANALYTES = (
    "sbp",
    "dbp",
    "weight",
    "bmi",
    "waist",
    "glu",
    "hba1c",
    "tc",
    "ldl",
    "hdl",
    "tg",
    "ua",
    "egfr",
    "alt",
    "ast",
)


@dataclass(frozen=True)
class OfficerRecord:
    """The latest checkup as sections, its derived values, and its problems (empty when the
    officer has no checkup yet)."""

    officer_id: uuid.UUID
    lang: Lang
    checkup_id: uuid.UUID | None
    exam_date: date | None
    age: int | None
    previous_exam_date: date | None
    ruleset_version: str | None
    sections: list[Section]
    derived: list[ResultLine]
    problems: list[ProblemView]
    risk: dict[str, Any] | None = None


@dataclass(frozen=True)
class TrendPoint:
    checkup_id: uuid.UUID
    exam_date: date
    value: float
    display: str
    flag: str | None
    reference_low: float | None
    reference_high: float | None


@dataclass(frozen=True)
class Trend:
    code: str
    name: str
    unit: str
    points: list[TrendPoint]


@dataclass(frozen=True)
class Opened:
    """An officer's current checkups (oldest first), demographics and stored screenings."""

    officer_id: uuid.UUID
    sex: str
    birth_date: date
    checkups: list[Checkup]
    documents: dict[uuid.UUID, dict[str, Any]]
    screenings: dict[uuid.UUID, StoredScreening]

    def demographics(self, checkup: Checkup) -> Demographics:
        sex: Literal["M", "F"] = "F" if self.sex == "F" else "M"
        return Demographics(sex, float(completed_years(self.birth_date, checkup.exam_date)))


def open_officer(ctx: Ctx, officer_id: uuid.UUID, action: str) -> tuple[Opened, str]:
    officer = access.officer_in_scope(ctx, officer_id, action=action)
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    assert officer.personal is not None
    personal = json.loads(sealer.open(officer.personal, personal_slot(officer_id)))
    rows = [c for c in checkups_repo.of_officer(ctx.session, officer_id) if c.status == "current"]
    rows.sort(key=lambda c: c.exam_date)
    documents = {c.id: open_document(c.id, c.results, sealer) for c in rows}
    opened = Opened(
        officer_id,
        str(personal["sex"]),
        date.fromisoformat(personal["birth_date"]),
        rows,
        documents,
        current_screenings(ctx.session, officer_id, sealer),
    )
    return opened, access.purpose_of(ctx, officer, "care")


def _results(document: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = dict(document.get("results", {}))
    for modality, found in document.get("findings", {}).items():
        row[modality] = list(found.get("codes", []))
    return row


def _ruleset(ctx: Ctx, opened: Opened, checkup: Checkup) -> Ruleset:
    stored = opened.screenings.get(checkup.id)
    if stored is None:
        return rulesets.active_ruleset(ctx)
    return rulesets.ruleset_by_version(ctx, stored.ruleset_version)


def graded_checkups(
    ctx: Ctx, opened: Opened, checkups: Sequence[Checkup]
) -> dict[uuid.UUID, tuple[Ruleset, GradedCheckup]]:
    """Grade checkups in one pass per ruleset version (usually one for all of them)."""
    return graded_across(ctx, [(opened, c) for c in checkups])


def graded_across(
    ctx: Ctx, pairs: Sequence[tuple[Opened, Checkup]]
) -> dict[uuid.UUID, tuple[Ruleset, GradedCheckup]]:
    """Checkups of many officers graded in one pass per ruleset version: the export grades a
    chunk of officers at once instead of a frame per officer."""
    by_version: dict[str, tuple[Ruleset, list[tuple[Opened, Checkup]]]] = {}
    for opened, checkup in pairs:
        ruleset = _ruleset(ctx, opened, checkup)
        by_version.setdefault(ruleset.version, (ruleset, []))[1].append((opened, checkup))
    out = {}
    for ruleset, group in by_version.values():
        items = [(_results(o.documents[c.id]), o.demographics(c)) for o, c in group]
        for (_, checkup), graded in zip(group, grade_checkups(items, ruleset), strict=True):
            out[checkup.id] = (ruleset, graded)
    return out


def _audit(ctx: Ctx, action: str, officer_id: uuid.UUID, purpose: str, detail: str) -> None:
    audit.record(
        ctx,
        action,
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=detail,
        purpose=purpose,
    )


def officer_record(ctx: Ctx, officer_id: uuid.UUID, lang: Lang) -> OfficerRecord:
    """The latest checkup as sections, with derived values, change since the previous checkup
    and the findings grouped by problem."""
    opened, purpose = open_officer(ctx, officer_id, "record.read")
    if not opened.checkups:
        _audit(ctx, "record.read", officer_id, purpose, "checkups=0")
        return OfficerRecord(officer_id, lang, None, None, None, None, None, [], [], [])
    latest = opened.checkups[-1]
    catalog = load_catalog()
    prior = opened.checkups[-2] if len(opened.checkups) > 1 else None
    graded_all = graded_checkups(ctx, opened, [latest] if prior is None else [prior, latest])
    ruleset, graded = graded_all[latest.id]
    previous = None if prior is None else (prior.exam_date, graded_all[prior.id][1])
    parts = sections(catalog, ruleset, graded, lang, previous)
    derived = [line for part in parts for line in part.results if line.derived]
    problems = _problems(ctx, opened, latest, lang, catalog)
    _audit(ctx, "record.read", officer_id, purpose, f"checkups={len(opened.checkups)}")
    return OfficerRecord(
        officer_id=officer_id,
        lang=lang,
        checkup_id=latest.id,
        exam_date=latest.exam_date,
        age=completed_years(opened.birth_date, latest.exam_date),
        previous_exam_date=previous[0] if previous else None,
        ruleset_version=ruleset.version,
        sections=parts,
        derived=derived,
        problems=problems,
        risk=risk_scoring.for_checkup(ctx, officer_id, latest.id, language=lang),
    )


def _problems(
    ctx: Ctx, opened: Opened, checkup: Checkup, lang: Lang, catalog: Catalog
) -> list[ProblemView]:
    stored = opened.screenings.get(checkup.id)
    if stored is None:
        return []
    ruleset = rulesets.ruleset_by_version(ctx, stored.ruleset_version)
    return problem_views(ctx, opened.officer_id, checkup.id, stored, ruleset, catalog, lang)


def grouped_findings(ctx: Ctx, officer_id: uuid.UUID, lang: Lang) -> list[ProblemView]:
    """The latest checkup's findings, one entry per problem, with advice and next steps."""
    opened, purpose = open_officer(ctx, officer_id, "finding.read")
    problems: list[ProblemView] = []
    if opened.checkups:
        problems = _problems(ctx, opened, opened.checkups[-1], lang, load_catalog())
    _audit(ctx, "finding.read", officer_id, purpose, f"problems={len(problems)}")
    return problems


def trends(
    ctx: Ctx, officer_id: uuid.UUID, analytes: Sequence[str] | None, lang: Lang
) -> list[Trend]:
    """One series per analyte across every checkup (canonical units, flags, intervals)."""
    catalog = load_catalog()
    wanted = list(analytes) if analytes else list(DEFAULT_TREND_ANALYTES)
    unknown = [code for code in wanted if code not in catalog]
    if unknown:
        raise Invalid(f"unknown analyte codes: {', '.join(unknown)}", code="bad_analytes")
    opened, purpose = open_officer(ctx, officer_id, "record.trends")
    series: dict[str, list[TrendPoint]] = {code: [] for code in wanted}
    graded_all = graded_checkups(ctx, opened, opened.checkups)
    for checkup in opened.checkups:
        ruleset, graded = graded_all[checkup.id]
        for code in wanted:
            if code not in graded.values:
                continue
            line = result_line(catalog, ruleset, graded, code, lang, None)
            assert line.value is not None
            series[code].append(
                TrendPoint(
                    checkup.id,
                    checkup.exam_date,
                    line.value,
                    line.display,
                    line.flag,
                    line.reference_low,
                    line.reference_high,
                )
            )
    _audit(ctx, "record.trends", officer_id, purpose, f"checkups={len(opened.checkups)}")
    out = []
    for code in wanted:
        analyte = catalog.get(code)
        out.append(
            Trend(
                code,
                analyte.name_zh if lang == "zh" else analyte.name_en,
                printed_unit(analyte.unit, lang),
                series[code],
            )
        )
    return out
