"""The PostgreSQL worker: procrastinate runs the scheduled jobs of ``api.jobs`` as periodic
tasks, in the database the service already has (no broker to run).

Each job is one task with a lock of its own name (never two runs of one job at once, on any
number of workers), a queueing lock (a slow job never piles up ticks behind it), and retries
with exponential backoff. A worker killed mid-job leaves its job ``doing``; once its heartbeat
is older than ``worker_stalled_seconds`` the ``retry_stalled`` task (every 5 s on any live
worker) puts the job back, and because every job is idempotent its effect still happens once.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterable
from pathlib import Path

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate import worker as procrastinate_worker
from procrastinate.jobs import Status
from sqlalchemy.engine import make_url

from api import jobs
from api.runtime import Runtime
from health.settings import Settings

log = logging.getLogger("officer_health.worker")

# 3 attempts after the first, waiting 2, 4 and 8 s (+ the job's own time): a job that fails
# for a passing reason (the database restarting) recovers within the minute; the next tick
# tries again anyway.
RETRY = procrastinate.RetryStrategy(max_attempts=4, exponential_wait=2)
RECOVERY = "retry_stalled"
RECOVERY_CRON = "* * * * * */5"


def conninfo(database_url: str) -> str:
    """The libpq address of the SQLAlchemy URL (procrastinate speaks psycopg directly)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the worker needs PostgreSQL")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def worker_name(settings: Settings) -> str:
    """One name per host (a container's host name), in the worker's log lines."""
    return settings.worker_name or socket.gethostname()


def build_app(settings: Settings, rt: Runtime | None) -> procrastinate.App:
    """The queue with every scheduled job registered; ``rt`` is None where jobs are only
    enqueued (their bodies then never run in this process)."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=conninfo(settings.resolved_database_url),
            min_size=1,
            max_size=settings.worker_concurrency + 2,
        )
    )
    for job in jobs.SCHEDULE:
        _register(app, job, rt)
    _register_recovery(app, settings.worker_stalled_seconds)
    return app


def _register(app: procrastinate.App, job: jobs.Job, rt: Runtime | None) -> None:
    def run(timestamp: int) -> None:
        if rt is None:
            raise RuntimeError("jobs run only in `officer-health worker`")
        started = time.monotonic()
        summary = job.run(rt)
        log.info("%s (tick %d): %s in %.1f s", job.name, timestamp, summary, _since(started))

    task = app.task(name=job.name, retry=RETRY, lock=job.name, queueing_lock=job.name)(run)
    app.periodic(cron=job.cron)(task)


def _register_recovery(app: procrastinate.App, stalled_seconds: float) -> None:
    async def retry_stalled(timestamp: int) -> None:
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds)
        for job in stalled:
            log.warning("job %s (%s) left running by a gone worker: again", job.id, job.task_name)
            try:
                await app.job_manager.retry_job(job)
            except queue_errors.UniqueViolation:
                # The next tick of the same job is already waiting (queueing lock); that run
                # does the same work, so this one is closed rather than run twice.
                await app.job_manager.finish_job(job, Status.FAILED, delete_job=False)

    task = app.task(name=RECOVERY, queueing_lock=RECOVERY)(retry_stalled)
    app.periodic(cron=RECOVERY_CRON)(task)


def _since(started: float) -> float:
    return time.monotonic() - started


def id_file(settings: Settings) -> Path:
    """Where the running worker notes its id in the queue, for the health check to look up
    the heartbeat that procrastinate itself keeps."""
    return settings.var_dir / "worker.id"


def run(rt: Runtime) -> None:
    """Run jobs until SIGINT/SIGTERM (a graceful stop lets running jobs finish)."""
    asyncio.run(_run(rt))


async def _run(rt: Runtime) -> None:
    settings = rt.settings
    app = build_app(settings, rt)
    async with app.open_async():
        worker = procrastinate_worker.Worker(
            app=app,
            name=worker_name(settings),
            concurrency=settings.worker_concurrency,
            update_heartbeat_interval=settings.worker_heartbeat_seconds,
            stalled_worker_timeout=settings.worker_stalled_seconds,
            delete_jobs="successful",
        )
        noting = asyncio.create_task(_note_id(worker, id_file(settings)))
        try:
            await worker.run()  # type: ignore[no-untyped-call]
        finally:
            noting.cancel()
            id_file(settings).unlink(missing_ok=True)


async def _note_id(worker: procrastinate_worker.Worker, path: Path) -> None:
    while worker.worker_id is None:
        await asyncio.sleep(0.1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(worker.worker_id))


def enqueue(settings: Settings, names: Iterable[str]) -> dict[str, str]:
    """Queue these jobs now (the worker runs them); one already waiting is not queued twice."""
    app = build_app(settings, None)
    outcome: dict[str, str] = {}
    with app.open():
        for name in names:
            try:
                job_id = app.tasks[name].defer(timestamp=int(time.time()))
            except queue_errors.AlreadyEnqueued:
                outcome[name] = "already queued"
            else:
                outcome[name] = f"queued as job {job_id}"
    return outcome
