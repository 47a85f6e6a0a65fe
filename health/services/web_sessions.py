"""Session chores the web pages add to the account service: sign out on every device."""

from __future__ import annotations

from health.services import audit
from health.services.context import Ctx
from models.repositories import users as users_repo


def end_all(ctx: Ctx) -> None:
    """Revoke every session of the caller's account (lost phone, shared PC)."""
    if ctx.actor.user_id is None:
        return
    users_repo.revoke_sessions_of(ctx.session, ctx.actor.user_id, ctx.clock())
    audit.record(ctx, "auth.logout_all", "app_user", resource_id=str(ctx.actor.user_id))
