"""Printed reports: the officer's annual health report as PDF, in Chinese or English.

``/me/report.pdf`` for the officer (id from the token), ``/officers/{id}/report.pdf`` for a
medic serving the officer's unit, ``/sessions/{id}/reports.pdf`` for every officer who attended
a checkup session, as one file. The language is ``?lang=`` when given, else Accept-Language.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from api.deps import CtxDep
from api.i18n import LangDep
from api.problems import PROBLEM_RESPONSES
from api.reports.http import PDF_RESPONSE, LangQuery, pdf_response
from api.reports.officer_pdf import batch_pdf, report_pdf
from api.routing import TransactionRoute
from health.i18n import Lang
from health.services import annual_report, me, session_reports

router = APIRouter(
    prefix="/api/v1",
    tags=["reports"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


def _pdf(ctx: CtxDep, officer_id: uuid.UUID, chosen: Lang) -> Response:
    report = annual_report.annual_report(ctx, officer_id, chosen)
    return pdf_response(report_pdf(report), chosen, f"health-report-{chosen}.pdf")


@router.get("/me/report.pdf", response_class=Response, responses=PDF_RESPONSE)
def my_report(ctx: CtxDep, accept: LangDep, lang: LangQuery = None) -> Response:
    """My annual health report: results by section, change since last year, trend charts,
    findings with advice and the follow-up planned."""
    return _pdf(ctx, me.my_officer_id(ctx), lang or accept)


@router.get("/officers/{officer_id}/report.pdf", response_class=Response, responses=PDF_RESPONSE)
def officer_report(
    officer_id: uuid.UUID, ctx: CtxDep, accept: LangDep, lang: LangQuery = None
) -> Response:
    """An officer's annual health report, for a medic serving their unit."""
    return _pdf(ctx, officer_id, lang or accept)


@router.get(
    "/sessions/{session_id}/reports.pdf",
    response_class=Response,
    responses=PDF_RESPONSE,
)
def session_batch(
    session_id: uuid.UUID, ctx: CtxDep, accept: LangDep, lang: LangQuery = None
) -> Response:
    """The annual reports of every officer who attended a checkup session, as one PDF (each
    report starts on a new page), for a medic serving the session's unit."""
    chosen = lang or accept
    reports = session_reports.session_reports(ctx, session_id, chosen)
    return pdf_response(batch_pdf(reports), chosen, f"session-reports-{chosen}.pdf")
