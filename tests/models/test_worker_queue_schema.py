"""The worker's queue schema: the copy the migration applies is the installed procrastinate's,
and the revision comes off and on again cleanly (PostgreSQL; SQLite has no queue)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from procrastinate.schema import SchemaManager
from sqlalchemy import inspect

from models.db import make_engine
from models.migrate import downgrade, upgrade

SCHEMA = Path(__file__).resolve().parents[2] / "models" / "migrations" / "procrastinate-3.10.0.sql"
QUEUE_TABLES = {
    "procrastinate_jobs",
    "procrastinate_workers",
    "procrastinate_periodic_defers",
    "procrastinate_events",
}


def test_migration_applies_the_schema_of_the_installed_procrastinate() -> None:
    """A newer procrastinate fails here: add a revision that applies its migrations."""
    assert SCHEMA.read_text(encoding="utf-8") == SchemaManager.get_schema()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_queue_tables_exist_on_postgresql_only_and_come_off_with_the_revision(
    backend: str, fresh_url: Callable[[], str]
) -> None:
    url = fresh_url()
    if backend == "sqlite":
        assert not QUEUE_TABLES & _tables(url)
        return
    assert _tables(url) >= QUEUE_TABLES
    engine = make_engine(url)
    try:
        downgrade(engine, "audit_resource_index")
        assert not QUEUE_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= QUEUE_TABLES
    finally:
        engine.dispose()
