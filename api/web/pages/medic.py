"""Medics: find an officer by badge number, register one, open a record, enter one checkup."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.reports.http import pdf_response
from api.reports.officer_pdf import report_pdf
from api.web import record_view
from api.web.deps import PageCtx, WebRuntime
from api.web.i18n import Formats
from api.web.render import FormInvalid, WebRoute, gettext, lang_code, language_of, page
from health.catalog import load_catalog
from health.errors import HealthError, Invalid
from health.followup.worklist import Filters
from health.services import (
    access,
    annual_report,
    checkups,
    emergency_badge,
    officers,
    record,
    units,
    worklists,
)
from health.services.checkups import InvalidCheckup
from health.services.context import MEDIC, Ctx
from health.vocabulary import Action

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# The items of the one-checkup form, in the order a checkup sheet lists them.
ENTRY_FIELDS = (
    "height", "weight", "waist", "sbp", "dbp", "pulse", "glu", "hba1c", "tc", "tg", "hdl",
    "ldl", "ua", "creat", "alt", "ast", "ggt",
)  # fmt: skip


@dataclass(frozen=True)
class UnitOption:
    """A unit as a form shows it (plain values: a refused form is re-shown after rollback)."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    path: str


def unit_options(ctx: Ctx) -> list[UnitOption]:
    found = units.list_units(ctx)
    return [
        UnitOption(u.id, u.code, u.name, u.kind, u.path)
        for u in sorted(found, key=lambda u: u.path)
    ]


def my_units(ctx: Ctx) -> list[UnitOption]:
    """Units the medic serves (their subtrees), for choosing where to register."""
    paths = ctx.actor.unit_paths
    return [u for u in unit_options(ctx) if any(u.path.startswith(p) for p in paths)]


def _officers_page(
    request: Request, ctx: Ctx, values: dict[str, Any] | None = None, status: int = 200
) -> Response:
    access.require(ctx, Action.OFFICER_LOOKUP)
    base = {"units": my_units(ctx), "find": {}, "new": {}, "emergency": {}}
    return page(request, "officers.html", {**base, **(values or {})}, status=status)


@router.get("/officers")
def officers_home(request: Request, ctx: PageCtx) -> Response:
    return _officers_page(request, ctx)


@router.post("/officers/find")
def find_officer(
    request: Request, ctx: PageCtx, badge_number: Annotated[str, Form()] = ""
) -> Response:
    """By badge number in the form body, never in the address."""
    access.require(ctx, Action.OFFICER_LOOKUP)
    try:
        found = officers.lookup_badge(ctx, badge_number.strip())
    except HealthError as exc:
        raise FormInvalid(
            exc,
            "officers.html",
            {
                "units": my_units(ctx),
                "find": {"badge_number": badge_number},
                "new": {},
                "emergency": {},
            },
        ) from None
    return RedirectResponse(f"/officers/{found.id}", status_code=303)


@router.post("/officers")
def register_officer(
    request: Request,
    ctx: PageCtx,
    unit_id: Annotated[str, Form()] = "",
    badge_number: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
    sex: Annotated[str, Form()] = "",
) -> Response:
    access.require(ctx, Action.OFFICER_CREATE)
    typed = {
        "unit_id": unit_id,
        "badge_number": badge_number,
        "name": name,
        "birth_date": birth_date,
        "sex": sex,
    }
    try:
        born = _date(birth_date)
        new = officers.register(
            ctx,
            officers.OfficerIn(_uuid(unit_id), badge_number.strip(), name.strip(), born, sex),
        )
    except HealthError as exc:
        raise FormInvalid(
            exc,
            "officers.html",
            {"units": my_units(ctx), "find": {}, "new": typed, "emergency": {}},
        ) from None
    return RedirectResponse(f"/officers/{new.id}", status_code=303)


@router.post("/officers/emergency")
def emergency_access(
    request: Request,
    ctx: PageCtx,
    rt: WebRuntime,
    badge_number: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    minutes: Annotated[str, Form()] = "60",
) -> Response:
    """Break the glass: a reasoned, time-boxed, audited grant the officer will see."""
    access.require(ctx, Action.EMERGENCY_GRANT)
    typed = {"badge_number": badge_number, "reason": reason, "minutes": minutes}
    try:
        grant = emergency_badge.grant_by_badge(
            ctx,
            badge_number,
            reason,
            _minutes(minutes),
            max_minutes=rt.settings.emergency_max_minutes,
        )
    except HealthError as exc:
        raise FormInvalid(
            exc,
            "officers.html",
            {"units": my_units(ctx), "find": {}, "new": {}, "emergency": typed},
        ) from None
    return RedirectResponse(f"/officers/{grant.officer_id}", status_code=303)


