"""Self-care part of the demo force: courses, a kit and devices per station, training records.

Inventory and training only (not health data), so the readiness list, the training standings
and the recall's training due have something to show; one kit is short of an item and holds an
expired batch, one device is overdue for calibration, so the problems are visible too.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from health.selfcare.equipment import templates
from health.selfcare.training import expires_on
from health.services import selfcare_equipment, selfcare_training
from health.services.context import Ctx
from models.repositories import selfcare_training as training_repo
from models.tables import Unit

COURSES = (
    ("cpr_aed", "心肺复苏与AED", "CPR and AED", 24, True),
    ("first_aid", "现场急救", "First aid", 36, True),
    ("device_use", "自测设备使用", "Using the issued devices", 12, False),
)


def _full_kit(template: str, today: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in templates().template(template).items:
        row: dict[str, Any] = {"item": item.code, "quantity": item.quantity}
        if item.expires:
            row |= {"batch": f"D{today.year}", "expires_on": today + timedelta(days=400)}
        rows.append(row)
    return rows


def seed(
    ctx: Ctx,
    stations: Sequence[Unit],
    roster: Sequence[tuple[uuid.UUID, uuid.UUID]],
    rng: random.Random,
    today: date,
) -> None:
    """Courses, one kit and one BP monitor per station, and attendance for most officers."""
    courses = [
        selfcare_training.create_course(
            ctx, code=code, name_zh=zh, name_en=en, validity_months=months, required=required
        )
        for code, zh, en, months, required in COURSES
    ]
    holders = {unit_id: officer_id for officer_id, unit_id in reversed(roster)}
    for n, station in enumerate(stations):
        kit = selfcare_equipment.create_kit(ctx, station.id, label="值班室急救包 / Duty room kit")
        rows = _full_kit(kit.template, today)
        if n == 0:
            rows = [r for r in rows if r["item"] != "glucose_tablets"]
            rows.append(
                {
                    "item": "aspirin_100mg",
                    "quantity": 1,
                    "batch": "EXPIRED",
                    "expires_on": today - timedelta(days=20),
                }
            )
        selfcare_equipment.restock(ctx, kit.id, rows)
        last = today - timedelta(days=400 if n == 1 else rng.randint(30, 300))
        selfcare_equipment.register_device(
            ctx,
            station.id,
            kind="bp_monitor",
            serial=f"DEMO-BPM-{n + 1:03d}",
            holder_officer_id=holders.get(station.id),
            last_calibrated_on=last,
        )
    rows = []
    for officer_id, _ in roster:
        for course in courses:
            if rng.random() < 0.4:
                continue
            attended = today - timedelta(days=rng.randint(10, 30 * course.validity_months + 90))
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "officer_id": officer_id,
                    "course_id": course.id,
                    "attended_on": attended,
                    "expires_on": expires_on(attended, course.validity_months),
                    "certificate": None,
                    "created_at": ctx.clock(),
                    "created_by": ctx.actor.id,
                }
            )
    training_repo.add_many(ctx.session, rows)
