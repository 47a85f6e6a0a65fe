"""The officer's own pages: the record on one page, and who accessed it and why."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.reports.http import pdf_response
from api.reports.officer_pdf import report_pdf
from api.web import record_view
from api.web.deps import PageCtx
from api.web.i18n import Formats
from api.web.render import WebRoute, gettext, lang_code, language_of, page
from health.services import annual_report, me, record, task_work
from health.vocabulary import TaskStatus

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CLOSED = (TaskStatus.COMPLETED, TaskStatus.CANCELLED, TaskStatus.FAILED)


@router.get("/me")
def my_record(request: Request, ctx: PageCtx) -> Response:
    """Latest checkup at a glance (each result against its range), findings grouped by
    problem with advice, follow-up, and trends over the years."""
    fmt = Formats(language_of(request))
    lang = record_view.lang_of(fmt)
    officer_id = me.my_officer_id(ctx)
    latest = record.officer_record(ctx, officer_id, lang)
    trends = record.trends(ctx, officer_id, record_view.TREND_CODES, lang)
    tasks = task_work.mine(ctx)
    return page(
        request,
        "me.html",
        {
            "record": latest,
            "charts": record_view.trend_charts(trends, fmt, gettext(request)),
            "open_tasks": [t for t in tasks if t.status not in CLOSED],
            "closed_tasks": [t for t in tasks if t.status in CLOSED],
        },
    )


@router.get("/me/access")
def my_access_log(request: Request, ctx: PageCtx) -> Response:
    return page(request, "me_access.html", {"entries": me.access_log(ctx)})


@router.get("/me/report.pdf")
def my_report_pdf(request: Request, ctx: PageCtx) -> Response:
    """My annual health report to keep, in the page's language (as /api/v1/me/report.pdf)."""
    lang = lang_code(request)
    found = annual_report.annual_report(ctx, me.my_officer_id(ctx), lang)
    return pdf_response(report_pdf(found), lang, f"health-report-{lang}.pdf")
