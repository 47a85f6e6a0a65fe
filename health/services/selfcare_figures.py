"""Unit figures for self-care (readiness, training coverage, programme outcomes) for managers.

Computed over the whole force and only then cut to the caller's subtree, as the follow-up
figures are, so small-cell suppression of programme counts chooses its complements once.
Counts and rates only: no officer, reading or goal reaches a manager.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import pandas as pd

from health.followup.suppression import DEFAULT_MIN_CELL
from health.selfcare import equipment as kit_rules
from health.selfcare.figures import selfcare_figures
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import figures as figures_repo
from models.repositories import selfcare as selfcare_repo
from models.repositories import selfcare_equipment as equipment_repo
from models.repositories import selfcare_training as training_repo
from models.repositories import units as units_repo


def force_frames(ctx: Ctx, as_of: date) -> dict[str, Any]:
    """The inputs of ``selfcare_figures`` read from the database."""
    session = ctx.session
    deck = kit_rules.templates()
    kits = equipment_repo.kits_in(session, "")
    stock = equipment_repo.items_of(session, [k.id for k, _ in kits])
    kit_ready = [
        kit_rules.kit_status(
            deck.template(k.template),
            [kit_rules.Stock(s.item, s.batch, s.quantity, s.expires_on) for s in stock[k.id]],
            as_of,
        ).ready
        for k, _ in kits
    ]
    devices = equipment_repo.devices_in(session, "")
    calibrated = [
        kit_rules.device_status(deck.device(d.kind), d.last_calibrated_on, as_of).calibrated
        for d, _ in devices
    ]
    courses = training_repo.courses(session)
    code_of = {c.id: c.code for c in courses}
    latest = training_repo.latest_expiry(session, "", as_of)
    units = pd.DataFrame.from_records(
        figures_repo.units(session), columns=["id", "parent_id", "path"]
    )
    units["parent_id"] = units["parent_id"].astype(object).where(units["parent_id"].notna(), None)
    return {
        "units": units,
        "officers": pd.DataFrame.from_records(
            figures_repo.officers(session), columns=["officer_id", "unit_id"]
        ),
        "kits": pd.DataFrame({"unit_id": [k.unit_id for k, _ in kits], "ready": kit_ready}),
        "devices": pd.DataFrame(
            {"unit_id": [d.unit_id for d, _ in devices], "calibrated": calibrated}
        ),
        "training": pd.DataFrame(
            {
                "officer_id": [o for o, _, _ in latest],
                "course": [code_of[c] for _, c, _ in latest],
                "expires_on": [e for _, _, e in latest],
            }
        ),
        "required": sorted(c.code for c in courses if c.required),
        "programmes": pd.DataFrame.from_records(
            selfcare_repo.programme_rows(session),
            columns=["unit_id", "status", "enrolled_on", "ended_on"],
        ),
    }


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


@dataclass(frozen=True)
class UnitSelfcareFigures:
    unit_id: uuid.UUID
    year: int
    as_of: date
    min_cell: int
    units: list[dict[str, Any]]
    programmes: list[dict[str, Any]]


def figures(
    ctx: Ctx,
    unit_id: uuid.UUID,
    *,
    year: int | None = None,
    as_of: date | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> UnitSelfcareFigures:
    """Readiness, training coverage and programme outcomes of a unit and every unit below it."""
    access.require(ctx, Action.UNIT_SELFCARE_FIGURES)
    access.require_unit(ctx, unit_id, action="unit.selfcare_figures")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    day = as_of or ctx.clock().astimezone(UTC).date()
    frames = force_frames(ctx, day)
    result = selfcare_figures(
        frames["units"],
        frames["officers"],
        frames["kits"],
        frames["devices"],
        frames["training"],
        frames["required"],
        frames["programmes"],
        year=year or day.year,
        as_of=day,
        min_cell=min_cell,
    )
    paths = dict(zip(frames["units"]["id"], frames["units"]["path"], strict=True))
    inside = {u for u, p in paths.items() if str(p).startswith(unit.path)}
    found = UnitSelfcareFigures(
        unit_id,
        year or day.year,
        day,
        min_cell,
        _records(result.figures[result.figures["unit_id"].isin(inside)]),
        _records(result.programmes[result.programmes["unit_id"].isin(inside)]),
    )
    audit.record(
        ctx, "unit.selfcare_figures", "unit", resource_id=str(unit_id), detail=f"year={found.year}"
    )
    return found
