"""``officer-health worker`` and ``officer-health jobs``: the scheduled jobs, run by the
PostgreSQL worker or, on the embedded SQLite default, from the command line (cron)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from health.errors import HealthError
from health.settings import get_settings

jobs_app = typer.Typer(help="Scheduled jobs (idempotent: safe to run again).", no_args_is_help=True)
console = Console(stderr=True)

SQLITE_NOTE = (
    "the worker keeps its queue in PostgreSQL (OH_DATABASE_URL=postgresql://...); this is the "
    "embedded SQLite database. Run the same jobs from cron instead, e.g. every minute: "
    "`officer-health jobs run audit_sequence outbox_deliver`, hourly: `officer-health jobs run` "
    "(`officer-health jobs list` shows each job and its schedule; `serve` links audit events "
    "itself)."
)


def _names(names: list[str] | None) -> list[str]:
    from api.jobs import BY_NAME, SCHEDULE

    unknown = sorted(set(names or []) - set(BY_NAME))
    if unknown:
        raise typer.BadParameter(f"unknown job(s) {unknown}; known: {sorted(BY_NAME)}")
    return list(names) if names else [job.name for job in SCHEDULE]


def _is_postgres() -> bool:
    return get_settings().resolved_database_url.startswith("postgresql")


def worker(
    healthcheck: Annotated[
        bool,
        typer.Option("--healthcheck", help="exit 0 when this host's worker beat its heart lately"),
    ] = False,
) -> None:
    """Run the scheduled jobs on PostgreSQL (procrastinate) until SIGTERM."""
    if not _is_postgres():
        console.print(f"[bold yellow]no worker on SQLite:[/] {SQLITE_NOTE}")
        raise typer.Exit(code=2)
    if healthcheck:
        _healthcheck()
        return
    import logging

    from api import worker as queue_worker
    from api.runtime import start

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    try:
        rt = start(settings)
    except HealthError as exc:
        console.print(f"[bold red]error:[/] {exc.detail}")
        raise typer.Exit(code=2) from None
    console.print(f"worker {queue_worker.worker_name(settings)} running the scheduled jobs")
    queue_worker.run(rt)


def _healthcheck() -> None:
    from datetime import timedelta

    from api.runtime import database
    from api.worker import id_file
    from health.services import worker_status

    settings = get_settings()
    noted = id_file(settings)
    if not noted.exists():
        console.print(f"not alive: no worker has started here ({noted} is missing)")
        raise typer.Exit(code=1)
    engine, sessions = database(settings)
    with sessions() as session:
        beat = worker_status.heartbeat(
            session,
            int(noted.read_text()),
            timedelta(seconds=settings.worker_stalled_seconds),
        )
    engine.dispose()
    console.print(("alive: " if beat.alive else "not alive: ") + beat.reason)
    if not beat.alive:
        raise typer.Exit(code=1)


@jobs_app.command("list")
def jobs_list() -> None:
    """Each scheduled job, its schedule (cron, seconds last when six fields) and what it does."""
    from rich.table import Table

    from api.jobs import SCHEDULE

    table = Table(title="scheduled jobs")
    for column in ("job", "schedule (UTC)", "does"):
        table.add_column(column)
    for job in SCHEDULE:
        table.add_row(job.name, job.cron, job.doc)
    Console().print(table)


@jobs_app.command("run")
def jobs_run(names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Run jobs here and now, in this process (all when none is named); for SQLite and cron."""
    from api.jobs import BY_NAME
    from api.runtime import start

    chosen = _names(names)
    try:
        rt = start(get_settings())
        for name in chosen:
            console.print(f"{name}: {BY_NAME[name].run(rt)}")
    except HealthError as exc:
        console.print(f"[bold red]error:[/] {exc.detail}")
        raise typer.Exit(code=2) from None
    rt.engine.dispose()


@jobs_app.command("enqueue")
def jobs_enqueue(names: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Queue jobs for the worker now (all when none is named); PostgreSQL only."""
    from api.worker import enqueue

    chosen = _names(names)
    if not _is_postgres():
        console.print(f"[bold yellow]no queue on SQLite:[/] {SQLITE_NOTE}")
        raise typer.Exit(code=2)
    for name, outcome in enqueue(get_settings(), chosen).items():
        console.print(f"{name}: {outcome}")


@jobs_app.command("status")
def jobs_status() -> None:
    """Jobs in the queue per job and status."""
    from api.runtime import database
    from health.services import worker_status

    engine, sessions = database(get_settings())
    with sessions() as session:
        counts = worker_status.queue(session)
    engine.dispose()
    if not counts:
        console.print("the queue is empty (or this database has none)")
    for (name, status), count in sorted(counts.items()):
        console.print(f"{name:<20} {status:<10} {count}")
