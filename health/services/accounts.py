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

import pyotp

from health.crypto import Sealer, Slot
from health.crypto.passwords import MIN_PASSWORD_LENGTH, Passwords
from health.crypto.tokens import TokenSigner, new_refresh_token, refresh_hash
from health.errors import Conflict, Invalid, NotFound, Unauthorized
from health.services import access, audit, units
from health.services.context import (
    ADMIN,
    MANAGER,
    MEDIC,
    OFFICER,
    ROLES,
    Actor,
    Ctx,
)
from models.repositories import officers as officers_repo
from models.repositories import users as users_repo
from models.tables import AppUser, AuthSession

TOTP_ROLES = (MEDIC, ADMIN)
UNIT_ROLES = (MEDIC, MANAGER)


@dataclass(frozen=True)
class AuthPolicy:
    passwords: Passwords
    signer: TokenSigner
    idle: timedelta
    max_age: timedelta
    lockout_threshold: int
    lockout: timedelta


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class IdentityProvider(Protocol):
    """Resolves presented credentials to a local account id, or None."""

    def authenticate(self, ctx: Ctx, username: str, secret: str) -> uuid.UUID | None: ...


def _totp_slot(user_id: uuid.UUID) -> Slot:
    return Slot("app_user", "totp_secret", str(user_id))


def _totp_sealer(ctx: Ctx) -> Sealer:
    return Sealer(ctx.vault.hasher.derive_key(b"totp secrets"), 1)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"passwords need at least {MIN_PASSWORD_LENGTH} characters", code="weak_password"
        )


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
    """Admins create accounts; officers' accounts are tied to their own record."""
    access.require_role(ctx, ADMIN, action="user.create")
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}", code="bad_role")
    if (role == OFFICER) != (officer_id is not None):
        raise Invalid("an officer account needs officer_id, and only it", code="bad_officer_link")
    if unit_ids and role not in UNIT_ROLES:
        raise Invalid("only medics and unit managers are assigned units", code="bad_units")
    if officer_id is not None and officers_repo.get(ctx.session, officer_id) is None:
        raise NotFound("officer not found", code="officer_not_found")
    if users_repo.by_username(ctx.session, username) is not None:
        raise Conflict("username already taken", code="username_taken")
    check_password_strength(password)
    for unit_id in unit_ids:
        units.require(ctx, unit_id)
    user = users_repo.add(
        ctx.session,
        AppUser(
            id=uuid.uuid4(),
            username=username,
            role=role,
            officer_id=officer_id,
            disabled=False,
            created_at=ctx.clock(),
            password_hash=policy.passwords.hash(password),
            totp_enabled=False,
            failed_logins=0,
        ),
    )
    users_repo.set_units(ctx.session, user.id, unit_ids)
    audit.record(ctx, "user.create", "app_user", resource_id=str(user.id), detail=f"role={role}")
    return user


def list_users(ctx: Ctx) -> list[tuple[AppUser, list[uuid.UUID]]]:
    access.require_role(ctx, ADMIN, action="user.list")
    return [(u, users_repo.unit_ids(ctx.session, u.id)) for u in users_repo.list_all(ctx.session)]


def _user_for_admin(ctx: Ctx, user_id: uuid.UUID, action: str) -> AppUser:
    access.require_role(ctx, ADMIN, action=action)
    user = users_repo.get(ctx.session, user_id)
    if user is None:
        raise NotFound("user not found", code="user_not_found")
    return user


def set_disabled(ctx: Ctx, user_id: uuid.UUID, disabled: bool) -> AppUser:
    user = _user_for_admin(ctx, user_id, "user.disable")
    user.disabled = disabled
    if disabled:
        users_repo.revoke_sessions_of(ctx.session, user.id, ctx.clock())
    audit.record(
        ctx, "user.disable" if disabled else "user.enable", "app_user", resource_id=str(user.id)
    )
    return user


def reset_password(ctx: Ctx, policy: AuthPolicy, user_id: uuid.UUID, password: str) -> None:
    user = _user_for_admin(ctx, user_id, "user.reset_password")
    check_password_strength(password)
    user.password_hash = policy.passwords.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    users_repo.revoke_sessions_of(ctx.session, user.id, ctx.clock())
    audit.record(ctx, "user.reset_password", "app_user", resource_id=str(user.id))


def set_units(ctx: Ctx, user_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]) -> None:
    user = _user_for_admin(ctx, user_id, "user.set_units")
    if user.role not in UNIT_ROLES:
        raise Invalid("only medics and unit managers are assigned units", code="bad_units")
    for unit_id in unit_ids:
        units.require(ctx, unit_id)
    users_repo.set_units(ctx.session, user.id, unit_ids)
    audit.record(
        ctx, "user.set_units", "app_user", resource_id=str(user.id), detail=f"units={len(unit_ids)}"
    )


