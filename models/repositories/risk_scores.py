"""Queries on risk scores."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import Checkup
from models.tables_risk import RiskScore


def add_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """New scores as plain rows (every column given), in bulk (COPY on PostgreSQL)."""
    insert_rows(session, RiskScore.__table__, rows)


def supersede_for_checkups(session: Session, checkup_ids: Sequence[uuid.UUID]) -> None:
    for start in range(0, len(checkup_ids), 1000):
        session.execute(
            update(RiskScore)
            .where(
                RiskScore.checkup_id.in_(checkup_ids[start : start + 1000]),
                RiskScore.status == "current",
            )
            .values(status="superseded")
        )


def supersede_for_replaced_checkups(session: Session, officer_ids: Sequence[uuid.UUID]) -> None:
    """Scores of checkup versions that a correction replaced become history too."""
    ids = list(officer_ids)
    for start in range(0, len(ids), 1000):
        replaced = select(Checkup.id).where(
            Checkup.officer_id.in_(ids[start : start + 1000]), Checkup.status != "current"
        )
        session.execute(
            update(RiskScore)
            .where(RiskScore.checkup_id.in_(replaced), RiskScore.status == "current")
            .values(status="superseded")
        )


def current_of_officer(session: Session, officer_id: uuid.UUID) -> list[RiskScore]:
    """Current scores of an officer's checkups, latest exam first."""
    query = (
        select(RiskScore)
        .where(RiskScore.officer_id == officer_id, RiskScore.status == "current")
        .order_by(RiskScore.exam_date.desc(), RiskScore.created_at.desc())
    )
    return list(session.scalars(query))


def latest_tiers(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each officer's tier on their latest scored checkup (for worklists)."""
    tiers: dict[uuid.UUID, tuple[Any, str]] = {}
    ids = list(officer_ids)
    for start in range(0, len(ids), 1000):
        query = select(RiskScore.officer_id, RiskScore.exam_date, RiskScore.tier).where(
            RiskScore.officer_id.in_(ids[start : start + 1000]), RiskScore.status == "current"
        )
        for officer_id, exam_date, tier in session.execute(query):
            known = tiers.get(officer_id)
            if known is None or exam_date > known[0]:
                tiers[officer_id] = (exam_date, tier)
    return {officer_id: tier for officer_id, (_, tier) in tiers.items()}
