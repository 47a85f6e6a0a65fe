"""Queries on second-admin approval requests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.tables import Unit
from models.tables_auth import ApprovalRequest


def add(session: Session, request: ApprovalRequest) -> None:
    session.add(request)
    session.flush()


def get(session: Session, request_id: uuid.UUID) -> ApprovalRequest | None:
    return session.get(ApprovalRequest, request_id)


def pending(session: Session) -> Sequence[ApprovalRequest]:
    query = select(ApprovalRequest).where(ApprovalRequest.status == "pending")
    return session.scalars(query.order_by(ApprovalRequest.requested_at)).all()


def pending_for(session: Session, user_id: uuid.UUID, kind: str) -> ApprovalRequest | None:
    query = select(ApprovalRequest).where(
        ApprovalRequest.user_id == user_id,
        ApprovalRequest.kind == kind,
        ApprovalRequest.status == "pending",
    )
    return session.scalars(query.limit(1)).first()


def units_covered(session: Session, unit_ids: Sequence[uuid.UUID]) -> int:
    """How many units lie in the subtrees of ``unit_ids`` (each counted once)."""
    if not unit_ids:
        return 0
    roots = session.scalars(select(Unit.path).where(Unit.id.in_(list(unit_ids)))).all()
    if not roots:
        return 0
    query = (
        select(func.count())
        .select_from(Unit)
        .where(or_(*(Unit.path.startswith(path, autoescape=True) for path in roots)))
    )
    return int(session.scalar(query) or 0)


def any_root(session: Session, unit_ids: Sequence[uuid.UUID]) -> bool:
    """Whether any of the units is a top of the tree (the whole force)."""
    query = (
        select(func.count())
        .select_from(Unit)
        .where(Unit.id.in_(list(unit_ids)), Unit.parent_id.is_(None))
    )
    return bool(unit_ids) and int(session.scalar(query) or 0) > 0
