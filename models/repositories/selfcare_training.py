"""Queries on courses and training attendance (not health data, kept in clear)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.tables import Officer, Unit
from models.tables_selfcare import Course, Training


def add_course(session: Session, course: Course) -> None:
    session.add(course)
    session.flush()


def courses(session: Session) -> Sequence[Course]:
    return session.scalars(select(Course).order_by(Course.code)).all()


def course_by_code(session: Session, code: str) -> Course | None:
    return session.scalars(select(Course).where(Course.code == code)).first()


def attended(
    session: Session, officer_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID, date]]:
    """(officer, course, day) already recorded for these officers: the import's dedup keys."""
    found: set[tuple[uuid.UUID, uuid.UUID, date]] = set()
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(Training.officer_id, Training.course_id, Training.attended_on).where(
            Training.officer_id.in_(unique[start : start + 1000])
        )
        found.update((o, c, d) for o, c, d in session.execute(query))
    return found


def add_many(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Training), list(rows))


def officers_in(session: Session, unit_path: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(officer_id, unit_id) of live officers in a subtree ("" for the whole force)."""
    query = (
        select(Officer.id, Officer.unit_id)
        .join(Unit, Unit.id == Officer.unit_id)
        .where(Officer.erased_at.is_(None), Unit.path.startswith(unit_path, autoescape=True))
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def latest_expiry(session: Session, unit_path: str, as_of: date) -> list[tuple[Any, ...]]:
    """(officer_id, course_id, latest expiry) over attendances up to ``as_of``, in a subtree."""
    query = (
        select(Training.officer_id, Training.course_id, func.max(Training.expires_on))
        .join(Officer, Officer.id == Training.officer_id)
        .join(Unit, Unit.id == Officer.unit_id)
        .where(
            Officer.erased_at.is_(None),
            Training.attended_on <= as_of,
            Unit.path.startswith(unit_path, autoescape=True),
        )
        .group_by(Training.officer_id, Training.course_id)
    )
    return [tuple(row) for row in session.execute(query)]
