"""Working one task: read it (medic: with its sealed reason; manager: type, status, due only),
move it through the lifecycle under optimistic concurrency, and replay retried requests.

The version is the ETag: a move names the version it was based on (If-Match) and fails with 412
when the task changed since, so of two people completing a task at once exactly one wins. An
Idempotency-Key makes a retried move return the first answer without writing anything again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from health.errors import HealthError, NotFound, PreconditionFailed, PreconditionRequired
from health.followup.lifecycle import Command, transition
from health.followup.overdue import is_overdue
from health.followup.policy import FollowupPolicy
from health.services import access, audit, rulesets, tasks
from health.services.context import MANAGER, MEDIC, Ctx
from health.services.tasks import event_row, family_of, open_detail, seal_detail, state_of
from health.vocabulary import Action
from models.repositories import outbox as outbox_repo
from models.repositories import tasks as tasks_repo
from models.tables import IdempotencyKey, Task


class IdempotencyMismatch(HealthError):
    """The key was used before for a different request: the client has a bug, not a retry."""

    status = 422
    code = "idempotency_key_reused"
    title = "Idempotency key reused with another request"


@dataclass(frozen=True)
class TaskSummary:
    """What a unit manager may see: no officer, family, reason or outcome note."""

    id: uuid.UUID
    unit_id: uuid.UUID
    type: str
    status: str
    priority: int
    due: datetime
    overdue: bool
    version: int


@dataclass(frozen=True)
class TaskView(TaskSummary):
    """A medic's view; ``reason`` and ``note`` only when the sealed detail was opened."""

    officer_id: uuid.UUID
    family: str | None
    critical: bool | None
    assignee_user_id: uuid.UUID | None
    exam_date: date
    created_at: datetime
    closed_at: datetime | None
    outcome: str | None
    source_checkup_id: uuid.UUID | None
    result_checkup_id: uuid.UUID | None
    based_on_id: uuid.UUID | None
    reason: str | None = None
    reason_text: dict[str, str] | None = None
    finding_rule_ids: tuple[str, ...] = ()
    note: str | None = None


def summary(task: Task, now: datetime) -> TaskSummary:
    return TaskSummary(
        task.id,
        task.unit_id,
        task.type,
        task.status,
        task.priority,
        task.due,
        is_overdue(task.status, task.due, now),
        task.version,
    )


def view(task: Task, now: datetime, detail: dict[str, Any] | None = None) -> TaskView:
    base = asdict(summary(task, now))
    return TaskView(
        **base,
        officer_id=task.officer_id,
        family=family_of(detail) if detail else None,
        critical=bool(detail.get("critical", False)) if detail else None,
        assignee_user_id=task.assignee_user_id,
        exam_date=task.exam_date,
        created_at=task.created_at,
        closed_at=task.closed_at,
        outcome=task.outcome,
        source_checkup_id=task.source_checkup_id,
        result_checkup_id=task.result_checkup_id,
        based_on_id=task.based_on_id,
        reason=detail.get("reason") if detail else None,
        finding_rule_ids=tasks.rule_ids(detail.get("finding_rule_ids", ())) if detail else (),
        note=detail.get("note") if detail else None,
    )


def task_in_scope(ctx: Ctx, task_id: uuid.UUID, *, action: str) -> Task:
    """The task if the caller may see it; otherwise 404 exactly like a task that is not there."""
    task = tasks_repo.get(ctx.session, task_id)
    visible = task is not None and (
        access.in_units(ctx, task.unit_id)
        or (ctx.actor.role == MEDIC and task.assignee_user_id == ctx.actor.user_id)
    )
    if task is None or not visible:
        access.deny(
            ctx,
            action,
            "task",
            resource_id=str(task_id),
            officer_id=task.officer_id if task else None,
        )
        raise NotFound("task not found", code="task_not_found")
    return task


def _reason_text(
    ctx: Ctx, code: str | None, policy: FollowupPolicy | None = None
) -> dict[str, str] | None:
    reason = (policy or rulesets.active_policy(ctx)).reasons.get(code or "")
    return None if reason is None else {"zh": reason.zh, "en": reason.en}


def read(ctx: Ctx, task_id: uuid.UUID) -> TaskSummary:
    """One task: a medic opens its sealed reason (audited), a manager gets the summary."""
    access.require(ctx, Action.TASK_READ)
    task = task_in_scope(ctx, task_id, action="task.read")
    now = ctx.clock()
    if ctx.actor.role == MANAGER:
        audit.record(ctx, "task.read", "task", resource_id=str(task.id), purpose="management")
        return summary(task, now)
    detail = open_detail(task, ctx.vault.sealer_for(ctx.session, task.officer_id))
    audit.record(
        ctx,
        "task.read",
        "task",
        resource_id=str(task.id),
        officer_id=task.officer_id,
        purpose="care",
    )
    found = view(task, now, detail)
    return TaskView(**{**asdict(found), "reason_text": _reason_text(ctx, found.reason)})


