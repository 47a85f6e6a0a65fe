"""The auditor's use cases: search the trail (by officer, actor, action, purpose, time), export
it page by page, verify the chain. Events name their actor's username; an emergency grant's
event carries the reason the medic gave (the one the officer sees), opened for the auditor
because reviewing break-the-glass is what the auditor is for, and that opening is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from health.errors import NotFound
from health.services import access, audit, emergency
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import audit as audit_repo
from models.repositories import grants as grants_repo
from models.repositories import users as users_repo
from models.tables import AuditEvent


@dataclass(frozen=True)
class TrailEvent:
    seq: int
    id: uuid.UUID
    occurred_at: datetime
    actor_id: str
    actor_role: str
    action: str
    resource_type: str
    resource_id: str | None
    officer_id: uuid.UUID | None
    purpose: str | None
    outcome: str
    source: str | None
    detail: str | None
    actor_username: str | None = None
    emergency_reason: str | None = None


@dataclass(frozen=True)
class TrailPage:
    events: list[TrailEvent]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None on the last page."""
        following = self.offset + len(self.events)
        return following if following < self.total else None


_COLUMNS = tuple(
    f.name for f in fields(TrailEvent) if f.name not in ("actor_username", "emergency_reason")
)


def _actor_id(ctx: Ctx, actor: str | None) -> str | None:
    """An actor given by username (as auditors know people) or by the id in the trail."""
    if actor is None:
        return None
    user = users_repo.by_username(ctx.session, actor)
    return str(user.id) if user is not None else actor


def _usernames(ctx: Ctx, events: Sequence[AuditEvent]) -> dict[str, str]:
    ids = []
    for event in events:
        try:
            ids.append(uuid.UUID(event.actor_id))
        except ValueError:
            continue
    found: dict[str, str] = {}
    for user_id in set(ids):
        user = users_repo.get(ctx.session, user_id)
        if user is not None:
            found[str(user_id)] = user.username
    return found


def _reasons(ctx: Ctx, events: Sequence[AuditEvent]) -> dict[str, str]:
    """Reasons of the emergency grants among the events (erased officers' are gone)."""
    found: dict[str, str] = {}
    for event in events:
        if event.action != "emergency.grant" or event.resource_id is None:
            continue
        grant = grants_repo.get(ctx.session, uuid.UUID(event.resource_id))
        if grant is None:
            continue
        try:
            sealer = ctx.vault.sealer_for(ctx.session, grant.officer_id)
        except NotFound:  # a shredded officer's reason is gone by design
            continue
        found[event.resource_id] = sealer.open(
            grant.reason, emergency.reason_slot(grant.id)
        ).decode()
    return found


def search_page(
    ctx: Ctx,
    *,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
    verb: Action = Action.AUDIT_SEARCH,
) -> TrailPage:
    """One page of the trail, newest first, with the total so nothing is cut off silently."""
    access.require(ctx, verb)
    criteria = {
        "officer_id": officer_id,
        "since": since,
        "purpose": purpose,
        "actor_id": _actor_id(ctx, actor),
        "action": action,
    }
    rows = audit_repo.search(ctx.session, limit=limit, offset=offset, **criteria)  # type: ignore[arg-type]
    total = audit_repo.count(ctx.session, **criteria)  # type: ignore[arg-type]
    names = _usernames(ctx, rows)
    reasons = _reasons(ctx, rows)
    events = [
        TrailEvent(
            **{c: getattr(row, c) for c in _COLUMNS},
            actor_username=names.get(row.actor_id),
            emergency_reason=reasons.get(row.resource_id or ""),
        )
        for row in rows
    ]
    audit.record(
        ctx,
        verb,
        "audit_event",
        detail=f"returned={len(events)};total={total};emergency_reasons={len(reasons)}",
    )
    return TrailPage(events, total, limit, offset)


def event(ctx: Ctx, event_id: uuid.UUID) -> TrailEvent:
    """One event by id (the FHIR AuditEvent read), for auditors; the read is itself audited."""
    access.require(ctx, Action.AUDIT_SEARCH)
    row = audit_repo.by_id(ctx.session, event_id)
    if row is None:
        raise NotFound("audit event not found", code="not_found")
    found = TrailEvent(
        **{c: getattr(row, c) for c in _COLUMNS},
        actor_username=_usernames(ctx, [row]).get(row.actor_id),
        emergency_reason=_reasons(ctx, [row]).get(row.resource_id or ""),
    )
    audit.record(ctx, "audit.read", "audit_event", resource_id=str(event_id))
    return found


def search(
    ctx: Ctx,
    *,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TrailEvent]:
    """The trail for auditors; ``purpose="emergency"`` lists every break-the-glass access."""
    return search_page(
        ctx,
        officer_id=officer_id,
        since=since,
        purpose=purpose,
        actor=actor,
        action=action,
        limit=limit,
        offset=offset,
    ).events


def verify(ctx: Ctx) -> audit.ChainReport:
    access.require(ctx, Action.AUDIT_VERIFY)
    report = audit.verify(ctx.session, ctx.vault.hasher)
    audit.record(
        ctx,
        "audit.verify",
        "audit_event",
        outcome="success" if report.ok else "broken",
        detail=f"checked={report.checked}",
    )
    return report
