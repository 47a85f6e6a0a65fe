"""The ORM tables. Identifiers and clinical values live only in sealed ``LargeBinary`` columns.

In clear: ids, unit ids, dates needed for scheduling, statuses, key versions and keyed hashes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from health.vocabulary import Outcome, Role, TaskMove, TaskStatus, TaskType
from models.base import Base as Base
from models.types import UTCDateTime, Vocabulary


class Unit(Base):
    """A node of the force → bureau → station tree; ``path`` makes subtree queries one LIKE."""

    __tablename__ = "unit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(1000), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Officer(Base):
    """An officer: unit in clear, everything personal sealed under the officer's own data key."""

    __tablename__ = "officer"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    badge_index: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)
    national_id_index: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)
    personal: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Known diagnoses recorded by a medic (sealed list of condition codes).
    conditions: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OfficerKey(Base):
    """One data key per officer, wrapped by a KEK version; deleting the row shreds the officer."""

    __tablename__ = "officer_key"

    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"), primary_key=True)
    dek_version: Mapped[int] = mapped_column(Integer)
    kek_version: Mapped[int] = mapped_column(Integer, index=True)
    wrapped_dek: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KeyCheck(Base):
    """Key check values of the KEKs and index key in use, so a wrong keyring is caught at start."""

    __tablename__ = "key_check"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    kcv: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AppUser(Base):
    """A login: staff (medic, unit manager, auditor, admin) or an officer reading their record."""

    __tablename__ = "app_user"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[Role] = mapped_column(Vocabulary(Role, 32))
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"), unique=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A re-enrolled second factor waits here until confirmed; the old one keeps working.
    totp_pending: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The last TOTP time step accepted, so one code is never accepted twice (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class UserUnit(Base):
    """Units a medic serves or a unit manager manages; each covers its whole subtree."""

    __tablename__ = "user_unit"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), primary_key=True)


class AuthSession(Base):
    """One login: the refresh token (stored hashed), idle and absolute expiry, revocation."""

    __tablename__ = "auth_session"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    refresh_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccessGrant(Base):
    """Break-the-glass access of a medic to one officer outside their units: time-boxed."""

    __tablename__ = "access_grant"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"), index=True)
    reason: Mapped[bytes] = mapped_column(LargeBinary)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Checkup(Base):
    """One checkup version; results sealed as one document, corrections supersede."""

    __tablename__ = "checkup"
    __table_args__ = (
        # One row per version of one exam; two concurrent corrections cannot both be version n.
        UniqueConstraint("officer_id", "exam_date", "version", name="uq_checkup_exam_version"),
        Index("ix_checkup_content_hash", "officer_id", "content_hash"),
        Index("ix_checkup_officer_exam", "officer_id", "exam_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    exam_date: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="current")
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checkup.id"))
    content_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    results: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    upload_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("upload.id"), index=True)


class Upload(Base):
    """One import of a file (or JSON body): what came in, what was stored, what was refused.

    The error report and the rejected rows hold uploaded values, so they are sealed.
    """

    __tablename__ = "upload"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[bytes] = mapped_column(LargeBinary(32), index=True)
    catalog_version: Mapped[str] = mapped_column(String(32))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    checkups: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    corrected: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Who runs it ("host:pid") and when it last stored a chunk: a killed run is found and failed.
    worker: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Screening(Base):
    """One screening of one checkup version under one ruleset version; findings and task plans
    sealed. A rescreen adds a new row and marks the earlier one superseded, never rewrites it."""

    __tablename__ = "screening"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    checkup_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checkup.id"), index=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"), index=True)
    ruleset: Mapped[str] = mapped_column(String(64))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(120))
    document: Mapped[bytes] = mapped_column(LargeBinary)


class RulesetVersion(Base):
    """A screening ruleset (or follow-up policy) uploaded by an admin; one of each kind active.
    Clinical rules are not personal data: kept in clear so they can be reviewed."""

    __tablename__ = "ruleset_version"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_ruleset_version_kind"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Append-only; holds ids only, never health data.

    Each event carries its own MAC (``mac``) and a number the database assigns (``seq``), so
    appending needs no shared row; the sequencer links events into the hash chain afterwards
    (``audit_link``). Events written before the sequencer have ``mac`` empty: their chain link
    already covers their content.
    """

    __tablename__ = "audit_event"
    # Events about a resource (grants of a unit to a medic, reads of a task) are found by it.
    __table_args__ = (Index("ix_audit_event_resource", "resource_type", "resource_id"),)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    officer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    purpose: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(400))
    mac: Mapped[bytes | None] = mapped_column(LargeBinary(32))


class AuditHead(Base):
    """The chain's tip (last link's position and MAC): a cut tail is detectable. Only the
    sequencer writes it, never a request."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class Task(Base):
    """A follow-up task; type, status, priority and due in clear for worklists; the analyte
    family, the critical mark, the reason and notes sealed under the officer's key (they reveal
    a condition). ``version`` is the ETag that guards updates."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_unit_status_due_id", "unit_id", "status", "due", "id"),
        Index("ix_task_officer_open", "officer_id", "status"),
        Index("ix_task_assignee_status", "assignee_user_id", "status"),
        Index("ix_task_status_due", "status", "due"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officer.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"))
    type: Mapped[TaskType] = mapped_column(Vocabulary(TaskType, 24))
    status: Mapped[TaskStatus] = mapped_column(Vocabulary(TaskStatus, 16))
    priority: Mapped[int] = mapped_column(Integer)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    exam_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(Vocabulary(Outcome, 32))
    detail: Mapped[bytes] = mapped_column(LargeBinary)
    source_checkup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checkup.id"))
    source_screening_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    result_checkup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checkup.id"))
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("task.id"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's contract


class TaskEvent(Base):
    """One move of a task: who, when, from which status to which; the why sealed."""

    __tablename__ = "task_event"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("task.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[Role] = mapped_column(Vocabulary(Role, 32))
    action: Mapped[TaskMove] = mapped_column(Vocabulary(TaskMove, 24))
    from_status: Mapped[TaskStatus | None] = mapped_column(Vocabulary(TaskStatus, 16))
    to_status: Mapped[TaskStatus] = mapped_column(Vocabulary(TaskStatus, 16))
    outcome: Mapped[Outcome | None] = mapped_column(Vocabulary(Outcome, 32))
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_after: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[bytes | None] = mapped_column(LargeBinary)


class Outbox(Base):
    """Notices waiting for delivery; one row per (key, recipient), so a job that runs twice or
    crashes half-way never queues a notice twice."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key", "recipient", name="uq_outbox_key_recipient"),
        Index("ix_outbox_pending", "sent_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))


class IdempotencyKey(Base):
    """The first response to a request sent with an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotency_key"

    user_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UnitReport(Base):
    """A unit's figures for a year as computed by the ``report`` job over the whole force (so
    small-cell suppression chose its complements once); counts, rates and medians only."""

    __tablename__ = "unit_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    min_cell: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    figures: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text)
