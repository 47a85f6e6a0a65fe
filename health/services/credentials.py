"""Checking who someone is: password and second factor, with the lockout counted first.

Every check of a password (a login, a password change, a re-authentication before changing a
factor) goes through ``verify``, so the lockout and the once-per-step TOTP rule hold on all
of them. The attempt is counted and committed before the password hash is computed, in its own
short transaction, so concurrent guesses see each other (40 parallel guesses get at most
``lockout_threshold`` real checks), and locked and unknown accounts get the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from health.crypto.passwords import Passwords
from health.errors import Unauthorized
from health.services import audit, second_factor
from health.services.context import Ctx
from models.repositories import users as users_repo
from models.tables import AppUser

BAD_CREDENTIALS = "wrong username or password"


@dataclass(frozen=True)
class Lockout:
    threshold: int
    duration: timedelta


def _count_attempt(ctx: Ctx, lockout: Lockout, username: str) -> int | None:
    """The attempt's number since the last success, committed before anything else happens;
    None for an unknown or locked account."""
    now = ctx.clock()
    with Session(bind=ctx.session.get_bind()) as side, side.begin():
        counted = users_repo.count_attempt(
            side, username, now, lockout.threshold, now + lockout.duration
        )
    return counted[1] if counted else None


def _fail(
    ctx: Ctx, user: AppUser | None, action: str, outcome: str, reason: str
) -> Callable[[Ctx], None]:
    user_id = user.id if user else None
    officer_id = user.officer_id if user else None

    def write(later: Ctx) -> None:
        audit.record(
            later,
            action,
            "app_user",
            resource_id=str(user_id) if user_id else None,
            officer_id=officer_id,
            outcome=outcome,
            detail=reason,
        )

    return write


def verify(
    ctx: Ctx,
    passwords: Passwords,
    lockout: Lockout,
    username: str,
    password: str,
    totp_code: str | None,
    *,
    action: str = "auth.login",
) -> AppUser:
    """The account these credentials prove, or ``Unauthorized`` (refusal audited after the
    rollback). A TOTP-enrolled account also needs a code not used before."""
    attempt = _count_attempt(ctx, lockout, username)
    user = users_repo.by_username(ctx.session, username)
    if attempt is None or user is None:
        passwords.verify(None, password)  # the same work as a wrong password: no timing tell
        outcome = "locked" if user is not None else "failure"
        ctx.deferred.append(_fail(ctx, user, action, outcome, "locked_or_unknown"))
        raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials")
    outcome = "locked" if attempt >= lockout.threshold else "failure"
    if not passwords.verify(user.password_hash, password) or user.disabled:
        reason = "disabled" if user.disabled else "bad_credentials"
        ctx.deferred.append(_fail(ctx, user, action, outcome, reason))
        raise Unauthorized(BAD_CREDENTIALS, code="bad_credentials")
    if user.totp_enabled and not second_factor.accept(ctx, user, totp_code):
        ctx.deferred.append(_fail(ctx, user, action, outcome, "bad_totp"))
        raise Unauthorized("a valid one-time code is required", code="totp_required")
    users_repo.clear_failures(ctx.session, user.id)
    ctx.session.refresh(user)
    return user


def clear_on_refusal(ctx: Ctx, user: AppUser) -> None:
    """After a correct password the count restarts even when the request is then refused."""
    user_id = user.id
    ctx.deferred.append(lambda later: users_repo.clear_failures(later.session, user_id))
