"""Follow-up tasks: worklists (JSON or CSV), one task with its ETag, transitions under If-Match
with Idempotency-Key replay, bulk assignment, and the officer's own tasks."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BeforeValidator

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import (
    LAST_PAGE,
    AssignIn,
    OwnTaskOut,
    TaskOut,
    TaskPageOut,
    TaskSummaryOut,
    TransitionIn,
)
from health.errors import PreconditionFailed
from health.followup.worklist import Filters
from health.i18n.vocabulary import TASK_STATUS_NAMES, TASK_TYPE_NAMES
from health.services import task_work, worklists

RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    403: {**PROBLEM_RESPONSES[403], "description": "Role may not do this"},
    412: {
        **PROBLEM_RESPONSES[412],
        "description": "The task changed since it was read (stale ETag)",
    },
    422: {
        **PROBLEM_RESPONSES[422],
        "description": "Invalid payload, or Idempotency-Key reused with another body",
    },
    428: {**PROBLEM_RESPONSES[428], "description": "If-Match is required"},
}

router = APIRouter(
    prefix="/api/v1/tasks", tags=["tasks"], route_class=TransactionRoute, responses=RESPONSES
)
me_router = APIRouter(
    prefix="/api/v1/me", tags=["me"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """The version named by If-Match; anything that is not one of our ETags never matches."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise PreconditionFailed("If-Match does not name a version of this task")
    return int(text)


# The worklist orders (repositories.tasks.SORTS); "-" sorts descending.
Sort = Literal[
    "due",
    "-due",
    "priority",
    "-priority",
    "created_at",
    "-created_at",
    "status",
    "-status",
    "type",
    "-type",
    "risk",
    "-risk",
]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ].*)?$")


def _iso_only(value: Any) -> Any:
    """An ISO 8601 date or date-time; pydantic alone would read ``0.5`` as a Unix time."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("use an ISO 8601 date (2026-05-01) or date-time")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


def _task_out(item: task_work.TaskSummary, labels: Any = None) -> TaskOut:
    fields = asdict(item)
    if labels is not None:
        fields.update({k: v for k, v in asdict(labels).items() if v is not None})
    return TaskOut(**fields)


@router.get(
    "",
    response_model=TaskPageOut,
    responses={200: {"content": {"text/csv": {}}}},
)
def list_tasks(
    ctx: CtxDep,
    request: Request,
    type: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    priority: Annotated[list[int] | None, Query()] = None,
    overdue: bool | None = None,
    due_from: IsoDateTime | None = None,
    due_to: IsoDateTime | None = None,
    unit_id: uuid.UUID | None = None,
    risk_tier: Annotated[list[Literal["low", "moderate", "high"]] | None, Query()] = None,
    view: Literal["all", "mine", "queue"] = "all",
    sort: Sort = "due",
    page: Annotated[int, Query(ge=1, le=LAST_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=worklists.MAX_PAGE)] = 50,
    format: Literal["json", "csv"] | None = None,
) -> Any:
    """The caller's worklist: medics (assigned to me, my units' queue), managers (subtree)."""
    filters = Filters(
        types=tuple(type or ()),
        statuses=tuple(status or ()),
        priorities=tuple(priority or ()),
        overdue=overdue,
        due_from=_utc(due_from),
        due_to=_utc(due_to),
        unit_id=unit_id,
        risk_tiers=tuple(risk_tier or ()),
    )
    wants_csv = format == "csv" or (
        format is None and "text/csv" in request.headers.get("accept", "")
    )
    if wants_csv:
        body = worklists.export_csv(ctx, filters, view_name=view, sort=sort)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="tasks.csv"'},
        )
    found = worklists.worklist(
        ctx, filters, view_name=view, sort=sort, page=page, page_size=page_size
    )
    return TaskPageOut(
        items=[
            _task_out(item, found.labels.get(item.id)).model_copy(
                update={"risk_tier": found.risk_tiers.get(item.id)}
            )
            for item in found.items
        ],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
    )


@router.post("/assign")
def assign(body: AssignIn, ctx: CtxDep) -> list[TaskSummaryOut]:
    """Assign tasks to a medic serving their units, or back to the queue (null)."""
    done = worklists.assign(ctx, body.task_ids, body.assignee_user_id)
    return [TaskSummaryOut(**asdict(item)) for item in done]


@router.get("/{task_id}")
def read_task(task_id: uuid.UUID, ctx: CtxDep, response: Response) -> TaskOut:
    """One task with its ETag (send it back as If-Match to change the task)."""
    found = task_work.read(ctx, task_id)
    response.headers["ETag"] = etag(found.version)
    return _task_out(found)


@router.post("/{task_id}/transitions")
def transition(
    task_id: uuid.UUID,
    body: TransitionIn,
    ctx: CtxDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> TaskSummaryOut:
    """Move a task (accept, start, hold, resume, record_contact, complete, cancel, fail)."""
    answer = task_work.move(
        ctx,
        task_id,
        task_work.Move(body.action, body.outcome, body.why, _utc(body.new_due)),
        if_match=parse_if_match(if_match),
        idempotency_key=idempotency_key,
    )
    out = TaskSummaryOut(**answer)
    response.headers["ETag"] = etag(out.version)
    return out


@me_router.get("/tasks")
def my_tasks(ctx: CtxDep) -> list[OwnTaskOut]:
    """My follow-up tasks: what, by when, and why in plain words."""
    return [
        OwnTaskOut(
            **asdict(task),
            type_name=dict(TASK_TYPE_NAMES.get(task.type, {"zh": task.type, "en": task.type})),
            status_name=dict(
                TASK_STATUS_NAMES.get(task.status, {"zh": task.status, "en": task.status})
            ),
        )
        for task in task_work.mine(ctx)
    ]
