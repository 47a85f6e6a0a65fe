"""Accounts, logins, sessions and the optional TOTP second factor.

Identity is pluggable: ``IdentityProvider`` is the seam where a force's OIDC/SSO adapter would
resolve an external identity to a local account; the local password provider is the default.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from health.crypto.password_policy import check_password
from health.crypto.passwords import Passwords
from health.crypto.tokens import TokenSigner, new_refresh_token, refresh_hash
from health.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from health.services import (
    access,
    account_notices,
    approvals,
    audit,
    credentials,
    scope_grants,
    units,
)
from health.services.context import (
    ADMIN,
    INTEGRATOR,
    MANAGER,
    MEDIC,
    OFFICER,
    ROLES,
    Actor,
    Ctx,
)
from health.vocabulary import Action
from models.repositories import officers as officers_repo
from models.repositories import users as users_repo
from models.tables import AppUser, AuthSession

TOTP_ROLES = (MEDIC, ADMIN)
UNIT_ROLES = (MEDIC, MANAGER, INTEGRATOR)


@dataclass(frozen=True)
class AuthPolicy:
    passwords: Passwords
    signer: TokenSigner
    idle: timedelta
    max_age: timedelta
    lockout_threshold: int
    lockout: timedelta
    # Where account notices go (``username@mail_domain``), as for follow-up notices.
    mail_domain: str = "localhost"
    # A medic whose units cover more than this many units (or the whole force) needs a second
    # admin's approval: a force-wide reader of health data is never one admin's decision.
    wide_scope_units: int = 10

    @property
    def lockout_rule(self) -> credentials.Lockout:
        return credentials.Lockout(self.lockout_threshold, self.lockout)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class IdentityProvider(Protocol):
    """Resolves presented credentials to a local account id, or None."""

    def authenticate(self, ctx: Ctx, username: str, secret: str) -> uuid.UUID | None: ...


def check_password_strength(password: str, username: str | None = None) -> None:
    check_password(password, username)


def create_user(
    ctx: Ctx,
    policy: AuthPolicy,
    *,
    username: str,
    role: str,
    password: str,
    unit_ids: Sequence[uuid.UUID] = (),
    officer_id: uuid.UUID | None = None,
) -> AppUser:
    """Admins create accounts; officers' accounts are tied to their own record.

    An admin acting alone cannot make an account that reads health data: an officer account
    starts disabled and a wide medic scope starts empty, each with an approval request for a
    second admin (``approvals``). The CLI (system actor, on the server with the keyring)
    creates them directly.
    """
    access.require(ctx, Action.USER_CREATE)
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}", code="bad_role")
    if (role == OFFICER) != (officer_id is not None):
        raise Invalid("an officer account needs officer_id, and only it", code="bad_officer_link")
    if unit_ids and role not in UNIT_ROLES:
        raise Invalid(
            "only medics, unit managers and integrators are assigned units", code="bad_units"
        )
    if officer_id is not None and officers_repo.get(ctx.session, officer_id) is None:
        raise NotFound("officer not found", code="officer_not_found")
    if users_repo.by_username(ctx.session, username) is not None:
        raise Conflict("username already taken", code="username_taken")
    if officer_id is not None and users_repo.by_officer(ctx.session, officer_id) is not None:
        raise Conflict("this officer already has an account", code="officer_has_account")
    check_password(password, username)
    for unit_id in unit_ids:
        units.require(ctx, unit_id)
    needs_second_admin = ctx.actor.role == ADMIN
    link_pending = needs_second_admin and role == OFFICER
    # An integrator reads health data across its units by machine: never one admin's decision.
    scope_pending = needs_second_admin and (
        role == INTEGRATOR or (role == MEDIC and _wide(ctx, policy, unit_ids))
    )
    user = users_repo.add(
        ctx.session,
        AppUser(
            id=uuid.uuid4(),
            username=username,
            role=role,
            officer_id=officer_id,
            disabled=link_pending,
            created_at=ctx.clock(),
            password_hash=policy.passwords.hash(password),
            totp_enabled=False,
            failed_logins=0,
            must_change_password=False,
        ),
    )
    scope_grants.assign(ctx, user, [] if scope_pending else unit_ids)
    audit.record(
        ctx,
        "user.create",
        "app_user",
        resource_id=str(user.id),
        officer_id=officer_id,
        detail=f"role={role}",
    )
    if link_pending:
        approvals.request(ctx, approvals.OFFICER_LINK, user, {})
    if scope_pending:
        approvals.request(
            ctx, approvals.MEDIC_SCOPE, user, {"unit_ids": [str(u) for u in unit_ids]}
        )
    return user


def _wide(ctx: Ctx, policy: AuthPolicy, unit_ids: Sequence[uuid.UUID]) -> bool:
    return approvals.covers(ctx, unit_ids) > policy.wide_scope_units or approvals.force_wide(
        ctx, unit_ids
    )


def list_users(ctx: Ctx) -> list[tuple[AppUser, list[uuid.UUID]]]:
    access.require(ctx, Action.USER_LIST)
    return [(u, users_repo.unit_ids(ctx.session, u.id)) for u in users_repo.list_all(ctx.session)]


def unit_ids(ctx: Ctx, user_id: uuid.UUID) -> list[uuid.UUID]:
    access.require(ctx, Action.USER_LIST)
    return users_repo.unit_ids(ctx.session, user_id)


def user_id_of(ctx: Ctx, username: str) -> uuid.UUID:
    """An account's id by its username, for the CLI's commands on accounts."""
    access.require(ctx, Action.USER_LIST)
    user = users_repo.by_username(ctx.session, username)
    if user is None:
        raise NotFound(f"no account named {username!r}", code="user_not_found")
    return user.id


def _user_for_admin(ctx: Ctx, user_id: uuid.UUID, action: Action) -> AppUser:
    access.require(ctx, action)
    user = users_repo.get(ctx.session, user_id)
    if user is None:
        raise NotFound("user not found", code="user_not_found")
    return user


def set_disabled(ctx: Ctx, user_id: uuid.UUID, disabled: bool) -> AppUser:
    """Disable or enable an account; the last active admin is never disabled (nobody could
    manage accounts afterwards), and a pending officer link is enabled only by its approval."""
    user = _user_for_admin(ctx, user_id, Action.USER_DISABLE)
    if (
        disabled
        and user.role == ADMIN
        and not user.disabled
        and users_repo.count_active_admins(ctx.session, excluding=user.id) == 0
    ):
        raise Conflict("the last active admin cannot be disabled", code="last_admin")
    if not disabled and approvals.pending_for(ctx, user.id, approvals.OFFICER_LINK):
        raise Conflict(
            "this officer account waits for a second admin's approval", code="approval_pending"
        )
    user.disabled = disabled
    if disabled:
        users_repo.revoke_sessions_of(ctx.session, user.id, ctx.clock())
    audit.record(
        ctx,
        "user.disable" if disabled else "user.enable",
        "app_user",
        resource_id=str(user.id),
        officer_id=user.officer_id,
    )
    return user


def reset_password(
    ctx: Ctx, policy: AuthPolicy, user_id: uuid.UUID, password: str
) -> uuid.UUID | None:
    """An admin's reset; the user must choose a new password at the next login.

    For an account that reads health data (officer, medic) an admin's reset is only a request
    until a second admin approves it (returns its id); the officer's own change needs none.
    """
    user = _user_for_admin(ctx, user_id, Action.USER_RESET_PASSWORD)
    check_password(password, user.username)
    password_hash = policy.passwords.hash(password)
    if ctx.actor.role == ADMIN and user.role in approvals.HEALTH_DATA_ROLES:
        return approvals.request(
            ctx, approvals.PASSWORD_RESET, user, {"password_hash": password_hash}
        )
    approvals.apply_password_reset(ctx, user, password_hash, policy.mail_domain)
    return None


def set_units(
    ctx: Ctx, policy: AuthPolicy, user_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]
) -> uuid.UUID | None:
    """Assign units; widening a medic past ``wide_scope_units`` (or to the whole force) is a
    request for a second admin (returns its id) rather than a change."""
    user = _user_for_admin(ctx, user_id, Action.USER_SET_UNITS)
    if user.role not in UNIT_ROLES:
        raise Invalid(
            "only medics, unit managers and integrators are assigned units", code="bad_units"
        )
    for unit_id in unit_ids:
        units.require(ctx, unit_id)
    needs_second = user.role == INTEGRATOR or (user.role == MEDIC and _wide(ctx, policy, unit_ids))
    if ctx.actor.role == ADMIN and needs_second:
        return approvals.request(
            ctx, approvals.MEDIC_SCOPE, user, {"unit_ids": [str(u) for u in unit_ids]}
        )
    scope_grants.assign(ctx, user, unit_ids)
    audit.record(
        ctx, "user.set_units", "app_user", resource_id=str(user.id), detail=f"units={len(unit_ids)}"
    )
    return None


def login(
    ctx: Ctx, policy: AuthPolicy, username: str, password: str, totp_code: str | None = None
) -> TokenPair:
    """Password (and TOTP where enrolled) for a token pair; failures are counted and audited.

    An account whose password an admin reset gets 403 ``password_change_required`` and must
    choose its own password first (``change_password``).
    """
    user = credentials.verify(
        ctx, policy.passwords, policy.lockout_rule, username, password, totp_code
    )
    if user.role == INTEGRATOR:
        # A machine's secret is not a person's password: it gets client-credential tokens only.
        credentials.clear_on_refusal(ctx, user)
        raise Unauthorized(credentials.BAD_CREDENTIALS, code="bad_credentials")
    now = ctx.clock()
    if user.must_change_password:
        credentials.clear_on_refusal(ctx, user)
        raise Forbidden("choose a new password before signing in", code="password_change_required")
    user.last_login_at = now
    if policy.passwords.needs_rehash(user.password_hash or ""):
        user.password_hash = policy.passwords.hash(password)
    refresh = new_refresh_token()
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_hash=refresh_hash(refresh),
        created_at=now,
        last_used_at=now,
        expires_at=now + policy.max_age,
    )
    users_repo.add_session(ctx.session, auth_session)
    as_user = replace(ctx, actor=_actor_of(user, auth_session.id, ctx.actor.source))
    audit.record(as_user, "auth.login", "app_user", resource_id=str(user.id))
    return _pair(policy, user, auth_session.id, now, refresh)


def change_password(
    ctx: Ctx,
    policy: AuthPolicy,
    username: str,
    current: str,
    new: str,
    totp_code: str | None = None,
) -> None:
    """Self-service change with the current password (and code): every session ends and the
    user is told. The same path completes a change an admin's reset asked for."""
    user = credentials.verify(
        ctx,
        policy.passwords,
        policy.lockout_rule,
        username,
        current,
        totp_code,
        action="auth.password_change",
    )
    if new == current:
        credentials.clear_on_refusal(ctx, user)
        raise Invalid("the new password must differ from the current one", code="weak_password")
    try:
        check_password(new, user.username)
    except Invalid:
        credentials.clear_on_refusal(ctx, user)
        raise
    user.password_hash = policy.passwords.hash(new)
    user.must_change_password = False
    users_repo.revoke_sessions_of(ctx.session, user.id, ctx.clock())
    as_user = replace(ctx, actor=_actor_of(user, None, ctx.actor.source))
    audit.record(
        as_user,
        "auth.password_change",
        "app_user",
        resource_id=str(user.id),
        officer_id=user.officer_id,
    )
    account_notices.notify(ctx, user, "password_changed", policy.mail_domain)


