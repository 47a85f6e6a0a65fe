"""Checked sessions are remembered for a few seconds: logout, revocation, disabling and a
password reset still end the session within that bound (at once in the changing process)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from health.clock import utcnow
from health.errors import Unauthorized
from health.services import accounts, session_cache
from health.services.accounts import AuthPolicy
from health.services.context import Actor, Ctx
from models.tables import AppUser

from factories import fast_policy, make_officer

BOUND = timedelta(seconds=5)
PASSWORD = "a long enough password"


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def policy(ctx: Ctx) -> AuthPolicy:
    return fast_policy(ctx.vault)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _login(ctx: Ctx, policy: AuthPolicy, clock: Clock) -> tuple[str, AppUser]:
    officer = make_officer(ctx)
    user = accounts.create_user(  # as the CLI (system) does: no second approval needed
        ctx, policy, username="o1", role="officer", password=PASSWORD, officer_id=officer.id
    )
    pair = accounts.login(replace(ctx, clock=clock), policy, "o1", PASSWORD)
    return pair.access_token, user


def _watching(ctx: Ctx, cache: session_cache.SessionCache) -> Callable[[], None]:
    """What ``api.runtime.start`` wires up: every statement of this process is shown to it."""
    engine = ctx.session.get_bind()

    def watch(_c: object, _k: object, statement: str, *_: object) -> None:
        cache.watch(statement)

    event.listen(engine, "before_cursor_execute", watch)
    return lambda: event.remove(engine, "before_cursor_execute", watch)


def _check(
    ctx: Ctx, policy: AuthPolicy, cache: session_cache.SessionCache, clock: Clock, token: str
) -> Actor:
    return session_cache.authenticate(replace(ctx, clock=clock), policy, cache, token)


def test_a_checked_token_is_answered_from_memory_within_the_bound(
    ctx: Ctx, policy: AuthPolicy, clock: Clock
) -> None:
    token, user = _login(ctx, policy, clock)
    cache = session_cache.SessionCache(BOUND)
    assert _check(ctx, policy, cache, clock, token).user_id == user.id
    statements: list[str] = []
    engine = ctx.session.get_bind()
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        clock.now += timedelta(seconds=4)
        assert _check(ctx, policy, cache, clock, token).user_id == user.id
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == [], "a remembered session still asked the database"


@pytest.mark.parametrize("change", ["logout", "disable", "reset_password", "revoke_all"])
def test_a_session_change_by_another_process_takes_effect_within_the_bound(
    ctx: Ctx, policy: AuthPolicy, clock: Clock, change: str
) -> None:
    token, user = _login(ctx, policy, clock)
    cache = session_cache.SessionCache(BOUND)  # not watching: the change comes from elsewhere
    actor = _check(ctx, policy, cache, clock, token)
    _apply(ctx, policy, clock, change, actor, user)
    clock.now += BOUND - timedelta(milliseconds=1)
    _check(ctx, policy, cache, clock, token)  # still remembered: the stated bound
    clock.now += timedelta(milliseconds=1)
    with pytest.raises(Unauthorized):
        _check(ctx, policy, cache, clock, token)


@pytest.mark.parametrize("change", ["logout", "disable", "reset_password", "revoke_all"])
def test_a_session_change_in_this_process_takes_effect_at_once(
    ctx: Ctx, policy: AuthPolicy, clock: Clock, change: str
) -> None:
    token, user = _login(ctx, policy, clock)
    cache = session_cache.SessionCache(BOUND)
    stop = _watching(ctx, cache)
    try:
        actor = _check(ctx, policy, cache, clock, token)
        _apply(ctx, policy, clock, change, actor, user)
        with pytest.raises(Unauthorized):
            _check(ctx, policy, cache, clock, token)
    finally:
        stop()


def test_touching_a_session_does_not_forget_what_is_remembered(
    ctx: Ctx, policy: AuthPolicy, clock: Clock
) -> None:
    token, _ = _login(ctx, policy, clock)
    cache = session_cache.SessionCache(BOUND)
    stop = _watching(ctx, cache)
    try:
        _check(ctx, policy, cache, clock, token)
        generation = cache.generation
        clock.now += timedelta(minutes=2)  # past the bound: checked again, and touched
        _check(ctx, policy, cache, clock, token)
        assert cache.generation == generation
    finally:
        stop()


def test_an_expired_token_is_refused_even_when_remembered(
    ctx: Ctx, policy: AuthPolicy, clock: Clock
) -> None:
    token, _ = _login(ctx, policy, clock)
    cache = session_cache.SessionCache(timedelta(hours=1))
    _check(ctx, policy, cache, clock, token)
    clock.now += policy.signer.lifetime
    with pytest.raises(Unauthorized):
        _check(ctx, policy, cache, clock, token)


def test_the_cache_holds_a_bounded_number_of_sessions() -> None:
    cache = session_cache.SessionCache(BOUND, max_entries=3)
    now = utcnow()
    for i in range(10):
        cache.put(f"t{i}", Actor(id=str(i), role="officer"), now, now + BOUND, 0)
    assert cache.get("t9", now) is not None
    assert sum(cache.get(f"t{i}", now) is not None for i in range(10)) <= 3


def _apply(
    ctx: Ctx, policy: AuthPolicy, clock: Clock, change: str, actor: Actor, user: AppUser
) -> None:
    admin = replace(ctx, clock=clock)  # the system actor (CLI): acts without an approval
    if change == "logout":
        accounts.logout(replace(ctx, actor=actor, clock=clock))
    elif change == "disable":
        accounts.set_disabled(admin, user.id, True)
    elif change == "reset_password":
        accounts.reset_password(admin, policy, user.id, "another long password")
    else:
        from models.repositories import users as users_repo

        users_repo.revoke_sessions_of(ctx.session, user.id, clock.now)
    ctx.session.flush()
