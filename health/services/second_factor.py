"""The TOTP second factor (RFC 6238): verification that accepts each code once, and
re-enrolment that keeps the old factor until the new one is confirmed."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime, timedelta

import pyotp

from health.crypto import Sealer, Slot
from health.services.context import Ctx
from models.repositories import users as users_repo
from models.tables import AppUser

STEP = timedelta(seconds=30)  # RFC 6238 §5.2: the recommended time step X = 30 s
# RFC 6238 §5.2: accept at most one step either side for clock drift and transmission delay.
WINDOW = 1


def _slot(user_id: uuid.UUID, column: str) -> Slot:
    return Slot("app_user", column, str(user_id))


def _sealer(ctx: Ctx) -> Sealer:
    return Sealer(ctx.vault.hasher.derive_key(b"totp secrets"), 1)


def seal_secret(ctx: Ctx, user_id: uuid.UUID, secret: str, *, column: str) -> bytes:
    return _sealer(ctx).seal(secret.encode(), _slot(user_id, column))


def open_secret(ctx: Ctx, user_id: uuid.UUID, sealed: bytes, *, column: str) -> str:
    return _sealer(ctx).open(sealed, _slot(user_id, column)).decode()


def matching_step(secret: str, code: str, when: datetime) -> int | None:
    """The time step whose code this is (within the window), or None; compared in constant
    time."""
    totp = pyotp.TOTP(secret)
    for offset in range(-WINDOW, WINDOW + 1):
        moment = when + offset * STEP
        if hmac.compare_digest(totp.at(moment), code):
            return int(totp.timecode(moment))
    return None


def accept(ctx: Ctx, user: AppUser, code: str | None) -> bool:
    """Check a code of the enrolled factor and burn its time step: a code (or an older one) is
    never accepted twice (RFC 6238 §5.2, "the verifier MUST NOT accept the second attempt of
    the OTP after the successful validation has been issued for the first OTP").

    The step is claimed by one conditional UPDATE, so two requests racing with the same code
    cannot both win on either database.
    """
    if not code or user.totp_secret is None:
        return False
    secret = open_secret(ctx, user.id, user.totp_secret, column="totp_secret")
    step = matching_step(secret, code, ctx.clock())
    return step is not None and users_repo.claim_totp_step(ctx.session, user.id, step)


def pending_step(ctx: Ctx, user: AppUser, code: str) -> int | None:
    """The step of a code of the secret waiting for confirmation (possession is what counts;
    the step is burnt when the secret becomes the factor)."""
    if user.totp_pending is None:
        return None
    secret = open_secret(ctx, user.id, user.totp_pending, column="totp_pending")
    return matching_step(secret, code, ctx.clock())


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Officer Health"))
