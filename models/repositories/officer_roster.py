"""Queries behind the officer list, search and roster: officers in unit subtrees, units by code,
national-ID indexes, and officers' portal accounts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, or_, select, update
from sqlalchemy.orm import Session

from models.tables import AppUser, Officer, OfficerKey, Unit


def _under(paths: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(Unit.path.startswith(path, autoescape=True) for path in paths))


def _in_subtrees(paths: Sequence[str]) -> Select[Officer, OfficerKey, Unit]:
    return (
        select(Officer, OfficerKey, Unit)
        .join(OfficerKey, OfficerKey.officer_id == Officer.id)
        .join(Unit, Unit.id == Officer.unit_id)
        .where(Officer.erased_at.is_(None), _under(paths))
    )


def count_in_subtrees(session: Session, paths: Sequence[str]) -> int:
    """How many live officers serve in any of the unit subtrees."""
    if not paths:
        return 0
    query = (
        select(func.count())
        .select_from(Officer)
        .join(Unit, Unit.id == Officer.unit_id)
        .where(Officer.erased_at.is_(None), _under(paths))
    )
    return int(session.scalar(query) or 0)


def page_in_subtrees(
    session: Session, paths: Sequence[str], offset: int, limit: int
) -> Sequence[tuple[Officer, OfficerKey, Unit]]:
    """One page of officers ordered by unit path then id (names are sealed: no ORDER BY name)."""
    if not paths:
        return []
    query = _in_subtrees(paths).order_by(Unit.path, Officer.id).offset(offset).limit(limit)
    return [(o, k, u) for o, k, u in session.execute(query)]


def all_in_subtrees(
    session: Session, paths: Sequence[str]
) -> Sequence[tuple[Officer, OfficerKey, Unit]]:
    """Every officer in the subtrees, with their wrapped key and unit (for in-memory search)."""
    if not paths:
        return []
    return [(o, k, u) for o, k, u in session.execute(_in_subtrees(paths))]


def with_keys(
    session: Session, officer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[Officer, OfficerKey, Unit]]:
    """Officers by id with wrapped key and unit (chunks of 1,000 keep the IN list bounded)."""
    found: dict[uuid.UUID, tuple[Officer, OfficerKey, Unit]] = {}
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = (
            select(Officer, OfficerKey, Unit)
            .join(OfficerKey, OfficerKey.officer_id == Officer.id)
            .join(Unit, Unit.id == Officer.unit_id)
            .where(Officer.id.in_(unique[start : start + 1000]))
        )
        found.update((o.id, (o, k, u)) for o, k, u in session.execute(query))
    return found


def units_by_code(session: Session, codes: Sequence[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    unique = list(dict.fromkeys(codes))
    for start in range(0, len(unique), 1000):
        query = select(Unit).where(Unit.code.in_(unique[start : start + 1000]))
        found.update((u.code, u) for u in session.scalars(query))
    return found


def by_national_id_indexes(session: Session, indexes: Sequence[bytes]) -> dict[bytes, Officer]:
    found: dict[bytes, Officer] = {}
    unique = list(dict.fromkeys(indexes))
    for start in range(0, len(unique), 1000):
        query = select(Officer).where(Officer.national_id_index.in_(unique[start : start + 1000]))
        found.update(
            (o.national_id_index, o) for o in session.scalars(query) if o.national_id_index
        )
    return found


def update_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key (each dict has ``id``)."""
    if rows:
        session.execute(update(Officer), rows)


def officers_with_account(session: Session, officer_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(AppUser.officer_id).where(
            AppUser.officer_id.in_(unique[start : start + 1000])
        )
        found.update(i for i in session.scalars(query) if i is not None)
    return found


def add_users(session: Session, users: list[dict[str, Any]]) -> None:
    if users:
        session.execute(insert(AppUser), users)
