"""The FastAPI application, built from settings; nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import problems
from api.middleware import NoStoreForApi
from api.routers import (
    analysis,
    appraisal,
    approvals,
    audit,
    auth,
    checkups,
    me,
    officers,
    probes,
    record,
    reports,
    risk,
    screening,
    selfcare_equipment,
    selfcare_programmes,
    selfcare_readings,
    selfcare_training,
    tasks,
    unit_reports,
    units,
    users,
)
from api.runtime import Runtime, start
from api.web import install as install_web_pages
from health.settings import Settings, get_settings


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; the keyring is unlocked (or start-up refused) before the first request."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "runtime", None) is None:
            app.state.runtime = start(settings)
        yield
        app.state.runtime.engine.dispose()

    app = FastAPI(
        title="Officer Health",
        version="0.1.0",
        lifespan=lifespan,
        description="Occupational health record and screening service.",
    )
    app.state.runtime = runtime
    problems.install(app)

    app.add_middleware(NoStoreForApi)

    for router in (
        probes.router,
        auth.router,
        me.router,
        users.router,
        units.router,
        officers.router,
        checkups.router,
        checkups.uploads_router,
        screening.router,
        audit.router,
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
    ):
        app.include_router(router)
    install_web_pages(app)
    return app
