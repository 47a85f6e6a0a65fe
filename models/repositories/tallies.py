"""Queries on ``finding_tally``: pseudonymous (token, family, year, severity) rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.bulk import insert_rows
from models.tables import Checkup, Screening
from models.tables_bulk import FindingTally


def add_many(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_rows(session, FindingTally.__table__, rows)


def remove(session: Session, tokens: Sequence[bytes]) -> None:
    """Retire the rows of superseded screenings or of an erased officer."""
    for start in range(0, len(tokens), 1000):
        chunk = list(tokens[start : start + 1000])
        session.execute(delete(FindingTally).where(FindingTally.token.in_(chunk)))


def since(session: Session, year: int, severities: Sequence[str]) -> list[tuple[Any, ...]]:
    """(token, year, family) of rows of ``year`` and later with one of ``severities``."""
    query = select(FindingTally.token, FindingTally.year, FindingTally.family).where(
        FindingTally.year >= year, FindingTally.severity.in_(list(severities))
    )
    return [tuple(r) for r in session.execute(query)]


def current_screenings(session: Session, exam_from: date) -> list[tuple[Any, ...]]:
    """(screening_id, officer_id, exam_date) of current screenings of exams from ``exam_from``."""
    query = (
        select(Screening.id, Screening.officer_id, Checkup.exam_date)
        .join(Checkup, Checkup.id == Screening.checkup_id)
        .where(Screening.status == "current", Checkup.exam_date >= exam_from)
    )
    return [tuple(r) for r in session.execute(query)]
