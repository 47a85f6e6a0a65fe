"""Printed reports: the officer's annual health report as PDF, in Chinese or English.

``/me/report.pdf`` for the officer (id from the token), ``/officers/{id}/report.pdf`` for a
medic serving the officer's unit. The language is ``?lang=`` when given, else Accept-Language.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.deps import CtxDep
from api.i18n import LangDep
from api.problems import PROBLEM_RESPONSES
from api.reports.officer_pdf import report_pdf
from api.routing import TransactionRoute
from health.i18n import CONTENT_LANGUAGE, Lang
from health.services import annual_report, me

router = APIRouter(
    prefix="/api/v1",
    tags=["reports"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

LangQuery = Annotated[
    Literal["zh", "en"] | None,
    Query(description="Report language (default: from Accept-Language, zh-CN otherwise)"),
]
PDF_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report as an A4 PDF"}
}


def _pdf(ctx: CtxDep, officer_id: uuid.UUID, chosen: Lang) -> Response:
    report = annual_report.annual_report(ctx, officer_id, chosen)
    return Response(
        content=report_pdf(report),
        media_type="application/pdf",
        headers={
            "Content-Language": CONTENT_LANGUAGE[chosen],
            "Content-Disposition": f'inline; filename="health-report-{chosen}.pdf"',
        },
    )


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
