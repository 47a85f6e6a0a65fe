"""Season schedules: routine home-visit rounds per unit, checkup sessions and their bookings.

In clear: ids, unit ids, dates, capacities, places and booking statuses (when an officer is
booked for the annual checkup says nothing about their health).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime


class RoundPlan(Base):
    """A unit's routine home-visit rounds: every ``cadence_days``, ``visits`` officers."""

    __tablename__ = "round_plan"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    cadence_days: Mapped[int] = mapped_column(Integer)
    visits: Mapped[int] = mapped_column(Integer)
    last_round_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(120))


class CheckupSession(Base):
    """A day a unit's officers come in for their annual checkup."""

    __tablename__ = "checkup_session"
    __table_args__ = (Index("ix_checkup_session_unit_day", "unit_id", "day"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"))
    day: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))


class SessionBooking(Base):
    """One officer booked on one session; cancelled bookings stay (the history of the season)."""

    __tablename__ = "session_booking"
    __table_args__ = (
        UniqueConstraint("session_id", "officer_id", name="uq_session_booking_officer"),
        Index("ix_session_booking_officer", "officer_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checkup_session.id"))
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"))
    status: Mapped[str] = mapped_column(String(16))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_by: Mapped[str] = mapped_column(String(120))
