"""What a running process holds: engine, session factory, keys and the authentication policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import EnvKeyProvider, FileKeyProvider, KeyProvider
from health.crypto.passwords import FAST_INSECURE, PRODUCTION, Passwords
from health.crypto.tokens import TokenSigner, signing_key
from health.errors import Invalid
from health.services import imports, risk_models
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
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, pool_pre_ping=True)
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


def start(settings: Settings) -> Runtime:
    """Open the database and unlock the keyring, refusing to run on a mismatched keyring."""
    engine, sessions = database(settings)
    provider = key_provider(settings)
    with sessions.begin() as session:
        vault = unlock(session, provider, create=settings.keyring_create)
    imports.fail_stuck(sessions, vault)  # uploads a killed process left 'running'
    risk_models.configure(settings.var_dir / "models")
    return Runtime(settings, engine, sessions, provider, vault, auth_policy(settings, vault))
