"""The follow-up task lifecycle, modelled on FHIR R4 ``Task.status``, as one pure function.

Statuses use the FHIR codes: ``requested → accepted → in-progress → completed``, or
``cancelled`` / ``failed``, and ``on-hold`` for work paused with a reason (officer on leave,
deployed). Every move is a ``transition`` that returns the new state and a ``TaskEvent``
(who, role, when, from, to, outcome, why); anything else is refused with a typed error.

Outcomes follow outreach practice; each goes with one kind of move:

- ``done_with_result`` (complete → completed): the action happened, its result is recorded.
- ``agreed_to_visit``: contact made and the officer agreed to attend. It completes an
  urgent_contact or a lifestyle task (the contact, or enrolment, was the goal); for the other
  types it is progress only (``record_contact`` → in-progress, optionally with the appointment
  as the new due date).
- ``call_again_later`` (record_contact → in-progress): reached but not now; the task stays open
  with a new due date.
- ``unreachable``, ``declined`` (fail → failed): attempts exhausted, or the officer refused.
- ``transferred``, ``not_needed_after_review`` (cancel → cancelled): responsibility moved
  elsewhere (left the force, already treated by another provider), or a medic reviewed the
  finding and judged no action needed.

Why ``failed`` and ``cancelled`` differ: a failed task is a loop that stayed open for the
officer (it counts against the unit's completion rate); a cancelled task should never have been
worked (it leaves the denominator). ``on-hold`` tasks still fall overdue: a hold may move the due
date, but cannot hide a task from escalation.

Extra conditions: cancel, fail and hold need a reason (``why``); completing a referral needs the
treating doctor's conclusion and completing a critical value's urgent contact needs a human
acknowledgement comment (``why``, sealed by the service). A new due date (call again later,
appointment, hold) must lie after ``now`` and within the type's reschedule limit, so a critical
contact cannot be pushed out by weeks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from health.errors import Conflict, Forbidden, Invalid
from health.vocabulary import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Outcome,
    Role,
    TaskMove,
    TaskStatus,
    TaskType,
)

__all__ = [
    "ACTING_ROLES",
    "ACTIONS",
    "ACTION_OUTCOMES",
    "CLOSED_STATUSES",
    "COMPLETING_OUTCOMES",
    "MEDIC",
    "MOVES",
    "OPEN_STATUSES",
    "OUTCOMES",
    "RESCHEDULE_LIMITS",
    "STATUSES",
    "SYSTEM",
    "TASK_TYPES",
    "Action",
    "Command",
    "IllegalTransition",
    "InvalidTransition",
    "Outcome",
    "TaskEvent",
    "TaskMove",
    "TaskState",
    "TaskStatus",
    "TaskType",
    "Transition",
    "TransitionForbidden",
    "create",
    "transition",
]

STATUSES: Final[tuple[TaskStatus, ...]] = tuple(TaskStatus)
ACTIONS: Final[tuple[TaskMove, ...]] = tuple(
    m for m in TaskMove if m not in (TaskMove.CREATE, TaskMove.MERGE, TaskMove.ASSIGN)
)
OUTCOMES: Final[tuple[Outcome, ...]] = tuple(Outcome)
TASK_TYPES: Final[tuple[TaskType, ...]] = tuple(TaskType)
Action = TaskMove
"""Older name of ``TaskMove``, kept for callers that still import it from here."""

MEDIC: Final = Role.MEDIC
SYSTEM: Final = Role.SYSTEM
ACTING_ROLES: Final[frozenset[str]] = frozenset({MEDIC, SYSTEM})

MOVES: Final[Mapping[TaskMove, tuple[frozenset[TaskStatus], TaskStatus]]] = {
    TaskMove.ACCEPT: (frozenset({TaskStatus.REQUESTED}), TaskStatus.ACCEPTED),
    TaskMove.START: (
        frozenset({TaskStatus.REQUESTED, TaskStatus.ACCEPTED}),
        TaskStatus.IN_PROGRESS,
    ),
    TaskMove.HOLD: (
        frozenset({TaskStatus.REQUESTED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS}),
        TaskStatus.ON_HOLD,
    ),
    TaskMove.RESUME: (frozenset({TaskStatus.ON_HOLD}), TaskStatus.IN_PROGRESS),
    TaskMove.RECORD_CONTACT: (OPEN_STATUSES, TaskStatus.IN_PROGRESS),
    TaskMove.COMPLETE: (OPEN_STATUSES, TaskStatus.COMPLETED),
    TaskMove.CANCEL: (OPEN_STATUSES, TaskStatus.CANCELLED),
    TaskMove.FAIL: (OPEN_STATUSES, TaskStatus.FAILED),
}

COMPLETING_OUTCOMES: Final[Mapping[TaskType, frozenset[Outcome]]] = {
    TaskType.URGENT_CONTACT: frozenset({Outcome.DONE_WITH_RESULT, Outcome.AGREED_TO_VISIT}),
    TaskType.RECHECK: frozenset({Outcome.DONE_WITH_RESULT}),
    TaskType.REFERRAL: frozenset({Outcome.DONE_WITH_RESULT}),
    TaskType.LIFESTYLE: frozenset({Outcome.DONE_WITH_RESULT, Outcome.AGREED_TO_VISIT}),
    TaskType.HOME_VISIT: frozenset({Outcome.DONE_WITH_RESULT}),
}
ACTION_OUTCOMES: Final[Mapping[TaskMove, frozenset[Outcome]]] = {
    TaskMove.RECORD_CONTACT: frozenset({Outcome.CALL_AGAIN_LATER, Outcome.AGREED_TO_VISIT}),
    TaskMove.CANCEL: frozenset({Outcome.TRANSFERRED, Outcome.NOT_NEEDED_AFTER_REVIEW}),
    TaskMove.FAIL: frozenset({Outcome.UNREACHABLE, Outcome.DECLINED}),
}

RESCHEDULING_ACTIONS: Final[frozenset[TaskMove]] = frozenset(
    {TaskMove.RECORD_CONTACT, TaskMove.HOLD}
)
# DEPLOYMENT POLICY: how far ahead a new due date may be set, from now. The urgent-contact
# limit keeps the 24 h of followup_default.yaml fu.critical_contact.
RESCHEDULE_LIMITS: Final[Mapping[TaskType, timedelta]] = {
    TaskType.URGENT_CONTACT: timedelta(hours=24),
    TaskType.RECHECK: timedelta(days=90),
    TaskType.REFERRAL: timedelta(days=30),
    TaskType.LIFESTYLE: timedelta(days=90),
    TaskType.HOME_VISIT: timedelta(days=30),
}


class IllegalTransition(Conflict):
    """The move does not exist from the task's current status (e.g. completing a closed task)."""

    code = "illegal_transition"
    title = "Illegal task transition"


