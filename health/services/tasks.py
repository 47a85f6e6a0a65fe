"""Follow-up tasks from screening: create, merge into open ones, and let rechecks close the loop.

Called once per stored screening batch (``screening.screen_and_store``), so every path that
stores a checkup (JSON, spreadsheet, FHIR, rescreen) plans tasks the same way. Plans merge into
an open task of the same officer, type and analyte family (``merge_plans``), so a repeated upload
or a rescreen never duplicates a task. A checkup with a later exam date that measures the family
of an open recheck decides it (``health.followup.recheck``): complete when now normal, a referral
when still abnormal, an urgent contact when critical; the recheck keeps the link to the result.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from health.crypto import Sealer
from health.followup import TaskPlan, merge_plans
from health.followup.lifecycle import SYSTEM, Command, TaskEvent, TaskState, transition
from health.followup.lifecycle import create as create_state
from health.followup.plans import ID_SEPARATOR
from health.followup.recheck import URGENT_REASON, close_recheck, decide_recheck
from health.screening import Ruleset
from health.screening.vocabulary import SEVERITIES, Severity
from health.services import audit, task_bulk
from health.services.audit import EventSpec
from health.services.context import Ctx
from health.services.subject import Subject
from health.services.task_slots import detail_slot, note_slot
from health.vocabulary import Outcome, TaskMove, TaskStatus, TaskType
from models.repositories import tasks as tasks_repo
from models.tables import Task

Document = dict[str, Any]


def open_detail(task: Task, sealer: Sealer) -> Document:
    """The sealed part of a task: analyte family, critical mark, reason code, finding rule
    ids, closing note (the family and the critical mark reveal a condition, so not in clear)."""
    opened: Document = json.loads(sealer.open(task.detail, detail_slot(task.id)))
    return opened


def seal_detail(task_id: uuid.UUID, detail: Mapping[str, Any], sealer: Sealer) -> bytes:
    return sealer.seal(json.dumps(detail, ensure_ascii=False).encode(), detail_slot(task_id))


def family_of(detail: Mapping[str, Any]) -> str | None:
    """The analyte family a task is about (None for tasks stored before it was sealed)."""
    family = detail.get("family")
    return str(family) if family is not None else None


@dataclass(slots=True)
class NewTask:
    """A task planned in this batch: a plain object, not an ORM one (the unit of work costs
    more than the planning), merged in memory and inserted in bulk at the end."""

    id: uuid.UUID
    officer_id: uuid.UUID
    unit_id: uuid.UUID
    type: TaskType
    status: TaskStatus
    priority: int
    due: datetime
    exam_date: date
    created_at: datetime
    source_checkup_id: uuid.UUID | None
    source_screening_id: uuid.UUID | None
    based_on_id: uuid.UUID | None
    sealer: Sealer
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    result_checkup_id: uuid.UUID | None = None

    def row(self, detail: Mapping[str, Any]) -> dict[str, Any]:
        """The task row, its detail sealed once (after every in-batch merge)."""
        return {
            "id": self.id,
            "officer_id": self.officer_id,
            "unit_id": self.unit_id,
            "type": self.type,
            "status": self.status,
            "priority": self.priority,
            "due": self.due,
            "assignee_user_id": None,
            "version": 1,
            "exam_date": self.exam_date,
            "created_at": self.created_at,
            "closed_at": self.closed_at,
            "outcome": self.outcome,
            "detail": seal_detail(self.id, detail, self.sealer),
            "source_checkup_id": self.source_checkup_id,
            "source_screening_id": self.source_screening_id,
            "result_checkup_id": self.result_checkup_id,
            "based_on_id": self.based_on_id,
        }


AnyTask = Task | NewTask


def state_of(task: AnyTask, detail: Mapping[str, Any]) -> TaskState:
    """The lifecycle's view of a stored task (``detail``: its opened sealed part)."""
    return TaskState(
        type=task.type,
        status=task.status,
        due=task.due,
        critical=bool(detail.get("critical", False)),
        outcome=task.outcome,
        closed_at=task.closed_at,
    )


