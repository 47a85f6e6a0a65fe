"""The audit trail and its verification."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import AuditEventOut, ChainReportOut
from health.services import audit

router = APIRouter(
    prefix="/api/v1/audit",
    tags=["audit"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@router.get("")
def search(
    ctx: CtxDep,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuditEventOut]:
    events = audit.search(ctx, officer_id=officer_id, since=since, limit=limit, offset=offset)
    return [AuditEventOut.model_validate(event) for event in events]


@router.get("/verify")
def verify(ctx: CtxDep) -> ChainReportOut:
    report = audit.verify(ctx.session, ctx.vault.hasher)
    return ChainReportOut(
        ok=report.ok, checked=report.checked, broken_seq=report.broken_seq, reason=report.reason
    )
