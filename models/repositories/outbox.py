"""Queries on the notification outbox and the idempotency-key store."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.tables import IdempotencyKey, Outbox


def enqueue(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Add notices, skipping any (key, recipient) already queued; returns how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    added = 0
    for start in range(0, len(rows), 500):
        statement = (
            module.insert(Outbox)
            .values(list(rows[start : start + 500]))
            .on_conflict_do_nothing(index_elements=["key", "recipient"])
            .returning(Outbox.id)
        )
        added += len(session.execute(statement).all())
    return added


def claim_next(
    session: Session, *, max_attempts: int, skip: Collection[uuid.UUID] = ()
) -> Outbox | None:
    """The oldest unsent notice; on PostgreSQL locked so parallel workers skip each other."""
    query = (
        select(Outbox)
        .where(Outbox.sent_at.is_(None), Outbox.attempts < max_attempts)
        .order_by(Outbox.created_at, Outbox.id)
        .limit(1)
    )
    if skip:
        query = query.where(Outbox.id.not_in(list(skip)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def mark_sent(session: Session, outbox_id: uuid.UUID, when: datetime) -> None:
    session.execute(
        update(Outbox)
        .where(Outbox.id == outbox_id)
        .values(sent_at=when, attempts=Outbox.attempts + 1, last_error=None)
    )


def mark_failed(session: Session, outbox_id: uuid.UUID, error: str, *, give_up: int) -> None:
    """Count a failed attempt; ``give_up`` sets the attempts to the cap (permanent failure)."""
    attempts = give_up if give_up else Outbox.attempts + 1
    session.execute(
        update(Outbox)
        .where(Outbox.id == outbox_id)
        .values(attempts=attempts, last_error=error[:200])
    )


def by_key_prefix(session: Session, prefix: str) -> list[Outbox]:
    query = select(Outbox).where(Outbox.key.startswith(prefix, autoescape=True))
    return list(session.scalars(query.order_by(Outbox.created_at, Outbox.key)))


def count_pending(session: Session) -> int:
    query = select(func.count()).select_from(Outbox).where(Outbox.sent_at.is_(None))
    return int(session.scalar(query) or 0)


def idempotent(session: Session, user_id: str, key: str) -> IdempotencyKey | None:
    return session.get(IdempotencyKey, (user_id, key))


def remember(session: Session, row: IdempotencyKey) -> None:
    session.add(row)
    session.flush()
