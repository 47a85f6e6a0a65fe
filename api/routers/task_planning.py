"""Tasks planned by hand (POST /tasks) and a task's history."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import TaskOut
from api.schemas_directory import PlannedTaskIn, TaskEventOut
from health.services import task_planning

router = APIRouter(
    prefix="/api/v1/tasks",
    tags=["tasks"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.post("", status_code=201)
def plan_task(body: PlannedTaskIn, ctx: CtxDep) -> TaskOut:
    """Plan a home visit, lifestyle contact, recheck or referral for an officer in your units."""
    created = task_planning.create_planned(
        ctx, body.officer_id, body.type, due=body.due, priority=body.priority, note=body.note
    )
    return TaskOut(**asdict(created))


@router.get("/{task_id}/history")
def task_history(task_id: uuid.UUID, ctx: CtxDep) -> list[TaskEventOut]:
    """Every move of the task, oldest first: who, when, from which status to which, and why."""
    return [TaskEventOut(**asdict(e)) for e in task_planning.history(ctx, task_id)]
