"""Follow-up tasks raised by self-care (a reading series over a threshold, a critical reading).

They join the same worklist as the checkup's tasks and merge the same way: one open task per
officer, type and family, so seven readings over a threshold update one task, never open seven.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from health.crypto import Sealer
from health.followup.lifecycle import SYSTEM
from health.followup.lifecycle import create as create_state
from health.followup.recheck import URGENT_REASON
from health.services import audit
from health.services.audit import EventSpec
from health.services.context import Ctx
from health.services.tasks import event_row, family_of, history_row, open_detail, seal_detail
from health.vocabulary import TaskMove, TaskType
from models.repositories import tasks as tasks_repo
from models.tables import Officer, Task

TaskAction = Literal["opened", "updated", "unchanged"]


@dataclass(frozen=True)
class SelfcarePlan:
    """What a self-care rule asks for; ``source`` is the rule's citation, kept in the task."""

    type: TaskType
    family: str
    priority: int
    due: datetime
    reason: str
    rule_id: str
    source: str
    day: date
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def critical(self) -> bool:
        return self.type == TaskType.URGENT_CONTACT and self.reason == URGENT_REASON


@dataclass(frozen=True)
class TaskTouched:
    task_id: uuid.UUID
    type: str
    action: TaskAction
    rule_id: str


def _open_task(ctx: Ctx, officer_id: uuid.UUID, plan: SelfcarePlan, sealer: Sealer) -> Task | None:
    """The family is sealed in each task's detail (it reveals a condition), so it is opened."""
    for task in tasks_repo.open_of_officers(ctx.session, [officer_id]):
        if task.type == plan.type and family_of(open_detail(task, sealer)) == plan.family:
            return task
    return None


def _merge(ctx: Ctx, task: Task, plan: SelfcarePlan, sealer: Sealer) -> TaskAction:
    """Most urgent priority, earliest due, the rule added; the latest series inputs kept."""
    detail = open_detail(task, sealer)
    rules = sorted({*detail.get("finding_rule_ids", []), plan.rule_id})
    sources = dict(detail.get("sources", {}))
    sources[plan.rule_id] = plan.source
    priority, due = min(task.priority, plan.priority), min(task.due, plan.due)
    inputs = dict(detail.get("inputs", {}))
    unchanged = (
        rules == detail.get("finding_rule_ids", [])
        and (priority, due) == (task.priority, task.due)
        and inputs.get(plan.rule_id) == plan.inputs
    )
    if unchanged:
        return "unchanged"
    inputs[plan.rule_id] = plan.inputs
    if plan.priority < task.priority:
        detail["reason"] = plan.reason
    detail.update(finding_rule_ids=rules, sources=sources, inputs=inputs)
    now = ctx.clock()
    merge_event = history_row(ctx, task, TaskMove.MERGE, now, due_after=due, role=SYSTEM)
    task.priority, task.due = priority, due
    task.detail = seal_detail(task.id, detail, sealer)
    ctx.session.flush()
    tasks_repo.add_events(ctx.session, [merge_event])
    audit.record_many(ctx, [EventSpec("task.merge", "task", str(task.id), task.officer_id)])
    return "updated"


def _create(ctx: Ctx, officer: Officer, plan: SelfcarePlan, sealer: Sealer) -> Task:
    now = ctx.clock()
    created = create_state(
        plan.type, plan.due, now, actor_id=ctx.actor.id, actor_role=SYSTEM, critical=plan.critical
    )
    task_id = uuid.uuid4()
    detail = {
        "reason": plan.reason,
        "finding_rule_ids": [plan.rule_id],
        "sources": {plan.rule_id: plan.source},
        "inputs": {plan.rule_id: plan.inputs},
        "origin": "selfcare",
        "family": plan.family,
        "critical": plan.critical,
    }
    task = Task(
        id=task_id,
        officer_id=officer.id,
        unit_id=officer.unit_id,
        type=plan.type,
        status=created.state.status,
        priority=plan.priority,
        due=plan.due,
        exam_date=plan.day,
        created_at=now,
        detail=seal_detail(task_id, detail, sealer),
        version=1,
    )
    tasks_repo.add_many(ctx.session, [task])
    tasks_repo.add_events(ctx.session, [event_row(task_id, created.event, sealer)])
    audit.record_many(ctx, [EventSpec("task.create", "task", str(task_id), officer.id)])
    return task


def open_or_update(ctx: Ctx, officer: Officer, plan: SelfcarePlan, sealer: Sealer) -> TaskTouched:
    """Merge into the officer's open task of this type and family, or open one."""
    existing = _open_task(ctx, officer.id, plan, sealer)
    if existing is not None:
        action = _merge(ctx, existing, plan, sealer)
        return TaskTouched(existing.id, existing.type, action, plan.rule_id)
    task = _create(ctx, officer, plan, sealer)
    return TaskTouched(task.id, task.type, "opened", plan.rule_id)
