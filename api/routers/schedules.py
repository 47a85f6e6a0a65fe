"""The season's schedules for medics: routine home-visit rounds per unit, checkup sessions and
bookings, and the season view of who is done, booked, missed, due or overdue."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date

from fastapi import APIRouter

from api.deps import CtxDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import TaskOut
from api.schemas_directory import (
    BookingOut,
    BookingsIn,
    RoundPlanIn,
    RoundPlanOut,
    RoundRunOut,
    SeasonOut,
    SessionIn,
    SessionOut,
)
from health.services import schedules

units_router = APIRouter(
    prefix="/api/v1/units",
    tags=["schedules"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)
sessions_router = APIRouter(
    prefix="/api/v1/sessions",
    tags=["schedules"],
    route_class=TransactionRoute,
    responses=PROBLEM_RESPONSES,
)


@units_router.put("/{unit_id}/round-plan")
def set_round_plan(unit_id: uuid.UUID, body: RoundPlanIn, ctx: CtxDep) -> RoundPlanOut:
    """Routine home-visit rounds for the unit: every ``cadence_days``, ``visits`` officers."""
    return RoundPlanOut(
        **asdict(schedules.set_round_plan(ctx, unit_id, body.cadence_days, body.visits))
    )


@units_router.post("/{unit_id}/round-plan/run")
def run_round(unit_id: uuid.UUID, ctx: CtxDep) -> RoundRunOut:
    """Plan the next routine round if it is due (home-visit tasks); otherwise nothing."""
    run = schedules.run_round(ctx, unit_id)
    return RoundRunOut(
        held=run.held,
        plan=RoundPlanOut(**asdict(run.plan)),
        tasks=[TaskOut(**asdict(t)) for t in run.tasks],
    )


@units_router.post("/{unit_id}/sessions", status_code=201)
def create_session(unit_id: uuid.UUID, body: SessionIn, ctx: CtxDep) -> SessionOut:
    """A checkup day for the unit's officers."""
    return SessionOut(
        **asdict(schedules.create_session(ctx, unit_id, body.day, body.capacity, body.place))
    )


@units_router.get("/{unit_id}/season")
def season(
    unit_id: uuid.UUID, ctx: CtxDep, year: int | None = None, as_of: date | None = None
) -> SeasonOut:
    """The recall with bookings: who is done, booked, missed their session, due or overdue."""
    day = as_of or date.today()
    found = schedules.season(ctx, unit_id, year or day.year, as_of)
    return SeasonOut(
        **{**asdict(found), "sessions": [SessionOut(**asdict(s)) for s in found.sessions]}
    )


@sessions_router.post("/{session_id}/bookings")
def book(session_id: uuid.UUID, body: BookingsIn, ctx: CtxDep) -> list[BookingOut]:
    """Book officers of the session's unit, within its capacity."""
    return [BookingOut(**asdict(b)) for b in schedules.book(ctx, session_id, body.officer_ids)]


@sessions_router.get("/{session_id}/bookings")
def bookings(session_id: uuid.UUID, ctx: CtxDep) -> list[BookingOut]:
    """Who is booked, and who attended or missed the session."""
    return [BookingOut(**asdict(b)) for b in schedules.session_bookings(ctx, session_id)]
