"""Queries on uploads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.tables import Upload


def add(session: Session, upload: Upload) -> None:
    session.add(upload)
    session.flush()


def get(session: Session, upload_id: uuid.UUID) -> Upload | None:
    return session.get(Upload, upload_id)


def by_content(session: Session, content_hash: bytes) -> Upload | None:
    query = select(Upload).where(Upload.content_hash == content_hash).limit(1)
    return session.scalars(query).first()


def add_counts(
    session: Session,
    upload_id: uuid.UUID,
    stored: int,
    duplicates: int,
    corrected: int,
    heartbeat: datetime | None = None,
) -> None:
    values: dict[str, Any] = {
        "stored": Upload.stored + stored,
        "duplicates": Upload.duplicates + duplicates,
        "corrected": Upload.corrected + corrected,
    }
    if heartbeat is not None:
        values["heartbeat_at"] = heartbeat
    session.execute(update(Upload).where(Upload.id == upload_id).values(**values))


def running(session: Session) -> Sequence[Upload]:
    return session.scalars(select(Upload).where(Upload.status == "running")).all()


def finish(session: Session, upload_id: uuid.UUID, status: str) -> None:
    session.execute(update(Upload).where(Upload.id == upload_id).values(status=status))


def stored_before(session: Session, content_hash: bytes) -> bool:
    """Whether an earlier upload of the same bytes stored (or recognised) any checkup."""
    query = (
        select(Upload.id)
        .where(
            Upload.content_hash == content_hash,
            (Upload.stored + Upload.duplicates + Upload.corrected) > 0,
        )
        .limit(1)
    )
    return session.scalars(query).first() is not None


def mark_interrupted(session: Session, content_hash: bytes, created_by: str) -> None:
    """An upload of the same file by the same medic still 'running' was killed: running the
    file again is how it completes, so the earlier record says what happened to it."""
    session.execute(
        update(Upload)
        .where(
            Upload.content_hash == content_hash,
            Upload.created_by == created_by,
            Upload.status == "running",
        )
        .values(status="interrupted")
    )
