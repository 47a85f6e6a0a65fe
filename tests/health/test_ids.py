"""Batch-made UUIDs are ordinary random version-4 UUIDs."""

from __future__ import annotations

import uuid

from health.ids import uuid4s


def test_uuid4s_are_version_4_rfc_4122_and_distinct() -> None:
    made = uuid4s(2000)
    assert len(made) == len(set(made)) == 2000
    assert {u.version for u in made} == {4}
    assert {u.variant for u in made} == {uuid.RFC_4122}


def test_uuid4s_behave_as_uuids_made_by_the_uuid_module() -> None:
    for made in uuid4s(50):
        again = uuid.UUID(str(made))
        assert again == made and hash(again) == hash(made)
        assert uuid.UUID(bytes=made.bytes) == made
        assert uuid.UUID(int=made.int) == made and made.hex == again.hex
        assert made.is_safe is uuid.SafeUUID.unknown


def test_uuid4s_vary_their_random_bits() -> None:
    # 122 random bits: every random bit position takes both values across a few hundred ids.
    made = uuid4s(400)
    fixed = (0xF000 << 64) | (0xC000 << 48)
    seen_set = 0
    seen_clear = 0
    for u in made:
        seen_set |= u.int
        seen_clear |= ~u.int
    assert (seen_set & seen_clear & ~fixed) == ((1 << 128) - 1) & ~fixed


def test_uuid4s_of_zero_is_empty() -> None:
    assert uuid4s(0) == []
