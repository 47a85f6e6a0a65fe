"""Queries on emergency (break-the-glass) access grants."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import AccessGrant


def add(session: Session, grant: AccessGrant) -> None:
    session.add(grant)
    session.flush()


def get(session: Session, grant_id: uuid.UUID) -> AccessGrant | None:
    return session.get(AccessGrant, grant_id)


def active(
    session: Session, user_id: uuid.UUID, officer_id: uuid.UUID, now: datetime
) -> AccessGrant | None:
    query = (
        select(AccessGrant)
        .where(
            AccessGrant.user_id == user_id,
            AccessGrant.officer_id == officer_id,
            AccessGrant.revoked_at.is_(None),
            AccessGrant.expires_at > now,
        )
        .order_by(AccessGrant.expires_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def of_officer(session: Session, officer_id: uuid.UUID) -> Sequence[AccessGrant]:
    query = (
        select(AccessGrant)
        .where(AccessGrant.officer_id == officer_id)
        .order_by(AccessGrant.granted_at.desc())
    )
    return session.scalars(query).all()
