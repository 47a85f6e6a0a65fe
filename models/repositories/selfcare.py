"""Queries on officers' own readings and lifestyle programmes (sealed rows, ids and dates)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Checkup
from models.tables_selfcare import Programme, ProgrammeContact, Reading


def add(session: Session, row: Reading | Programme | ProgrammeContact) -> None:
    session.add(row)
    session.flush()


def reading_by_hash(session: Session, officer_id: uuid.UUID, content_hash: bytes) -> Reading | None:
    query = select(Reading).where(
        Reading.officer_id == officer_id, Reading.content_hash == content_hash
    )
    return session.scalars(query).first()


def readings_since(
    session: Session, officer_id: uuid.UUID, since: datetime, until: datetime
) -> Sequence[Reading]:
    query = (
        select(Reading)
        .where(
            Reading.officer_id == officer_id, Reading.taken_at >= since, Reading.taken_at <= until
        )
        .order_by(Reading.taken_at, Reading.id)
    )
    return session.scalars(query).all()


def readings_of(session: Session, officer_id: uuid.UUID, limit: int) -> Sequence[Reading]:
    query = (
        select(Reading)
        .where(Reading.officer_id == officer_id)
        .order_by(Reading.taken_at.desc(), Reading.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def programme(session: Session, programme_id: uuid.UUID) -> Programme | None:
    return session.get(Programme, programme_id)


def programmes_of(session: Session, officer_id: uuid.UUID) -> Sequence[Programme]:
    query = (
        select(Programme)
        .where(Programme.officer_id == officer_id)
        .order_by(Programme.enrolled_on, Programme.id)
    )
    return session.scalars(query).all()


def contacts_of(session: Session, programme_id: uuid.UUID) -> Sequence[ProgrammeContact]:
    query = (
        select(ProgrammeContact)
        .where(ProgrammeContact.programme_id == programme_id)
        .order_by(ProgrammeContact.contact_on, ProgrammeContact.created_at)
    )
    return session.scalars(query).all()


def next_checkup(session: Session, officer_id: uuid.UUID, after: date) -> Checkup | None:
    """The officer's first current checkup dated after ``after``."""
    query = (
        select(Checkup)
        .where(
            Checkup.officer_id == officer_id,
            Checkup.status == "current",
            Checkup.exam_date > after,
        )
        .order_by(Checkup.exam_date)
        .limit(1)
    )
    return session.scalars(query).first()


def programme_rows(session: Session) -> list[tuple[Any, ...]]:
    """(unit_id, status, enrolled_on, ended_on) of every programme, for unit figures."""
    query = select(Programme.unit_id, Programme.status, Programme.enrolled_on, Programme.ended_on)
    return [tuple(row) for row in session.execute(query)]
