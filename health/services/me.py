"""What an officer sees of themselves: their record, and who accessed it and why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from health.errors import NotFound
from health.services import (
    access,
    audit,
    checkups,
    emergency,
    officers,
    scope_grants,
    screening,
)
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import audit as audit_repo
from models.repositories import grants as grants_repo
from models.repositories import users as users_repo
from models.tables import AppUser


def my_officer_id(ctx: Ctx) -> uuid.UUID:
    """The officer id comes from the token, never from the path or query."""
    access.require(ctx, Action.ME_READ)
    if ctx.actor.officer_id is None:
        raise NotFound("no officer record is linked to this account", code="officer_not_found")
    return ctx.actor.officer_id


def record(ctx: Ctx) -> officers.OfficerView:
    return officers.get(ctx, my_officer_id(ctx), purpose="self")


def my_checkups(ctx: Ctx) -> list[checkups.CheckupView]:
    return checkups.of_officer(ctx, my_officer_id(ctx))


@dataclass(frozen=True)
class AccessEntry:
    occurred_at: datetime
    who: str
    role: str
    action: str
    purpose: str | None
    outcome: str
    emergency_reason: str | None
    granted_to: str | None = None  # the medic whose scope now reaches this record


def access_log(ctx: Ctx, limit: int = 200) -> list[AccessEntry]:
    """Every read or change of this officer's record by someone else, with emergency reasons,
    and every medic given a scope that reaches it (who granted it, to whom)."""
    officer_id = my_officer_id(ctx)
    events = audit_repo.search(
        ctx.session, officer_id=officer_id, since=None, limit=limit, offset=0
    )
    reasons: dict[str, str] = {}
    grants = grants_repo.of_officer(ctx.session, officer_id)
    if grants:
        sealer = ctx.vault.sealer_for(ctx.session, officer_id)
        reasons = {
            str(g.id): sealer.open(g.reason, emergency.reason_slot(g.id)).decode() for g in grants
        }
    names: dict[str, str] = {}
    entries = []
    for event in events:
        if event.actor_id == ctx.actor.id:
            continue
        if event.actor_id not in names:
            user = _user(ctx, event.actor_id)
            names[event.actor_id] = user.username if user else event.actor_id
        entries.append(
            AccessEntry(
                event.occurred_at,
                names[event.actor_id],
                event.actor_role,
                event.action,
                event.purpose,
                event.outcome,
                reasons.get(event.resource_id or "") if event.action == "emergency.grant" else None,
            )
        )
    for grant in scope_grants.reaching(ctx, officer_id, limit):
        for actor in (grant.actor_id, grant.medic_id):
            if actor not in names:
                user = _user(ctx, actor)
                names[actor] = user.username if user else actor
        entries.append(
            AccessEntry(
                grant.occurred_at,
                names[grant.actor_id],
                grant.actor_role,
                scope_grants.GRANTED,
                None,
                "success",
                None,
                names[grant.medic_id],
            )
        )
    entries.sort(key=lambda entry: entry.occurred_at, reverse=True)
    del entries[limit:]
    audit.record(
        ctx,
        "access_log.read",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        purpose="self",
    )
    return entries


def _user(ctx: Ctx, actor_id: str) -> AppUser | None:
    try:
        return users_repo.get(ctx.session, uuid.UUID(actor_id))
    except ValueError:
        return None


def my_findings(ctx: Ctx) -> list[screening.FindingView]:
    return screening.findings_of(ctx, my_officer_id(ctx))
