"""Season schedules: routine home-visit rounds on a unit's cadence (conditions first, then open
tasks, then longest since contact), checkup sessions with bookings within capacity, and the
season view of who is done, booked, missed, due or overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from health.errors import Conflict, NotFound
from health.services import conditions, schedules
from health.services.context import MEDIC, Actor, Ctx
from models.tables import Task, Unit

from factories import make_checkup, make_officer, make_unit

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _medic(ctx: Ctx, unit: Unit, now: datetime = NOW) -> Ctx:
    medic = Ctx(ctx.session, ctx.vault, Actor(id="medic-sch", role=MEDIC, unit_paths=(unit.path,)))
    medic.clock = lambda: now
    return medic


def test_routine_round_visits_conditions_first_then_open_tasks_and_waits_for_its_cadence(
    ctx: Ctx,
) -> None:
    ctx.clock = lambda: NOW - timedelta(days=60)
    unit = make_unit(ctx)
    plain = make_officer(ctx, unit=unit)
    chronic = make_officer(ctx, unit=unit)
    busy = make_officer(ctx, unit=unit)
    conditions.set_conditions(ctx, chronic.id, ["hypertension"])
    make_checkup(ctx, busy.id, exam_date=date(2026, 3, 2), glu=7.5, sbp=150)
    medic = _medic(ctx, unit)
    plan = schedules.set_round_plan(medic, unit.id, cadence_days=30, visits=2)
    assert (plan.cadence_days, plan.visits, plan.last_round_on) == (30, 2, None)

    run = schedules.run_round(medic, unit.id)
    assert run.held
    assert [t.officer_id for t in run.tasks] == [chronic.id, busy.id]
    assert all(t.type == "home_visit" and t.family == "routine" for t in run.tasks)
    assert all(t.due - NOW <= timedelta(days=15) for t in run.tasks)
    assert plain.id not in {t.officer_id for t in run.tasks}

    again = schedules.run_round(medic, unit.id)
    assert (again.held, again.tasks, again.plan.next_round_on) == (False, [], date(2026, 7, 1))
    later = _medic(ctx, unit, NOW + timedelta(days=30))
    third = schedules.run_round(later, unit.id)
    # the two still have open routine visits: the next round reaches the third officer
    assert third.held and [t.officer_id for t in third.tasks] == [plain.id]


def test_round_needs_a_plan_and_the_medics_unit(ctx: Ctx) -> None:
    unit, other = make_unit(ctx), make_unit(ctx)
    medic = _medic(ctx, unit)
    with pytest.raises(NotFound):
        schedules.run_round(medic, unit.id)
    with pytest.raises(NotFound):
        schedules.set_round_plan(medic, other.id, cadence_days=30, visits=2)


def test_sessions_take_bookings_within_capacity_and_show_who_came(ctx: Ctx) -> None:
    ctx.clock = lambda: NOW
    unit = make_unit(ctx)
    people = [make_officer(ctx, unit=unit) for _ in range(3)]
    stranger = make_officer(ctx, unit=make_unit(ctx))
    medic = _medic(ctx, unit)
    day = date(2026, 6, 10)
    session = schedules.create_session(medic, unit.id, day, capacity=2, place="Station clinic")
    booked = schedules.book(medic, session.id, [people[0].id, people[1].id])
    assert sorted(b.officer.id for b in booked) == sorted([people[0].id, people[1].id])
    assert {b.status for b in booked} == {"booked"}
    assert booked[0].officer.badge_number and booked[0].officer.name
    with pytest.raises(Conflict):
        schedules.book(medic, session.id, [people[2].id])  # full
    with pytest.raises(NotFound):
        schedules.create_session(medic, make_unit(ctx).id, day, capacity=5, place="x")
    other = schedules.create_session(medic, unit.id, day, capacity=5, place="Annex")
    with pytest.raises(NotFound):
        schedules.book(medic, other.id, [stranger.id])

    ctx.clock = lambda: datetime(2026, 6, 11, 9, tzinfo=UTC)
    make_checkup(ctx, people[0].id, exam_date=day)
    after = _medic(ctx, unit, datetime(2026, 6, 11, 9, tzinfo=UTC))
    statuses = {b.officer.id: b.status for b in schedules.session_bookings(after, session.id)}
    assert statuses == {people[0].id: "attended", people[1].id: "missed"}


def test_season_sorts_every_officer_into_done_booked_missed_due_or_overdue(ctx: Ctx) -> None:
    ctx.clock = lambda: datetime(2025, 10, 1, tzinfo=UTC)
    unit = make_unit(ctx)
    done, booked, missed, due, never = (make_officer(ctx, unit=unit) for _ in range(5))
    for officer in (booked, missed, due):
        make_checkup(ctx, officer.id, exam_date=date(2025, 9, 1))  # anniversary after as_of
    ctx.clock = lambda: NOW
    make_checkup(ctx, done.id, exam_date=date(2026, 5, 20))
    medic = _medic(ctx, unit)
    past = schedules.create_session(medic, unit.id, date(2026, 6, 1), capacity=5, place="A")
    coming = schedules.create_session(medic, unit.id, date(2026, 7, 1), capacity=5, place="B")
    schedules.book(medic, past.id, [missed.id])
    schedules.book(medic, coming.id, [booked.id])
    view = schedules.season(_medic(ctx, unit, datetime(2026, 6, 5, tzinfo=UTC)), unit.id, 2026)
    assert (view.done, view.booked, view.missed) == ([done.id], [booked.id], [missed.id])
    assert view.due == [due.id] and view.overdue == [never.id]
    assert [(s.place, s.booked) for s in view.sessions] == [("A", 1), ("B", 1)]
    assert ctx.session.scalars(select(Task).where(Task.type == "home_visit")).all() == []
