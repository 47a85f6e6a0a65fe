"""Follow-up tasks as FHIR Task: read and search (``owner``, ``status``, ``period``,
``patient``) with the worklist's scope rules.

Medics, unit managers and integrators see the tasks of their unit subtrees, an officer their
own. A task carries type, status, priority and due only (what a manager's worklist shows), so
managers may read it; its sealed reason and family stay sealed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from health.errors import Invalid, NotFound
from health.followup.worklist import Filters
from health.services import access, audit
from health.services import fhir_resources as build
from health.services.context import OFFICER, SYSTEM_ROLE, Ctx
from health.services.fhir_read import Found
from health.services.fhir_search import DateBound
from health.vocabulary import Action
from models.repositories import tasks as tasks_repo
from models.tables import Task


def task_resource(task: Task) -> dict[str, Any]:
    return build.validated(
        build.task(
            task.id,
            task.officer_id,
            task.type,
            task.status,
            task.priority,
            task.due,
            task.created_at,
            task.closed_at,
            task.assignee_user_id,
        )
    )


def _may_see(ctx: Ctx, task: Task) -> bool:
    if ctx.actor.role == SYSTEM_ROLE:
        return True
    if ctx.actor.role == OFFICER:
        return task.officer_id == ctx.actor.officer_id
    return access.in_units(ctx, task.unit_id)


def read(ctx: Ctx, task_id: uuid.UUID) -> dict[str, Any]:
    access.require(ctx, Action.FHIR_TASK)
    task = tasks_repo.get(ctx.session, task_id)
    if task is None or not _may_see(ctx, task):
        access.deny(ctx, "fhir.read", "task", resource_id=str(task_id))
        raise NotFound("Task not found", code="not_found")
    audit.record(ctx, "fhir.read", "task", resource_id=str(task.id), officer_id=task.officer_id)
    return task_resource(task)


def _created_window(bounds: Sequence[DateBound]) -> tuple[Any, Any]:
    """``period`` compares Task.executionPeriod.start (when the task was created)."""
    start = end = None
    for bound in bounds:
        low = {"ge": bound.start, "gt": bound.end, "sa": bound.end, "eq": bound.start}
        high = {"le": bound.end, "lt": bound.start, "eb": bound.start, "eq": bound.end}
        if bound.prefix not in low and bound.prefix not in high:
            raise Invalid("period: prefix ne is not supported", code="fhir_bad_search")
        if bound.prefix in low:
            start = low[bound.prefix] if start is None else max(start, low[bound.prefix])
        if bound.prefix in high:
            end = high[bound.prefix] if end is None else min(end, high[bound.prefix])
    return start, end


def search(
    ctx: Ctx,
    *,
    owner: uuid.UUID | None,
    statuses: tuple[str, ...],
    period: Sequence[DateBound],
    patient: uuid.UUID | None,
    count: int,
    offset: int,
) -> Found:
    access.require(ctx, Action.FHIR_TASK)
    created_from, created_to = _created_window(period)
    role = ctx.actor.role
    if role == OFFICER:
        if ctx.actor.officer_id is None or patient not in (None, ctx.actor.officer_id):
            return Found([], 0)
        scope = Filters(officer_id=ctx.actor.officer_id)
    elif role != SYSTEM_ROLE and not ctx.actor.unit_paths:
        return Found([], 0)  # no units, no tasks (empty paths would mean "no restriction")
    else:
        scope = Filters(unit_paths=ctx.actor.unit_paths, officer_id=patient)
    filters = Filters(
        unit_paths=scope.unit_paths,
        officer_id=scope.officer_id,
        assignee=owner,
        statuses=statuses,
        created_from=created_from,
        created_to=created_to,
    )
    rows, total = tasks_repo.worklist(
        ctx.session, filters, ctx.clock(), sort="created_at", limit=count, offset=offset
    )
    audit.record(ctx, "fhir.search", "task", detail=f"type=Task;returned={len(rows)};total={total}")
    return Found([task_resource(t) for t in rows], total)
