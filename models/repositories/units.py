"""Queries on the unit tree."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Unit


def add(session: Session, unit: Unit) -> Unit:
    session.add(unit)
    session.flush()
    return unit


def get(session: Session, unit_id: uuid.UUID) -> Unit | None:
    return session.get(Unit, unit_id)


def by_code(session: Session, code: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.code == code)).one_or_none()


def list_all(session: Session) -> Sequence[Unit]:
    return session.scalars(select(Unit).order_by(Unit.path)).all()


def by_ids(session: Session, unit_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Unit]:
    """The units of a page of rows, by id (a page names a few of the tree's thousands)."""
    query = select(Unit).where(Unit.id.in_(list(unit_ids)))
    return {unit.id: unit for unit in session.scalars(query)}


def count(session: Session) -> int:
    return len(session.scalars(select(Unit.id)).all())


def paths(session: Session) -> dict[uuid.UUID, str]:
    """Every unit's materialised path: the tree is small (thousands), read it whole."""
    return {row.id: row.path for row in session.execute(select(Unit.id, Unit.path))}
