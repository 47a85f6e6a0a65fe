"""Worklists (medic: mine and my units' queue; manager: subtree without clinical detail), one
task with its lifecycle moves, assignment, and the CSV export of the filtered list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.schemas import LAST_PAGE
from api.web.deps import PageCtx
from api.web.messages import error_text
from api.web.render import WebRoute, gettext, lang_code, page, recover
from health.errors import HealthError, Invalid
from health.followup.lifecycle import ACTIONS, OUTCOMES, STATUSES, TASK_TYPES
from health.followup.worklist import Filters
from health.services import access, task_work, units, worklists
from health.services.context import MANAGER, Ctx
from health.vocabulary import OPEN_STATUSES, Action

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PAGE_SIZE = 50
SORTS = ("due", "-due", "priority", "-priority", "created_at", "status", "type")


def _filters(
    type: str | None, status: str | None, overdue: str | None, due_to: str | None
) -> Filters:
    until = None
    if due_to:
        try:
            until = datetime.combine(datetime.fromisoformat(due_to).date(), time.max, UTC)
        except ValueError:
            raise Invalid("bad date", code="bad_date") from None
    return Filters(
        types=(type,) if type in TASK_TYPES else (),
        statuses=(status,) if status in STATUSES else (),
        overdue=True if overdue == "1" else None,
        due_to=until,
    )


def _unit_names(ctx: Ctx) -> dict[uuid.UUID, str]:
    return {u.id: u.name for u in units.list_units(ctx)}


@router.get("/tasks")
def worklist(
    request: Request,
    ctx: PageCtx,
    type: str | None = None,
    status: str | None = None,
    overdue: str | None = None,
    due_to: str | None = None,
    view: Literal["all", "mine", "queue"] = "all",
    sort: str = "due",
    page_no: Annotated[int, Query(alias="page", ge=1, le=LAST_PAGE)] = 1,
) -> Response:
    """Filters and sort in the address (no personal data there), paged in the database."""
    found = worklists.worklist(
        ctx,
        _filters(type, status, overdue, due_to),
        view_name=view,
        sort=sort if sort in SORTS else "due",
        page=page_no,
        page_size=PAGE_SIZE,
    )
    query = {
        "type": type or "",
        "status": status or "",
        "overdue": overdue or "",
        "due_to": due_to or "",
        "view": view,
        "sort": sort,
    }
    return page(
        request,
        "tasks.html",
        {
            "page": found,
            "query": query,
            "query_string": urlencode({k: v for k, v in query.items() if v}),
            "manager": ctx.actor.role == MANAGER,
            "unit_names": _unit_names(ctx),
            "types": TASK_TYPES,
            "statuses": STATUSES,
            "sorts": SORTS,
            "pages": max(1, -(-found.total // PAGE_SIZE)),
        },
    )


@router.get("/tasks/export.csv")
def export(
    ctx: PageCtx,
    type: str | None = None,
    status: str | None = None,
    overdue: str | None = None,
    due_to: str | None = None,
    view: Literal["all", "mine", "queue"] = "all",
    sort: str = "due",
) -> Response:
    body = worklists.export_csv(
        ctx,
        _filters(type, status, overdue, due_to),
        view_name=view,
        sort=sort if sort in SORTS else "due",
    )
    return Response(
        "\ufeff" + body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tasks.csv"'},
    )


def _task_values(ctx: Ctx, task_id: uuid.UUID) -> dict[str, Any]:
    found = task_work.read(ctx, task_id)
    return {
        "task": found,
        "task_open": found.status in OPEN_STATUSES,
        "manager": ctx.actor.role == MANAGER,
        "unit_names": _unit_names(ctx),
        "actions": ACTIONS,
        "outcomes": OUTCOMES,
        "typed": {},
    }


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: uuid.UUID, ctx: PageCtx) -> Response:
    return page(request, "task.html", _task_values(ctx, task_id))


@router.post("/tasks/{task_id}/move")
def move(
    request: Request,
    task_id: uuid.UUID,
    ctx: PageCtx,
    version: Annotated[int, Form()],
    action: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    why: Annotated[str, Form()] = "",
    new_due: Annotated[str, Form()] = "",
) -> Response:
    """One lifecycle move under the version the medic saw (a stale page is refused, 412)."""
    access.require(ctx, Action.TASK_TRANSITION)
    typed = {"action": action, "outcome": outcome, "why": why, "new_due": new_due}
    try:
        due = _due(new_due)
        task_work.move(
            ctx,
            task_id,
            task_work.Move(action, outcome or None, why.strip() or None, due),
            if_match=version,
        )
    except HealthError as exc:
        recover(ctx)
        values = {**_task_values(ctx, task_id), "typed": typed}
        values["error"] = error_text(gettext(request), exc, lang_code(request))
        return page(request, "task.html", values, status=exc.status)
    return RedirectResponse(f"/tasks/{task_id}?moved={action}", status_code=303)


def _due(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(datetime.fromisoformat(text).date(), time(12), UTC)
    except ValueError:
        raise Invalid("bad date", code="bad_date") from None


@router.post("/tasks/{task_id}/assign")
def assign(
    task_id: uuid.UUID,
    ctx: PageCtx,
    to: Annotated[Literal["me", "queue"], Form()] = "me",
) -> Response:
    worklists.assign(ctx, [task_id], ctx.actor.user_id if to == "me" else None)
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
