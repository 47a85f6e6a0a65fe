"""Planner statistics of the tables an import reads back while it grows them.

Each chunk of an import looks up the current checkups and open tasks of its officers. PostgreSQL
plans those lookups from the table statistics of the last ANALYZE; a table that grew from nearly
empty within one import (autovacuum off, as on the CI server here, or lagging behind) is planned
as if it were still small, and the lookup becomes a scan of every open task and every checkup,
once per chunk: a 1,000,000-row import then slows as it goes (1.5 s per 1,000 officers at
550,000 tasks, measured). SQLite plans these lookups by their indexes without statistics.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from models.tables import Checkup, Task

# Names come from the ORM, never from input.
_READ_BACK = (Checkup.__tablename__, Task.__tablename__)


def believed_checkups(session: Session) -> float | None:
    """The checkup row count the planner assumes (negative: never analysed); None off
    PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    query = text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)")
    return float(session.scalar(query, {"name": Checkup.__tablename__}) or 0.0)


def analyze_read_back(session: Session) -> None:
    """Refresh the statistics of the checkup and task tables (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE " + ", ".join(f'"{name}"' for name in _READ_BACK)))
