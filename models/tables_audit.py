"""The audit chain's own tables: links written by the sequencer, and the queue it drains.

Requests only insert into ``audit_event`` and ``audit_pending`` (no shared row, no lock); the
sequencer turns pending events into links of the hash chain in batches, the way a transparency
log sequences submitted entries into its tree.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, LargeBinary, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime


class AuditLink(Base):
    """Position ``pos`` of the chain holds event ``event_seq``; ``hash`` is the MAC over that
    event's content and ``prev_hash``. Append-only (a trigger on PostgreSQL)."""

    __tablename__ = "audit_link"

    pos: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditPending(Base):
    """An event committed but not yet chained; deleted when the sequencer links it. Removing a
    row here hides nothing: ``audit verify`` finds every unchained event from ``audit_event``."""

    __tablename__ = "audit_pending"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
