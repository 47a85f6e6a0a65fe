"""Request and response bodies of the officer list, search, roster and portal accounts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import LAST_PAGE, RowErrorOut, TaskOut
from health.vocabulary import TaskType


class OfficerSearchIn(BaseModel):
    """Identifiers and names travel in the body, never in a URL (URLs end up in logs)."""

    badge_number: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=100)
    unit_id: uuid.UUID | None = None
    page: int = Field(default=1, ge=1, le=LAST_PAGE)
    page_size: int = Field(default=50, ge=1, le=200)


class OfficerSummaryOut(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    badge_number: str
    name: str
    sex: str
    birth_date: date


class OfficerPageOut(BaseModel):
    items: list[OfficerSummaryOut]
    total: int
    page: int
    page_size: int


class LocatedOut(BaseModel):
    """That an officer with this badge exists; nothing about them until a grant is made."""

    officer_id: uuid.UUID
    in_scope: bool


class RosterChangeOut(BaseModel):
    row: int
    kind: str
    badge_number: str
    officer_id: uuid.UUID | None
    fields: list[str]


class RosterReportOut(BaseModel):
    dry_run: bool
    mode: str
    stored: bool
    rows_read: int
    new: int
    changed: int
    unchanged: int
    rejected: int
    changes: list[RosterChangeOut]
    errors: list[RowErrorOut]


class PortalAccountOut(BaseModel):
    officer_id: uuid.UUID
    unit_code: str
    badge_number: str
    name: str
    username: str
    password: str


class PlannedTaskIn(BaseModel):
    """A task a medic plans by hand; the note is sealed under the officer's key."""

    officer_id: uuid.UUID
    type: Literal[TaskType.RECHECK, TaskType.REFERRAL, TaskType.LIFESTYLE, TaskType.HOME_VISIT]
    due: datetime
    priority: int = Field(default=3, ge=1, le=5)
    note: str | None = Field(default=None, max_length=4000)


class TaskEventOut(BaseModel):
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


class UnitRefOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str


class AccountOut(BaseModel):
    user_id: uuid.UUID
    username: str
    role: str
    units: list[UnitRefOut]
    officer_id: uuid.UUID | None
    totp_enabled: bool


class RoundPlanIn(BaseModel):
    cadence_days: int = Field(ge=7, le=365)
    visits: int = Field(ge=1, le=200)


class RoundPlanOut(BaseModel):
    unit_id: uuid.UUID
    cadence_days: int
    visits: int
    last_round_on: date | None
    next_round_on: date


class RoundRunOut(BaseModel):
    held: bool
    plan: RoundPlanOut
    tasks: list[TaskOut]


class SessionIn(BaseModel):
    day: date
    capacity: int = Field(ge=1, le=500)
    place: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    day: date
    capacity: int
    place: str
    booked: int


class BookingsIn(BaseModel):
    officer_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class BookingOut(BaseModel):
    officer: OfficerSummaryOut
    status: str
    booked_at: datetime


class SeasonOut(BaseModel):
    unit_id: uuid.UUID
    year: int
    as_of: date
    sessions: list[SessionOut]
    done: list[uuid.UUID]
    booked: list[uuid.UUID]
    missed: list[uuid.UUID]
    due: list[uuid.UUID]
    overdue: list[uuid.UUID]
