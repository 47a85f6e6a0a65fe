"""Audit events: written in the same transaction as what they record, chained with a keyed MAC.

The MAC key lives in the keyring, not the database, so someone who can edit the database can
still not forge a consistent chain.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from health.crypto import Hasher
from health.services.context import Ctx
from models.repositories import audit as audit_repo
from models.tables import AuditEvent

GENESIS = bytes(32)


def _canonical(event: Mapping[str, Any]) -> bytes:
    fields = {
        "seq": event["seq"],
        "id": str(event["id"]),
        "occurred_at": event["occurred_at"].isoformat(),
        "actor_id": event["actor_id"],
        "actor_role": event["actor_role"],
        "action": event["action"],
        "resource_type": event["resource_type"],
        "resource_id": event["resource_id"],
        "officer_id": str(event["officer_id"]) if event["officer_id"] else None,
        "purpose": event["purpose"],
        "outcome": event["outcome"],
        "source": event["source"],
        "detail": event["detail"],
        "prev_hash": event["prev_hash"].hex(),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def chain_mac(hasher: Hasher, event: AuditEvent | Mapping[str, Any]) -> bytes:
    """The MAC over an event's content and its predecessor's MAC (the chain link)."""
    fields = (
        event
        if isinstance(event, Mapping)
        else {column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns}
    )
    return hasher.audit_mac(_canonical(fields))


def record(
    ctx: Ctx,
    action: str,
    resource_type: str,
    *,
    resource_id: str | None = None,
    officer_id: uuid.UUID | None = None,
    outcome: str = "success",
    purpose: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one event. ``detail`` must hold ids or counts only, never health data."""
    record_many(
        ctx, [EventSpec(action, resource_type, resource_id, officer_id, outcome, purpose, detail)]
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str | None = None


def verify(session: Session, hasher: Hasher) -> ChainReport:
    """Walk the chain in order; name the first row whose sequence, link or MAC is wrong."""
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for event in audit_repo.stream(session):
        if event.seq != expected_seq:
            return ChainReport(
                False,
                checked,
                expected_seq,
                f"row {expected_seq} is missing (next row found is {event.seq})",
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                checked,
                event.seq,
                f"row {event.seq} does not link to row {event.seq - 1} "
                "(deleted, reordered or altered)",
            )
        if chain_mac(hasher, event) != event.hash:
            return ChainReport(False, checked, event.seq, f"row {event.seq} was altered")
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = audit_repo.head(session)
    if head.seq != checked or head.hash != prev:
        return ChainReport(
            False,
            checked,
            checked + 1 if head.seq > checked else head.seq,
            f"chain ends at row {checked} but its head records row {head.seq} "
            "(rows removed from the end, or head altered)",
        )
    return ChainReport(True, checked)


@dataclass(frozen=True)
class EventSpec:
    action: str
    resource_type: str
    resource_id: str | None = None
    officer_id: uuid.UUID | None = None
    outcome: str = "success"
    purpose: str | None = None
    detail: str | None = None


def record_many(ctx: Ctx, specs: Sequence[EventSpec]) -> None:
    """Append many events under one head lock: the bulk path still audits every officer.

    Plain rows and one Core insert: this runs on every request and for every officer of a
    bulk import, where ORM objects would cost more than the MACs.
    """
    if not specs:
        return
    head_seq, head_mac = audit_repo.lock_head(ctx.session)
    now = ctx.clock()
    rows: list[dict[str, Any]] = []
    for spec in specs:
        head_seq += 1
        row: dict[str, Any] = {
            "seq": head_seq,
            "id": uuid.uuid4(),
            "occurred_at": now,
            "actor_id": ctx.actor.id,
            "actor_role": ctx.actor.role,
            "action": spec.action,
            "resource_type": spec.resource_type,
            "resource_id": spec.resource_id,
            "officer_id": spec.officer_id,
            "purpose": spec.purpose,
            "outcome": spec.outcome,
            "source": ctx.actor.source,
            "detail": spec.detail,
            "prev_hash": head_mac,
        }
        row["hash"] = head_mac = chain_mac(ctx.vault.hasher, row)
        rows.append(row)
    audit_repo.append_rows(ctx.session, rows)
