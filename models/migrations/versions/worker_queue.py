"""worker queue: procrastinate's job tables on PostgreSQL (none on SQLite)

The background worker (``officer-health worker``) keeps its queue in the same database, so a
deployment needs no other service. The schema is procrastinate 3.10.0's own, copied next to the
migrations so this revision builds the same tables whatever version is installed later; a newer
procrastinate comes with a new revision applying its migrations. Every object is named
``procrastinate_*``. SQLite has no queue: the same jobs run from ``officer-health jobs run``.

Revision ID: worker_queue
Revises: audit_resource_index
Create Date: 2026-11-30 20:50:00.000000
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "worker_queue"
down_revision = "audit_resource_index"
branch_labels = None
depends_on = None

SCHEMA = Path(__file__).parents[1] / "procrastinate-3.10.0.sql"
TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_event_type",
    "procrastinate_job_status",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # The driver's own connection: the file is many statements with dollar-quoted bodies and
    # percent signs that no parameter style may touch.
    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    driver.execute(SCHEMA.read_text(encoding="utf-8"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    functions = op.get_bind().exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'"
    )
    names = [row[0] for row in functions]
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    for name in names:
        op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
    for kind in TYPES:
        op.execute(f"DROP TYPE IF EXISTS {kind} CASCADE")
