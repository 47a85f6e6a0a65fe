"""Versioned key-encryption keys (KEKs) and the blind-index key, and where they are kept.

The KEKs never touch the database: the embedded default keeps them in a 0600 file, production
passes them as a secret or implements ``KeyProvider`` over a KMS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from health.errors import KeyringError

KEY_BYTES = 32
FORMAT = 1


def key_check_value(key: bytes) -> str:
    """A short fingerprint that tells whether a key matches, without revealing it (a KCV)."""
    return hmac.new(key, b"officer-health key check value", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    """All KEK versions still needed, the current one, and the blind-index/MAC key."""

    keks: dict[int, bytes]
    current: int
    index_key: bytes
    retired: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.current not in self.keks:
            raise KeyringError(f"keyring names current KEK version {self.current} but lacks it")
        if any(len(k) != KEY_BYTES for k in self.keks.values()) or len(self.index_key) != KEY_BYTES:
            raise KeyringError("keyring keys must be 256-bit")

    def kek(self, version: int) -> bytes:
        try:
            return self.keks[version]
        except KeyError:
            raise KeyringError(
                f"KEK version {version} is not in the keyring (rotated away or wrong keyring)"
            ) from None

    def with_new_version(self) -> Keyring:
        """A keyring with one more KEK version, made current; older versions stay until retired."""
        version = max(self.keks) + 1
        return Keyring(
            {**self.keks, version: secrets.token_bytes(KEY_BYTES)}, version, self.index_key
        )

    def without(self, versions: set[int]) -> Keyring:
        if self.current in versions:
            raise KeyringError("the current KEK version cannot be retired")
        keks = {v: k for v, k in self.keks.items() if v not in versions}
        return Keyring(keks, self.current, self.index_key)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "current": self.current,
                "keks": {
                    str(v): base64.b64encode(k).decode() for v, k in sorted(self.keks.items())
                },
                "index_key": base64.b64encode(self.index_key).decode(),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, origin: str) -> Keyring:
        try:
            data = json.loads(text)
            keks = {int(v): base64.b64decode(k, validate=True) for v, k in data["keks"].items()}
            return cls(
                keks, int(data["current"]), base64.b64decode(data["index_key"], validate=True)
            )
        except KeyringError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyringError(
                f"keyring from {origin} is malformed: {type(exc).__name__}"
            ) from None

    @classmethod
    def generate(cls) -> Keyring:
        return cls({1: secrets.token_bytes(KEY_BYTES)}, 1, secrets.token_bytes(KEY_BYTES))


class KeyProvider(Protocol):
    """Where KEKs live: a file, an environment secret, or a KMS behind the same three calls."""

    description: str

    def exists(self) -> bool: ...

    def load(self) -> Keyring: ...

    def save(self, keyring: Keyring) -> None: ...


class FileKeyProvider:
    """The embedded default: a JSON keyring in a file only its owner can read (0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"file {path}"

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> Keyring:
        try:
            mode = self.path.stat().st_mode & 0o777
            text = self.path.read_text()
        except FileNotFoundError:
            raise KeyringError(f"keyring file {self.path} is missing") from None
        if mode & 0o077:
            raise KeyringError(f"keyring file {self.path} is readable by others (mode {mode:o})")
        return Keyring.from_json(text, self.description)

    def save(self, keyring: Keyring) -> None:
        """Replace the file atomically, created 0600 from the first byte."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keyring-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(keyring.to_json())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class EnvKeyProvider:
    """A keyring passed as a secret (``OH_KEYRING``); read-only, so rotation is the operator's."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self.description = "environment secret OH_KEYRING"

    def exists(self) -> bool:
        return bool(self._secret)

    def load(self) -> Keyring:
        return Keyring.from_json(self._secret, self.description)

    def save(self, keyring: Keyring) -> None:
        raise KeyringError(
            "the environment keyring is read-only: add the new KEK version to OH_KEYRING "
            "and run `officer-health keys rotate` again to re-wrap"
        )
