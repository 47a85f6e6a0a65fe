"""Follow-up task words: types, FHIR R4 ``Task.status`` codes, moves and outcomes.

The statuses are FHIR's own codes (hl7.org/fhir/R4/valueset-task-status.html); which move
leads where, and which outcome goes with which move, is ``health.followup.lifecycle``'s job.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class TaskType(StrEnum):
    URGENT_CONTACT = "urgent_contact"
    RECHECK = "recheck"
    REFERRAL = "referral"
    LIFESTYLE = "lifestyle"
    HOME_VISIT = "home_visit"


class TaskStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


OPEN_STATUSES: Final[frozenset[TaskStatus]] = frozenset(
    {TaskStatus.REQUESTED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.ON_HOLD}
)
CLOSED_STATUSES: Final[frozenset[TaskStatus]] = frozenset(TaskStatus) - OPEN_STATUSES


class TaskMove(StrEnum):
    """A move of the lifecycle, as a task's history records it. ``CREATE`` opens the history;
    ``MERGE`` (a new finding joined an open task) and ``ASSIGN`` (a medic took it) are history
    entries that change no status, so the lifecycle refuses them as moves."""

    CREATE = "create"
    ACCEPT = "accept"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    RECORD_CONTACT = "record_contact"
    COMPLETE = "complete"
    CANCEL = "cancel"
    FAIL = "fail"
    MERGE = "merge"
    ASSIGN = "assign"


class Outcome(StrEnum):
    """Outreach outcomes; ``health.followup.lifecycle`` says which move each goes with."""

    DONE_WITH_RESULT = "done_with_result"
    AGREED_TO_VISIT = "agreed_to_visit"
    CALL_AGAIN_LATER = "call_again_later"
    UNREACHABLE = "unreachable"
    DECLINED = "declined"
    TRANSFERRED = "transferred"
    NOT_NEEDED_AFTER_REVIEW = "not_needed_after_review"
