"""The force health analysis from sealed checkups on a real database: counts and rates agree
with plain pandas over the values stored, a unit of one officer shows nothing about them, the
stored report equals the live one, and only managers of the subtree get it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from health.errors import Forbidden, NotFound
from health.services import analysis
from health.services.context import MANAGER, MEDIC, SYSTEM, Actor, Ctx
from models.tables import AuditEvent, Unit

from factories import make_checkup, make_officer, make_unit

YEAR = 2026


def _force(ctx: Ctx) -> tuple[Unit, Unit, Unit, Unit, list[dict[str, object]]]:
    force = make_unit(ctx)
    bureau = make_unit(ctx, parent=force, kind="bureau")
    big = make_unit(ctx, parent=bureau)
    solo = make_unit(ctx, parent=bureau)
    other = make_unit(ctx, parent=force, kind="bureau")
    raw: list[dict[str, object]] = []
    for i in range(24):
        unit = big if i < 18 else other
        sex = "F" if i % 4 == 0 else "M"
        officer = make_officer(ctx, unit=unit, sex=sex, birth_date=date(1970 + i, 6, 1))
        sbp = 150 if i % 3 == 0 else 120
        ua = 450 if i % 2 == 0 else 300
        make_checkup(ctx, officer.id, exam_date=date(YEAR, 4, 2), sbp=sbp, dbp=80, ua=ua)
        raw.append({"unit": unit.id, "sex": sex, "sbp": sbp, "ua": ua})
    lone = make_officer(ctx, unit=solo, sex="F", birth_date=date(1980, 1, 1))
    make_checkup(ctx, lone.id, exam_date=date(YEAR, 5, 5), sbp=165, dbp=101, ua=500)
    raw.append({"unit": solo.id, "sex": "F", "sbp": 165, "ua": 500})
    return force, bureau, big, solo, raw


def _manager(ctx: Ctx, unit: Unit) -> Ctx:
    return replace(ctx, actor=Actor(id="mgr", role=MANAGER, unit_paths=(unit.path,)))


def test_analysis_matches_plain_pandas_and_hides_the_unit_of_one(ctx: Ctx) -> None:
    _, bureau, big, solo, raw = _force(ctx)
    found = analysis.analysis(_manager(ctx, bureau), bureau.id, YEAR, live=True)
    cells = pd.DataFrame(found.cells)
    assert set(cells["unit_id"].astype(str)) == {str(bureau.id), str(big.id), str(solo.id)}
    frame = pd.DataFrame(raw)

    def cell(unit: Unit, scope: str, group: str, condition: str) -> dict[str, Any]:
        hit = [
            c
            for c in found.cells
            if (str(c["unit_id"]), c["scope"], c["group"], c["condition"])
            == (str(unit.id), scope, group, condition)
        ]
        assert len(hit) == 1
        return hit[0]

    inside = {bureau.id: [bureau.id, big.id, solo.id], big.id: [big.id], solo.id: [solo.id]}
    checked = 0
    for unit in (bureau, big, solo):
        for scope in ("unit", "subtree"):
            members = frame[
                frame["unit"].isin(inside[unit.id] if scope == "subtree" else [unit.id])
            ]
            for group in ("all", "sex:M", "sex:F"):
                chosen = members if group == "all" else members[members["sex"] == group[4:]]
                row = cell(unit, scope, group, "hyperuricaemia")
                cases = int((chosen["ua"] > 420).sum())
                if row["n"] is None:
                    assert row["suppressed"] and row["cases"] is None and row["crude"] is None
                    continue
                assert row["n"] == len(chosen)
                if not chosen.empty and not row["suppressed"]:
                    assert row["cases"] == cases
                    assert row["crude"] == pytest.approx(cases / len(chosen))
                    assert row["crude_low"] <= row["crude"] <= row["crude_high"]
                    checked += 1
    assert checked >= 1

    for condition in ("hypertension", "hyperuricaemia"):
        for scope in ("unit", "subtree"):
            for group in ("all", "sex:M", "sex:F", "age:40-49", "age:other"):
                # Not even the lone officer's sex or age band: every count of the unit hidden.
                lone = cell(solo, scope, group, condition)
                assert lone["n"] is None and lone["suppressed"], lone
                assert lone["cases"] is None and lone["crude"] is None
                assert lone["standardised"] is None
        # The bureau minus the big station would be the lone officer: so one more is hidden.
        others = [cell(bureau, "subtree", "all", condition), cell(big, "subtree", "all", condition)]
        assert any(c["n"] is None and c["suppressed"] for c in others)
    # Cells hold counts, rates, intervals and codes: never a measured value.
    assert not any(v in (165, 101, 500) for c in found.cells for v in c.values() if v is not True)


def test_stored_analysis_equals_live_and_is_audited(ctx: Ctx) -> None:
    _, bureau, _, _, _ = _force(ctx)
    system = replace(ctx, actor=SYSTEM)
    assert analysis.compute(system, YEAR) >= 5
    manager = _manager(ctx, bureau)
    stored = analysis.analysis(manager, bureau.id, YEAR)
    live = analysis.analysis(manager, bureau.id, YEAR, live=True)
    assert stored.stored and not live.stored

    def key(c: dict[str, object]) -> tuple[str, ...]:
        return (str(c["unit_id"]), str(c["scope"]), str(c["group"]), str(c["condition"]))

    assert sorted(stored.cells, key=key) == sorted(
        ({**c, "unit_id": str(c["unit_id"])} for c in live.cells), key=key
    )
    actions = set(ctx.session.scalars(select(AuditEvent.action)))
    assert {"analysis.open", "analysis.report", "unit.analysis"} <= actions


def test_only_managers_of_the_subtree_get_the_analysis(ctx: Ctx) -> None:
    force, bureau, _, _, _ = _force(ctx)
    with pytest.raises(NotFound):
        analysis.analysis(_manager(ctx, bureau), force.id, YEAR, live=True)
    medic = replace(ctx, actor=Actor(id="medic", role=MEDIC, unit_paths=(force.path,)))
    with pytest.raises(Forbidden):
        analysis.analysis(medic, bureau.id, YEAR, live=True)