class InvalidTransition(Invalid):
    """The move exists but its outcome, reason or due date is missing or not allowed."""

    code = "invalid_transition"
    title = "Invalid task transition"


class TransitionForbidden(Forbidden):
    """The role may not move tasks at all, or not this way."""

    code = "transition_forbidden"
    title = "Task transition forbidden"


@dataclass(frozen=True, slots=True)
class TaskState:
    """What the lifecycle needs of a task; ``critical`` marks an urgent contact for a critical
    value; ``outcome`` is the latest recorded outcome (the closing one once closed)."""

    type: TaskType
    status: TaskStatus
    due: datetime
    critical: bool = False
    outcome: Outcome | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class Command:
    """A requested move; ``why`` is free text the service seals (reason, acknowledgement,
    the treating doctor's conclusion); ``new_due`` reschedules."""

    action: TaskMove
    outcome: Outcome | None = None
    why: str | None = None
    new_due: datetime | None = None


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """One row of the task's history: who did what, when, from which status to which, and why."""

    action: TaskMove
    actor_id: str
    actor_role: str
    at: datetime
    from_status: TaskStatus | None
    to_status: TaskStatus
    outcome: Outcome | None
    why: str | None
    due_before: datetime | None
    due_after: datetime


@dataclass(frozen=True, slots=True)
class Transition:
    state: TaskState
    event: TaskEvent


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidTransition(f"{name} must be timezone-aware (UTC)", code="naive_datetime")


def _text(why: str | None) -> str | None:
    cleaned = why.strip() if why is not None else ""
    return cleaned or None


def create(
    task_type: TaskType,
    due: datetime,
    now: datetime,
    *,
    actor_id: str,
    actor_role: str,
    critical: bool = False,
    why: str | None = None,
) -> Transition:
    """A new ``requested`` task and its first event, so history starts at creation."""
    _require_aware("now", now)
    _require_aware("due", due)
    if task_type not in TASK_TYPES:
        raise InvalidTransition(f"unknown task type {task_type!r}", code="unknown_task_type")
    if critical and task_type != TaskType.URGENT_CONTACT:
        raise InvalidTransition("only an urgent contact can be critical", code="critical_type")
    state = TaskState(type=task_type, status=TaskStatus.REQUESTED, due=due, critical=critical)
    event = TaskEvent(
        action=TaskMove.CREATE,
        actor_id=actor_id,
        actor_role=actor_role,
        at=now,
        from_status=None,
        to_status=TaskStatus.REQUESTED,
        outcome=None,
        why=_text(why),
        due_before=None,
        due_after=due,
    )
    return Transition(state, event)


