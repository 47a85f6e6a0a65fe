"""Reminders before the due date: who hears when, only the latest one, never twice, never late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from health.errors import Invalid
from health.followup.lifecycle import TaskType
from health.followup.reminders import (
    ReminderCandidate,
    ReminderPolicy,
    reminder_key,
    reminders_due,
)

DUE = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)

# (type, status, time before due, expected [(audience, offset before due)])
CASES: list[tuple[TaskType, str, timedelta, list[tuple[str, timedelta]]]] = [
    ("recheck", "requested", timedelta(days=8), []),
    ("recheck", "requested", timedelta(days=7), [("officer", timedelta(days=7))]),
    (
        "recheck",
        "accepted",
        timedelta(days=1),
        [("officer", timedelta(days=1)), ("medic", timedelta(days=2))],
    ),
    ("recheck", "in-progress", timedelta(days=3), [("officer", timedelta(days=7))]),
    ("referral", "requested", timedelta(days=3), []),  # officers hear about rechecks only
    ("referral", "requested", timedelta(days=2), [("medic", timedelta(days=2))]),
    ("urgent_contact", "requested", timedelta(hours=5), []),
    ("urgent_contact", "requested", timedelta(hours=4), [("medic", timedelta(hours=4))]),
    ("recheck", "requested", timedelta(0), []),  # at the due date escalation takes over
    ("recheck", "requested", -timedelta(days=1), []),
    ("recheck", "completed", timedelta(days=1), []),
    ("recheck", "cancelled", timedelta(days=1), []),
]


@pytest.mark.parametrize(("task_type", "status", "before", "expected"), CASES)
def test_latest_reminder_per_audience_is_due(
    task_type: TaskType, status: str, before: timedelta, expected: list[tuple[str, timedelta]]
) -> None:
    task = ReminderCandidate("t-1", task_type, status, DUE)  # type: ignore[arg-type]
    found = reminders_due(task, DUE - before)
    assert [(r.audience, DUE - r.send_from) for r in found] == expected
    assert all(r.key == reminder_key("t-1", DUE, r.audience, DUE - r.send_from) for r in found)


def test_sent_reminder_is_not_returned_again() -> None:
    task = ReminderCandidate("t-1", "recheck", "requested", DUE)
    first = reminders_due(task, DUE - timedelta(days=1))
    assert reminders_due(task, DUE - timedelta(hours=2), sent={r.key for r in first}) == []


def test_key_names_task_due_audience_and_offset() -> None:
    assert reminder_key("t-1", DUE, "officer", timedelta(days=1)) == (
        "rem/v1/t-1/20260610T090000Z/officer/1440"
    )


def test_non_positive_offset_is_refused() -> None:
    with pytest.raises(Invalid):
        ReminderPolicy(medic=(timedelta(0),))
