"""Queries on uploaded rulesets and follow-up policies."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.tables import RulesetVersion


def add(session: Session, row: RulesetVersion) -> None:
    session.add(row)
    session.flush()


def get(session: Session, ruleset_id: uuid.UUID) -> RulesetVersion | None:
    return session.get(RulesetVersion, ruleset_id)


def by_version(session: Session, kind: str, version: str) -> RulesetVersion | None:
    query = select(RulesetVersion).where(
        RulesetVersion.kind == kind, RulesetVersion.version == version
    )
    return session.scalars(query).one_or_none()


def active(session: Session, kind: str) -> RulesetVersion | None:
    query = select(RulesetVersion).where(
        RulesetVersion.kind == kind, RulesetVersion.active.is_(True)
    )
    return session.scalars(query).one_or_none()


def list_kind(session: Session, kind: str) -> Sequence[RulesetVersion]:
    query = select(RulesetVersion).where(RulesetVersion.kind == kind)
    return session.scalars(query.order_by(RulesetVersion.uploaded_at.desc())).all()


def activate(session: Session, row: RulesetVersion, when: datetime) -> None:
    session.execute(
        update(RulesetVersion).where(RulesetVersion.kind == row.kind).values(active=False)
    )
    row.active = True
    row.activated_at = when
    session.flush()
