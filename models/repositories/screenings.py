"""Queries on screenings (findings live only inside their sealed documents)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import Screening


def add_many(session: Session, screenings: list[dict[str, Any]]) -> None:
    insert_rows(session, Screening.__table__, screenings)


def supersede_for_checkups(session: Session, checkup_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Earlier screenings of these checkups stay as history, marked superseded; their ids."""
    superseded: list[uuid.UUID] = []
    for start in range(0, len(checkup_ids), 1000):
        chunk = checkup_ids[start : start + 1000]
        current = Screening.checkup_id.in_(chunk), Screening.status == "current"
        ids = list(session.scalars(select(Screening.id).where(*current)))
        if ids:
            session.execute(update(Screening).where(*current).values(status="superseded"))
            superseded += ids
    return superseded


def current_for_checkups(
    session: Session, checkup_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Screening]:
    found: dict[uuid.UUID, Screening] = {}
    for start in range(0, len(checkup_ids), 1000):
        query = select(Screening).where(
            Screening.checkup_id.in_(checkup_ids[start : start + 1000]),
            Screening.status == "current",
        )
        found.update((s.checkup_id, s) for s in session.scalars(query))
    return found


def of_officer(
    session: Session, officer_id: uuid.UUID, *, include_superseded: bool = False
) -> Sequence[Screening]:
    query = select(Screening).where(Screening.officer_id == officer_id)
    if not include_superseded:
        query = query.where(Screening.status == "current")
    return session.scalars(query.order_by(Screening.created_at.desc())).all()
