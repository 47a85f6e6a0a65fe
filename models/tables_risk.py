"""Risk scores of checkups: tier and versions in clear, everything else sealed.

The tier (low / moderate / high) is in clear beside the task's priority: unit managers may see
it and worklists sort by it. Values, bands, explanations and the model's per-family estimates
are sealed under the officer's key like findings.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime


class RiskScore(Base):
    """One scoring of one checkup version by the equations (and the active model, if any)."""

    __tablename__ = "risk_score"
    __table_args__ = (Index("ix_risk_score_officer_status", "officer_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    checkup_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checkup.id"), index=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    exam_date: Mapped[date] = mapped_column(Date)
    tier: Mapped[str] = mapped_column(String(16))
    equations_version: Mapped[str] = mapped_column(String(400))
    model_version: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document: Mapped[bytes] = mapped_column(LargeBinary)
