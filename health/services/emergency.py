"""Break-the-glass: a medic opens a record outside their units, for a stated reason, for a while.

The grant is time-boxed, audited with purpose ``emergency`` (which auditors filter on), and
shown to the officer in their access log together with the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from health.crypto import Slot
from health.errors import Invalid, NotFound
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import grants as grants_repo
from models.repositories import officers as officers_repo
from models.tables import AccessGrant

MIN_REASON_LENGTH = 10


def reason_slot(grant_id: uuid.UUID) -> Slot:
    return Slot("access_grant", "reason", str(grant_id))


@dataclass(frozen=True)
class Grant:
    id: uuid.UUID
    officer_id: uuid.UUID
    expires_at: datetime


def grant(ctx: Ctx, officer_id: uuid.UUID, reason: str, minutes: int, *, max_minutes: int) -> Grant:
    access.require(ctx, Action.EMERGENCY_GRANT)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise Invalid(
            f"emergency access needs a reason of at least {MIN_REASON_LENGTH} characters",
            code="reason_required",
        )
    if not 1 <= minutes <= max_minutes:
        raise Invalid(f"emergency access lasts 1 to {max_minutes} minutes", code="bad_duration")
    officer = officers_repo.get(ctx.session, officer_id)
    if officer is None or officer.erased_at is not None:
        raise NotFound("officer not found", code="officer_not_found")
    if access.in_units(ctx, officer.unit_id):
        raise Invalid(
            "this officer is in your units; no emergency access is needed", code="not_needed"
        )
    assert ctx.actor.user_id is not None
    grant_id = uuid.uuid4()
    now = ctx.clock()
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    row = AccessGrant(
        id=grant_id,
        user_id=ctx.actor.user_id,
        officer_id=officer_id,
        reason=sealer.seal(reason.strip().encode(), reason_slot(grant_id)),
        granted_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    grants_repo.add(ctx.session, row)
    audit.record(
        ctx,
        "emergency.grant",
        "access_grant",
        resource_id=str(grant_id),
        officer_id=officer_id,
        purpose="emergency",
        detail=f"minutes={minutes}",
    )
    return Grant(grant_id, officer_id, row.expires_at)


def revoke(ctx: Ctx, grant_id: uuid.UUID) -> None:
    access.require(ctx, Action.EMERGENCY_REVOKE)
    row = grants_repo.get(ctx.session, grant_id)
    if row is None or row.user_id != ctx.actor.user_id:
        raise NotFound("grant not found", code="grant_not_found")
    row.revoked_at = ctx.clock()
    audit.record(
        ctx,
        "emergency.revoke",
        "access_grant",
        resource_id=str(grant_id),
        officer_id=row.officer_id,
        purpose="emergency",
    )
