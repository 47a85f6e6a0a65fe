"""Auditors: search the audit trail and verify its chain. Admins: accounts and units.
Neither role sees health data; the pages show ids and codes only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.web.deps import PageCtx, WebRuntime
from api.web.pages.medic import unit_options
from api.web.render import FormInvalid, WebRoute, page
from health.errors import HealthError, Invalid
from health.services import access, accounts, audit_trail, units
from health.services.context import ROLES, Ctx
from health.vocabulary import Action

router = APIRouter(route_class=WebRoute, include_in_schema=False)
AUDIT_PAGE = 100
UNIT_KINDS = units.KINDS


def _uuid_or_none(text: str | None) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise Invalid("not an id", code="bad_value") from None


@router.get("/audit")
def audit_page(
    request: Request,
    ctx: PageCtx,
    officer_id: str | None = None,
    since: str | None = None,
    purpose: str | None = None,
    verify: str | None = None,
    offset: int = 0,
) -> Response:
    """The trail, newest first, filtered by officer id, date or purpose (e.g. emergency)."""
    start = None
    if since:
        try:
            start = datetime.combine(datetime.fromisoformat(since).date(), time.min, UTC)
        except ValueError:
            raise Invalid("bad date", code="bad_date") from None
    events = audit_trail.search(
        ctx,
        officer_id=_uuid_or_none(officer_id),
        since=start,
        purpose=purpose or None,
        limit=AUDIT_PAGE,
        offset=max(offset, 0),
    )
    report = audit_trail.verify(ctx) if verify else None
    return page(
        request,
        "audit.html",
        {
            "events": events,
            "report": report,
            "query": {
                "officer_id": officer_id or "",
                "since": since or "",
                "purpose": purpose or "",
            },
            "offset": max(offset, 0),
            "page_size": AUDIT_PAGE,
        },
    )


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    username: str
    role: str
    disabled: bool


def _users_values(ctx: Ctx, typed: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "users": [
            (UserRow(u.id, u.username, u.role, u.disabled), unit_ids)
            for u, unit_ids in accounts.list_users(ctx)
        ],
        "units": unit_options(ctx),
        "roles": ROLES,
        "typed": typed or {},
    }


@router.get("/admin/users")
def users_page(request: Request, ctx: PageCtx) -> Response:
    return page(request, "admin_users.html", _users_values(ctx))


@router.post("/admin/users")
def create_user(
    ctx: PageCtx,
    rt: WebRuntime,
    username: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    officer_id: Annotated[str, Form()] = "",
    unit_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    access.require(ctx, Action.USER_CREATE)
    chosen = [u for u in unit_ids or [] if u]
    typed = {
        "username": username.strip(),
        "role": role,
        "officer_id": officer_id.strip(),
        "unit_ids": chosen,
    }
    try:
        accounts.create_user(
            ctx,
            rt.auth,
            username=username.strip(),
            role=role,
            password=password,
            unit_ids=[uuid.UUID(u) for u in chosen],
            officer_id=_uuid_or_none(officer_id),
        )
    except (HealthError, ValueError) as exc:
        error = exc if isinstance(exc, HealthError) else Invalid("bad id", code="bad_value")
        raise FormInvalid(error, "admin_users.html", _users_values(ctx, typed)) from None
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/disable")
def disable_user(user_id: uuid.UUID, ctx: PageCtx) -> Response:
    accounts.set_disabled(ctx, user_id, True)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/enable")
def enable_user(user_id: uuid.UUID, ctx: PageCtx) -> Response:
    accounts.set_disabled(ctx, user_id, False)
    return RedirectResponse("/admin/users", status_code=303)


def _units_values(ctx: Ctx, typed: dict[str, Any] | None = None) -> dict[str, Any]:
    found = unit_options(ctx)
    base = min((u.path.count("/") for u in found), default=0)
    return {
        "units": [(u, u.path.count("/") - base) for u in found],
        "kinds": UNIT_KINDS,
        "typed": typed or {},
    }


@router.get("/admin/units")
def units_page(request: Request, ctx: PageCtx) -> Response:
    access.require(ctx, Action.UNIT_MANAGE)
    return page(request, "admin_units.html", _units_values(ctx))


@router.post("/admin/units")
def create_unit(
    ctx: PageCtx,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    access.require(ctx, Action.UNIT_CREATE)
    typed = {"code": code, "name": name, "kind": kind, "parent_id": parent_id}
    try:
        units.create(
            ctx, code=code.strip(), name=name.strip(), kind=kind, parent_id=_uuid_or_none(parent_id)
        )
    except HealthError as exc:
        raise FormInvalid(exc, "admin_units.html", _units_values(ctx, typed)) from None
    return RedirectResponse("/admin/units", status_code=303)
