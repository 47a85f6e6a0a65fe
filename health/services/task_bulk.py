"""Follow-up tasks of a whole chunk written as sets: the bulk half of ``tasks.plan_from_screening``.

An import chunk plans about eight tasks per checkup. For an officer with no open task and one
checkup in the chunk there is nothing to merge, close or withdraw: every merged plan becomes a
new task, its first history event and its audit event. Those are built here column by column
(one AES-GCM call per task, the detail text encoded once per distinct content, no ORM object,
no query) and inserted with one COPY per table; every other officer goes through the one-by-one
planner, which this must match field for field (a test on both backends holds it to that).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from health.followup import TaskPlan, merge_plans
from health.followup.lifecycle import SYSTEM
from health.followup.lifecycle import TaskEvent as FirstEvent
from health.followup.lifecycle import create as create_state
from health.followup.plans import ID_SEPARATOR
from health.followup.recheck import URGENT_REASON
from health.ids import uuid4s
from health.services.audit import EventSpec
from health.services.context import Ctx
from health.services.subject import Subject
from health.services.task_slots import detail_slot
from health.vocabulary import TaskStatus, TaskType
from models.tables import Task, TaskEvent

# Every column is given (the bulk load applies no defaults), named by the tables themselves.
TASK_COLUMNS = tuple(Task.__table__.columns.keys())
EVENT_COLUMNS = tuple(TaskEvent.__table__.columns.keys())
# One merged plan, flattened: (subject rank, priority, due, type, family, reason, rule ids).
_Flat = tuple[int, int, datetime, TaskType, str, str, tuple[str, ...]]


@dataclass
class TaskSet:
    """New tasks, their first events and their audit events, as columns ready to insert."""

    tasks: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in TASK_COLUMNS})
    events: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in EVENT_COLUMNS})
    audit: list[EventSpec] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tasks["id"])


def only_create(
    subjects: Sequence[Subject], officers_with_open_tasks: Collection[uuid.UUID]
) -> list[int]:
    """Positions of the subjects whose plans can only create tasks: sealed, their officer has
    no open task, and no other checkup of the same officer is in this batch."""
    seen: dict[uuid.UUID, int] = {}
    for subject in subjects:
        seen[subject.officer_id] = seen.get(subject.officer_id, 0) + 1
    return [
        i
        for i, s in enumerate(subjects)
        if s.sealer is not None
        and seen[s.officer_id] == 1
        and s.officer_id not in officers_with_open_tasks
    ]


def _due(value: Any, parsed: dict[str, datetime]) -> datetime:
    if isinstance(value, datetime):
        return value
    due = parsed.get(value)
    if due is None:
        due = parsed[value] = datetime.fromisoformat(value)
    return due


def _rule_ids(value: str | Sequence[str]) -> tuple[str, ...]:
    return tuple(filter(None, value.split(ID_SEPARATOR) if isinstance(value, str) else value))


def _flatten(
    subjects: Sequence[Subject],
    per_plans: Sequence[Sequence[Mapping[str, Any]]],
    order: Sequence[int],
) -> list[_Flat]:
    """Every subject's plans as one list in creation order: subjects in ``order``, each one's
    plans merged and ordered as ``merge_plans`` merges and orders them."""
    parsed: dict[str, datetime] = {}
    flat: list[_Flat] = []
    for rank, i in enumerate(order):
        rows = [
            (
                rank,
                int(p["priority"]),
                _due(p["due"], parsed),
                TaskType(p["type"]),
                str(p["family"]),
                str(p["reason"]),
                tuple(sorted(set(_rule_ids(p["finding_rule_ids"])))),
            )
            for p in per_plans[i]
        ]
        if len({(r[3], r[4]) for r in rows}) < len(rows):
            merged = merge_plans(TaskPlan(r[3], r[4], r[1], r[2], r[6], r[5]) for r in rows)
            rows = [
                (rank, m.priority, m.due, m.type, m.family, m.reason, m.finding_rule_ids)
                for m in merged
            ]
        flat.extend(rows)
    flat.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    return flat


def create_all(
    ctx: Ctx,
    subjects: Sequence[Subject],
    per_plans: Sequence[Sequence[Mapping[str, Any]]],
    screening_ids: Mapping[uuid.UUID, uuid.UUID],
) -> TaskSet:
    """New tasks for every plan of these subjects (``only_create`` chose them), as columns."""
    out = TaskSet()
    if not subjects:
        return out
    order = sorted(range(len(subjects)), key=lambda i: (subjects[i].exam_date, i))
    now = ctx.clock()
    firsts: dict[tuple[TaskType, bool], tuple[TaskStatus, FirstEvent]] = {}
    payloads: dict[tuple[str, bool, str, tuple[str, ...]], bytes] = {}
    t, e = out.tasks, out.events
    flat = _flatten(subjects, per_plans, order)
    task_ids, event_ids = uuid4s(len(flat)), uuid4s(len(flat))
    for (rank, priority, due, task_type, family, reason, rule_ids), task_id, event_id in zip(
        flat, task_ids, event_ids, strict=True
    ):
        subject = subjects[order[rank]]
        sealer = subject.sealer
        assert sealer is not None
        critical = task_type == TaskType.URGENT_CONTACT and reason == URGENT_REASON
        first = firsts.get((task_type, critical))
        if first is None:
            # The lifecycle decides a new task's status and first event, once per kind.
            made = create_state(
                task_type, now, now, actor_id=ctx.actor.id, actor_role=SYSTEM, critical=critical
            )
            first = firsts[(task_type, critical)] = (made.state.status, made.event)
        status, event = first
        content = (family, critical, reason, rule_ids)
        payload = payloads.get(content)
        if payload is None:
            detail = {
                "family": family,
                "critical": critical,
                "reason": reason,
                "finding_rule_ids": list(rule_ids),
            }
            payload = payloads[content] = json.dumps(detail, ensure_ascii=False).encode()
        t["id"].append(task_id)
        t["officer_id"].append(subject.officer_id)
        t["unit_id"].append(subject.unit_id)
        t["type"].append(task_type)
        t["status"].append(status)
        t["priority"].append(priority)
        t["due"].append(due)
        t["exam_date"].append(subject.exam_date)
        t["detail"].append(sealer.seal(payload, detail_slot(task_id)))
        t["source_checkup_id"].append(subject.checkup_id)
        t["source_screening_id"].append(screening_ids.get(subject.checkup_id))
        e["id"].append(event_id)
        e["actor_id"].append(event.actor_id)
        e["actor_role"].append(event.actor_role)
        e["action"].append(event.action)
        e["from_status"].append(event.from_status)
        e["to_status"].append(event.to_status)
        e["outcome"].append(event.outcome)
        e["due_after"].append(due)
        out.audit.append(EventSpec("task.create", "task", str(task_id), subject.officer_id))
    n = len(t["id"])
    t.update(
        assignee_user_id=[None] * n,
        version=[1] * n,
        created_at=[now] * n,
        closed_at=[None] * n,
        outcome=[None] * n,
        result_checkup_id=[None] * n,
        based_on_id=[None] * n,
    )
    # A new task's first event carries no why (so no sealed note) and no earlier due.
    e.update(task_id=t["id"], at=[now] * n, due_before=[None] * n, note=[None] * n)
    return out
