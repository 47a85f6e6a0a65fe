"""The unlocked keyring of a running service, and the start-up check that it fits the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from health.clock import utcnow
from health.crypto import Hasher, KeyProvider, Keyring, Sealer, key_check_value, new_data_key
from health.crypto.envelope import unwrap_dek, wrap_dek
from health.errors import KeyringError, NotFound
from models.repositories import audit as audit_repo
from models.repositories import keys as keys_repo
from models.repositories import officers as officers_repo

INDEX_CHECK = "index"


def kek_check_name(version: int) -> str:
    return f"kek:{version}"


@dataclass
class WrappedKey:
    sealer: Sealer
    wrapped: bytes
    kek_version: int


class Vault:
    """Keys in memory for one process: wraps new data keys and opens existing ones."""

    DEK_VERSION = 1

    def __init__(self, provider: KeyProvider, keyring: Keyring) -> None:
        self.provider = provider
        self.keyring = keyring
        self.hasher = Hasher(keyring.index_key)

    def new_officer_key(self, officer_id: uuid.UUID) -> WrappedKey:
        dek = new_data_key()
        version = self.keyring.current
        wrapped = wrap_dek(self.keyring.kek(version), version, dek, str(officer_id))
        return WrappedKey(Sealer(dek, self.DEK_VERSION), wrapped, version)

    def sealer_for(self, session: Session, officer_id: uuid.UUID) -> Sealer:
        """Unwrap one officer's data key; a shredded officer has none left to unwrap."""
        key = officers_repo.key_of(session, officer_id)
        if key is None:
            raise NotFound(
                "no data key for this officer (unknown or erased)", code="officer_erased"
            )
        return self.open_key(key.officer_id, key.kek_version, key.dek_version, key.wrapped_dek)

    def open_key(
        self, officer_id: uuid.UUID, kek_version: int, dek_version: int, wrapped: bytes
    ) -> Sealer:
        dek = unwrap_dek(self.keyring.kek(kek_version), kek_version, wrapped, str(officer_id))
        return Sealer(dek, dek_version)


def unlock(session: Session, provider: KeyProvider, *, create: bool) -> Vault:
    """Load the keyring and prove it is the one this database was sealed with.

    Refuses, with the reason, when sealed data exists but the keyring is missing or differs,
    so a misconfigured service never writes data it can later not read.
    """
    checks = {row.name: row for row in keys_repo.all_checks(session)}
    holds_data = (
        bool(checks) or officers_repo.count_keys(session) > 0 or audit_repo.any_event(session)
    )
    if not provider.exists():
        if holds_data:
            raise KeyringError(
                f"the database holds sealed data but the keyring ({provider.description}) is "
                "missing; restore it from your key backup, the data cannot be read without it"
            )
        if not create:
            raise KeyringError(f"no keyring at {provider.description} and creation is disabled")
        provider.save(Keyring.generate())
    keyring = provider.load()
    now = utcnow()
    index = checks.get(INDEX_CHECK)
    if index is None:
        keys_repo.add_check(session, INDEX_CHECK, key_check_value(keyring.index_key), now)
    elif index.kcv != key_check_value(keyring.index_key):
        raise KeyringError(
            f"the keyring ({provider.description}) does not belong to this database: "
            "its index key fingerprint differs"
        )
    in_use = officers_repo.count_keys_by_kek(session)
    for version, count in in_use.items():
        if version not in keyring.keks:
            raise KeyringError(
                f"KEK version {version} wraps {count} officer keys but is not in the keyring "
                f"({provider.description})"
            )
    for version, kek in keyring.keks.items():
        check = checks.get(kek_check_name(version))
        if check is None:
            keys_repo.add_check(session, kek_check_name(version), key_check_value(kek), now)
        elif check.kcv != key_check_value(kek):
            raise KeyringError(
                f"KEK version {version} in the keyring ({provider.description}) does not match "
                "the one this database was sealed with"
            )
    return Vault(provider, keyring)
