"""An event's MAC covers its content encoded exactly as ``json.dumps`` with sorted keys: the
batch encoder of ``record_many`` must agree byte for byte, or stored events would fail
verification."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from health.services import audit
from health.services.audit import EventSpec, event_mac
from health.services.context import Ctx
from models.tables import AuditEvent

from factories import make_officer


def test_events_recorded_in_bulk_carry_the_mac_verification_recomputes(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    specs = [
        EventSpec("task.create", "task", str(uuid.uuid4()), officer.id),
        EventSpec("checkup.create", "checkup", "c-1", officer.id, detail="upload=x;体检"),
        EventSpec("officer.read", "officer", None, None, outcome="denied", purpose="care"),
        EventSpec("task.merge", "task", 'a "quoted" \\ id\n', officer.id, detail="x\ty"),
    ]
    audit.record_many(ctx, specs)
    ctx.session.flush()
    stored = ctx.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_([s.action for s in specs]))
    ).all()
    assert len(stored) == len(specs)
    for event in stored:
        assert event.mac == event_mac(ctx.vault.hasher, event)
