"""The officer's annual health report: who it is for, the latest checkup by section, trends over
every year and the problems with advice and follow-up, gathered for printing.

Built only on the record use cases (``record.officer_record``, ``record.trends``) and the
officer's own identity (``officers.get``), so the same access check and audit apply to a PDF as
to the JSON record; the report adds one audit event naming the document produced.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from health.clock import utcnow
from health.i18n import Lang
from health.services import access, audit, officers, record
from health.services.context import Ctx
from health.services.record import OfficerRecord, Trend

# The measures charted in the report: blood pressure, body size, glucose, lipids, urate, kidney
# and liver function, the key measures of an annual occupational checkup.
REPORT_TREND_ANALYTES = (
    "sbp",
    "dbp",
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
)


@dataclass(frozen=True)
class ReportSubject:
    """The officer as printed on their own report (never another officer's)."""

    name: str
    badge_number: str
    sex: str
    birth_date: date


@dataclass(frozen=True)
class AnnualReport:
    officer_id: uuid.UUID
    lang: Lang
    generated_on: date
    subject: ReportSubject
    record: OfficerRecord
    trends: list[Trend]


def annual_report(ctx: Ctx, officer_id: uuid.UUID, lang: Lang) -> AnnualReport:
    """Everything the printed report shows for one officer, read under the record's access
    rules; the officer themself or a medic serving their unit."""
    officer = access.officer_in_scope(ctx, officer_id, action="report.officer")
    view = officers.get(ctx, officer_id)
    latest = record.officer_record(ctx, officer_id, lang)
    series = [t for t in record.trends(ctx, officer_id, REPORT_TREND_ANALYTES, lang) if t.points]
    audit.record(
        ctx,
        "report.officer",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=f"lang={lang};checkup={latest.checkup_id}",
        purpose=access.purpose_of(ctx, officer, "care"),
    )
    return AnnualReport(
        officer_id=officer_id,
        lang=lang,
        generated_on=utcnow().date(),
        subject=ReportSubject(view.name, view.badge_number, view.sex, view.birth_date),
        record=latest,
        trends=series,
    )
