"""The audit trail: blind appends on the request path; the chain's links read and written by
the sequencer alone; searches in event order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import AuditEvent, AuditHead
from models.tables_audit import AuditLink, AuditPending


def append_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert events: no read, no shared row, so appenders never wait on each other. The
    database numbers ``seq``, and a trigger enqueues each event for the sequencer (in
    ``audit_pending``), whoever inserted it and however (COPY included): bulk rows, not the
    unit of work, as this runs on every request and per officer of imports.

    A request's one event is one plain INSERT on the session's connection: the bulk writer's
    executemany runs in a pipeline, which costs a second round trip and more Python per call.
    """
    if len(rows) == 1:
        session.flush()  # the event may name an object still pending in the unit of work
        session.connection().execute(_INSERT_EVENT, rows[0])
        return
    insert_rows(session, AuditEvent.__table__, rows)


_INSERT_EVENT = insert(cast(Table, AuditEvent.__table__))


def any_event(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(AuditEvent.seq.is_not(None)))))


def head(session: Session) -> AuditHead:
    return session.scalars(select(AuditHead).where(AuditHead.id == 1)).one()


def claim_head(session: Session) -> tuple[int, bytes] | None:
    """The chain tip for the one sequencer at work; None when another one holds it.

    ``SKIP LOCKED`` on PostgreSQL (a second worker's sequencer skips this round instead of
    queueing); on SQLite ``BEGIN IMMEDIATE`` takes the write lock before the tip is read, so
    two processes' sequencers cannot both extend the chain from the same tip.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    query = (
        select(AuditHead.seq, AuditHead.hash)
        .where(AuditHead.id == 1)
        .with_for_update(skip_locked=True)
    )
    found = session.execute(query).one_or_none()
    if found is None:
        return None
    return int(found[0]), bytes(found[1])


def pending(session: Session, limit: int) -> Sequence[AuditEvent]:
    """Committed events waiting for the chain, in the order the database numbered them."""
    query = (
        select(AuditEvent)
        .join(AuditPending, AuditPending.event_id == AuditEvent.id)
        .order_by(AuditEvent.seq)
        .limit(limit)
    )
    return session.scalars(query).all()


def link(session: Session, links: Sequence[dict[str, Any]], done: Sequence[uuid.UUID]) -> None:
    """Write a batch of links, drop their queue entries and move the tip, in one transaction."""
    if links:
        session.execute(insert(AuditLink), list(links))
        last = links[-1]
        session.execute(
            update(AuditHead).where(AuditHead.id == 1).values(seq=last["pos"], hash=last["hash"])
        )
    if done:
        session.execute(delete(AuditPending).where(AuditPending.event_id.in_(done)))


def stream_chain(
    session: Session, batch: int = 5000
) -> Iterator[tuple[AuditLink, AuditEvent | None]]:
    """Every link in position order with its event (None when the event row is gone)."""
    last = 0
    while True:
        rows = session.execute(
            select(AuditLink, AuditEvent)
            .outerjoin(AuditEvent, AuditEvent.seq == AuditLink.event_seq)
            .where(AuditLink.pos > last)
            .order_by(AuditLink.pos)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from ((found_link, event) for found_link, event in rows)
        last = rows[-1][0].pos


def unchained(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    """Events with no link, in event order (the sequencer's backlog, or a hidden event)."""
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.seq > last,
                ~exists().where(AuditLink.event_seq == AuditEvent.seq),
            )
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _filtered(
    query: Any,
    *,
    officer_id: uuid.UUID | None,
    since: datetime | None,
    purpose: str | None,
    actor_id: str | None = None,
    action: str | None = None,
) -> Any:
    if purpose is not None:
        query = query.where(AuditEvent.purpose == purpose)
    if officer_id is not None:
        query = query.where(AuditEvent.officer_id == officer_id)
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action is not None:
        if action.endswith("*"):
            query = query.where(AuditEvent.action.startswith(action[:-1], autoescape=True))
        else:
            query = query.where(AuditEvent.action == action)
    return query


def search(
    session: Session,
    *,
    officer_id: uuid.UUID | None,
    since: datetime | None,
    limit: int,
    offset: int,
    purpose: str | None = None,
    actor_id: str | None = None,
    action: str | None = None,
) -> Sequence[AuditEvent]:
    query = _filtered(
        select(AuditEvent),
        officer_id=officer_id,
        since=since,
        purpose=purpose,
        actor_id=actor_id,
        action=action,
    )
    return session.scalars(query.order_by(AuditEvent.seq.desc()).limit(limit).offset(offset)).all()


def count(
    session: Session,
    *,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    actor_id: str | None = None,
    action: str | None = None,
) -> int:
    query = _filtered(
        select(func.count()).select_from(AuditEvent),
        officer_id=officer_id,
        since=since,
        purpose=purpose,
        actor_id=actor_id,
        action=action,
    )
    return int(session.scalar(query) or 0)


def on_resources(
    session: Session, action: str, resource_type: str, resource_ids: Sequence[str], limit: int
) -> Sequence[AuditEvent]:
    """Events of one action on any of the resources, newest first."""
    if not resource_ids:
        return []
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.resource_type == resource_type,
            AuditEvent.resource_id.in_(list(resource_ids)),
            AuditEvent.action == action,
        )
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    )
    return session.scalars(query).all()


def by_id(session: Session, event_id: uuid.UUID) -> AuditEvent | None:
    return session.scalars(select(AuditEvent).where(AuditEvent.id == event_id)).first()
