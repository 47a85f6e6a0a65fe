"""The audit chain: append under a lock on its head, read in sequence order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import AuditEvent, AuditHead


def lock_head(session: Session) -> tuple[int, bytes]:
    """The chain tip (sequence, MAC), row-locked on PostgreSQL so concurrent appenders queue."""
    query = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    seq, mac = session.execute(query).one()
    return int(seq), bytes(mac)


def head(session: Session) -> AuditHead:
    return session.scalars(select(AuditHead).where(AuditHead.id == 1)).one()


def append_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk rows, not the unit of work: this runs on every request and per officer of imports."""
    insert_rows(session, AuditEvent.__table__, rows)
    last = rows[-1]
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=last["seq"], hash=last["hash"])
    )


def stream(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def search(
    session: Session,
    *,
    officer_id: uuid.UUID | None,
    since: datetime | None,
    limit: int,
    offset: int,
    purpose: str | None = None,
) -> Sequence[AuditEvent]:
    query = select(AuditEvent)
    if purpose is not None:
        query = query.where(AuditEvent.purpose == purpose)
    if officer_id is not None:
        query = query.where(AuditEvent.officer_id == officer_id)
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    return session.scalars(query.order_by(AuditEvent.seq.desc()).limit(limit).offset(offset)).all()
