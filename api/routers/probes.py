"""Liveness and readiness: the only routes that need no token."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import RuntimeDep
from health.errors import Unavailable

router = APIRouter(tags=["probes"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Database unreachable"}})
def readyz(rt: RuntimeDep) -> dict[str, str]:
    try:
        with rt.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        raise Unavailable("database unreachable", code="database_unreachable") from None
    return {"status": "ready", "database": rt.engine.dialect.name}
