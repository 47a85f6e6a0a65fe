"""The officers an import part names, with their wrapped data keys, as plain rows.

One query per thousand identifiers, no ORM objects: an import resolves every row of a file
twice (deciding, then storing), so building an ``Officer`` and an ``OfficerKey`` per row cost
more than the query itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models.tables import Officer, OfficerKey

BATCH = 1000


class OfficerWithKey(NamedTuple):
    """What resolving a row needs of its officer; key fields are ``None`` once shredded."""

    id: uuid.UUID
    unit_id: uuid.UUID
    badge_index: bytes | None
    personal: bytes | None
    conditions: bytes | None
    erased_at: datetime | None
    kek_version: int | None
    dek_version: int | None
    wrapped_dek: bytes | None


def _rows(session: Session, where: ColumnElement[bool]) -> list[OfficerWithKey]:
    query = (
        select(
            Officer.id,
            Officer.unit_id,
            Officer.badge_index,
            Officer.personal,
            Officer.conditions,
            Officer.erased_at,
            OfficerKey.kek_version,
            OfficerKey.dek_version,
            OfficerKey.wrapped_dek,
        )
        .outerjoin(OfficerKey, OfficerKey.officer_id == Officer.id)
        .where(where)
    )
    return [OfficerWithKey(*row) for row in session.execute(query)]


def by_badge_indexes(session: Session, indexes: Sequence[bytes]) -> dict[bytes, OfficerWithKey]:
    """Officers for many blind indexes at once (IN lists of at most ``BATCH``)."""
    found: dict[bytes, OfficerWithKey] = {}
    unique = list(dict.fromkeys(indexes))
    for start in range(0, len(unique), BATCH):
        for row in _rows(session, Officer.badge_index.in_(unique[start : start + BATCH])):
            if row.badge_index is not None:
                found[row.badge_index] = row
    return found


def by_ids(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OfficerWithKey]:
    found: dict[uuid.UUID, OfficerWithKey] = {}
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), BATCH):
        found.update(
            (row.id, row) for row in _rows(session, Officer.id.in_(unique[start : start + BATCH]))
        )
    return found
