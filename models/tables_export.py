"""FHIR Bulk Data exports: the request in clear, the NDJSON files sealed until they expire.

A request names who asked, which resource types, since when and for which unit (ids, type
names, times: no health data). Each file is sealed with the export's own data key (AES-256-GCM,
associated data naming the file), the key wrapped by the KEK like an officer's; rows are
deleted when the export expires or is cancelled, and the key goes with them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from health.vocabulary import ExportStatus
from models.base import Base
from models.types import UTCDateTime, Vocabulary


class BulkExport(Base):
    __tablename__ = "bulk_export"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    group_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"))
    types: Mapped[str] = mapped_column(String(200))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    request_url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[ExportStatus] = mapped_column(Vocabulary(ExportStatus, 16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(64))
    kek_version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)


class BulkExportFile(Base):
    __tablename__ = "bulk_export_file"
    __table_args__ = (
        UniqueConstraint("export_id", "resource_type", "part", name="uq_bulk_export_file_part"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    export_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bulk_export.id"), index=True)
    resource_type: Mapped[str] = mapped_column(String(32))
    part: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary)
