"""Self-care tables: equipment and training in clear (not health data), officers' own readings
and lifestyle programmes sealed under the officer's data key.

In clear on the sealed tables: ids, units, the dates scheduling needs, a programme's status (its
outcome counts appear in unit figures) and a keyed content hash for idempotency. The reading's
kind, values and context, a programme's kind, goals, plan and notes are sealed: which device an
officer measures with, or which programme they follow, would hint at a condition.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime


class Kit(Base):
    """A first-aid kit of a unit, built to one of the kit templates (health/selfcare data)."""

    __tablename__ = "selfcare_kit"
    __table_args__ = (UniqueConstraint("unit_id", "label", name="uq_selfcare_kit_unit_label"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    template: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KitItem(Base):
    """What a kit holds: one row per item and batch (medicines carry batch and expiry)."""

    __tablename__ = "selfcare_kit_item"
    __table_args__ = (
        UniqueConstraint("kit_id", "item", "batch", name="uq_selfcare_kit_item_batch"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selfcare_kit.id"), index=True)
    item: Mapped[str] = mapped_column(String(48))
    batch: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    expires_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Device(Base):
    """A measuring device issued to a unit, who holds it and when it was last calibrated."""

    __tablename__ = "selfcare_device"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    holder_officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))
    last_calibrated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Course(Base):
    """A training course (first aid, CPR/AED, device use) and how long its certificate lasts."""

    __tablename__ = "selfcare_course"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    validity_months: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Training(Base):
    """One attendance with its certificate; the same officer, course and day is stored once."""

    __tablename__ = "selfcare_training"
    __table_args__ = (
        UniqueConstraint(
            "officer_id", "course_id", "attended_on", name="uq_selfcare_training_attendance"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"), index=True)
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selfcare_course.id"), index=True)
    attended_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    certificate: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))


class Reading(Base):
    """An officer's own measurement; kind, values and context sealed as one document."""

    __tablename__ = "selfcare_reading"
    __table_args__ = (
        UniqueConstraint("officer_id", "content_hash", name="uq_selfcare_reading_content"),
        Index("ix_selfcare_reading_officer_taken", "officer_id", "taken_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(120))
    content_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    document: Mapped[bytes] = mapped_column(LargeBinary)


class Programme(Base):
    """A lifestyle programme; kind, goals, planned contacts and outcome note sealed."""

    __tablename__ = "selfcare_programme"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    enrolled_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    document: Mapped[bytes] = mapped_column(LargeBinary)


class ProgrammeContact(Base):
    """One contact of a programme: what was discussed and the new measurement, sealed."""

    __tablename__ = "selfcare_programme_contact"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("selfcare_programme.id"), index=True)
    contact_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    document: Mapped[bytes] = mapped_column(LargeBinary)