def _minutes(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise Invalid("not a number", code="bad_duration") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("not a date", code="bad_date") from None


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise Invalid("choose a unit", code="unit_not_found") from None


@router.get("/officers/{officer_id}/report.pdf")
def officer_report_pdf(request: Request, officer_id: uuid.UUID, ctx: PageCtx) -> Response:
    """The officer's annual report for a medic serving them, in the page's language."""
    lang = lang_code(request)
    found = annual_report.annual_report(ctx, officer_id, lang)
    return pdf_response(report_pdf(found), lang, f"health-report-{lang}.pdf")


@router.get("/officers/{officer_id}")
def officer_record(request: Request, officer_id: uuid.UUID, ctx: PageCtx) -> Response:
    """The record as a medic sees it: findings with their provenance and clinical advice."""
    fmt = Formats(language_of(request))
    lang = record_view.lang_of(fmt)
    person = officers.get(ctx, officer_id)
    latest = record.officer_record(ctx, officer_id, lang)
    trends = record.trends(ctx, officer_id, record_view.TREND_CODES, lang)
    tasks = (
        worklists.worklist(ctx, Filters(officer_id=officer_id), page_size=worklists.MAX_PAGE).items
        if ctx.actor.role == MEDIC
        else []
    )
    return page(
        request,
        "officer.html",
        {
            "person": person,
            "record": latest,
            "charts": record_view.trend_charts(trends, fmt, gettext(request)),
            "tasks": tasks,
        },
    )


def _entry_fields(fmt: Formats) -> list[dict[str, Any]]:
    cat = load_catalog()
    out = []
    for code in ENTRY_FIELDS:
        analyte = cat.get(code)
        out.append(
            {
                "code": code,
                "name": analyte.name_zh if fmt.is_zh else analyte.name_en,
                "unit": analyte.unit,
                "units": [u.unit for u in analyte.units] or [analyte.unit or ""],
                "bounds": analyte.bounds,
            }
        )
    return out


def _entry_page(request: Request, ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    fmt = Formats(language_of(request))
    return {"fields": _entry_fields(fmt), "typed": {}, "field_errors": {}, **values}


@router.get("/checkups/new")
def checkup_form(request: Request, ctx: PageCtx) -> Response:
    access.require(ctx, Action.CHECKUP_CREATE)
    return page(request, "checkup_new.html", _entry_page(request, ctx, {}))


@router.post("/checkups/new")
async def checkup_submit(request: Request, ctx: PageCtx) -> Response:
    access.require(ctx, Action.CHECKUP_CREATE)
    form = await request.form()
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    return await _store_checkup(request, ctx, typed)


async def _store_checkup(request: Request, ctx: Ctx, typed: dict[str, str]) -> Response:
    return await run_in_threadpool(_store_checkup_sync, request, ctx, typed)


def _store_checkup_sync(request: Request, ctx: Ctx, typed: dict[str, str]) -> Response:
    results: dict[str, Any] = {}
    for code in ENTRY_FIELDS:
        text = typed.get(code, "").strip()
        if text:
            unit = typed.get(f"{code}__unit") or None
            results[code] = {"value": text, "unit": unit} if unit else text
    try:
        exam = _date(typed.get("exam_date", ""))
        badge = typed.get("badge_number", "").strip()
        if not badge:
            raise Invalid("badge number is empty", code="bad_badge")
        if not results:
            raise Invalid("no results", code="no_results")
        officer = officers.lookup_badge(ctx, badge)
        checkups.submit(ctx, officer.id, exam, results)
    except InvalidCheckup as exc:
        field_errors = {_code_of(e.field): str(e.reason_code) for e in exc.errors}
        raise FormInvalid(
            exc,
            "checkup_new.html",
            _entry_page(request, ctx, {"typed": typed, "field_errors": field_errors}),
        ) from None
    except HealthError as exc:
        raise FormInvalid(
            exc, "checkup_new.html", _entry_page(request, ctx, {"typed": typed})
        ) from None
    return RedirectResponse(f"/officers/{officer.id}?stored=1", status_code=303)


def _code_of(header: str) -> str:
    return header.split(" (")[0].strip()
