"""Queries on checkups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.tables import Checkup


def add(session: Session, checkup: Checkup) -> Checkup:
    session.add(checkup)
    session.flush()
    return checkup


def add_many(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Checkup), rows)


def by_content(session: Session, officer_id: uuid.UUID, content_hash: bytes) -> Checkup | None:
    query = select(Checkup).where(
        Checkup.officer_id == officer_id, Checkup.content_hash == content_hash
    )
    return session.scalars(query).one_or_none()


def get(session: Session, checkup_id: uuid.UUID) -> Checkup | None:
    return session.get(Checkup, checkup_id)


def of_officer(session: Session, officer_id: uuid.UUID) -> Sequence[Checkup]:
    query = (
        select(Checkup)
        .where(Checkup.officer_id == officer_id)
        .order_by(Checkup.exam_date.desc(), Checkup.version.desc())
    )
    return session.scalars(query).all()


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Checkup)) or 0)
