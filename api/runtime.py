"""What a running process holds: engine, session factory, key provider and unlocked vault."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import EnvKeyProvider, FileKeyProvider, KeyProvider
from health.services.vault import Vault, unlock
from health.settings import Settings
from models.db import make_engine, make_sessionmaker


def key_provider(settings: Settings) -> KeyProvider:
    if settings.keyring is not None:
        return EnvKeyProvider(settings.keyring.get_secret_value())
    return FileKeyProvider(settings.resolved_keyring_file)


def database(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, pool_pre_ping=True)
    return engine, make_sessionmaker(engine)


def api_token(settings: Settings) -> str:
    """The bootstrap bearer token: from settings, else a generated one kept in a 0600 file."""
    if settings.api_token is not None:
        return settings.api_token.get_secret_value()
    path = settings.api_token_file
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token + "\n")
    return token


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    provider: KeyProvider
    vault: Vault
    api_token: str


def start(settings: Settings) -> Runtime:
    """Open the database and unlock the keyring, refusing to run on a mismatched keyring."""
    engine, sessions = database(settings)
    provider = key_provider(settings)
    with sessions.begin() as session:
        vault = unlock(session, provider, create=settings.keyring_create)
    return Runtime(settings, engine, sessions, provider, vault, api_token(settings))
