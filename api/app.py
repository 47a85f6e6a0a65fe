"""The FastAPI application, built from settings; nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import docs, problems
from api.admission import Admission
from api.fhir import export as fhir_export
from api.fhir import read as fhir_read
from api.limits import BodyLimits
from api.middleware import NoStoreForApi
from api.routers import (
    analysis,
    appraisal,
    approvals,
    audit,
    auth,
    checkups,
    me,
    officer_directory,
    officers,
    probes,
    record,
    reports,
    risk,
    schedules,
    screening,
    selfcare_equipment,
    selfcare_programmes,
    selfcare_readings,
    selfcare_training,
    task_planning,
    tasks,
    unit_reports,
    units,
    users,
    whoami,
)
from api.runtime import (
    Runtime,
    freeze_startup_heap,
    start,
    start_background,
    stop_background,
)
from api.web import install as install_web_pages
from health.settings import Settings, get_settings

# Routes that stream a file: they authorize first, then read at most ``max_upload_bytes``.
UPLOAD_PATHS = frozenset({"/api/v1/checkups/import"})


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; the keyring is unlocked (or start-up refused) before the first request."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "runtime", None) is None:  # a serving worker (``serve``)
            app.state.runtime = start(settings)
            freeze_startup_heap()
        background = start_background(app.state.runtime)
        yield
        stop_background(background)
        app.state.runtime.engine.dispose()

    app = FastAPI(
        title="Officer Health",
        version="0.1.0",
        lifespan=lifespan,
        description="Occupational health record and screening service.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    problems.install(app)
    docs.install(app)

    app.add_middleware(NoStoreForApi)
    app.add_middleware(
        Admission,
        limit=settings.in_flight_limit,
        timeout=settings.queue_timeout_seconds,
        retry_after=settings.retry_after_seconds,
    )
    app.add_middleware(
        BodyLimits,
        json_limit=settings.max_json_bytes,
        upload_limit=settings.max_upload_bytes,
        max_depth=settings.max_json_depth,
        upload_paths=UPLOAD_PATHS,
    )

    for router in (
        probes.router,
        auth.router,
        me.router,
        whoami.router,
        users.router,
        units.router,
        officer_directory.router,
        officer_directory.units_router,
        officers.router,
        checkups.router,
        checkups.uploads_router,
        screening.router,
        audit.router,
        task_planning.router,
        tasks.router,
        tasks.me_router,
        unit_reports.router,
        record.router,
        selfcare_readings.router,
        selfcare_programmes.router,
        selfcare_equipment.router,
        selfcare_training.router,
        reports.router,
        analysis.router,
        appraisal.router,
        approvals.router,
        risk.router,
        risk.records_router,
        schedules.units_router,
        schedules.sessions_router,
        fhir_read.router,
        fhir_export.router,
    ):
        app.include_router(router)
    install_web_pages(app)
    return app