def _login_failed(ctx: Ctx, policy: AuthPolicy, user: AppUser | None, reason: str) -> None:
    """Count the failure and lock after too many; persisted although the login is refused."""
    user_id = user.id if user else None

    def write(later: Ctx) -> None:
        outcome = "failure"
        if user_id is not None:
            stored = users_repo.get(later.session, user_id)
            if stored is not None:
                stored.failed_logins += 1
                if stored.failed_logins >= policy.lockout_threshold:
                    stored.locked_until = later.clock() + policy.lockout
                    outcome = "locked"
        audit.record(
            later,
            "auth.login",
            "app_user",
            resource_id=str(user_id) if user_id else None,
            outcome=outcome,
            detail=reason,
        )

    ctx.deferred.append(write)


def login(
    ctx: Ctx, policy: AuthPolicy, username: str, password: str, totp_code: str | None = None
) -> TokenPair:
    """Password (and TOTP where enrolled) for a token pair; failures are counted and audited."""
    user = users_repo.by_username(ctx.session, username)
    password_ok = policy.passwords.verify(user.password_hash if user else None, password)
    now = ctx.clock()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        _login_failed(ctx, policy, user, "locked")
        raise Unauthorized("too many failed logins; try again later", code="account_locked")
    if user is None or not password_ok or user.disabled:
        _login_failed(
            ctx, policy, user, "bad_credentials" if user is None or not password_ok else "disabled"
        )
        raise Unauthorized("wrong username or password", code="bad_credentials")
    if user.totp_enabled and not _totp_ok(ctx, user, totp_code):
        _login_failed(ctx, policy, user, "bad_totp")
        raise Unauthorized("a valid one-time code is required", code="totp_required")
    user.failed_logins = 0
    user.locked_until = None
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


def _pair(
    policy: AuthPolicy, user: AppUser, session_id: uuid.UUID, now: datetime, refresh: str
) -> TokenPair:
    token = policy.signer.issue(user.id, session_id, user.role, now)
    return TokenPair(token, refresh, int(policy.signer.lifetime.total_seconds()))


def refresh(ctx: Ctx, policy: AuthPolicy, refresh_token: str) -> TokenPair:
    """Rotate the refresh token; an idle, expired, revoked or reused one ends the session."""
    auth_session = users_repo.session_by_refresh(ctx.session, refresh_hash(refresh_token))
    now = ctx.clock()
    if auth_session is None:
        raise Unauthorized("the refresh token is not valid", code="invalid_refresh")
    user = users_repo.get(ctx.session, auth_session.user_id)
    if (
        user is None
        or user.disabled
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
        or auth_session.last_used_at + policy.idle <= now
    ):
        raise Unauthorized("the session has ended; log in again", code="session_ended")
    new = new_refresh_token()
    auth_session.refresh_hash = refresh_hash(new)
    auth_session.last_used_at = now
    return _pair(policy, user, auth_session.id, now, new)


def logout(ctx: Ctx) -> None:
    if ctx.actor.session_id is None:
        return
    users_repo.revoke_session(ctx.session, ctx.actor.session_id, ctx.clock())
    audit.record(ctx, "auth.logout", "app_user", resource_id=str(ctx.actor.user_id))


def _actor_of(
    user: AppUser, session_id: uuid.UUID, source: str | None, unit_paths: tuple[str, ...] = ()
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


def _totp_ok(ctx: Ctx, user: AppUser, code: str | None) -> bool:
    if not code or user.totp_secret is None:
        return False
    secret = _totp_sealer(ctx).open(user.totp_secret, _totp_slot(user.id)).decode()
    return bool(pyotp.TOTP(secret).verify(code, for_time=ctx.clock(), valid_window=1))


def enrol_totp(ctx: Ctx) -> str:
    """Start TOTP enrolment; returns the otpauth URI to show once as a QR code."""
    access.require_role(ctx, *TOTP_ROLES, action="auth.totp_enrol")
    user = users_repo.get(ctx.session, ctx.actor.user_id or uuid.UUID(int=0))
    if user is None:
        raise NotFound("user not found", code="user_not_found")
    secret = pyotp.random_base32()
    user.totp_secret = _totp_sealer(ctx).seal(secret.encode(), _totp_slot(user.id))
    user.totp_enabled = False
    audit.record(ctx, "auth.totp_enrol", "app_user", resource_id=str(user.id))
    return str(
        pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Officer Health")
    )


def confirm_totp(ctx: Ctx, code: str) -> None:
    access.require_role(ctx, *TOTP_ROLES, action="auth.totp_confirm")
    user = users_repo.get(ctx.session, ctx.actor.user_id or uuid.UUID(int=0))
    if user is None or not _totp_ok(ctx, user, code):
        raise Invalid("the one-time code does not match", code="bad_totp")
    user.totp_enabled = True
    audit.record(ctx, "auth.totp_confirm", "app_user", resource_id=str(user.id))


def generate_password() -> str:
    return secrets.token_urlsafe(15)
