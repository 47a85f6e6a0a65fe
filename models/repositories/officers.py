"""Queries on officers and their wrapped data keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import Officer, OfficerKey, Unit


def add(session: Session, officer: Officer, key: OfficerKey) -> None:
    session.add(officer)
    session.flush()
    session.add(key)
    session.flush()


def add_many(session: Session, officers: list[dict[str, Any]], keys: list[dict[str, Any]]) -> None:
    """Bulk insert (COPY on PostgreSQL): the path for rosters, the demo and the benchmarks."""
    insert_rows(session, Officer.__table__, officers)
    insert_rows(session, OfficerKey.__table__, keys)


def get(session: Session, officer_id: uuid.UUID) -> Officer | None:
    return session.get(Officer, officer_id)


# Built once: this read runs on every audited record request, and composing the statement
# (operators, joins, its cache key) cost as much Python as loading the row.
_OFFICER_KEY_UNIT = (
    select(Officer, OfficerKey, Unit)
    .outerjoin(OfficerKey, OfficerKey.officer_id == Officer.id)
    .join(Unit, Unit.id == Officer.unit_id)
    .where(Officer.id == bindparam("officer_id"))
)


def get_with_key(session: Session, officer_id: uuid.UUID) -> Officer | None:
    """The officer, their wrapped key and their unit in one query. Key and unit stay in the
    session's identity map (held in ``session.info``: the map itself keeps only weak
    references), so ``key_of`` to open the record and the scope check on the unit's path
    (``session.get``) right after need no second round trip."""
    row = session.execute(_OFFICER_KEY_UNIT, {"officer_id": officer_id}).one_or_none()
    if row is None:
        return None
    session.info.setdefault("officer_reads", {})[officer_id] = (row[1], row[2])
    return row[0]


def by_badge_index(session: Session, index: bytes) -> Officer | None:
    return session.scalars(select(Officer).where(Officer.badge_index == index)).one_or_none()


def existing_badge_indexes(session: Session, indexes: list[bytes]) -> set[bytes]:
    found: set[bytes] = set()
    for start in range(0, len(indexes), 1000):
        chunk = indexes[start : start + 1000]
        query = select(Officer.badge_index).where(Officer.badge_index.in_(chunk))
        found.update(index for index in session.scalars(query) if index is not None)
    return found


def key_of(session: Session, officer_id: uuid.UUID) -> OfficerKey | None:
    return session.get(OfficerKey, officer_id)


def keys_of(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OfficerKey]:
    found: dict[uuid.UUID, OfficerKey] = {}
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(OfficerKey).where(OfficerKey.officer_id.in_(unique[start : start + 1000]))
        found.update((row.officer_id, row) for row in session.scalars(query))
    return found


def count_keys(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OfficerKey)) or 0)


def count_keys_by_kek(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(OfficerKey.kek_version, func.count()).group_by(OfficerKey.kek_version)
    ).all()
    return {int(version): int(n) for version, n in rows}


def keys_not_on(session: Session, kek_version: int, limit: int) -> Sequence[OfficerKey]:
    """The next batch of keys still wrapped by an older KEK, locked for re-wrapping."""
    query = (
        select(OfficerKey)
        .where(OfficerKey.kek_version != kek_version)
        .order_by(OfficerKey.officer_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).all()


def shred(session: Session, officer_id: uuid.UUID, when: Any) -> None:
    """Destroy the data key and every clear lookup handle; the ciphertexts become noise."""
    session.execute(delete(OfficerKey).where(OfficerKey.officer_id == officer_id))
    session.execute(
        update(Officer)
        .where(Officer.id == officer_id)
        .values(badge_index=None, national_id_index=None, personal=None, erased_at=when)
    )


def by_badge_indexes(session: Session, indexes: Sequence[bytes]) -> dict[bytes, Officer]:
    """Officers for many blind indexes at once (chunks of 1,000 keep the IN list bounded)."""
    found: dict[bytes, Officer] = {}
    unique = list(dict.fromkeys(indexes))
    for start in range(0, len(unique), 1000):
        query = select(Officer).where(Officer.badge_index.in_(unique[start : start + 1000]))
        found.update((o.badge_index, o) for o in session.scalars(query) if o.badge_index)
    return found


def by_ids(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Officer]:
    found: dict[uuid.UUID, Officer] = {}
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(Officer).where(Officer.id.in_(unique[start : start + 1000]))
        found.update((o.id, o) for o in session.scalars(query))
    return found


def live_ids(session: Session) -> list[uuid.UUID]:
    """Every officer not erased, in a stable order (for chunked background work)."""
    query = select(Officer.id).where(Officer.erased_at.is_(None)).order_by(Officer.id)
    return list(session.scalars(query))
