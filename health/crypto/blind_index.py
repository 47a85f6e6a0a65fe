"""Keyed HMACs: blind indexes for exact lookups, content hashes for idempotency, audit MACs.

Each use has its own domain label so a value in one role can never match another.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata


def normalise_identifier(text: str) -> str:
    """Badge and ID numbers compare case-, width- and space-insensitively."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


class Hasher:
    """HMAC-SHA256 under the keyring's index key, one domain label per purpose."""

    def __init__(self, index_key: bytes) -> None:
        self._key = index_key

    def _mac(self, domain: bytes, data: bytes) -> bytes:
        return hmac.digest(self._key, domain + b"\x00" + data, hashlib.sha256)

    def badge_index(self, badge_number: str) -> bytes:
        return self._mac(b"badge", normalise_identifier(badge_number).encode())

    def national_id_index(self, national_id: str) -> bytes:
        return self._mac(b"national-id", normalise_identifier(national_id).encode())

    def content_hash(self, canonical: bytes) -> bytes:
        return self._mac(b"content", canonical)

    def audit_mac(self, data: bytes) -> bytes:
        return self._mac(b"audit", data)

    def derive_key(self, label: bytes) -> bytes:
        """A 256-bit subkey for a purpose that is not worth its own keyring entry."""
        return self._mac(b"derive", label)
