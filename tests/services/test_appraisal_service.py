"""Units' appraisal on a real database: scores recomputed from the unit figures with plain
pandas, the scheme version recorded, published versions immutable, managers only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from health.errors import Conflict, Forbidden
from health.reports.appraisal import default_scheme, scheme_body
from health.services import appraisal
from health.services.context import ADMIN, MANAGER, SYSTEM, Actor, Ctx
from models.tables import Unit

from factories import make_checkup, make_officer, make_unit

YEAR = 2026


def _force(ctx: Ctx) -> tuple[Unit, Unit, Unit, Unit]:
    force = make_unit(ctx)
    bureau = make_unit(ctx, parent=force, kind="bureau")
    full, half = make_unit(ctx, parent=bureau), make_unit(ctx, parent=bureau)
    for i in range(4):
        officer = make_officer(ctx, unit=full)
        make_checkup(ctx, officer.id, exam_date=date(YEAR, 3, 1 + i))
    for i in range(4):
        officer = make_officer(ctx, unit=half)
        if i < 2:
            make_checkup(ctx, officer.id, exam_date=date(YEAR, 3, 1 + i))
    return force, bureau, full, half


def test_scores_follow_the_scheme_and_rank_peers(ctx: Ctx) -> None:
    _, bureau, full, half = _force(ctx)
    system = replace(ctx, actor=SYSTEM)
    assert appraisal.appraise(system, YEAR) == 4
    manager = replace(ctx, actor=Actor(id="m", role=MANAGER, unit_paths=(bureau.path,)))
    found = {s.unit_id: s for s in appraisal.scores(manager, bureau.id, YEAR)}
    assert set(found) == {bureau.id, full.id, half.id}
    scheme = default_scheme()
    assert {s.scheme_version for s in found.values()} == {scheme.version}
    coverage = next(i for i in scheme.indicators if i.code == "coverage")
    for unit, share in ((full, 1.0), (half, 0.5)):
        part = found[unit.id].components["indicators"]["coverage"]
        assert part["value"] == share
        expected = min(max((share - coverage.floor) / (coverage.target - coverage.floor), 0), 1)
        assert part["component"] == pytest.approx(expected)
    for unit in (full, half):
        parts = found[unit.id].components["indicators"].values()
        used = [p for p in parts if p["component"] is not None]
        expected = 100 * sum(p["weight"] * p["component"] for p in used)
        assert found[unit.id].score == pytest.approx(expected / sum(p["weight"] for p in used))
    assert found[full.id].score > found[half.id].score
    assert (found[full.id].rank, found[half.id].rank, found[full.id].peers) == (1, 2, 2)


def test_a_published_version_is_used_and_never_replaced(ctx: Ctx) -> None:
    _force(ctx)
    admin = replace(ctx, actor=Actor(id="a", role=ADMIN))
    body = {**scheme_body(default_scheme()), "version": "2027.1"}
    appraisal.publish(admin, body)
    with pytest.raises(Conflict):
        appraisal.publish(admin, body)
    assert appraisal.published(admin)[0].version == "2027.1"
    appraisal.appraise(replace(ctx, actor=SYSTEM), YEAR)
    manager = replace(ctx, actor=Actor(id="m", role=MANAGER, unit_paths=("/",)))
    with pytest.raises(Forbidden):
        appraisal.publish(manager, {**body, "version": "x"})
    medic = replace(ctx, actor=Actor(id="d", role="medic", unit_paths=("/",)))
    with pytest.raises(Forbidden):
        appraisal.published(medic)
