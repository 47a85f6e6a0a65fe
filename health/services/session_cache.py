"""Checked sessions remembered for a few seconds, so a request needs no session round trip.

Bound: logout, revocation, disabling an account and a password reset end every request made
with the session's tokens at most ``ttl`` (``OH_SESSION_CACHE_SECONDS``, default 5 s) after
they commit, in every worker; in the process that made the change, at once (any statement that
changes an account, its units or revokes a session forgets everything remembered). The token's
own signature-checked expiry holds on every request. What is remembered is the actor (ids,
role, unit scope), never a key or health data.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from health.services import accounts
from health.services.context import Actor, Ctx

MAX_ENTRIES = 20_000
# Statements after which nothing remembered may be trusted: an account changed (disabled, new
# password, role), its units reassigned, a session revoked. Touching ``last_used_at`` is not one.
_INVALIDATING = re.compile(
    r"^\s*(UPDATE app_user\b|DELETE FROM app_user\b|UPDATE auth_session SET revoked_at"
    r"|DELETE FROM auth_session\b|INSERT INTO user_unit\b|DELETE FROM user_unit\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    checked_at: datetime
    expires_at: datetime
    generation: int


class SessionCache:
    """Access token → the actor it was last checked to be, for at most ``ttl``."""

    def __init__(self, ttl: timedelta, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.generation = 0

    def watch(self, statement: str) -> None:
        """Called with every SQL statement this process sends; see ``_INVALIDATING``."""
        if statement[:40].lstrip()[:1] in ("U", "D", "I", "u", "d", "i") and (
            _INVALIDATING.match(statement)
        ):
            self.generation += 1

    def get(self, token: str, now: datetime) -> Actor | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        if (
            entry.generation != self.generation
            or now >= entry.expires_at
            or now - entry.checked_at >= self.ttl
            or now < entry.checked_at
        ):
            self._entries.pop(token, None)
            return None
        return entry.actor

    def put(
        self, token: str, actor: Actor, now: datetime, expires_at: datetime, generation: int
    ) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._evict(now)
            self._entries[token] = _Entry(actor, now, expires_at, generation)

    def _evict(self, now: datetime) -> None:
        stale = [t for t, e in self._entries.items() if now - e.checked_at >= self.ttl]
        for token in stale:
            self._entries.pop(token, None)
        while len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))


def remembered(ctx: Ctx, cache: SessionCache | None, token: str) -> Actor | None:
    """The actor for a token checked less than ``ttl`` ago (no I/O), with this request's
    client address; None when the database must be asked."""
    if cache is None:
        return None
    actor = cache.get(token, ctx.clock())
    return None if actor is None else replace(actor, source=ctx.actor.source)


def authenticate(
    ctx: Ctx, policy: accounts.AuthPolicy, cache: SessionCache | None, token: str
) -> Actor:
    """``accounts.authenticate``, answered from memory when the same token was checked less
    than ``ttl`` ago, and remembered otherwise."""
    found = remembered(ctx, cache, token)
    if found is not None:
        return found
    if cache is None:
        return accounts.authenticate(ctx, policy, token)
    now = ctx.clock()
    generation = cache.generation  # read before the database: a change after it wins
    actor = accounts.authenticate(ctx, policy, token)
    cache.put(token, actor, now, policy.signer.verify(token, now).expires_at, generation)
    return actor