def _pair(
    policy: AuthPolicy, user: AppUser, session_id: uuid.UUID, now: datetime, refresh: str
) -> TokenPair:
    token = policy.signer.issue(user.id, session_id, user.role, now)
    return TokenPair(token, refresh, int(policy.signer.lifetime.total_seconds()))


def refresh(ctx: Ctx, policy: AuthPolicy, refresh_token: str) -> TokenPair:
    """Rotate the refresh token; an idle, expired, revoked or reused one ends the session.

    Reuse of a token already exchanged revokes the whole session (RFC 9700 §4.14.2): either
    the client or an attacker holds a stolen copy, and the server cannot tell which.
    """
    presented = refresh_hash(refresh_token)
    auth_session = users_repo.session_by_refresh(ctx.session, presented)
    now = ctx.clock()
    if auth_session is None:
        retired = users_repo.retired_refresh(ctx.session, presented)
        if retired is not None:
            _revoke_on_reuse(ctx, retired.session_id)
            raise Unauthorized("the session has ended; log in again", code="session_ended")
        raise Unauthorized("the refresh token is not valid", code="invalid_refresh")
    user = users_repo.get(ctx.session, auth_session.user_id)
    if (
        user is None
        or user.disabled
        or user.must_change_password
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
        or auth_session.last_used_at + policy.idle <= now
    ):
        raise Unauthorized("the session has ended; log in again", code="session_ended")
    new = new_refresh_token()
    users_repo.retire_refresh(ctx.session, presented, auth_session.id, now)
    auth_session.refresh_hash = refresh_hash(new)
    auth_session.last_used_at = now
    return _pair(policy, user, auth_session.id, now, new)


