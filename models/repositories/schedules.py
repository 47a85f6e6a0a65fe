"""Queries on round plans, checkup sessions and bookings, and the facts a round is chosen by."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from health.vocabulary import Outcome, TaskStatus
from models.tables import Checkup, Officer, Task, Unit
from models.tables_season import CheckupSession, RoundPlan, SessionBooking

OPEN = (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.ON_HOLD, TaskStatus.REQUESTED)
CONTACT_OUTCOMES = (Outcome.DONE_WITH_RESULT, Outcome.AGREED_TO_VISIT)


def round_plan(session: Session, unit_id: uuid.UUID) -> RoundPlan | None:
    return session.get(RoundPlan, unit_id)


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def officers_under(session: Session, path: str) -> list[Officer]:
    query = (
        select(Officer)
        .join(Unit, Unit.id == Officer.unit_id)
        .where(Officer.erased_at.is_(None), Unit.path.startswith(path, autoescape=True))
        .order_by(Officer.id)
    )
    return list(session.scalars(query))


def open_task_counts(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    query = (
        select(Task.officer_id, func.count())
        .where(Task.officer_id.in_(list(officer_ids)), Task.status.in_(OPEN))
        .group_by(Task.officer_id)
    )
    return {officer_id: int(n) for officer_id, n in session.execute(query)}


def last_contacts(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When each officer's last task was completed with a contact made."""
    query = (
        select(Task.officer_id, func.max(Task.closed_at))
        .where(
            Task.officer_id.in_(list(officer_ids)),
            Task.status == TaskStatus.COMPLETED,
            Task.outcome.in_(CONTACT_OUTCOMES),
        )
        .group_by(Task.officer_id)
    )
    return {officer_id: closed for officer_id, closed in session.execute(query) if closed}


def sessions_of(session: Session, path: str, start: date, end: date) -> list[CheckupSession]:
    query = (
        select(CheckupSession)
        .join(Unit, Unit.id == CheckupSession.unit_id)
        .where(
            Unit.path.startswith(path, autoescape=True),
            CheckupSession.day >= start,
            CheckupSession.day <= end,
        )
        .order_by(CheckupSession.day, CheckupSession.id)
    )
    return list(session.scalars(query))


def get_session(session: Session, session_id: uuid.UUID) -> CheckupSession | None:
    return session.get(CheckupSession, session_id)


def bookings_of(session: Session, session_ids: Sequence[uuid.UUID]) -> list[SessionBooking]:
    if not session_ids:
        return []
    query = select(SessionBooking).where(SessionBooking.session_id.in_(list(session_ids)))
    return list(session.scalars(query.order_by(SessionBooking.booked_at, SessionBooking.id)))


def checkup_days(
    session: Session, officer_ids: Sequence[uuid.UUID], start: date, end: date
) -> set[tuple[uuid.UUID, date]]:
    """(officer, exam date) pairs of checkups in a period, to tell attended from missed."""
    query = select(Checkup.officer_id, Checkup.exam_date).where(
        Checkup.officer_id.in_(list(officer_ids)),
        Checkup.exam_date >= start,
        Checkup.exam_date <= end,
    )
    return {(o, d) for o, d in session.execute(query)}


def last_checkups(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, date]:
    query = (
        select(Checkup.officer_id, func.max(Checkup.exam_date))
        .where(Checkup.officer_id.in_(list(officer_ids)))
        .group_by(Checkup.officer_id)
    )
    return dict(session.execute(query).all())
