"""Officers' own readings on both databases: a home-BP series over the guideline threshold opens
one task (not one per reading) citing the rule, a critical reading opens an urgent task and tells
the officer what to do, a repeated reading is stored once, and nobody else may record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from health.errors import Forbidden, NotFound
from health.selfcare.readings import FORCE_TZ
from health.services import selfcare_readings
from health.services.context import MANAGER, OFFICER, Actor, Ctx
from health.services.tasks import open_detail
from models.tables import Task
from models.tables_selfcare import Reading

from factories import make_officer, make_unit

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
# Seven days, morning and evening, averaging exactly 138/88 mmHg.
WEEK = [(136, 86), (140, 90)]


def _as_officer(ctx: Ctx, officer_id: object) -> Ctx:
    actor = Actor(id=f"officer-{officer_id}", role=OFFICER, officer_id=officer_id)  # type: ignore[arg-type]
    return Ctx(ctx.session, ctx.vault, actor, clock=lambda: NOW)


def _record_week(ctx: Ctx, officer_id: object) -> list[selfcare_readings.Recorded]:
    out = []
    for day in range(7):
        for hour, (sbp, dbp) in zip((7, 21), WEEK, strict=True):
            taken = datetime(2026, 6, 3 + day, hour, tzinfo=FORCE_TZ)
            out.append(
                selfcare_readings.record(
                    ctx,
                    officer_id,  # type: ignore[arg-type]
                    kind="home_bp",
                    values={"sbp": sbp, "dbp": dbp},
                    taken_at=taken,
                )
            )
    return out


def _tasks(ctx: Ctx, officer_id: object) -> list[Task]:
    query = select(Task).where(Task.officer_id == officer_id).order_by(Task.created_at)
    return list(ctx.session.scalars(query))


def test_week_of_home_bp_averaging_138_88_opens_one_task_citing_the_home_bp_rule(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    results = _record_week(me, officer.id)
    tasks = [t for t in _tasks(ctx, officer.id) if t.exam_date > datetime(2026, 4, 1).date()]
    assert len(tasks) == 1
    task = tasks[0]
    detail = open_detail(task, ctx.vault.sealer_for(ctx.session, officer.id))
    assert (task.type, detail["family"], detail["critical"]) == ("recheck", "blood_pressure", False)
    assert detail["finding_rule_ids"] == ["selfcare.home_bp.series"]
    assert "135" in detail["sources"]["selfcare.home_bp.series"]
    assert "2018" in detail["sources"]["selfcare.home_bp.series"]
    assert detail["inputs"]["selfcare.home_bp.series"]["means"] == {"sbp": 138.0, "dbp": 88.0}
    # The series needs three days before it says anything; one task from then on.
    opened = [t for r in results for t in r.tasks if t.action == "opened"]
    assert len(opened) == 1
    assert all(r.grade == "normal" and r.advice is None for r in results)
    assert results[-1].series[0].crossed and results[-1].series[0].means == {
        "sbp": 138.0,
        "dbp": 88.0,
    }


def test_week_of_home_bp_below_135_85_opens_no_task(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    for day in range(7):
        selfcare_readings.record(
            me,
            officer.id,
            kind="home_bp",
            values={"sbp": 134, "dbp": 84},
            taken_at=NOW - timedelta(days=day),
        )
    assert _tasks(ctx, officer.id) == []


def test_single_critical_reading_opens_an_urgent_task_and_says_what_to_do(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    out = selfcare_readings.record(
        me, officer.id, kind="home_bp", values={"sbp": 186, "dbp": 100}, taken_at=NOW
    )
    assert out.grade == "critical"
    assert out.advice is not None and "120" in out.advice["en"] and "立即" in out.advice["zh"]
    assert {c.id for c in out.cards} == {"stroke_signs", "chest_pain"}
    assert [t.action for t in out.tasks] == ["opened"]
    [task] = _tasks(ctx, officer.id)
    critical = open_detail(task, ctx.vault.sealer_for(ctx.session, officer.id))["critical"]
    assert (task.type, critical, task.priority) == ("urgent_contact", True, 1)
    assert task.due == NOW + timedelta(hours=24)
    assert [h.rule_id for h in out.hits] == ["selfcare.home_bp.critical_sbp"]


def test_the_same_reading_sent_twice_is_stored_once(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    first = selfcare_readings.record(
        me, officer.id, kind="glucose", values={"glu": 5.4}, taken_at=NOW, context="fasting"
    )
    again = selfcare_readings.record(
        me, officer.id, kind="glucose", values={"glu": 5.4}, taken_at=NOW, context="fasting"
    )
    assert (again.reading_id, again.duplicate) == (first.reading_id, True)
    count = ctx.session.scalar(
        select(func.count()).select_from(Reading).where(Reading.officer_id == officer.id)
    )
    assert count == 1
    [view] = selfcare_readings.of_officer(me, officer.id)
    assert (view.kind, view.values, view.context) == ("glucose", {"glu": 5.4}, "fasting")


def test_stored_reading_is_sealed(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    selfcare_readings.record(me, officer.id, kind="spo2", values={"spo2": 97.25}, taken_at=NOW)
    row = ctx.session.scalars(select(Reading).where(Reading.officer_id == officer.id)).one()
    assert b"97.25" not in row.document and b"spo2" not in row.document


def test_officer_may_not_record_for_another_and_manager_never(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    mine, other = make_officer(ctx, unit=unit), make_officer(ctx, unit=unit)
    me = _as_officer(ctx, mine.id)
    with pytest.raises(NotFound):
        selfcare_readings.record(me, other.id, kind="weight", values={"weight": 70}, taken_at=NOW)
    manager = Ctx(ctx.session, ctx.vault, Actor(id="m", role=MANAGER, unit_paths=(unit.path,)))
    with pytest.raises(Forbidden):
        selfcare_readings.of_officer(manager, mine.id)


def test_a_critical_reading_sent_again_still_says_what_to_do_but_opens_nothing_more(
    ctx: Ctx,
) -> None:
    officer = make_officer(ctx)
    me = _as_officer(ctx, officer.id)
    values = {"glu": 2.4}
    first = selfcare_readings.record(
        me, officer.id, kind="glucose", values=values, taken_at=NOW, context="random"
    )
    again = selfcare_readings.record(
        me, officer.id, kind="glucose", values=values, taken_at=NOW, context="random"
    )
    assert again.duplicate and again.advice == first.advice and again.advice is not None
    assert [c.id for c in again.cards] == ["hypoglycaemia"]
    assert again.tasks == [] and len(_tasks(ctx, officer.id)) == 1
