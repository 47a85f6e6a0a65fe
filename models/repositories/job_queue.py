"""Queries on the worker's queue tables (procrastinate's, PostgreSQL only): what the health
check and the operators read; procrastinate itself owns every write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


def has_queue(session: Session) -> bool:
    """Whether this database carries the queue (PostgreSQL after ``db upgrade``)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(text("SELECT to_regclass('procrastinate_workers')")).scalar()
    return found is not None


def last_heartbeat(session: Session, worker_id: int) -> datetime | None:
    """The last heartbeat of this registered worker (None once it stopped or was pruned)."""
    return session.execute(
        text("SELECT last_heartbeat FROM procrastinate_workers WHERE id = :id"), {"id": worker_id}
    ).scalar()


def counts(session: Session) -> dict[tuple[str, str], int]:
    """Jobs per (task name, status): the queue at a glance."""
    rows = session.execute(
        text(
            "SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
            "GROUP BY task_name, status"
        )
    )
    return {(name, status): int(n) for name, status, n in rows}
