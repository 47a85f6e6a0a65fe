"""Short-lived signed access tokens (JWT, HS256) and opaque refresh tokens stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from health.errors import Unauthorized

ISSUER = "officer-health"
AUDIENCE = "officer-health-api"


def signing_key(index_key: bytes) -> bytes:
    """Derived from the keyring, so tokens die with a foreign or replaced keyring."""
    return hmac.new(index_key, b"officer-health jwt signing key", hashlib.sha256).digest()


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    expires_at: datetime


class TokenSigner:
    def __init__(self, key: bytes, lifetime: timedelta) -> None:
        self._key = key
        self.lifetime = lifetime

    def issue(self, user_id: uuid.UUID, session_id: uuid.UUID, role: str, now: datetime) -> str:
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "sid": str(session_id),
            "role": role,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str, now: datetime) -> AccessClaims:
        """Any defect (signature, audience, issuer, expiry, shape) is the same 401."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={
                    "require": ["exp", "sub", "sid", "aud"],
                    "verify_iat": False,
                    "verify_exp": False,
                },
                leeway=0,
            )
            if claims["exp"] <= now.timestamp():
                raise jwt.ExpiredSignatureError
            return AccessClaims(
                uuid.UUID(claims["sub"]),
                uuid.UUID(claims["sid"]),
                str(claims["role"]),
                datetime.fromtimestamp(claims["exp"], tz=now.tzinfo),
            )
        except (jwt.PyJWTError, ValueError, KeyError):
            raise Unauthorized(
                "the access token is invalid or expired", code="invalid_token"
            ) from None


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_hash(token: str) -> bytes:
    """Refresh tokens are 256-bit random, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).digest()
