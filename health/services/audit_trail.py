"""The auditor's use cases: search the trail, verify the chain. No health data is opened."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from health.services import access, audit
from health.services.context import AUDITOR, Ctx
from models.repositories import audit as audit_repo
from models.tables import AuditEvent


def search(
    ctx: Ctx,
    *,
    officer_id: uuid.UUID | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Sequence[AuditEvent]:
    """The trail for auditors; ``purpose="emergency"`` lists every break-the-glass access."""
    access.require_role(ctx, AUDITOR, action="audit.search")
    events = audit_repo.search(
        ctx.session, officer_id=officer_id, since=since, purpose=purpose, limit=limit, offset=offset
    )
    audit.record(ctx, "audit.search", "audit_event", detail=f"returned={len(events)}")
    return events


def verify(ctx: Ctx) -> audit.ChainReport:
    access.require_role(ctx, AUDITOR, action="audit.verify")
    report = audit.verify(ctx.session, ctx.vault.hasher)
    audit.record(
        ctx,
        "audit.verify",
        "audit_event",
        outcome="success" if report.ok else "broken",
        detail=f"checked={report.checked}",
    )
    return report
