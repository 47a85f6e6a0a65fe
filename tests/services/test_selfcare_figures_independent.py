"""Self-care unit figures (readiness, training coverage, programme outcomes) agree, for every
unit and both scopes, with a plain pandas recomputation from the raw rows the test wrote; the
programme counts are hidden exactly when small, and no hidden count follows from the published
ones through the roll-up equations.

The expected side reads only the rows below and the documented definitions
(health.selfcare.figures); it calls nothing in health.selfcare.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from health.selfcare.equipment import templates
from health.services import (
    selfcare_equipment,
    selfcare_figures,
    selfcare_programmes,
    selfcare_training,
)
from health.services.context import MANAGER, Actor, Ctx
from models.tables import Unit
from models.tables_selfcare import Training

from factories import make_officer, make_unit

AS_OF = date(2026, 9, 15)
NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
YEAR = 2026
MIN_CELL = 5
OUTCOMES = ("enrolled", "active", "achieved", "not_achieved", "withdrawn")


def _full_kit(template: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in templates().template(template).items:
        row: dict[str, Any] = {"item": item.code, "quantity": item.quantity}
        if item.expires:
            row |= {"batch": "B1", "expires_on": date(2027, 6, 30)}
        rows.append(row)
    return rows


def _build(ctx: Ctx, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    force = make_unit(ctx)
    bureau_a = make_unit(ctx, parent=force, kind="bureau")
    bureau_b = make_unit(ctx, parent=force, kind="bureau")
    a1, a2 = make_unit(ctx, parent=bureau_a), make_unit(ctx, parent=bureau_a)
    b1 = make_unit(ctx, parent=bureau_b)
    tree = [force, bureau_a, bureau_b, a1, a2, b1]
    sizes = {force: 0, bureau_a: 2, bureau_b: 0, a1: 9, a2: 3, b1: 6}
    officers = [(make_officer(ctx, unit=u).id, u.id) for u, n in sizes.items() for _ in range(n)]

    kits = []  # (unit_id, ready)
    for unit, ready in ((a1, True), (a1, False), (a2, False), (b1, True), (bureau_a, True)):
        kit = selfcare_equipment.create_kit(ctx, unit.id, label=f"kit-{len(kits)}")
        rows = _full_kit(kit.template)
        if not ready and unit is a1:
            rows = rows[1:]  # an item missing
        elif not ready:
            rows.append(
                {
                    "item": rows[0]["item"],
                    "quantity": 1,
                    "batch": "OLD",
                    "expires_on": date(2026, 9, 14),
                }
            )
        selfcare_equipment.restock(ctx, kit.id, rows)
        kits.append((unit.id, ready))
    devices = []  # (unit_id, calibrated)
    for unit, last, ok in (
        (a1, date(2026, 1, 10), True),
        (a2, None, False),
        (b1, date(2025, 9, 14), False),  # due 2026-09-14: one day overdue
        (b1, date(2025, 9, 15), True),  # due on the day: still calibrated
    ):
        selfcare_equipment.register_device(
            ctx,
            unit.id,
            kind="bp_monitor",
            serial=f"S{uuid.uuid4().hex[:8]}",
            last_calibrated_on=last,
        )
        devices.append((unit.id, ok))

    courses = {
        "cpr": selfcare_training.create_course(
            ctx, code=f"cpr{seed}", name_zh="心肺复苏", name_en="CPR", validity_months=24
        ),
        "aid": selfcare_training.create_course(
            ctx, code=f"aid{seed}", name_zh="急救", name_en="First aid", validity_months=36
        ),
        "dev": selfcare_training.create_course(
            ctx,
            code=f"dev{seed}",
            name_zh="设备",
            name_en="Devices",
            validity_months=12,
            required=False,
        ),
    }
    attendances = []  # (officer_id, course code, attended_on, expires_on)
    for officer_id, _ in officers:
        for course in courses.values():
            for _ in range(rng.choice((0, 1, 1, 2))):
                attended = date(2022, 1, 1) + timedelta(days=rng.randrange(1700))
                expires = attended + timedelta(days=30 * course.validity_months)
                attendances.append((officer_id, course.code, attended, expires))
                ctx.session.add(
                    Training(
                        id=uuid.uuid4(),
                        officer_id=officer_id,
                        course_id=course.id,
                        attended_on=attended,
                        expires_on=expires,
                        certificate=None,
                        created_at=NOW,
                        created_by="test",
                    )
                )
    ctx.session.flush()

    programmes = []  # (unit_id, status, enrolled_on, ended_on)
    for officer_id, unit_id in officers:
        for _ in range(rng.choice((0, 1, 1, 2))):
            enrolled = date(2025, 6, 1) + timedelta(days=rng.randrange(420))
            view = selfcare_programmes.enrol(
                ctx,
                officer_id,
                kind="weight",
                goals=[{"measure": "weight", "target": 80}],
                enrolled_on=enrolled,
                planned_contacts=[],
            )
            status, ended = "active", None
            if rng.random() < 0.7:
                status = rng.choice(("achieved", "not_achieved", "withdrawn"))
                ended = enrolled + timedelta(days=rng.randrange(1, 200))
                selfcare_programmes.close(ctx, view.id, outcome=status, ended_on=ended)
            programmes.append((unit_id, status, enrolled, ended))
    return {
        "tree": tree,
        "officers": pd.DataFrame(officers, columns=["officer_id", "unit_id"]),
        "kits": pd.DataFrame(kits, columns=["unit_id", "ready"]),
        "devices": pd.DataFrame(devices, columns=["unit_id", "calibrated"]),
        "training": pd.DataFrame(
            attendances, columns=["officer_id", "course", "attended_on", "expires_on"]
        ),
        "required": {courses["cpr"].code, courses["aid"].code},
        "programmes": pd.DataFrame(
            programmes, columns=["unit_id", "status", "enrolled_on", "ended_on"]
        ),
        "bureau_a": bureau_a,
    }


def _units_of(tree: list[Unit], unit: Unit, scope: str) -> set[uuid.UUID]:
    if scope == "unit":
        return {unit.id}
    return {u.id for u in tree if u.path.startswith(unit.path)}


def _expected(raw: dict[str, Any], unit: Unit, scope: str) -> dict[str, Any]:
    inside = _units_of(raw["tree"], unit, scope)
    kits = raw["kits"][raw["kits"]["unit_id"].isin(inside)]
    devices = raw["devices"][raw["devices"]["unit_id"].isin(inside)]
    officers = raw["officers"][raw["officers"]["unit_id"].isin(inside)]
    training = raw["training"]
    valid = training[(training["attended_on"] <= AS_OF) & training["course"].isin(raw["required"])]
    latest = valid.groupby(["officer_id", "course"])["expires_on"].max().reset_index()
    current = latest[latest["expires_on"] >= AS_OF].groupby("officer_id")["course"].nunique()
    trained = int(sum(current.get(o, 0) == len(raw["required"]) for o in officers["officer_id"]))
    progs = raw["programmes"][raw["programmes"]["unit_id"].isin(inside)]
    ended_in_year = progs["ended_on"].map(lambda d: d is not None and d.year == YEAR)
    return {
        "kits": len(kits),
        "kits_ready": int(kits["ready"].sum()),
        "devices": len(devices),
        "devices_calibrated": int(devices["calibrated"].sum()),
        "officers": len(officers),
        "trained": trained,
        "training_coverage": trained / len(officers) if len(officers) else None,
        "readiness": kits["ready"].sum() / len(kits) if len(kits) else None,
        "enrolled": int(progs["enrolled_on"].map(lambda d: d.year == YEAR).sum()),
        "active": int((progs["status"] == "active").sum()),
        "achieved": int((ended_in_year & (progs["status"] == "achieved")).sum()),
        "not_achieved": int((ended_in_year & (progs["status"] == "not_achieved")).sum()),
        "withdrawn": int((ended_in_year & (progs["status"] == "withdrawn")).sum()),
    }


@pytest.mark.parametrize("seed", [3, 11])
def test_selfcare_figures_match_an_independent_pandas_recomputation(ctx: Ctx, seed: int) -> None:
    raw = _build(ctx, seed)
    found = selfcare_figures.figures(
        Ctx(ctx.session, ctx.vault, ctx.actor, clock=lambda: NOW),
        raw["tree"][0].id,
        min_cell=MIN_CELL,
    )
    figures = {(r["unit_id"], r["scope"]): r for r in found.units}
    counts = {(r["unit_id"], r["scope"], r["outcome"]): r for r in found.programmes}
    assert len(figures) == len(raw["tree"]) * 2
    for unit in raw["tree"]:
        for scope in ("unit", "subtree"):
            want = _expected(raw, unit, scope)
            got = figures[(unit.id, scope)]
            for name in (
                "kits",
                "kits_ready",
                "devices",
                "devices_calibrated",
                "officers",
                "trained",
            ):
                assert got[name] == want[name], (unit.id, scope, name)
            for rate in ("training_coverage", "readiness"):
                if want[rate] is None:
                    assert got[rate] is None
                else:
                    assert got[rate] == pytest.approx(want[rate])
            for outcome in OUTCOMES:
                cell = counts[(unit.id, scope, outcome)]
                if 0 < want[outcome] < MIN_CELL:
                    assert cell["suppressed"] and cell["count"] is None, (unit.id, scope, outcome)
                if not cell["suppressed"]:
                    assert cell["count"] == want[outcome], (unit.id, scope, outcome)
    # No roll-up equation subtree(u) = unit(u) + sum(subtree(child)) hides exactly one cell.
    for outcome in OUTCOMES:
        for unit in raw["tree"]:
            children = [u for u in raw["tree"] if u.parent_id == unit.id]
            cells = [
                (unit.id, "subtree"),
                (unit.id, "unit"),
                *((c.id, "subtree") for c in children),
            ]
            hidden = sum(counts[(u, s, outcome)]["suppressed"] for u, s in cells)
            assert hidden != 1, (unit.id, outcome)
    assert any(r["suppressed"] for r in found.programmes), "the data must exercise suppression"


def test_a_manager_sees_only_the_subtree_and_no_officer(ctx: Ctx) -> None:
    raw = _build(ctx, 5)
    bureau = raw["bureau_a"]
    manager = Actor(id="mgr", role=MANAGER, unit_paths=(bureau.path,))
    found = selfcare_figures.figures(
        Ctx(ctx.session, ctx.vault, manager, clock=lambda: NOW), bureau.id
    )
    inside = {u.id for u in raw["tree"] if u.path.startswith(bureau.path)}
    assert {r["unit_id"] for r in found.units} == inside
    text = repr(found)
    assert all(str(o) not in text for o in raw["officers"]["officer_id"])
