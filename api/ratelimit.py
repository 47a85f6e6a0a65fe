"""Per-client rate limit of the credential endpoints (token, refresh, password change).

The lockout protects one account; this bounds what one client can try across accounts
(password spraying) and how much hashing work it can make the server do (OWASP Authentication
Cheat Sheet, "Login throttling"). A token bucket per client address, in process memory: each
worker limits on its own, which bounds the total at workers × rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

from fastapi import Request

from health.errors import HealthError

MAX_CLIENTS = 10_000  # oldest buckets are forgotten past this, so memory stays bounded


class TooManyAttempts(HealthError):
    status = 429
    code = "too_many_attempts"
    title = "Too many attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many sign-in attempts from this client; retry in {retry_after} s")
        self.retry_after = retry_after


class TokenBucket:
    """``burst`` attempts at once, refilled at ``per_minute`` per minute, per client key."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one attempt; 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


_creating = threading.Lock()


def _bucket(request: Request) -> TokenBucket:
    state = request.app.state
    bucket: TokenBucket | None = getattr(state, "credential_bucket", None)
    if bucket is None:
        with _creating:
            bucket = getattr(state, "credential_bucket", None)
            if bucket is None:
                settings = state.runtime.settings
                bucket = TokenBucket(settings.login_rate_per_minute, settings.login_rate_burst)
                state.credential_bucket = bucket
    return bucket


async def limit_credentials(request: Request) -> None:
    """Dependency of the credential routes: 429 with ``Retry-After`` past the client's rate."""
    client = request.client.host if request.client else "unknown"
    wait = _bucket(request).take(client)
    if wait > 0:
        raise TooManyAttempts(max(1, math.ceil(wait)))