def event_row(
    task_id: uuid.UUID, event: TaskEvent, sealer: Sealer, *, action: str | None = None
) -> dict[str, Any]:
    """A task_event row; the why is sealed under the officer's key."""
    event_id = uuid.uuid4()
    note = None
    if event.why is not None:
        note = sealer.seal(event.why.encode(), note_slot(event_id))
    return {
        "id": event_id,
        "task_id": task_id,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": action or event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "outcome": event.outcome,
        "due_before": event.due_before,
        "due_after": event.due_after,
        "note": note,
    }


class _Tracked(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def status(self) -> TaskStatus: ...
    @property
    def due(self) -> datetime: ...


def history_row(
    ctx: Ctx,
    task: _Tracked,
    move: TaskMove,
    now: datetime,
    *,
    due_after: datetime | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    """A task_event row for a history entry that changes no status (a merge, an assignment);
    ``role`` names the system when the system, not the caller, decided."""
    return {
        "id": uuid.uuid4(),
        "task_id": task.id,
        "at": now,
        "actor_id": ctx.actor.id,
        "actor_role": role or ctx.actor.role,
        "action": move,
        "from_status": task.status,
        "to_status": task.status,
        "outcome": None,
        "due_before": task.due,
        "due_after": due_after or task.due,
        "note": None,
    }


@dataclass
class _Batch:
    """What one screening batch adds or changes, written at the end in bulk."""

    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[EventSpec] = field(default_factory=list)
    # Created in this batch: plain objects (merged in memory), inserted in bulk at the end.
    created: list[NewTask] = field(default_factory=list)
    # Opened sealed details of the tasks this batch looks at, by task id.
    details: dict[uuid.UUID, Document] = field(default_factory=dict)


def _measured(ruleset: Ruleset, document: Mapping[str, Any]) -> set[str]:
    """Analyte families the checkup actually measured (a missing value decides nothing)."""
    codes = [*document.get("results", {}), *document.get("findings", {})]
    return {ruleset.family(code) for code in codes}


def _worst(findings: Sequence[Mapping[str, Any]]) -> dict[str, Severity]:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    worst: dict[str, Severity] = {}
    for finding in findings:
        family, severity = finding["family"], finding["severity"]
        if family not in worst or rank[severity] > rank[worst[family]]:
            worst[family] = severity
    return worst


def _plan(raw: Mapping[str, Any]) -> TaskPlan:
    due = raw["due"]
    return TaskPlan(
        type=raw["type"],
        family=raw["family"],
        priority=int(raw["priority"]),
        due=due if isinstance(due, datetime) else datetime.fromisoformat(due),
        finding_rule_ids=rule_ids(raw["finding_rule_ids"]),
        reason=raw["reason"],
    )


def rule_ids(value: str | Sequence[str]) -> tuple[str, ...]:
    """Finding rule ids from a plan: the screening frame joins them with '|' in one string,
    which ``tuple()`` would split into single characters."""
    if isinstance(value, str):
        return tuple(v for v in value.split(ID_SEPARATOR) if v)
    return tuple(value)


def _close_rechecks(
    ctx: Ctx,
    subject: Subject,
    findings: Sequence[Mapping[str, Any]],
    ruleset: Ruleset,
    open_tasks: dict[tuple[str, str], AnyTask],
    batch: _Batch,
) -> list[tuple[TaskPlan, uuid.UUID]]:
    """Decide every open recheck this checkup answers; returns follow-on plans and their base."""
    assert subject.sealer is not None
    measured, worst = _measured(ruleset, subject.document), _worst(findings)
    now = ctx.clock()
    follow_ons = []
    for (task_type, family), task in list(open_tasks.items()):
        if task_type != TaskType.RECHECK or family not in measured:
            continue
        if subject.exam_date <= task.exam_date:
            continue
        grade = worst.get(family, "normal")
        decision = decide_recheck(family, family, grade, priority=task.priority, now=now)
        state = state_of(task, batch.details[task.id])
        moved = close_recheck(state, now, actor_id=ctx.actor.id, actor_role=SYSTEM)
        task.status, task.outcome = moved.state.status, moved.state.outcome
        task.closed_at, task.result_checkup_id = now, subject.checkup_id
        batch.events.append(event_row(task.id, moved.event, subject.sealer))
        batch.audit.append(
            EventSpec(
                "task.complete",
                "task",
                str(task.id),
                subject.officer_id,
                # No grade here: audit rows are readable by auditors and hold ids, not health data.
                detail=f"auto=recheck;checkup={subject.checkup_id}",
            )
        )
        del open_tasks[(task_type, family)]
        if decision.follow_on is not None:
            follow = decision.follow_on
            plan = TaskPlan(
                follow.type, follow.family, follow.priority, follow.due, (), follow.reason
            )
            follow_ons.append((plan, task.id))
    return follow_ons


def _merge_into(
    ctx: Ctx, task: AnyTask, plan: TaskPlan, sealer: Sealer, batch: _Batch, officer_id: uuid.UUID
) -> None:
    """Fold a plan into an open task: most urgent priority, earliest due, union of findings."""
    detail = batch.details[task.id]
    rules = sorted(set(detail.get("finding_rule_ids", [])) | set(plan.finding_rule_ids))
    priority, due = min(task.priority, plan.priority), min(task.due, plan.due)
    if rules == detail.get("finding_rule_ids", []) and (priority, due) == (task.priority, task.due):
        return
    if plan.priority < task.priority:
        detail["reason"] = plan.reason
    detail["finding_rule_ids"] = rules
    now = ctx.clock()
    batch.events.append(history_row(ctx, task, TaskMove.MERGE, now, due_after=due, role=SYSTEM))
    task.priority, task.due = priority, due
    if isinstance(task, Task):
        task.detail = seal_detail(task.id, detail, sealer)
    batch.audit.append(EventSpec("task.merge", "task", str(task.id), officer_id))


def _withdraw_unplanned(
    ctx: Ctx,
    subject: Subject,
    plans: Sequence[TaskPlan],
    open_tasks: dict[tuple[str, str], AnyTask],
    batch: _Batch,
) -> None:
    """A corrected (or rescreened) exam no longer calls for a task it caused: withdraw it."""
    assert subject.sealer is not None
    wanted = {(p.type, p.family) for p in plans}
    for key, task in list(open_tasks.items()):
        if task.exam_date != subject.exam_date or key in wanted:
            continue
        command = Command(
            TaskMove.CANCEL,
            outcome=Outcome.NOT_NEEDED_AFTER_REVIEW,
            why="the checkup it came from was corrected or rescreened",
        )
        state = state_of(task, batch.details[task.id])
        moved = transition(state, command, SYSTEM, ctx.clock(), actor_id=ctx.actor.id)
        task.status, task.outcome, task.closed_at = (
            moved.state.status,
            moved.state.outcome,
            moved.state.closed_at,
        )
        batch.events.append(event_row(task.id, moved.event, subject.sealer))
        batch.audit.append(
            EventSpec(
                "task.cancel",
                "task",
                str(task.id),
                subject.officer_id,
                detail=f"auto=correction;checkup={subject.checkup_id}",
            )
        )
        del open_tasks[key]


def _create(
    ctx: Ctx,
    subject: Subject,
    plan: TaskPlan,
    based_on: uuid.UUID | None,
    screening_id: uuid.UUID | None,
    batch: _Batch,
) -> NewTask:
    assert subject.sealer is not None
    now = ctx.clock()
    task_type: TaskType = plan.type
    critical = task_type == TaskType.URGENT_CONTACT and plan.reason == URGENT_REASON
    created = create_state(
        task_type, plan.due, now, actor_id=ctx.actor.id, actor_role=SYSTEM, critical=critical
    )
    task_id = uuid.uuid4()
    detail = {
        "family": plan.family,
        "critical": critical,
        "reason": plan.reason,
        "finding_rule_ids": list(plan.finding_rule_ids),
    }
    task = NewTask(
        id=task_id,
        officer_id=subject.officer_id,
        unit_id=subject.unit_id,
        type=task_type,
        status=created.state.status,
        priority=plan.priority,
        due=plan.due,
        exam_date=subject.exam_date,
        created_at=now,
        source_checkup_id=subject.checkup_id,
        source_screening_id=screening_id,
        based_on_id=based_on,
        sealer=subject.sealer,
    )
    batch.created.append(task)
    batch.details[task_id] = detail
    batch.events.append(event_row(task_id, created.event, subject.sealer))
    batch.audit.append(EventSpec("task.create", "task", str(task_id), subject.officer_id))
    return task


def plan_from_screening(
    ctx: Ctx,
    subjects: Sequence[Subject],
    per_findings: Sequence[Sequence[Mapping[str, Any]]],
    per_plans: Sequence[Sequence[Mapping[str, Any]]],
    ruleset: Ruleset,
    screenings: Sequence[Mapping[str, Any]],
) -> None:
    """Close answered rechecks, then create or merge the tasks this screening planned.

    Officers with nothing open and one checkup in the batch (nearly all of an import) only
    gain tasks: those are written as sets (``task_bulk``); the rest are planned one by one.
    """
    if not subjects:
        return
    screening_ids = {row["checkup_id"]: row["id"] for row in screenings}
    sealers = {s.officer_id: s.sealer for s in subjects if s.sealer is not None}
    batch = _Batch()
    open_by_officer: dict[uuid.UUID, dict[tuple[str, str], AnyTask]] = {}
    stored_open = tasks_repo.open_of_officers(ctx.session, list(sealers))
    for task in stored_open:
        detail = batch.details[task.id] = open_detail(task, sealers[task.officer_id])
        family = family_of(detail)
        if family is not None:
            open_by_officer.setdefault(task.officer_id, {})[(task.type, family)] = task
    in_bulk = task_bulk.only_create(subjects, {t.officer_id for t in stored_open})
    created = task_bulk.create_all(
        ctx, [subjects[i] for i in in_bulk], [per_plans[i] for i in in_bulk], screening_ids
    )
    skip = set(in_bulk)
    order = sorted(range(len(subjects)), key=lambda i: (subjects[i].exam_date, i))
    for i in order:
        subject, findings = subjects[i], per_findings[i]
        if subject.sealer is None or i in skip:
            continue
        open_tasks = open_by_officer.setdefault(subject.officer_id, {})
        follow_ons = _close_rechecks(ctx, subject, findings, ruleset, open_tasks, batch)
        based_on = {(p.type, p.family): base for p, base in follow_ons}
        plans = merge_plans([*[_plan(raw) for raw in per_plans[i]], *(p for p, _ in follow_ons)])
        _withdraw_unplanned(ctx, subject, plans, open_tasks, batch)
        for plan in plans:
            existing = open_tasks.get((plan.type, plan.family))
            if existing is not None:
                _merge_into(ctx, existing, plan, subject.sealer, batch, subject.officer_id)
                continue
            open_tasks[(plan.type, plan.family)] = _create(
                ctx,
                subject,
                plan,
                based_on.get((plan.type, plan.family)),
                screening_ids.get(subject.checkup_id),
                batch,
            )
    ctx.session.flush()
    tasks_repo.add_task_rows(ctx.session, [t.row(batch.details[t.id]) for t in batch.created])
    tasks_repo.add_task_columns(ctx.session, created.tasks)
    tasks_repo.add_events(ctx.session, batch.events)
    tasks_repo.add_event_columns(ctx.session, created.events)
    audit.record_many(ctx, [*batch.audit, *created.audit])
