"""Audit events: written in the same transaction as what they record, each with its own keyed
MAC; the sequencer (``audit_sequencer``) links committed events into the hash chain in batches.

The MAC key lives in the keyring, not the database, so someone who can edit the database can
still not forge an event or a consistent chain. Appending takes no shared row, so audited
requests never queue behind one another.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from health.clock import utcnow
from health.crypto import Hasher
from health.ids import uuid4s
from health.services.context import Ctx
from models.repositories import audit as audit_repo
from models.tables import AuditEvent
from models.tables_audit import AuditLink

GENESIS = bytes(32)
# json's own C string encoder (what ``json.dumps`` uses for each string when ensure_ascii).
_encode_text: Any = json.encoder.encode_basestring_ascii
# How long a committed event may wait for the sequencer before ``verify`` calls it hidden: the
# in-process sequencer runs every second, and the longest writer (an import chunk) commits
# within a minute of recording its events; five minutes leaves room for a restart.
CHAIN_BOUND = timedelta(minutes=5)
_CONTENT = (
    "actor_id",
    "actor_role",
    "action",
    "resource_type",
    "resource_id",
    "purpose",
    "outcome",
    "source",
    "detail",
)


def _content(event: Mapping[str, Any]) -> dict[str, Any]:
    fields = {name: event[name] for name in _CONTENT}
    fields["id"] = str(event["id"])
    fields["occurred_at"] = event["occurred_at"].isoformat()
    fields["officer_id"] = str(event["officer_id"]) if event["officer_id"] else None
    return fields


def _fields(event: AuditEvent | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(event, Mapping):
        return event
    return {column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns}


def _dump(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def event_mac(hasher: Hasher, event: AuditEvent | Mapping[str, Any]) -> bytes:
    """The MAC an event carries from its insert: its content, not its place in the chain."""
    return hasher.audit_mac(b"event\x00" + _dump(_content(_fields(event))))


def chain_mac(hasher: Hasher, event: AuditEvent | Mapping[str, Any], prev_hash: bytes) -> bytes:
    """The link MAC: an event's content and number, and its predecessor's link MAC.

    The same formula the chain used when requests linked events themselves, so links carried
    over from then verify unchanged.
    """
    fields = _fields(event)
    canonical = _content(fields)
    canonical["seq"] = fields["seq"]
    canonical["prev_hash"] = prev_hash.hex()
    return hasher.audit_mac(_dump(canonical))


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
    unchained: int = 0


def verify(
    session: Session,
    hasher: Hasher,
    *,
    now: datetime | None = None,
    bound: timedelta = CHAIN_BOUND,
) -> ChainReport:
    """Walk the chain in order, then the events not yet in it; name the first bad row.

    A link out of place, an event deleted, edited, swapped or forged, a cut tail, and an event
    left unchained for longer than ``bound`` each fail with the row (event number) concerned.
    """
    expected_pos = 1
    prev = GENESIS
    checked = 0
    for found, event in audit_repo.stream_chain(session):
        if found.pos != expected_pos:
            return _broken(checked, found.event_seq, _gap(expected_pos, found))
        if found.prev_hash != prev:
            return _broken(
                checked,
                found.event_seq,
                f"row {found.event_seq} does not link to the row before it "
                "(deleted, reordered or altered)",
            )
        if event is None:
            return _broken(checked, found.event_seq, f"row {found.event_seq} was deleted")
        if chain_mac(hasher, event, prev) != found.hash:
            return _broken(checked, event.seq, f"row {event.seq} was altered")
        prev = found.hash
        expected_pos += 1
        checked += 1
    tip = audit_repo.head(session)
    if tip.seq != checked or tip.hash != prev:
        return ChainReport(
            False,
            checked,
            None,
            f"the chain ends at link {checked} but its head records link {tip.seq} "
            "(rows removed from the end, or head altered)",
        )
    return _unchained_tail(session, hasher, checked, (now or utcnow()) - bound, bound)


def _gap(expected: int, found: AuditLink) -> str:
    return f"link {expected} is missing (next link found is {found.pos}, row {found.event_seq})"


def _broken(checked: int, seq: int | None, reason: str) -> ChainReport:
    return ChainReport(False, checked, seq, reason)


def _unchained_tail(
    session: Session, hasher: Hasher, checked: int, oldest: datetime, bound: timedelta
) -> ChainReport:
    waiting = 0
    for event in audit_repo.unchained(session):
        if event.mac is None or event_mac(hasher, event) != event.mac:
            return _broken(
                checked, event.seq, f"row {event.seq} was altered or inserted (its MAC is wrong)"
            )
        if event.occurred_at < oldest:
            return _broken(
                checked,
                event.seq,
                f"row {event.seq} is not chained after {int(bound.total_seconds())} s "
                "(sequencer not running, or the event was hidden from it)",
            )
        waiting += 1
    return ChainReport(True, checked, unchained=waiting)


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
    """Append many events with one statement: the bulk path still audits every officer.

    Plain rows and one Core insert: this runs on every request and for every officer of a
    bulk import, where ORM objects would cost more than the MACs. No lock: the database
    numbers the events and the sequencer chains them once committed.
    """
    if not specs:
        return
    now = ctx.clock()
    content = _Content(ctx.actor.id, ctx.actor.role, now, ctx.actor.source)
    rows: list[dict[str, Any]] = []
    for spec, event_id in zip(specs, uuid4s(len(specs)), strict=True):
        row: dict[str, Any] = {
            "id": event_id,
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
        }
        text = content.of(row["id"], spec)
        row["mac"] = (
            ctx.vault.hasher.audit_mac(text)
            if text is not None
            else event_mac(ctx.vault.hasher, row)
        )
        rows.append(row)
    audit_repo.append_rows(ctx.session, rows)


class _Content:
    """What ``event_mac`` MACs (``b"event\\x00"`` and the sorted-key JSON of ``_content``), for
    many events of one actor at one moment: the fields they share are encoded once."""

    def __init__(self, actor_id: Any, actor_role: Any, now: datetime, source: Any) -> None:
        self._memo: dict[str, str] = {}
        self._shared = [self._text(v) for v in (actor_id, actor_role, now.isoformat(), source)]

    def _text(self, value: Any) -> str | None:
        if value is None:
            return "null"
        if not isinstance(value, str):
            return None
        text = self._memo.get(value)
        if text is None:
            text = self._memo[value] = _encode_text(value)
        return text

    def of(self, event_id: uuid.UUID, spec: EventSpec) -> bytes | None:
        """The bytes to MAC, or None when a field is not text (``event_mac`` then decides)."""
        actor_id, actor_role, occurred_at, source = self._shared
        officer = None if spec.officer_id is None else str(spec.officer_id)
        texts = [
            self._text(officer),
            self._text(spec.action),
            self._text(spec.detail),
            self._text(spec.outcome),
            self._text(spec.purpose),
            self._text(spec.resource_id),
            self._text(spec.resource_type),
        ]
        if None in texts or None in self._shared:
            return None
        officer, action, detail, outcome, purpose, resource_id, resource_type = texts
        return (
            f'event\x00{{"action":{action},"actor_id":{actor_id},"actor_role":{actor_role},'
            f'"detail":{detail},"id":"{event_id}","occurred_at":{occurred_at},'
            f'"officer_id":{officer},"outcome":{outcome},"purpose":{purpose},'
            f'"resource_id":{resource_id},"resource_type":{resource_type},"source":{source}}}'
        ).encode()
