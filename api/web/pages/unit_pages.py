"""Units: the tree in the caller's scope, a unit's figures as charts (managers), the annual
recall list (counts for managers, officers for medics) and the week's home-visit rounds."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.reports.analysis_pdf import analysis_pdf
from api.reports.http import pdf_response
from api.web import charts
from api.web.deps import PageCtx
from api.web.i18n import Formats
from api.web.messages import N_, Labels
from api.web.render import WebRoute, gettext, lang_code, language_of, page
from health.services import analysis_summary, unit_reports, units
from health.services.context import ADMIN, AUDITOR, MANAGER, MEDIC, Ctx

router = APIRouter(route_class=WebRoute, include_in_schema=False)

RATES = ("coverage", "completion_rate", "on_time_rate")
COUNTS = ("officers", "checked", "tasks_due", "completed", "on_time", "overdue")


def _in_scope(ctx: Ctx) -> list[Any]:
    found = units.list_units(ctx)
    if ctx.actor.role in (ADMIN, AUDITOR):
        return list(found)
    paths = ctx.actor.unit_paths
    return [u for u in found if any(u.path.startswith(p) for p in paths)]


@router.get("/units")
def unit_list(request: Request, ctx: PageCtx) -> Response:
    rows = sorted(_in_scope(ctx), key=lambda u: u.path)
    depth = {u.id: u.path.count("/") for u in rows}
    base = min(depth.values(), default=0)
    return page(
        request,
        "units.html",
        {
            "units": [(u, depth[u.id] - base) for u in rows],
            "manager": ctx.actor.role == MANAGER,
            "medic": ctx.actor.role == MEDIC,
        },
    )


@router.get("/units/{unit_id}/analysis.pdf")
def analysis_report(
    request: Request,
    unit_id: uuid.UUID,
    ctx: PageCtx,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The unit's annual health analysis as PDF, in the page's language (aggregates only)."""
    lang = lang_code(request)
    found = analysis_summary.summary(ctx, unit_id, year or ctx.clock().year, lang)
    return pdf_response(analysis_pdf(found), lang, f"analysis-{found.year}-{lang}.pdf")


@router.get("/units/{unit_id}/figures")
def figures(
    request: Request,
    unit_id: uuid.UUID,
    ctx: PageCtx,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """This year against last, for the unit and its subtree; suppressed cells say so."""
    fmt = Formats(language_of(request))
    _ = t = gettext(request)
    chosen = year or ctx.clock().year
    found = unit_reports.metrics(ctx, unit_id, chosen)
    names = {u.id: u.name for u in units.list_units(ctx)}
    mine = [r for r in found.units if str(r["unit_id"]) == str(unit_id)]
    by_scope = {r["scope"]: r for r in mine}
    subtree = by_scope.get("subtree", {})
    rate_chart = charts.bar_chart(
        _("Rates, this year and last"),
        [
            charts.Bar(t(label), subtree.get(key), subtree.get(f"{key}_previous"))
            for key, label in (
                ("coverage", N_("Checkup coverage")),
                ("completion_rate", N_("Follow-up completed")),
                ("on_time_rate", N_("Completed on time")),
            )
        ],
        current_label=str(chosen),
        previous_label=str(chosen - 1),
        number=fmt.percent,
        suppressed=_("no data"),
        maximum=1.0,
    )
    findings = [
        r for r in found.findings if str(r["unit_id"]) == str(unit_id) and r["scope"] == "subtree"
    ]
    finding_chart = charts.bar_chart(
        _("Officers with findings, by area"),
        [
            charts.Bar(Labels(t).family(r["category"]), r.get("count"), r.get("count_previous"))
            for r in findings
        ],
        current_label=str(chosen),
        previous_label=str(chosen - 1),
        number=lambda v: fmt.number(v, 0),
        suppressed=_("suppressed"),
    )
    return page(
        request,
        "figures.html",
        {
            "unit_name": names.get(unit_id, ""),
            "unit_id": unit_id,
            "year": chosen,
            "found": found,
            "scopes": by_scope,
            "rates": RATES,
            "counts": COUNTS,
            "rate_chart": rate_chart,
            "finding_chart": finding_chart if findings else "",
            "findings": findings,
        },
    )


@router.get("/units/{unit_id}/recall")
def recall(
    request: Request,
    unit_id: uuid.UUID,
    ctx: PageCtx,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    today = ctx.clock().date()
    chosen = year or today.year
    lists = unit_reports.recall(ctx, unit_id, chosen, today)
    names = {u.id: u.name for u in units.list_units(ctx)}
    return page(
        request,
        "recall.html",
        {
            "lists": lists,
            "names": names,
            "year": chosen,
            "unit_name": names.get(unit_id, ""),
            "medic": ctx.actor.role == MEDIC,
        },
    )


@router.get("/units/{unit_id}/rounds")
def rounds(request: Request, unit_id: uuid.UUID, ctx: PageCtx) -> Response:
    planned = unit_reports.rounds(ctx, unit_id, today=ctx.clock().date())
    names = {u.id: u.name for u in units.list_units(ctx)}
    return page(
        request,
        "rounds.html",
        {"rounds": planned, "names": names, "unit_name": names.get(unit_id, "")},
    )
