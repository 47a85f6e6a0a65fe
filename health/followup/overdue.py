"""Overdue, defined once: a task is overdue at time *t* when it is open at *t* and *t* is past
its due date (``t > due``; a task due at 10:00 is not overdue at 10:00).

Open means one of ``OPEN_STATUSES`` (requested, accepted, in-progress, on-hold: a hold does not
stop the clock). Use ``is_overdue`` for one task, ``overdue_mask`` for columns, ``overdue_at_mask``
for a past moment from the task's created/closed times, and in SQL exactly
``status IN OPEN_STATUSES AND due < :now``. All three agree on consistent data (closed_at set
exactly when the status is closed), and a test holds them to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from health.followup.lifecycle import OPEN_STATUSES, InvalidTransition, TaskStatus

OPEN_STATUS_LIST: tuple[TaskStatus, ...] = tuple(sorted(OPEN_STATUSES))


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidTransition("now must be timezone-aware (UTC)", code="naive_datetime")
    return now


def is_overdue(status: str, due: datetime, now: datetime) -> bool:
    """Whether one task is overdue now; the definition every worklist, job and figure shares."""
    return status in OPEN_STATUSES and _aware(now) > due


def overdue_mask(status: pd.Series, due: pd.Series, now: datetime) -> pd.Series:
    """``is_overdue`` over whole columns (``due`` as UTC-aware datetimes)."""
    stamp = pd.Timestamp(_aware(now))
    return status.isin(OPEN_STATUS_LIST) & (pd.to_datetime(due, utc=True) < stamp)


def overdue_at_mask(
    created_at: pd.Series, due: pd.Series, closed_at: pd.Series, at: datetime
) -> pd.Series:
    """Which tasks were overdue at a past moment ``at``: created by then, not yet closed, past due.

    Uses the current due date (reschedules are not replayed), so it is the figure's definition
    for year-end snapshots rather than an exact history.
    """
    stamp = pd.Timestamp(_aware(at))
    created: Any = pd.to_datetime(created_at, utc=True)
    closed: Any = pd.to_datetime(closed_at, utc=True)
    open_then = (created <= stamp) & (closed.isna() | (closed > stamp))
    overdue: pd.Series = open_then & (pd.to_datetime(due, utc=True) < stamp)
    return overdue
