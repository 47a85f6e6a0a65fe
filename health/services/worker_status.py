"""Is the background worker alive, and what is in its queue: for the container health check
and for operators (no health data is involved, only job names and counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from health.clock import utcnow
from models.repositories import job_queue


@dataclass(frozen=True)
class Heartbeat:
    alive: bool
    reason: str


def heartbeat(
    session: Session, worker_id: int, within: timedelta, now: datetime | None = None
) -> Heartbeat:
    """Alive when this worker (its id in the queue) beat its heart within ``within``."""
    if not job_queue.has_queue(session):
        return Heartbeat(False, "this database has no job queue (PostgreSQL and db upgrade)")
    beat = job_queue.last_heartbeat(session, worker_id)
    if beat is None:
        return Heartbeat(False, f"worker {worker_id} is not registered (stopped or pruned)")
    age = (now or utcnow()) - beat
    if age > within:
        return Heartbeat(False, f"last heartbeat {int(age.total_seconds())} s ago")
    return Heartbeat(True, f"last heartbeat {age.total_seconds():.1f} s ago")


def queue(session: Session) -> dict[tuple[str, str], int]:
    """Jobs per (task name, status); empty where there is no queue."""
    if not job_queue.has_queue(session):
        return {}
    return job_queue.counts(session)
