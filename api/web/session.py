"""Cookie sessions over the account service's token pair, and CSRF tokens bound to them.

The browser holds the same access and refresh tokens an API client would, in HttpOnly,
SameSite=Lax cookies (Secure over TLS), so login, idle timeout, revocation and logout are the
account service's and nothing is duplicated here. An expired access token is renewed from the
refresh cookie transparently.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from api.runtime import Runtime
from health.errors import HealthError, Unauthorized
from health.services import accounts
from health.services.context import Actor, Ctx, anonymous

ACCESS_COOKIE = "oh_session"
REFRESH_COOKIE = "oh_refresh"
CSRF_COOKIE = "oh_csrf"
CSRF_FIELD = "csrf_token"
PENDING_COOKIES = "oh.cookies"


class CsrfRefused(HealthError):
    status = 403
    code = "csrf_refused"
    title = "Form expired"


class LoginRequired(HealthError):
    status = 401
    code = "login_required"
    title = "Sign in"


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    max_age: int | None = None


def queue_cookie(request: Request, cookie: Cookie) -> None:
    """Cookies set by dependencies; the headers middleware adds them to whatever is returned."""
    pending: list[Cookie] = request.scope.setdefault(PENDING_COOKIES, [])
    pending.append(cookie)


def set_login(request: Request, pair: accounts.TokenPair) -> None:
    queue_cookie(request, Cookie(ACCESS_COOKIE, pair.access_token))
    queue_cookie(request, Cookie(REFRESH_COOKIE, pair.refresh_token))


def clear_login(request: Request) -> None:
    queue_cookie(request, Cookie(ACCESS_COOKIE, "", max_age=0))
    queue_cookie(request, Cookie(REFRESH_COOKIE, "", max_age=0))


def cookie_header(cookie: Cookie, secure: bool) -> bytes:
    parts = [f"{cookie.name}={cookie.value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if cookie.max_age is not None:
        parts.append(f"Max-Age={cookie.max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def _anonymous(request: Request) -> Actor:
    return anonymous(request.client.host if request.client else None)


def anonymous_ctx(request: Request, db: Session, rt: Runtime) -> Ctx:
    ctx = Ctx(db, rt.vault, _anonymous(request))
    request.state.ctx = ctx
    return ctx


def signed_in_ctx(request: Request, db: Session, rt: Runtime) -> Ctx | None:
    """The signed-in caller, renewing an expired access token from the refresh cookie."""
    base = Ctx(db, rt.vault, _anonymous(request))
    token = request.cookies.get(ACCESS_COOKIE)
    actor: Actor | None = None
    if token:
        try:
            actor = accounts.authenticate(base, rt.auth, token)
        except Unauthorized:
            actor = None
    if actor is None:
        refresh = request.cookies.get(REFRESH_COOKIE)
        if not refresh:
            return None
        try:
            pair = accounts.refresh(base, rt.auth, refresh)
            actor = accounts.authenticate(base, rt.auth, pair.access_token)
        except Unauthorized:
            clear_login(request)
            return None
        set_login(request, pair)
    ctx = Ctx(db, rt.vault, actor)
    request.state.ctx = ctx
    return ctx


def _csrf_key(rt: Runtime) -> bytes:
    return rt.vault.hasher.derive_key(b"web csrf")


def csrf_seed(request: Request) -> str:
    """The browser's CSRF cookie, created on its first page."""
    seed = request.cookies.get(CSRF_COOKIE) or request.scope.get("oh.csrf_seed")
    if not seed:
        seed = secrets.token_urlsafe(24)
        request.scope["oh.csrf_seed"] = seed
        queue_cookie(request, Cookie(CSRF_COOKIE, seed))
    return str(seed)


def csrf_token(request: Request, rt: Runtime) -> str:
    """The token every form carries: a MAC of the browser's CSRF cookie under a server key."""
    mac = hmac.new(_csrf_key(rt), csrf_seed(request).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def check_csrf(request: Request, rt: Runtime, form: Any) -> None:
    """Refuse a state-changing request whose form lacks the token of this browser."""
    seed = request.cookies.get(CSRF_COOKIE)
    sent = form.get(CSRF_FIELD) if form is not None else None
    if not seed or not isinstance(sent, str):
        raise CsrfRefused("the form has no valid security token", code="csrf_refused")
    expected = hmac.new(_csrf_key(rt), seed.encode(), hashlib.sha256).digest()
    good = base64.urlsafe_b64encode(expected).decode().rstrip("=")
    if not hmac.compare_digest(good, sent):
        raise CsrfRefused("the form has no valid security token", code="csrf_refused")
