"""The officer's own pages: the record on one page, and who accessed it and why."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.web import record_view
from api.web.deps import PageCtx
from api.web.i18n import Formats
from api.web.render import WebRoute, gettext, language_of, page
from health.services import me, task_work

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/me")
def my_record(request: Request, ctx: PageCtx) -> Response:
    """Latest checkup at a glance, trends, findings with advice, open tasks."""
    fmt = Formats(language_of(request))
    person = me.record(ctx)
    checkups = me.my_checkups(ctx)
    findings = me.my_findings(ctx)
    tasks = task_work.mine(ctx)
    latest, results = record_view.latest_results(checkups, findings, fmt)
    return page(
        request,
        "me.html",
        {
            "person": person,
            "latest": latest,
            "results": results,
            "trends": record_view.trends(checkups, fmt, gettext(request)),
            "findings": record_view.finding_rows(findings, fmt, latest_only=True),
            "open_tasks": [
                t for t in tasks if t.status not in ("completed", "cancelled", "failed")
            ],
            "closed_tasks": [t for t in tasks if t.status in ("completed", "cancelled", "failed")],
        },
    )


@router.get("/me/access")
def my_access_log(request: Request, ctx: PageCtx) -> Response:
    return page(request, "me_access.html", {"entries": me.access_log(ctx)})
