"""The audit trail for auditors: search, FHIR AuditEvent export, chain verification."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import CtxDep
from api.fhir_audit import to_fhir_audit_event
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import AuditEventOut, ChainReportOut
from health.services import audit_trail

router = APIRouter(
    prefix="/api/v1/audit",
    tags=["audit"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]  # bounded: SQLite integers are 64-bit


@router.get("")
def search(
    ctx: CtxDep,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    """Newest first; ``purpose=emergency`` lists every break-the-glass access."""
    events = audit_trail.search(
        ctx, officer_id=officer_id, since=since, purpose=purpose, limit=limit, offset=offset
    )
    return [AuditEventOut.model_validate(event) for event in events]


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/fhir+ndjson": {}}}},
)
def export(
    ctx: CtxDep,
    since: datetime | None = None,
    purpose: str | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> Response:
    """The same events as FHIR R4 AuditEvent resources, one JSON document per line."""
    events = audit_trail.search(ctx, since=since, purpose=purpose, limit=limit, offset=offset)
    lines = [json.dumps(to_fhir_audit_event(event), ensure_ascii=False) for event in events]
    return Response(
        "\n".join(lines) + ("\n" if lines else ""), media_type="application/fhir+ndjson"
    )


@router.get("/verify")
def verify(ctx: CtxDep) -> ChainReportOut:
    report = audit_trail.verify(ctx)
    return ChainReportOut(
        ok=report.ok, checked=report.checked, broken_seq=report.broken_seq, reason=report.reason
    )
