"""What a running process holds: engine, session factory, keys and the authentication policy."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import timedelta

import anyio.to_thread
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import EnvKeyProvider, FileKeyProvider, KeyProvider
from health.crypto.passwords import FAST_INSECURE, PRODUCTION, Passwords
from health.crypto.tokens import TokenSigner, signing_key
from health.errors import Invalid
from health.services import audit_sequencer, imports, risk_models, session_cache
from health.services.accounts import AuthPolicy
from health.services.vault import Vault, unlock
from health.settings import Settings
from models.db import make_engine, make_sessionmaker

PASSWORD_PROFILES = {"production": PRODUCTION, "fast-insecure": FAST_INSECURE}


def key_provider(settings: Settings) -> KeyProvider:
    if settings.keyring is not None:
        return EnvKeyProvider(settings.keyring.get_secret_value())
    return FileKeyProvider(settings.resolved_keyring_file)


def database(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    """Pool sized to the in-flight limit (one connection per admitted request), plus room for
    the sequencer and an import's second session; checkout never waits long (503 instead).
    Live check: a connection the server dropped (``pg_terminate_backend``, restart) is replaced
    at checkout instead of failing the request (on PostgreSQL the check is the transaction's
    own ``BEGIN``, so it costs no round trip of its own)."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        settings.resolved_database_url,
        live_check=True,
        pool_size=settings.in_flight_limit,
        max_overflow=settings.in_flight_limit // 2 + 2,
        pool_timeout=settings.queue_timeout_seconds,
    )
    return engine, make_sessionmaker(engine)


def auth_policy(settings: Settings, vault: Vault) -> AuthPolicy:
    try:
        profile = PASSWORD_PROFILES[settings.password_profile]
    except KeyError:
        raise Invalid(f"OH_PASSWORD_PROFILE must be one of {sorted(PASSWORD_PROFILES)}") from None
    return AuthPolicy(
        passwords=Passwords(profile),
        signer=TokenSigner(
            signing_key(vault.keyring.index_key), timedelta(minutes=settings.access_token_minutes)
        ),
        idle=timedelta(minutes=settings.session_idle_minutes),
        max_age=timedelta(hours=settings.session_max_hours),
        lockout_threshold=settings.login_lockout_threshold,
        lockout=timedelta(minutes=settings.login_lockout_minutes),
        mail_domain=settings.mail_domain,
        wide_scope_units=settings.wide_scope_units,
    )


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    provider: KeyProvider
    vault: Vault
    auth: AuthPolicy
    session_cache: session_cache.SessionCache | None = None


def start(settings: Settings) -> Runtime:
    """Open the database and unlock the keyring, refusing to run on a mismatched keyring."""
    engine, sessions = database(settings)
    provider = key_provider(settings)
    with sessions.begin() as session:
        vault = unlock(session, provider, create=settings.keyring_create)
    imports.fail_stuck(sessions, vault)  # uploads a killed process left 'running'
    risk_models.configure(settings.var_dir / "models")
    rt = Runtime(settings, engine, sessions, provider, vault, auth_policy(settings, vault))
    if settings.session_cache_seconds > 0:
        cache = session_cache.SessionCache(timedelta(seconds=settings.session_cache_seconds))

        def watch(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            cache.watch(statement)

        event.listen(engine, "before_cursor_execute", watch)
        rt.session_cache = cache
    return rt


def start_background(rt: Runtime) -> audit_sequencer.BackgroundSequencer | None:
    """Per serving process: the thread limit matched to admissions, and the audit sequencer.

    Every admitted request uses at most one thread at a time, so threads never run out before
    admissions do; the sequencer links this process's (and others') events every second.
    """
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = rt.settings.in_flight_limit + 2
    if rt.settings.audit_sequence_seconds <= 0:
        return None
    sequencer = audit_sequencer.BackgroundSequencer(
        lambda: audit_sequencer.sequence(rt.sessions, rt.vault.hasher),
        rt.settings.audit_sequence_seconds,
    )
    sequencer.start()
    return sequencer


def stop_background(sequencer: audit_sequencer.BackgroundSequencer | None) -> None:
    if sequencer is not None:
        sequencer.stop()


def freeze_startup_heap() -> None:
    """Keep a full garbage collection from walking what start-up built.

    After imports and ``start`` a worker holds about 240,000 tracked objects (modules, classes,
    SQLAlchemy metadata, the app) that live as long as the process; each full collection walked
    them all (60-250 ms measured on the 2-core machine), a pause for every request in flight.
    Frozen, they stay out of every collection; what requests allocate is collected as before.
    Called by serving processes only, once they are ready.
    """
    gc.collect()
    gc.freeze()
