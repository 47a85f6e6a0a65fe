"""The service refuses to run on a keyring that does not fit the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from databases import Opened

from health.crypto import EnvKeyProvider, FileKeyProvider, Keyring
from health.errors import KeyringError
from health.services.context import SYSTEM, Ctx
from health.services.vault import unlock

from factories import make_officer


def _seed(opened: Opened, url: str, provider: FileKeyProvider) -> None:
    with opened.sessions(url).begin() as session:
        make_officer(Ctx(session, unlock(session, provider, create=True), SYSTEM))


def test_empty_database_creates_development_keyring(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    provider = FileKeyProvider(tmp_path / "k.json")
    _seed(opened, fresh_url(), provider)
    assert provider.path.stat().st_mode & 0o777 == 0o600


def test_missing_keyring_with_sealed_data_refuses(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    provider = FileKeyProvider(tmp_path / "k.json")
    _seed(opened, url, provider)
    provider.path.unlink()
    with (
        opened.sessions(url).begin() as session,
        pytest.raises(KeyringError, match="holds sealed data but the keyring"),
    ):
        unlock(session, provider, create=True)


def test_other_keyring_refuses(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    _seed(opened, url, FileKeyProvider(tmp_path / "k.json"))
    with (
        opened.sessions(url).begin() as session,
        pytest.raises(KeyringError, match="does not belong to this database"),
    ):
        unlock(session, EnvKeyProvider(Keyring.generate().to_json()), create=False)


def test_keyring_lacking_a_used_kek_version_refuses(
    fresh_url: Callable[[], str], tmp_path: Path, opened: Opened
) -> None:
    url = fresh_url()
    provider = FileKeyProvider(tmp_path / "k.json")
    _seed(opened, url, provider)
    original = provider.load()
    stripped = Keyring({2: original.with_new_version().keks[2]}, 2, original.index_key)
    with (
        opened.sessions(url).begin() as session,
        pytest.raises(KeyringError, match="KEK version 1 wraps 1 officer keys"),
    ):
        unlock(session, EnvKeyProvider(stripped.to_json()), create=False)
