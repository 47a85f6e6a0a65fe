"""Keyrings: file permissions, providers, versions and blind indexes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from health.crypto import EnvKeyProvider, FileKeyProvider, Hasher, Keyring
from health.errors import KeyringError


def test_file_provider_creates_keyring_readable_by_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "keyring.json"
    FileKeyProvider(path).save(Keyring.generate())
    assert path.stat().st_mode & 0o777 == 0o600


def test_file_provider_round_trips_every_version(tmp_path: Path) -> None:
    provider = FileKeyProvider(tmp_path / "k.json")
    keyring = Keyring.generate().with_new_version()
    provider.save(keyring)
    loaded = provider.load()
    assert loaded.keks == keyring.keks
    assert loaded.current == 2
    assert loaded.index_key == keyring.index_key


def test_file_provider_refuses_group_readable_keyring(tmp_path: Path) -> None:
    provider = FileKeyProvider(tmp_path / "k.json")
    provider.save(Keyring.generate())
    os.chmod(provider.path, 0o640)
    with pytest.raises(KeyringError, match="readable by others"):
        provider.load()


def test_file_provider_missing_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="missing"):
        FileKeyProvider(tmp_path / "absent.json").load()


def test_env_provider_loads_and_is_read_only() -> None:
    keyring = Keyring.generate()
    provider = EnvKeyProvider(keyring.to_json())
    assert provider.load().keks == keyring.keks
    with pytest.raises(KeyringError, match="read-only"):
        provider.save(keyring.with_new_version())


def test_malformed_keyring_is_refused_without_echoing_it() -> None:
    with pytest.raises(KeyringError, match="malformed") as info:
        EnvKeyProvider('{"keks": {"1": "not base64!"}, "current": 1}').load()
    assert "not base64" not in str(info.value)


def test_missing_kek_version_is_named() -> None:
    with pytest.raises(KeyringError, match="KEK version 9 is not in the keyring"):
        Keyring.generate().kek(9)


def test_current_version_cannot_be_retired() -> None:
    keyring = Keyring.generate()
    with pytest.raises(KeyringError):
        keyring.without({keyring.current})


def test_blind_index_ignores_case_width_and_spaces() -> None:
    hasher = Hasher(Keyring.generate().index_key)
    assert hasher.badge_index("ab 12345") == hasher.badge_index("ＡＢ12345")


def test_blind_index_depends_on_key_and_purpose() -> None:
    a, b = Hasher(Keyring.generate().index_key), Hasher(Keyring.generate().index_key)
    assert a.badge_index("A1") != b.badge_index("A1")
    assert a.badge_index("A1") != a.national_id_index("A1")
