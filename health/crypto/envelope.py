"""AES-256-GCM sealing bound to where a value lives, and per-officer data keys wrapped by a KEK.

Layout of every sealed blob: format byte, 4-byte key version, 96-bit random nonce, ciphertext
and tag. The associated data names table, column, row id and key version, so a ciphertext
copied to another row or column, or relabelled with another key version, fails to open.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from health.errors import CryptoError

SEAL_FORMAT = 1
NONCE_BYTES = 12
_HEADER = struct.Struct(">BI")
_PREFIX = _HEADER.size + NONCE_BYTES


@dataclass(frozen=True)
class Slot:
    """Where a sealed value belongs: its table, column and row."""

    table: str
    column: str
    row_id: str

    def aad(self, key_version: int) -> bytes:
        return f"oh{SEAL_FORMAT}|{self.table}|{self.column}|{self.row_id}|k{key_version}".encode()


def key_version_of(blob: bytes) -> int:
    """The key version a blob claims, read from its header."""
    if len(blob) < _PREFIX + 16:
        raise CryptoError("sealed value is truncated")
    fmt, version = _HEADER.unpack_from(blob)
    if fmt != SEAL_FORMAT:
        raise CryptoError(f"sealed value has unknown format {fmt}")
    return int(version)


class Sealer:
    """Seals and opens values with one data key; holds the AES key schedule for reuse."""

    def __init__(self, key: bytes, key_version: int) -> None:
        self._aead = AESGCM(key)
        self.key_version = key_version

    def seal(self, plaintext: bytes, slot: Slot) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        header = _HEADER.pack(SEAL_FORMAT, self.key_version)
        return header + nonce + self._aead.encrypt(nonce, plaintext, slot.aad(self.key_version))

    def open(self, blob: bytes, slot: Slot) -> bytes:
        version = key_version_of(blob)
        if version != self.key_version:
            raise CryptoError(
                f"{slot.table}.{slot.column} of row {slot.row_id} is sealed under key version "
                f"{version}, not {self.key_version}"
            )
        nonce = blob[_HEADER.size : _PREFIX]
        try:
            return self._aead.decrypt(nonce, blob[_PREFIX:], slot.aad(version))
        except InvalidTag:
            raise CryptoError(
                f"{slot.table}.{slot.column} of row {slot.row_id} failed authentication "
                "(tampered, moved from another row or column, or wrong key)"
            ) from None


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def dek_slot(officer_id: str) -> Slot:
    return Slot("officer_key", "wrapped_dek", officer_id)


def wrap_dek(kek: bytes, kek_version: int, dek: bytes, officer_id: str) -> bytes:
    """Encrypt an officer's data key under a KEK version, bound to that officer."""
    return Sealer(kek, kek_version).seal(dek, dek_slot(officer_id))


def unwrap_dek(kek: bytes, kek_version: int, wrapped: bytes, officer_id: str) -> bytes:
    return Sealer(kek, kek_version).open(wrapped, dek_slot(officer_id))
