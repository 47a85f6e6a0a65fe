"""Queries of the Bulk Data export: requests, their sealed files, expiry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from health.vocabulary import ExportStatus
from models.tables_export import BulkExport, BulkExportFile


def add(session: Session, export: BulkExport) -> None:
    session.add(export)
    session.flush()


def get(session: Session, export_id: uuid.UUID) -> BulkExport | None:
    return session.get(BulkExport, export_id)


def files_of(session: Session, export_id: uuid.UUID) -> Sequence[BulkExportFile]:
    query = (
        select(BulkExportFile)
        .where(BulkExportFile.export_id == export_id)
        .order_by(BulkExportFile.resource_type, BulkExportFile.part)
    )
    return session.scalars(query).all()


def file(session: Session, file_id: uuid.UUID) -> BulkExportFile | None:
    return session.get(BulkExportFile, file_id)


def add_file(session: Session, row: BulkExportFile) -> None:
    session.add(row)
    session.flush()


def mark_downloaded(session: Session, file_id: uuid.UUID, when: datetime) -> None:
    session.execute(
        update(BulkExportFile)
        .where(BulkExportFile.id == file_id, BulkExportFile.downloaded_at.is_(None))
        .values(downloaded_at=when)
    )


def drop_files(session: Session, export_ids: Sequence[uuid.UUID]) -> None:
    if export_ids:
        session.execute(delete(BulkExportFile).where(BulkExportFile.export_id.in_(export_ids)))


def drop(session: Session, export_ids: Sequence[uuid.UUID]) -> None:
    """The files, then the requests (and with them the wrapped keys). The requests are marked
    first: that waits for a runner holding the row, whose files are then deleted too."""
    if export_ids:
        session.execute(
            update(BulkExport)
            .where(BulkExport.id.in_(export_ids))
            .values(status=ExportStatus.CANCELLED)
        )
        drop_files(session, export_ids)
        session.execute(delete(BulkExport).where(BulkExport.id.in_(export_ids)))


def expired(session: Session, now: datetime) -> list[uuid.UUID]:
    query = select(BulkExport.id).where(BulkExport.expires_at <= now)
    return list(session.scalars(query))


def pending(session: Session) -> list[uuid.UUID]:
    """Exports accepted or interrupted while running: what a job runner picks up."""
    query = (
        select(BulkExport.id)
        .where(BulkExport.status.in_((ExportStatus.ACCEPTED, ExportStatus.IN_PROGRESS)))
        .order_by(BulkExport.requested_at)
    )
    return list(session.scalars(query))


def claim(session: Session, export_id: uuid.UUID, now: datetime, stale_before: datetime) -> bool:
    """Take an accepted export (or one whose runner stopped beating before ``stale_before``);
    two runners cannot both take it, as only one UPDATE matches."""
    result = session.execute(
        update(BulkExport)
        .where(
            BulkExport.id == export_id,
            or_(
                BulkExport.status == ExportStatus.ACCEPTED,
                and_(
                    BulkExport.status == ExportStatus.IN_PROGRESS,
                    BulkExport.started_at < stale_before,
                ),
            ),
        )
        .values(status=ExportStatus.IN_PROGRESS, started_at=now, done=0)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def beat(session: Session, export_id: uuid.UUID, now: datetime, done: int, total: int) -> bool:
    """Record progress; False when the export was cancelled (deleted) meanwhile."""
    result = session.execute(
        update(BulkExport)
        .where(BulkExport.id == export_id, BulkExport.status == ExportStatus.IN_PROGRESS)
        .values(started_at=now, done=done, total=total)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def finish(
    session: Session,
    export_id: uuid.UUID,
    status: ExportStatus,
    now: datetime,
    expires: datetime | None,
) -> None:
    session.execute(
        update(BulkExport)
        .where(BulkExport.id == export_id, BulkExport.status == ExportStatus.IN_PROGRESS)
        .values(status=status, completed_at=now, expires_at=expires)
    )


def fail(session: Session, export_id: uuid.UUID, code: str, now: datetime) -> None:
    session.execute(
        update(BulkExport)
        .where(BulkExport.id == export_id)
        .values(status=ExportStatus.FAILED, error=code[:64], completed_at=now)
    )
