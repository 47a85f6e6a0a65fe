"""The audit trail for auditors: search, FHIR AuditEvent export, chain verification."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Response

from api.deps import CtxDep
from api.fhir_audit import to_fhir_audit_event
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import AuditEventOut, ChainReportOut
from health.services import audit_trail
from health.vocabulary import Action

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
    response: Response,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    actor: Annotated[str | None, Query(description="username (or actor id) of who acted")] = None,
    action: Annotated[
        str | None, Query(description="an action, or a prefix ending in * (officer.*)")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    """Newest first; ``purpose=emergency`` lists every break-the-glass access, with the reason
    given. ``X-Total-Count`` and a ``Link: rel="next"`` header say when there is more."""
    page = audit_trail.search_page(
        ctx,
        officer_id=officer_id,
        since=since,
        purpose=purpose,
        actor=actor,
        action=action,
        limit=limit,
        offset=offset,
    )
    _paging(response, page, "/api/v1/audit", ctx_query(purpose, actor, action, since, officer_id))
    return [AuditEventOut.model_validate(event) for event in page.events]


def ctx_query(
    purpose: str | None,
    actor: str | None,
    action: str | None,
    since: datetime | None,
    officer_id: uuid.UUID | None = None,
) -> dict[str, str]:
    given = {
        "purpose": purpose,
        "actor": actor,
        "action": action,
        "since": since.isoformat() if since else None,
        "officer_id": str(officer_id) if officer_id else None,
    }
    return {k: v for k, v in given.items() if v is not None}


def _paging(
    response: Response, page: audit_trail.TrailPage, path: str, query: dict[str, str]
) -> None:
    response.headers["X-Total-Count"] = str(page.total)
    if page.next_offset is not None:
        following = urlencode({**query, "limit": page.limit, "offset": page.next_offset})
        response.headers["Link"] = f'<{path}?{following}>; rel="next"'


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/fhir+ndjson": {}}}},
)
def export(
    ctx: CtxDep,
    since: datetime | None = None,
    purpose: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> Response:
    """The same events as FHIR R4 AuditEvent resources, one JSON document per line, a page at a
    time: ``X-Total-Count`` and ``Link: rel="next"`` lead to the rest (was: silently cut at
    1,000 events)."""
    page = audit_trail.search_page(
        ctx,
        since=since,
        purpose=purpose,
        actor=actor,
        action=action,
        limit=limit,
        offset=offset,
        verb=Action.AUDIT_EXPORT,
    )
    lines = [json.dumps(to_fhir_audit_event(event), ensure_ascii=False) for event in page.events]
    response = Response(
        "\n".join(lines) + ("\n" if lines else ""), media_type="application/fhir+ndjson"
    )
    _paging(response, page, "/api/v1/audit/export", ctx_query(purpose, actor, action, since))
    return response


@router.get("/verify")
def verify(ctx: CtxDep) -> ChainReportOut:
    report = audit_trail.verify(ctx)
    return ChainReportOut(
        ok=report.ok, checked=report.checked, broken_seq=report.broken_seq, reason=report.reason
    )
