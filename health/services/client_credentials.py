"""OAuth2 client credentials (RFC 6749 §4.4) for integrator accounts reading the FHIR facade.

An integrator is an account like any other (created by an admin, units approved by a second
admin, secret hashed with argon2id, lockout counted per attempt), so no second credential store
exists. Its grant gives an access token only: no refresh token (RFC 6749 §4.4.3), and the
session behind the token ends when the token does, so a leaked token is good for minutes.
Only the ``system/*.read`` scope is granted; anything else is ``invalid_scope``.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace
from typing import Final

from health.crypto.tokens import refresh_hash
from health.errors import Invalid, Unauthorized
from health.services import audit, credentials
from health.services.accounts import AuthPolicy
from health.services.context import INTEGRATOR, Actor, Ctx
from models.repositories import users as users_repo
from models.tables import AuthSession

READ_SCOPE: Final = "system/*.read"
"""The one scope granted: read every FHIR resource type the account's units allow."""


@dataclass(frozen=True)
class ClientToken:
    access_token: str
    expires_in: int
    scope: str


def issue(
    ctx: Ctx, policy: AuthPolicy, client_id: str, client_secret: str, scope: str | None
) -> ClientToken:
    """Check the client's secret and issue a short access token; non-integrators are refused
    exactly like a wrong secret, so the grant cannot probe which usernames exist."""
    asked = set((scope or READ_SCOPE).split())
    if not asked <= {READ_SCOPE}:
        raise Invalid(f"only the {READ_SCOPE} scope is granted", code="invalid_scope")
    user = credentials.verify(
        ctx,
        policy.passwords,
        policy.lockout_rule,
        client_id,
        client_secret,
        None,
        action="auth.client_token",
    )
    if user.role != INTEGRATOR:
        credentials.clear_on_refusal(ctx, user)
        raise Unauthorized(credentials.BAD_CREDENTIALS, code="bad_credentials")
    now = ctx.clock()
    lifetime = policy.signer.lifetime
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        # Never handed out: the grant has no refresh token, the column just must be unique.
        refresh_hash=refresh_hash(secrets.token_urlsafe(32)),
        created_at=now,
        last_used_at=now,
        expires_at=now + lifetime,
    )
    users_repo.add_session(ctx.session, auth_session)
    user.last_login_at = now
    actor = Actor(
        id=str(user.id),
        role=user.role,
        source=ctx.actor.source,
        user_id=user.id,
        session_id=auth_session.id,
    )
    audit.record(replace(ctx, actor=actor), "auth.client_token", "app_user", resource_id=actor.id)
    token = policy.signer.issue(user.id, auth_session.id, user.role, now)
    return ClientToken(token, int(lifetime.total_seconds()), READ_SCOPE)
