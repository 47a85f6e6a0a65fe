"""Whole-force column reads for unit figures and recall lists (ids, dates and codes only), and
the figures stored ahead of time by the report job."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import DateTime, String, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from models.tables import Checkup, Officer, Task, Unit, UnitReport


def units(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(select(Unit.id, Unit.parent_id, Unit.path))]


def officers(session: Session) -> list[tuple[Any, ...]]:
    query = select(Officer.id, Officer.unit_id).where(Officer.erased_at.is_(None))
    return [tuple(r) for r in session.execute(query)]


def checkups(session: Session, since: date) -> list[tuple[Any, ...]]:
    query = select(Checkup.officer_id, Checkup.exam_date).where(
        Checkup.status == "current", Checkup.exam_date >= since
    )
    return [tuple(r) for r in session.execute(query)]


def tasks(session: Session) -> list[tuple[Any, ...]]:
    """Every task's unit, status and times as the driver gives them (status a plain string,
    times naive on SQLite): per-row type processing of 200k tasks cost seconds, and the
    figures convert whole columns to UTC anyway."""
    moment = DateTime(timezone=True)
    query = select(
        Task.unit_id,
        type_coerce(Task.status, String),
        type_coerce(Task.created_at, moment),
        type_coerce(Task.due, moment),
        type_coerce(Task.closed_at, moment),
    )
    return [tuple(r) for r in session.execute(query)]


def last_checkups(session: Session, unit_path: str, as_of: date) -> list[tuple[Any, ...]]:
    """(officer_id, unit_id, last exam date or None) for live officers in a subtree."""
    last = (
        select(Checkup.officer_id, func.max(Checkup.exam_date).label("last"))
        .where(Checkup.status == "current", Checkup.exam_date <= as_of)
        .group_by(Checkup.officer_id)
        .subquery()
    )
    query = (
        select(Officer.id, Officer.unit_id, last.c.last)
        .join(Unit, Unit.id == Officer.unit_id)
        .outerjoin(last, last.c.officer_id == Officer.id)
        .where(Officer.erased_at.is_(None), Unit.path.startswith(unit_path, autoescape=True))
    )
    return [tuple(r) for r in session.execute(query)]


def replace_reports(session: Session, year: int, rows: list[dict[str, Any]]) -> None:
    """Swap a year's stored figures for new ones, in the caller's transaction."""
    session.execute(delete(UnitReport).where(UnitReport.year == year))
    if rows:
        session.execute(insert(UnitReport), rows)


def reports(session: Session, unit_path: str, year: int) -> list[UnitReport]:
    """A year's stored figures for every unit of a subtree, in tree order."""
    query = (
        select(UnitReport)
        .join(Unit, Unit.id == UnitReport.unit_id)
        .where(UnitReport.year == year, Unit.path.startswith(unit_path, autoescape=True))
        .order_by(Unit.path)
    )
    return list(session.scalars(query))