def _check_outcome(state: TaskState, command: Command) -> None:
    action, outcome = command.action, command.outcome
    if action == TaskMove.COMPLETE:
        allowed = COMPLETING_OUTCOMES[state.type]
    else:
        allowed = ACTION_OUTCOMES.get(action, frozenset())
    if not allowed:
        if outcome is not None:
            raise InvalidTransition(f"{action} takes no outcome", code="outcome_not_allowed")
        return
    if outcome is None:
        raise InvalidTransition(f"{action} needs an outcome", code="outcome_required")
    if outcome not in allowed:
        raise InvalidTransition(
            f"outcome {outcome} is not allowed to {action} a {state.type} task; "
            f"allowed: {', '.join(sorted(allowed))}",
            code="outcome_not_allowed",
        )


def _check_why(state: TaskState, command: Command, actor_role: str) -> None:
    action = command.action
    if action in (TaskMove.CANCEL, TaskMove.FAIL, TaskMove.HOLD) and _text(command.why) is None:
        raise InvalidTransition(f"{action} needs a reason", code="reason_required")
    if action != TaskMove.COMPLETE:
        return
    if state.type == TaskType.URGENT_CONTACT and state.critical:
        if actor_role != MEDIC:
            raise TransitionForbidden(
                "a critical value's urgent contact is acknowledged by a medic",
                code="acknowledgement_by_medic",
            )
        if _text(command.why) is None:
            raise InvalidTransition(
                "a critical value's urgent contact needs an acknowledgement comment",
                code="acknowledgement_required",
            )
    if state.type == TaskType.REFERRAL and _text(command.why) is None:
        raise InvalidTransition(
            "a referral completes with the treating doctor's conclusion",
            code="conclusion_required",
        )


def _new_due(
    state: TaskState, command: Command, now: datetime, limits: Mapping[TaskType, timedelta]
) -> datetime:
    new_due = command.new_due
    if command.outcome == Outcome.CALL_AGAIN_LATER and new_due is None:
        raise InvalidTransition("call again later needs a new due date", code="due_required")
    if new_due is None:
        return state.due
    if command.action not in RESCHEDULING_ACTIONS:
        raise InvalidTransition(
            f"{command.action} cannot move the due date", code="due_not_allowed"
        )
    _require_aware("new_due", new_due)
    if new_due <= now:
        raise InvalidTransition("a new due date must be in the future", code="due_in_past")
    if new_due > now + limits[state.type]:
        raise InvalidTransition(
            f"a {state.type} task may be moved at most {limits[state.type]} ahead",
            code="due_too_far",
        )
    return new_due


def transition(
    state: TaskState,
    command: Command,
    actor_role: str,
    now: datetime,
    *,
    actor_id: str,
    limits: Mapping[TaskType, timedelta] = RESCHEDULE_LIMITS,
) -> Transition:
    """Apply one move or refuse it; the only way a task's status, outcome or due date changes."""
    _require_aware("now", now)
    if actor_role not in ACTING_ROLES:
        raise TransitionForbidden(f"the {actor_role} role may not change tasks")
    if command.action not in MOVES:
        raise InvalidTransition(f"unknown action {command.action!r}", code="unknown_action")
    sources, target = MOVES[command.action]
    if state.status not in sources:
        raise IllegalTransition(f"cannot {command.action} a task that is {state.status}")
    _check_outcome(state, command)
    _check_why(state, command, actor_role)
    due = _new_due(state, command, now, limits)
    closed = target not in OPEN_STATUSES
    new_state = replace(
        state,
        status=target,
        due=due,
        outcome=command.outcome if command.outcome is not None else state.outcome,
        closed_at=now if closed else None,
    )
    event = TaskEvent(
        action=command.action,
        actor_id=actor_id,
        actor_role=actor_role,
        at=now,
        from_status=state.status,
        to_status=target,
        outcome=command.outcome,
        why=_text(command.why),
        due_before=state.due,
        due_after=due,
    )
    return Transition(new_state, event)