@dataclass(frozen=True)
class Move:
    """A requested transition as the API receives it."""

    action: str
    outcome: str | None = None
    why: str | None = None
    new_due: datetime | None = None


def _request_hash(task_id: uuid.UUID, move: Move) -> bytes:
    body = {"task": str(task_id), **asdict(move)}
    text = json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).digest()


def _replay(ctx: Ctx, key: str, request_hash: bytes) -> dict[str, Any] | None:
    stored = outbox_repo.idempotent(ctx.session, ctx.actor.id, key)
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        raise IdempotencyMismatch("this Idempotency-Key was used for another request")
    replayed: dict[str, Any] = json.loads(stored.response)
    return replayed


def move(
    ctx: Ctx,
    task_id: uuid.UUID,
    requested: Move,
    *,
    if_match: int | None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """Apply one lifecycle move under If-Match; the answer is JSON-ready and replayable."""
    access.require(ctx, Action.TASK_TRANSITION)
    request_hash = _request_hash(task_id, requested)
    if idempotency_key is not None:
        replayed = _replay(ctx, idempotency_key, request_hash)
        if replayed is not None:
            return replayed
    task = task_in_scope(ctx, task_id, action="task.transition")
    if if_match is None:
        raise PreconditionRequired("send If-Match with the task's ETag", code="if_match_required")
    if if_match != task.version:
        raise PreconditionFailed("the task changed since it was read", code="stale_etag")
    now = ctx.clock()
    command = Command(
        requested.action,  # type: ignore[arg-type]
        outcome=requested.outcome,  # type: ignore[arg-type]
        why=requested.why,
        new_due=requested.new_due,
    )
    sealer = ctx.vault.sealer_for(ctx.session, task.officer_id)
    detail = open_detail(task, sealer)
    moved = transition(state_of(task, detail), command, ctx.actor.role, now, actor_id=ctx.actor.id)
    task.status, task.due, task.outcome = moved.state.status, moved.state.due, moved.state.outcome
    task.closed_at = moved.state.closed_at
    if moved.event.why is not None and not moved.state.is_open:
        detail["note"] = moved.event.why
        task.detail = seal_detail(task.id, detail, sealer)
    try:
        ctx.session.flush()
    except StaleDataError:
        raise PreconditionFailed("the task changed since it was read", code="stale_etag") from None
    tasks_repo.add_events(ctx.session, [event_row(task.id, moved.event, sealer)])
    audit.record(
        ctx,
        f"task.{requested.action}",
        "task",
        resource_id=str(task.id),
        officer_id=task.officer_id,
        detail=f"to={task.status};outcome={task.outcome}",
    )
    answer = _json(asdict(summary(task, now)))
    if idempotency_key is not None:
        outbox_repo.remember(
            ctx.session,
            IdempotencyKey(
                user_id=ctx.actor.id,
                key=idempotency_key,
                request_hash=request_hash,
                status_code=200,
                response=json.dumps(answer),
                created_at=now,
            ),
        )
    return answer


def _json(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else _plain(v) for k, v in fields.items()}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


@dataclass(frozen=True)
class OwnTask:
    """What an officer sees of their own task: what, by when, and why in plain words."""

    id: uuid.UUID
    type: str
    status: str
    due: datetime
    overdue: bool
    reason: dict[str, str] | None


def mine(ctx: Ctx) -> list[OwnTask]:
    """The officer's own tasks; the reasons are opened, so the read is audited."""
    access.require(ctx, Action.TASK_READ_OWN)
    officer_id = ctx.actor.officer_id
    if officer_id is None:
        raise NotFound("no officer record for this account", code="officer_not_found")
    access.officer_in_scope(ctx, officer_id, action="task.read_own")
    now = ctx.clock()
    found = tasks_repo.of_officer(ctx.session, officer_id)
    sealer = ctx.vault.sealer_for(ctx.session, officer_id) if found else None
    policy = rulesets.active_policy(ctx) if found else None
    out = []
    for task in found:
        assert sealer is not None
        reason = open_detail(task, sealer).get("reason")
        out.append(
            OwnTask(
                task.id,
                task.type,
                task.status,
                task.due,
                is_overdue(task.status, task.due, now),
                _reason_text(ctx, reason, policy),
            )
        )
    audit.record(
        ctx,
        "task.read_own",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        purpose="self",
        detail=f"count={len(out)}",
    )
    return out
