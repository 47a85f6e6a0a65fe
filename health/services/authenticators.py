"""Changing a second factor: only after re-authentication, never losing the old factor early.

A stolen access token alone must not strip or take over a second factor, so enrolment asks
for the password and, when a factor is enrolled, its current code (NIST SP 800-63B §6.1.2.3:
binding a new authenticator requires authentication at the current assurance level). The new
secret waits in ``totp_pending``; the old one keeps signing in until a code of the new one
confirms it; then the user is notified.
"""

from __future__ import annotations

import uuid

from health.errors import Invalid, NotFound
from health.services import access, account_notices, audit, credentials, second_factor
from health.services.accounts import AuthPolicy
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import users as users_repo
from models.tables import AppUser


def _me(ctx: Ctx) -> AppUser:
    user = users_repo.get(ctx.session, ctx.actor.user_id or uuid.UUID(int=0))
    if user is None:
        raise NotFound("user not found", code="user_not_found")
    return user


def reauthenticate(ctx: Ctx, policy: AuthPolicy, password: str, totp_code: str | None) -> AppUser:
    """The caller proves again who they are (lockout and replay rules as for a login)."""
    me = _me(ctx)
    user = credentials.verify(
        ctx,
        policy.passwords,
        policy.lockout_rule,
        me.username,
        password,
        totp_code,
        action="auth.reauthenticate",
    )
    assert user.id == me.id
    return user


def enrol_totp(ctx: Ctx, policy: AuthPolicy, password: str, totp_code: str | None) -> str:
    """Start (re-)enrolment; returns the otpauth URI to show once as a QR code. The current
    factor, if any, stays in force until ``confirm_totp``."""
    access.require(ctx, Action.AUTH_TOTP_ENROL)
    user = reauthenticate(ctx, policy, password, totp_code)
    secret = second_factor.new_secret()
    user.totp_pending = second_factor.seal_secret(ctx, user.id, secret, column="totp_pending")
    audit.record(ctx, "auth.totp_enrol", "app_user", resource_id=str(user.id))
    return second_factor.provisioning_uri(secret, user.username)


def confirm_totp(ctx: Ctx, policy: AuthPolicy, code: str) -> None:
    """A code of the pending secret makes it the factor; the user is told by e-mail."""
    access.require(ctx, Action.AUTH_TOTP_CONFIRM)
    user = _me(ctx)
    step = second_factor.pending_step(ctx, user, code)
    if user.totp_pending is None or step is None:
        raise Invalid("the one-time code does not match", code="bad_totp")
    secret = second_factor.open_secret(ctx, user.id, user.totp_pending, column="totp_pending")
    user.totp_secret = second_factor.seal_secret(ctx, user.id, secret, column="totp_secret")
    user.totp_pending = None
    user.totp_enabled = True
    user.totp_last_step = max(step, user.totp_last_step or 0)
    audit.record(ctx, "auth.totp_confirm", "app_user", resource_id=str(user.id))
    account_notices.notify(ctx, user, "totp_changed", policy.mail_domain)
