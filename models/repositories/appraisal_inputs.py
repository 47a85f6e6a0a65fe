"""Whole-force reads for the appraisal indicators beyond the unit figures: urgent contacts with
their sealed detail and their officer's wrapped key (the critical mark is sealed), lifestyle
tasks and programme enrolments (ids and dates only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from health.vocabulary import TaskType
from models.tables import Officer, OfficerKey, Task
from models.tables_selfcare import Programme


def urgent_contacts(session: Session, since: datetime, until: datetime) -> list[tuple[Any, ...]]:
    """(task_id, officer_id, unit_id, status, created_at, due, closed_at, detail, kek_version,
    dek_version, wrapped_dek) of urgent contacts created in [since, until) for live officers."""
    query = (
        select(
            Task.id,
            Task.officer_id,
            Task.unit_id,
            Task.status,
            Task.created_at,
            Task.due,
            Task.closed_at,
            Task.detail,
            OfficerKey.kek_version,
            OfficerKey.dek_version,
            OfficerKey.wrapped_dek,
        )
        .join(Officer, Officer.id == Task.officer_id)
        .join(OfficerKey, OfficerKey.officer_id == Task.officer_id)
        .where(
            Task.type == TaskType.URGENT_CONTACT,
            Task.created_at >= since,
            Task.created_at < until,
            Officer.erased_at.is_(None),
        )
    )
    return [tuple(r) for r in session.execute(query)]


def lifestyle_tasks(session: Session, since: datetime, until: datetime) -> list[tuple[Any, ...]]:
    """(officer_id, unit_id, created_at) of lifestyle tasks created in [since, until)."""
    query = select(Task.officer_id, Task.unit_id, Task.created_at).where(
        Task.type == TaskType.LIFESTYLE, Task.created_at >= since, Task.created_at < until
    )
    return [tuple(r) for r in session.execute(query)]


def programme_spans(session: Session) -> list[tuple[Any, ...]]:
    """(officer_id, enrolled_on, ended_on) of every lifestyle programme."""
    query = select(Programme.officer_id, Programme.enrolled_on, Programme.ended_on)
    return [tuple(r) for r in session.execute(query)]
