"""Random (version 4) UUIDs made many at a time, for the bulk paths.

An import chunk needs tens of thousands of ids; ``uuid.uuid4()`` reads the system's random
source once per id and validates its arguments, which cost more than the rows it names. These
are the same UUIDs (122 random bits from ``os.urandom``, version 4, RFC 4122 variant) from
one read per batch.
"""

from __future__ import annotations

import os
import uuid

_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (4 << 76) | (0x8000 << 48)


def uuid4s(n: int) -> list[uuid.UUID]:
    """``n`` fresh version-4 UUIDs, as ``uuid.uuid4()`` would make them."""
    raw = os.urandom(16 * n)
    make = object.__new__
    assign = object.__setattr__
    safe = uuid.SafeUUID.unknown
    out: list[uuid.UUID] = []
    for start in range(0, 16 * n, 16):
        made = make(uuid.UUID)
        assign(made, "int", (int.from_bytes(raw[start : start + 16], "big") & _CLEAR) | _SET)
        assign(made, "is_safe", safe)
        out.append(made)
    return out
