"""The demo force comes with self-care data whose problems show on the readiness list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from health.services import demo, selfcare_equipment, selfcare_training, unit_reports
from health.services.context import Ctx
from models.repositories import units as units_repo

from factories import fast_policy


def test_demo_seeds_kits_devices_courses_and_training(ctx: Ctx) -> None:
    now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    at = Ctx(ctx.session, ctx.vault, ctx.actor, clock=lambda: now)
    demo.seed(at, fast_policy(ctx.vault), officers_per_station=3, years=1, today=date(2026, 9, 1))
    force = units_repo.by_code(ctx.session, "FORCE")
    assert force is not None
    found = selfcare_equipment.readiness(at, force.id)
    assert len(found.kits) == 6 and len(found.devices) == 6
    assert (found.kits_not_ready, found.devices_not_calibrated) == (1, 1)
    assert all(d.holder_officer_id is not None for d in found.devices)
    assert {c.code for c in selfcare_training.courses(at)} == {"cpr_aed", "first_aid", "device_use"}
    standings = selfcare_training.by_unit(at, force.id, as_of=date(2026, 9, 1))
    assert sum(len(u.courses) for u in standings) == 18
    recall = unit_reports.recall(at, force.id, 2026, date(2026, 9, 1))
    assert any(r.training_due for r in recall)
