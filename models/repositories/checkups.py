"""Queries on checkups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import Checkup


def add_many(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_rows(session, Checkup.__table__, rows)


def get(session: Session, checkup_id: uuid.UUID) -> Checkup | None:
    return session.get(Checkup, checkup_id)


def of_officer(session: Session, officer_id: uuid.UUID) -> Sequence[Checkup]:
    query = (
        select(Checkup)
        .where(Checkup.officer_id == officer_id)
        .order_by(Checkup.exam_date.desc(), Checkup.version.desc())
    )
    return session.scalars(query).all()


def current_of(session: Session, officer_ids: Sequence[uuid.UUID]) -> list[Checkup]:
    """The current version of every checkup of these officers."""
    found: list[Checkup] = []
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(Checkup).where(
            Checkup.officer_id.in_(unique[start : start + 1000]), Checkup.status == "current"
        )
        found.extend(session.scalars(query))
    return found


def supersede(session: Session, checkup_ids: Sequence[uuid.UUID]) -> None:
    for start in range(0, len(checkup_ids), 1000):
        session.execute(
            update(Checkup)
            .where(Checkup.id.in_(checkup_ids[start : start + 1000]))
            .values(status="superseded")
        )
