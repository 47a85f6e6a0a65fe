"""Break-the-glass from the badge number a medic has in hand (the web form has no officer id).

The badge is resolved through the blind index only after the role, reason and duration are
checked by ``emergency.grant``'s rules; an unknown badge answers like any missing officer.
"""

from __future__ import annotations

from health.errors import NotFound
from health.services import access, emergency
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import officers as officers_repo


def grant_by_badge(
    ctx: Ctx, badge_number: str, reason: str, minutes: int, *, max_minutes: int
) -> emergency.Grant:
    """A time-boxed, audited grant for the officer with this badge number."""
    access.require(ctx, Action.EMERGENCY_GRANT)
    officer = officers_repo.by_badge_index(
        ctx.session, ctx.vault.hasher.badge_index(badge_number.strip())
    )
    if officer is None or officer.erased_at is not None:
        access.deny(ctx, "emergency.grant", "officer")
        raise NotFound("officer not found", code="officer_not_found")
    return emergency.grant(ctx, officer.id, reason, minutes, max_minutes=max_minutes)
