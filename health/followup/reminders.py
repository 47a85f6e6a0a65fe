"""Reminders before a task falls due: to officers for their own rechecks, to medics for their
tasks. After the due date escalation takes over, so no reminder is sent late.

Each audience has offsets before the due date (7 days and 1 day, say). When several offsets
have passed by ``now`` (the job was down), only the latest is returned: nobody needs the
"due in a week" notice next to the "due tomorrow" one. Keys follow the escalation keys,
``rem/v1/<task id>/<due UTC>/<audience>/<offset in minutes>``, so they can be the outbox's
unique key; a rescheduled task gets fresh reminders for its new due date.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from health.errors import Invalid
from health.followup.lifecycle import OPEN_STATUSES, TaskStatus, TaskType
from health.vocabulary import Role

Audience = Literal[Role.OFFICER, Role.MEDIC]
KEY_PREFIX: Final = "rem/v1"

# DEPLOYMENT POLICY: when to remind, before the due date.
OFFICER_OFFSETS: Final = (timedelta(days=7), timedelta(days=1))
MEDIC_OFFSETS: Final = (timedelta(days=2),)
URGENT_MEDIC_OFFSETS: Final = (timedelta(hours=4),)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """Offsets before due per audience; officers hear only about ``officer_types``."""

    officer: tuple[timedelta, ...] = OFFICER_OFFSETS
    medic: tuple[timedelta, ...] = MEDIC_OFFSETS
    medic_by_type: Mapping[TaskType, tuple[timedelta, ...]] = field(
        default_factory=lambda: {TaskType.URGENT_CONTACT: URGENT_MEDIC_OFFSETS}
    )
    officer_types: frozenset[TaskType] = frozenset({TaskType.RECHECK})

    def __post_init__(self) -> None:
        offsets = [*self.officer, *self.medic, *(o for v in self.medic_by_type.values() for o in v)]
        if any(offset <= timedelta(0) for offset in offsets):
            raise Invalid("reminder offsets must be positive")

    def offsets(self, audience: Audience, task_type: TaskType) -> tuple[timedelta, ...]:
        if audience == Role.OFFICER:
            return self.officer if task_type in self.officer_types else ()
        return self.medic_by_type.get(task_type, self.medic)


@dataclass(frozen=True, slots=True)
class ReminderCandidate:
    task_id: uuid.UUID | str
    type: TaskType
    status: TaskStatus
    due: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder to send; the service finds the officer or the assigned medic's address."""

    key: str
    task_id: str
    audience: Audience
    send_from: datetime


def reminder_key(
    task_id: uuid.UUID | str, due: datetime, audience: Audience, offset: timedelta
) -> str:
    """Stable outbox key of one reminder."""
    stamp = due.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{KEY_PREFIX}/{task_id}/{stamp}/{audience}/{offset // timedelta(minutes=1)}"


def reminders_due(
    task: ReminderCandidate,
    now: datetime,
    *,
    sent: Collection[str] = frozenset(),
    policy: ReminderPolicy | None = None,
) -> list[Reminder]:
    """For each audience, the latest reminder whose time has come, unless already sent."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise Invalid("now must be timezone-aware (UTC)", code="naive_datetime")
    if task.status not in OPEN_STATUSES or now >= task.due:
        return []
    pol = policy or ReminderPolicy()
    found = []
    audiences: tuple[Audience, ...] = (Role.OFFICER, Role.MEDIC)
    for audience in audiences:
        passed = [o for o in pol.offsets(audience, task.type) if now >= task.due - o]
        if not passed:
            continue
        latest = min(passed)
        key = reminder_key(task.task_id, task.due, audience, latest)
        if key not in sent:
            found.append(Reminder(key, str(task.task_id), audience, task.due - latest))
    return found
