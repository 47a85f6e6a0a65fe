"""Envelope encryption, keyrings and keyed hashes; no storage, no web."""

from health.crypto.blind_index import Hasher, normalise_identifier
from health.crypto.envelope import Sealer, Slot, new_data_key, unwrap_dek, wrap_dek
from health.crypto.keyring import (
    EnvKeyProvider,
    FileKeyProvider,
    KeyProvider,
    Keyring,
    key_check_value,
)

__all__ = [
    "EnvKeyProvider",
    "FileKeyProvider",
    "Hasher",
    "KeyProvider",
    "Keyring",
    "Sealer",
    "Slot",
    "key_check_value",
    "new_data_key",
    "normalise_identifier",
    "unwrap_dek",
    "wrap_dek",
]
