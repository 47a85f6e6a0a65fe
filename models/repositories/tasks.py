"""Queries on follow-up tasks, their events and the worklists built from them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from health.followup.worklist import Filters
from health.vocabulary import OPEN_STATUSES, Role, TaskType
from models.bulk import insert_columns, insert_rows
from models.tables import AppUser, Task, TaskEvent, Unit, UserUnit
from models.tables_risk import RiskScore

OPEN = tuple(sorted(OPEN_STATUSES))
# The officer's risk tier on their latest scored checkup (clear column; managers may see it).
RISK_TIER = (
    select(RiskScore.tier)
    .where(RiskScore.officer_id == Task.officer_id, RiskScore.status == "current")
    .order_by(RiskScore.exam_date.desc(), RiskScore.created_at.desc())
    .limit(1)
    .correlate(Task)
    .scalar_subquery()
)
RISK_RANK = case({"low": 1, "moderate": 2, "high": 3}, value=RISK_TIER, else_=0)
SORTS = {
    "due": (Task.due,),
    "priority": (Task.priority, Task.due),
    "created_at": (Task.created_at,),
    "status": (Task.status, Task.due),
    "type": (Task.type, Task.due),
    "risk": (RISK_RANK, Task.due),
}


def add_many(session: Session, tasks: Sequence[Task]) -> None:
    """New tasks in bulk (COPY on PostgreSQL): the unit of work costs too much per row here."""
    if tasks:
        columns = [column.key for column in Task.__table__.columns]
        insert_rows(session, Task.__table__, [{k: getattr(t, k) for k in columns} for t in tasks])


def add_task_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """New tasks as plain rows (every column given), in bulk."""
    insert_rows(session, Task.__table__, rows)


def add_task_columns(session: Session, columns: Mapping[str, Sequence[Any]]) -> None:
    """New tasks given column by column (every column), in bulk."""
    insert_columns(session, Task.__table__, columns)


def add_events(session: Session, events: list[dict[str, Any]]) -> None:
    insert_rows(session, TaskEvent.__table__, events)


def add_event_columns(session: Session, columns: Mapping[str, Sequence[Any]]) -> None:
    insert_columns(session, TaskEvent.__table__, columns)


def get(session: Session, task_id: uuid.UUID) -> Task | None:
    return session.get(Task, task_id)


def by_ids(session: Session, task_ids: Sequence[uuid.UUID]) -> list[Task]:
    found: list[Task] = []
    for start in range(0, len(task_ids), 1000):
        query = select(Task).where(Task.id.in_(task_ids[start : start + 1000]))
        found.extend(session.scalars(query))
    return found


def open_of_officers(session: Session, officer_ids: Sequence[uuid.UUID]) -> list[Task]:
    """Open tasks of these officers, for merging new plans and closing rechecks."""
    found: list[Task] = []
    unique = list(dict.fromkeys(officer_ids))
    for start in range(0, len(unique), 1000):
        query = select(Task).where(
            Task.officer_id.in_(unique[start : start + 1000]), Task.status.in_(OPEN)
        )
        found.extend(session.scalars(query))
    return found


def of_officer(session: Session, officer_id: uuid.UUID) -> Sequence[Task]:
    query = select(Task).where(Task.officer_id == officer_id).order_by(Task.due, Task.id)
    return session.scalars(query).all()


def events_of(session: Session, task_id: uuid.UUID) -> Sequence[TaskEvent]:
    query = select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.at)
    return session.scalars(query).all()


def _subtree_ids(session: Session, paths: Sequence[str]) -> list[uuid.UUID]:
    query = select(Unit.id).where(or_(*(Unit.path.startswith(p, autoescape=True) for p in paths)))
    return list(session.scalars(query))


def _conditions(
    filters: Filters, now: datetime, unit_ids: Sequence[uuid.UUID]
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    in_units = Task.unit_id.in_(unit_ids)
    if filters.or_assignee is not None:
        where.append(or_(in_units, Task.assignee_user_id == filters.or_assignee))
    elif filters.unit_paths:
        where.append(in_units)
    if filters.assignee is not None:
        where.append(Task.assignee_user_id == filters.assignee)
    if filters.unassigned:
        where.append(Task.assignee_user_id.is_(None))
    if filters.types:
        where.append(Task.type.in_(filters.types))
    if filters.statuses:
        where.append(Task.status.in_(filters.statuses))
    if filters.priorities:
        where.append(Task.priority.in_(filters.priorities))
    overdue = and_(Task.status.in_(OPEN), Task.due < now)
    if filters.overdue is True:
        where.append(overdue)
    elif filters.overdue is False:
        where.append(~overdue)
    if filters.due_from is not None:
        where.append(Task.due >= filters.due_from)
    if filters.due_to is not None:
        where.append(Task.due < filters.due_to)
    if filters.officer_id is not None:
        where.append(Task.officer_id == filters.officer_id)
    if filters.created_from is not None:
        where.append(Task.created_at >= filters.created_from)
    if filters.created_to is not None:
        where.append(Task.created_at < filters.created_to)
    if filters.risk_tiers:
        where.append(RISK_TIER.in_(filters.risk_tiers))
    if filters.unit_id is not None:
        sub = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
        where.append(Unit.path.startswith(sub))
    return where


def _page_keys(filters: Filters, now: datetime, unit_ids: Sequence[uuid.UUID]) -> Select[Any]:
    """The page's task ids alone: the unit join only when a unit filter needs its path, so the
    usual page (units, statuses, due) is read and counted from ix_task_unit_status_due_id."""
    query = select(Task.id).select_from(Task)
    if filters.unit_id is not None:
        query = query.join(Unit, Unit.id == Task.unit_id)
    return query.where(*_conditions(filters, now, unit_ids))


def worklist(
    session: Session,
    filters: Filters,
    now: datetime,
    *,
    sort: str = "due",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Task], int]:
    """One page of tasks and the total count, in a stable order (id breaks ties).

    The subtree is resolved to unit ids first, so PostgreSQL reads only those units' tasks.
    The page is chosen and counted over ids (narrow rows, from the index), and only its rows
    are read: counting wide rows cost more than everything else on a manager's page.
    """
    keys = [k.desc() if descending else k.asc() for k in SORTS[sort]]
    unit_ids = _subtree_ids(session, filters.unit_paths) if filters.unit_paths else []
    # The total rides on the page as a window count over the ids; the page's rows are joined
    # to them in the same statement (one round trip).
    page = (
        _page_keys(filters, now, unit_ids)
        .add_columns(func.count().over().label("total"))
        .order_by(*keys, Task.id)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    query = select(Task, page.c.total).join(page, page.c.id == Task.id).order_by(*keys, Task.id)
    rows = session.execute(query).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][1])
    matching = _page_keys(filters, now, unit_ids).subquery()
    return [], int(session.scalar(select(func.count()).select_from(matching)) or 0)


def open_candidates(session: Session, before: datetime) -> list[tuple[Task, str]]:
    """Open tasks due before ``before``, with their unit's path, for the escalation job."""
    query = (
        select(Task, Unit.path)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Task.status.in_(OPEN), Task.due < before)
        .order_by(Task.due, Task.id)
    )
    return [(task, path) for task, path in session.execute(query)]


