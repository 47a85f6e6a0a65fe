"""Tasks a medic plans by hand (a home visit, a lifestyle contact) and the history of a task.

A planned task goes through the same lifecycle as one born of a finding: it starts
``requested`` with a first event, its note is sealed under the officer's key, and it is
audited. Its family is ``planned`` so it never merges with a finding's task.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from health.errors import Conflict, Invalid
from health.followup.lifecycle import create as create_state
from health.services import access, audit, tasks
from health.services.context import MANAGER, MEDIC, Ctx
from health.services.task_slots import note_slot
from health.services.task_work import TaskView, task_in_scope, view
from health.vocabulary import Action, TaskType
from models.repositories import tasks as tasks_repo
from models.tables import Task

PLANNED_FAMILY = "planned"
PLANNED_REASON = "planned_by_medic"
PLANNABLE = tuple(t for t in TaskType if t is not TaskType.URGENT_CONTACT)
MAX_DAYS_AHEAD = 366


def create_planned(
    ctx: Ctx,
    officer_id: uuid.UUID,
    task_type: str,
    *,
    due: datetime,
    priority: int = 3,
    note: str | None = None,
    family: str = PLANNED_FAMILY,
    reason: str = PLANNED_REASON,
) -> TaskView:
    """A task planned by a medic for an officer in their units (urgent contacts come only from
    critical results); one open planned task per type and officer."""
    access.require(ctx, Action.TASK_CREATE)
    officer = access.officer_in_scope(ctx, officer_id, action="task.create")
    if not access.in_units(ctx, officer.unit_id) and ctx.actor.role == MEDIC:
        access.deny(ctx, "task.create", "officer", officer_id=officer.id)
        raise Invalid("tasks are planned for officers in your own units", code="not_your_unit")
    if task_type not in PLANNABLE:
        raise Invalid(f"type must be one of: {', '.join(PLANNABLE)}", code="bad_task_type")
    planned = TaskType(task_type)
    if not 1 <= priority <= 5:
        raise Invalid("priority is 1 (most urgent) to 5", code="bad_priority")
    now = ctx.clock()
    if due.tzinfo is None:
        raise Invalid("give the due date with a time zone (e.g. ...Z)", code="bad_due")
    if not now < due <= now + timedelta(days=MAX_DAYS_AHEAD):
        raise Invalid(f"due must lie within the next {MAX_DAYS_AHEAD} days", code="bad_due")
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    for task in tasks_repo.open_of_officers(ctx.session, [officer.id]):
        if task.type == task_type and tasks.family_of(tasks.open_detail(task, sealer)) == family:
            raise Conflict(f"this officer already has an open {task_type} task", code="task_exists")
    created = create_state(
        planned,
        due,
        now,
        actor_id=ctx.actor.id,
        actor_role=ctx.actor.role,
        why=note,
    )
    task_id = uuid.uuid4()
    detail: dict[str, Any] = {
        "family": family,
        "critical": False,
        "reason": reason,
        "finding_rule_ids": [],
        "note": note,
    }
    task = Task(
        id=task_id,
        officer_id=officer.id,
        unit_id=officer.unit_id,
        type=task_type,
        status=created.state.status,
        priority=priority,
        due=due,
        exam_date=now.date(),
        created_at=now,
        detail=tasks.seal_detail(task_id, detail, sealer),
        version=1,
    )
    tasks_repo.add_many(ctx.session, [task])
    tasks_repo.add_events(ctx.session, [tasks.event_row(task_id, created.event, sealer)])
    audit.record(
        ctx,
        "task.create",
        "task",
        resource_id=str(task_id),
        officer_id=officer.id,
        detail=f"planned;type={task_type}",
    )
    return view(task, now, detail)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor_id: str
    actor_role: str
    action: str
    from_status: str | None
    to_status: str
    outcome: str | None
    due_before: datetime | None
    due_after: datetime
    note: str | None = None


def open_families(
    ctx: Ctx, officer_ids: list[uuid.UUID], task_type: str
) -> dict[uuid.UUID, set[str]]:
    """The families of each officer's open tasks of one type, opened from their sealed details
    (one key unwrap per officer)."""
    found: dict[uuid.UUID, set[str]] = {}
    sealers = {}
    for task in tasks_repo.open_of_officers(ctx.session, officer_ids):
        if task.type != task_type:
            continue
        if task.officer_id not in sealers:
            sealers[task.officer_id] = ctx.vault.sealer_for(ctx.session, task.officer_id)
        family = tasks.family_of(tasks.open_detail(task, sealers[task.officer_id]))
        found.setdefault(task.officer_id, set()).add(family or "")
    return found


def history(ctx: Ctx, task_id: uuid.UUID) -> list[HistoryEntry]:
    """Every move of a task, oldest first; medics see the sealed notes, managers do not."""
    access.require(ctx, Action.TASK_HISTORY)
    task = task_in_scope(ctx, task_id, action="task.history")
    events = tasks_repo.events_of(ctx.session, task.id)
    sealer = None
    if ctx.actor.role != MANAGER:
        sealer = ctx.vault.sealer_for(ctx.session, task.officer_id)
    out = []
    for event in events:
        note = None
        if sealer is not None and event.note is not None:
            note = sealer.open(event.note, note_slot(event.id)).decode()
        out.append(
            HistoryEntry(
                event.at,
                event.actor_id,
                event.actor_role,
                event.action,
                event.from_status,
                event.to_status,
                event.outcome,
                event.due_before,
                event.due_after,
                note,
            )
        )
    audit.record(
        ctx,
        "task.history",
        "task",
        resource_id=str(task.id),
        officer_id=None if ctx.actor.role == MANAGER else task.officer_id,
        purpose="management" if ctx.actor.role == MANAGER else "care",
    )
    return out


def entry_dict(entry: HistoryEntry) -> dict[str, object]:
    return asdict(entry)
