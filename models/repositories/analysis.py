"""Whole-force reads for the health analysis (sealed rows with each officer's wrapped key, to be
opened in bulk by the service) and the analysis stored per year."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.tables import Checkup, Officer, OfficerKey, Unit
from models.tables_reports import AnalysisReport, AppraisalScheme, AppraisalScore


def sealed_checkups(session: Session, year: int) -> list[tuple[Any, ...]]:
    """(officer_id, unit_id, personal, kek_version, dek_version, wrapped_dek, checkup_id,
    exam_date, results) of current checkups in the year of officers not erased."""
    query = (
        select(
            Officer.id,
            Officer.unit_id,
            Officer.personal,
            OfficerKey.kek_version,
            OfficerKey.dek_version,
            OfficerKey.wrapped_dek,
            Checkup.id,
            Checkup.exam_date,
            Checkup.results,
        )
        .join(Checkup, Checkup.officer_id == Officer.id)
        .join(OfficerKey, OfficerKey.officer_id == Officer.id)
        .where(
            Officer.erased_at.is_(None),
            Checkup.status == "current",
            Checkup.exam_date >= date(year, 1, 1),
            Checkup.exam_date < date(year + 1, 1, 1),
        )
    )
    return [tuple(r) for r in session.execute(query)]


def replace(session: Session, year: int, rows: list[dict[str, Any]]) -> None:
    """Swap a year's stored analysis for a new one, in the caller's transaction."""
    session.execute(delete(AnalysisReport).where(AnalysisReport.year == year))
    if rows:
        session.execute(insert(AnalysisReport), rows)


def stored(session: Session, unit_path: str, year: int) -> list[AnalysisReport]:
    """A year's stored analysis for every unit of a subtree, in tree order."""
    query = (
        select(AnalysisReport)
        .join(Unit, Unit.id == AnalysisReport.unit_id)
        .where(AnalysisReport.year == year, Unit.path.startswith(unit_path, autoescape=True))
        .order_by(Unit.path)
    )
    return list(session.scalars(query))


def schemes(session: Session) -> list[AppraisalScheme]:
    """Published appraisal schemes, newest first."""
    query = select(AppraisalScheme).order_by(AppraisalScheme.published_at.desc())
    return list(session.scalars(query))


def scheme(session: Session, version: str) -> AppraisalScheme | None:
    return session.get(AppraisalScheme, version)


def add_scheme(session: Session, row: AppraisalScheme) -> None:
    session.add(row)
    session.flush()


def replace_scores(session: Session, year: int, rows: list[dict[str, Any]]) -> None:
    session.execute(delete(AppraisalScore).where(AppraisalScore.year == year))
    if rows:
        session.execute(insert(AppraisalScore), rows)


def scores(session: Session, unit_path: str, year: int) -> list[tuple[AppraisalScore, str]]:
    """A year's stored scores for every unit of a subtree, with the unit's path, in tree order."""
    query = (
        select(AppraisalScore, Unit.path)
        .join(Unit, Unit.id == AppraisalScore.unit_id)
        .where(AppraisalScore.year == year, Unit.path.startswith(unit_path, autoescape=True))
        .order_by(Unit.path)
    )
    return [(row, str(path)) for row, path in session.execute(query)]