def due_between(session: Session, start: datetime, end: datetime) -> list[Task]:
    """Open tasks falling due in [start, end), for reminders."""
    query = (
        select(Task)
        .where(Task.status.in_(OPEN), Task.due >= start, Task.due < end)
        .order_by(Task.due, Task.id)
    )
    return list(session.scalars(query))


def open_home_visits(session: Session, unit_path: str) -> list[Task]:
    query = (
        select(Task)
        .join(Unit, Unit.id == Task.unit_id)
        .where(
            Task.type == TaskType.HOME_VISIT,
            Task.status.in_(OPEN),
            Unit.path.startswith(unit_path, autoescape=True),
        )
    )
    return list(session.scalars(query))


def managers_of(session: Session, unit_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Usernames of the active unit managers assigned to each of these units (not inherited)."""
    query = (
        select(UserUnit.unit_id, AppUser.username)
        .join(AppUser, AppUser.id == UserUnit.user_id)
        .where(
            UserUnit.unit_id.in_(list(set(unit_ids))),
            AppUser.role == Role.MANAGER,
            AppUser.disabled.is_(False),
        )
        .order_by(AppUser.username)
    )
    found: dict[uuid.UUID, list[str]] = {}
    for unit_id, username in session.execute(query):
        found.setdefault(unit_id, []).append(username)
    return found


def usernames(session: Session, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    query = select(AppUser.id, AppUser.username).where(
        AppUser.id.in_(list(set(user_ids))), AppUser.disabled.is_(False)
    )
    return dict(session.execute(query).all())


def officer_accounts(session: Session, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    query = select(AppUser.officer_id, AppUser.username).where(
        AppUser.officer_id.in_(list(set(officer_ids))), AppUser.disabled.is_(False)
    )
    return {oid: name for oid, name in session.execute(query) if oid is not None}