def _revoke_on_reuse(ctx: Ctx, session_id: uuid.UUID) -> None:
    """Queued to survive the refusal's rollback: the session ends and the reuse is audited."""

    def write(later: Ctx) -> None:
        users_repo.revoke_session(later.session, session_id, later.clock())
        audit.record(
            later,
            "auth.refresh_reuse",
            "auth_session",
            resource_id=str(session_id),
            outcome="denied",
        )

    ctx.deferred.append(write)


def logout(ctx: Ctx) -> None:
    if ctx.actor.session_id is None:
        return
    users_repo.revoke_session(ctx.session, ctx.actor.session_id, ctx.clock())
    audit.record(ctx, "auth.logout", "app_user", resource_id=str(ctx.actor.user_id))


def _actor_of(
    user: AppUser,
    session_id: uuid.UUID | None,
    source: str | None,
    unit_paths: tuple[str, ...] = (),
) -> Actor:
    return Actor(
        id=str(user.id),
        role=user.role,
        source=source,
        user_id=user.id,
        officer_id=user.officer_id,
        session_id=session_id,
        unit_paths=unit_paths,
    )


def authenticate(ctx: Ctx, policy: AuthPolicy, token: str) -> Actor:
    """Resolve a bearer token to an actor: signature, expiry, live session, enabled account."""
    now = ctx.clock()
    claims = policy.signer.verify(token, now)
    found = users_repo.session_with_user(ctx.session, claims.session_id)
    if found is None:
        raise Unauthorized("the access token is invalid or expired", code="invalid_token")
    auth_session, user = found
    if (
        user.id != claims.user_id
        or user.disabled
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
        or auth_session.last_used_at + policy.idle <= now
    ):
        raise Unauthorized("the session has ended; log in again", code="session_ended")
    if now - auth_session.last_used_at > timedelta(minutes=1):
        users_repo.touch_session(ctx.session, auth_session.id, now)
    paths = users_repo.unit_paths(ctx.session, user.id) if user.role in UNIT_ROLES else ()
    return _actor_of(user, auth_session.id, ctx.actor.source, paths)


def generate_password() -> str:
    return secrets.token_urlsafe(15)
