"""Tables of the account-hardening work: retired refresh tokens and second-admin approvals.

Imported at the end of ``models.tables`` so Alembic and the metadata see them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.tables import AppUser
from models.types import UTCDateTime

# Usernames are unique whatever their case ("Admin" and "admin" are one account).
Index("uq_app_user_username_lower", func.lower(AppUser.username), unique=True)


class RetiredRefresh(Base):
    """A refresh token already exchanged: presenting it again ends its session (RFC 9700
    §4.14.2), since either the client or a thief is replaying it."""

    __tablename__ = "retired_refresh"

    refresh_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("auth_session.id"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApprovalRequest(Base):
    """A change that would let one admin reach health data alone, waiting for a second admin.

    ``payload`` (unit ids, a password hash) is sealed; kind and status are in clear for lists.
    """

    __tablename__ = "approval_request"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
