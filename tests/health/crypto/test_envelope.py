"""Sealing: round trip, and every kind of tampering fails loudly instead of giving wrong data."""

from __future__ import annotations

import struct

import pytest

from health.crypto import Sealer, Slot, new_data_key, unwrap_dek, wrap_dek
from health.crypto.envelope import key_version_of
from health.errors import CryptoError

SLOT = Slot("checkup", "results", "row-1")


def test_seal_then_open_returns_the_plaintext() -> None:
    sealer = Sealer(new_data_key(), 1)
    assert sealer.open(sealer.seal(b"glu=5.3", SLOT), SLOT) == b"glu=5.3"


def test_sealing_twice_gives_different_ciphertexts() -> None:
    sealer = Sealer(new_data_key(), 1)
    assert sealer.seal(b"same", SLOT) != sealer.seal(b"same", SLOT)


@pytest.mark.parametrize("position", [0, 5, 17, -1])
def test_open_flipped_bit_fails(position: int) -> None:
    sealer = Sealer(new_data_key(), 1)
    blob = bytearray(sealer.seal(b"hb=151", SLOT))
    blob[position] ^= 0x01
    with pytest.raises(CryptoError):
        sealer.open(bytes(blob), SLOT)


@pytest.mark.parametrize(
    "other",
    [
        Slot("checkup", "results", "row-2"),
        Slot("checkup", "remarks", "row-1"),
        Slot("officer", "results", "row-1"),
    ],
)
def test_open_ciphertext_moved_to_other_row_or_column_fails(other: Slot) -> None:
    sealer = Sealer(new_data_key(), 1)
    with pytest.raises(CryptoError, match="failed authentication"):
        sealer.open(sealer.seal(b"ua=512", SLOT), other)


def test_open_with_relabelled_key_version_fails() -> None:
    key = new_data_key()
    blob = bytearray(Sealer(key, 1).seal(b"x", SLOT))
    struct.pack_into(">I", blob, 1, 2)
    assert key_version_of(bytes(blob)) == 2
    with pytest.raises(CryptoError, match="failed authentication"):
        Sealer(key, 2).open(bytes(blob), SLOT)
    with pytest.raises(CryptoError, match="key version 2, not 1"):
        Sealer(key, 1).open(bytes(blob), SLOT)


def test_open_with_wrong_key_fails() -> None:
    blob = Sealer(new_data_key(), 1).seal(b"x", SLOT)
    with pytest.raises(CryptoError, match="failed authentication"):
        Sealer(new_data_key(), 1).open(blob, SLOT)


def test_open_truncated_blob_fails() -> None:
    with pytest.raises(CryptoError, match="truncated"):
        Sealer(new_data_key(), 1).open(b"\x01\x00", SLOT)


def test_wrapped_dek_only_unwraps_for_its_officer_and_kek_version() -> None:
    kek, dek = new_data_key(), new_data_key()
    wrapped = wrap_dek(kek, 3, dek, "officer-a")
    assert unwrap_dek(kek, 3, wrapped, "officer-a") == dek
    with pytest.raises(CryptoError):
        unwrap_dek(kek, 3, wrapped, "officer-b")
    with pytest.raises(CryptoError):
        unwrap_dek(new_data_key(), 3, wrapped, "officer-a")
