"""The season's schedules: routine home-visit rounds on a unit's cadence, checkup sessions with
bookings, and the season view (who is done, booked, missed, due or overdue) built on the recall.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from health.errors import Conflict, Invalid, NotFound
from health.followup.recall import recall_frame
from health.followup.routine import Candidate, check_plan, choose, round_due
from health.services import access, audit, task_planning
from health.services.audit import EventSpec
from health.services.context import SYSTEM_ROLE, Ctx
from health.services.officer_directory import OfficerSummary, search
from health.services.task_work import TaskView
from health.vocabulary import Action, TaskType
from models.repositories import schedules as repo
from models.repositories import units as units_repo
from models.tables import Unit
from models.tables_season import CheckupSession, RoundPlan, SessionBooking

ROUTINE_FAMILY = "routine"
ROUTINE_REASON = "routine_round"
VISIT_WITHIN_DAYS = 14
MAX_SESSION_CAPACITY = 500


def _unit(ctx: Ctx, unit_id: uuid.UUID, action: Action) -> Unit:
    access.require(ctx, action, unit=unit_id)
    unit = units_repo.get(ctx.session, unit_id)
    if unit is None:
        raise NotFound("unit not found", code="unit_not_found")
    return unit


# ------------------------------------------------------------------ routine rounds


@dataclass(frozen=True)
class RoundPlanView:
    unit_id: uuid.UUID
    cadence_days: int
    visits: int
    last_round_on: date | None
    next_round_on: date


def _plan_view(row: RoundPlan) -> RoundPlanView:
    last = row.last_round_on
    following = (last + timedelta(days=row.cadence_days)) if last else row.updated_at.date()
    return RoundPlanView(row.unit_id, row.cadence_days, row.visits, last, following)


def set_round_plan(ctx: Ctx, unit_id: uuid.UUID, cadence_days: int, visits: int) -> RoundPlanView:
    """A unit's routine rounds: every ``cadence_days``, ``visits`` officers."""
    _unit(ctx, unit_id, Action.ROUND_PLAN)
    check_plan(cadence_days, visits)
    row = repo.round_plan(ctx.session, unit_id)
    if row is None:
        row = RoundPlan(unit_id=unit_id, last_round_on=None)
        ctx.session.add(row)
    row.cadence_days, row.visits = cadence_days, visits
    row.updated_at, row.updated_by = ctx.clock(), ctx.actor.id
    ctx.session.flush()
    audit.record(
        ctx,
        "round.plan",
        "unit",
        resource_id=str(unit_id),
        detail=f"every={cadence_days}d;visits={visits}",
    )
    return _plan_view(row)


@dataclass(frozen=True)
class RoundRun:
    held: bool
    plan: RoundPlanView
    tasks: list[TaskView]


def run_round(ctx: Ctx, unit_id: uuid.UUID) -> RoundRun:
    """Plan the unit's next routine round if its cadence has come round: home-visit tasks for
    the officers the round policy chooses (``health.followup.routine``). Running it again
    before the next cadence date plans nothing."""
    unit = _unit(ctx, unit_id, Action.ROUND_RUN)
    row = repo.round_plan(ctx.session, unit_id)
    if row is None:
        raise NotFound("this unit has no round plan; set one first", code="no_round_plan")
    now = ctx.clock()
    today = now.date()
    if not round_due(row.last_round_on, row.cadence_days, today):
        return RoundRun(False, _plan_view(row), [])
    people = repo.officers_under(ctx.session, unit.path)
    ids = [o.id for o in people]
    open_counts = repo.open_task_counts(ctx.session, ids)
    contacts = repo.last_contacts(ctx.session, ids)
    families = task_planning.open_families(ctx, ids, TaskType.HOME_VISIT)
    routine = {o for o, found in families.items() if ROUTINE_FAMILY in found}
    candidates = [
        Candidate(
            o.id,
            o.conditions is not None,
            open_counts.get(o.id, 0),
            contacts[o.id].date() if o.id in contacts else None,
            o.id in routine,
        )
        for o in people
    ]
    due = datetime.combine(
        today + timedelta(days=min(row.cadence_days, VISIT_WITHIN_DAYS)),
        time(17),
        tzinfo=UTC,
    )
    created = [
        task_planning.create_planned(
            ctx,
            officer_id,
            TaskType.HOME_VISIT,
            due=due,
            priority=4,
            family=ROUTINE_FAMILY,
            reason=ROUTINE_REASON,
        )
        for officer_id in choose(candidates, row.visits, today)
    ]
    row.last_round_on = today
    audit.record(
        ctx, "round.run", "unit", resource_id=str(unit_id), detail=f"visits={len(created)}"
    )
    return RoundRun(True, _plan_view(row), created)


# ------------------------------------------------------------------ checkup sessions


@dataclass(frozen=True)
class SessionView:
    id: uuid.UUID
    unit_id: uuid.UUID
    day: date
    capacity: int
    place: str
    booked: int


def create_session(
    ctx: Ctx, unit_id: uuid.UUID, day: date, capacity: int, place: str
) -> SessionView:
    """A checkup day for a unit (its subtree's officers can be booked on it)."""
    _unit(ctx, unit_id, Action.SESSION_CREATE)
    if not 1 <= capacity <= MAX_SESSION_CAPACITY:
        raise Invalid(f"capacity is 1 to {MAX_SESSION_CAPACITY}", code="bad_capacity")
    if day < ctx.clock().date():
        raise Invalid("a session cannot be planned in the past", code="bad_day")
    row = CheckupSession(
        id=uuid.uuid4(),
        unit_id=unit_id,
        day=day,
        capacity=capacity,
        place=place.strip()[:200],
        created_at=ctx.clock(),
        created_by=ctx.actor.id,
    )
    repo.add(ctx.session, row)
    audit.record(ctx, "session.create", "checkup_session", resource_id=str(row.id))
    return SessionView(row.id, unit_id, day, capacity, row.place, 0)


def _session(ctx: Ctx, session_id: uuid.UUID, action: Action) -> tuple[CheckupSession, Unit]:
    access.require(ctx, action)
    row = repo.get_session(ctx.session, session_id)
    # The CLI's system actor (printing a session's reports) serves every unit.
    if row is None or not (ctx.actor.role == SYSTEM_ROLE or access.in_units(ctx, row.unit_id)):
        access.deny(ctx, action, "checkup_session", resource_id=str(session_id))
        raise NotFound("session not found", code="session_not_found")
    unit = units_repo.get(ctx.session, row.unit_id)
    assert unit is not None
    return row, unit


@dataclass(frozen=True)
class BookingView:
    officer: OfficerSummary
    status: str
    booked_at: datetime


def book(ctx: Ctx, session_id: uuid.UUID, officer_ids: list[uuid.UUID]) -> list[BookingView]:
    """Book officers of the session's unit on it, within its capacity; booking someone twice
    on one session is refused."""
    row, unit = _session(ctx, session_id, Action.SESSION_BOOK)
    if not officer_ids or len(officer_ids) > MAX_SESSION_CAPACITY:
        raise Invalid("book 1 to 500 officers at a time", code="bad_batch")
    existing = [b for b in repo.bookings_of(ctx.session, [row.id]) if b.status == "booked"]
    if len(existing) + len(officer_ids) > row.capacity:
        raise Conflict(
            f"the session has {row.capacity - len(existing)} places left", code="session_full"
        )
    booked = {b.officer_id for b in existing}
    members = {o.id for o in repo.officers_under(ctx.session, unit.path)}
    now = ctx.clock()
    specs = []
    for officer_id in officer_ids:
        if officer_id not in members:
            raise NotFound("officer not found in this session's unit", code="officer_not_found")
        if officer_id in booked:
            raise Conflict("an officer is already booked on this session", code="already_booked")
        booked.add(officer_id)
        ctx.session.add(
            SessionBooking(
                id=uuid.uuid4(),
                session_id=row.id,
                officer_id=officer_id,
                status="booked",
                booked_at=now,
                booked_by=ctx.actor.id,
            )
        )
        specs.append(EventSpec("session.book", "checkup_session", str(row.id), officer_id))
    ctx.session.flush()
    audit.record_many(ctx, specs)
    return session_bookings(ctx, session_id)


def session_bookings(ctx: Ctx, session_id: uuid.UUID) -> list[BookingView]:
    """Who is booked on a session, and whether they came (a checkup on that day) or missed it."""
    row, unit = _session(ctx, session_id, Action.SESSION_READ)
    bookings = repo.bookings_of(ctx.session, [row.id])
    ids = [b.officer_id for b in bookings]
    came = repo.checkup_days(ctx.session, ids, row.day, row.day)
    people = {p.id: p for p in _summaries(ctx, unit, ids)}
    today = ctx.clock().date()
    out = []
    for booking in bookings:
        if booking.officer_id not in people:
            continue
        status = booking.status
        if status == "booked" and (booking.officer_id, row.day) in came:
            status = "attended"
        elif status == "booked" and row.day < today:
            status = "missed"
        out.append(BookingView(people[booking.officer_id], status, booking.booked_at))
    return out


def _summaries(ctx: Ctx, unit: Unit, officer_ids: list[uuid.UUID]) -> list[OfficerSummary]:
    if not officer_ids:
        return []
    wanted = set(officer_ids)
    found: list[OfficerSummary] = []
    page = 1
    while True:
        listed = search(ctx, unit_id=unit.id, page=page, page_size=200)
        found.extend(o for o in listed.items if o.id in wanted)
        if page * 200 >= listed.total:
            return found
        page += 1


# ------------------------------------------------------------------ season view


@dataclass(frozen=True)
class Season:
    """A unit's checkup season: the sessions, and every officer in one of five groups."""

    unit_id: uuid.UUID
    year: int
    as_of: date
    sessions: list[SessionView]
    done: list[uuid.UUID]
    booked: list[uuid.UUID]
    missed: list[uuid.UUID]
    due: list[uuid.UUID]
    overdue: list[uuid.UUID]


def season(ctx: Ctx, unit_id: uuid.UUID, year: int, as_of: date | None = None) -> Season:
    """The recall with bookings: done (checked this year), booked (on an upcoming session),
    missed (booked on a past session and not checked), then the recall's due and overdue."""
    unit = _unit(ctx, unit_id, Action.SESSION_SEASON)
    as_of = as_of or ctx.clock().date()
    people = repo.officers_under(ctx.session, unit.path)
    ids = [o.id for o in people]
    last = repo.last_checkups(ctx.session, ids)
    frame = pd.DataFrame(
        {
            "officer_id": ids,
            "unit_id": [o.unit_id for o in people],
            "last_checkup": [min(last[i], as_of) if i in last else None for i in ids],
        }
    )
    statuses = recall_frame(frame, year, as_of) if ids else frame.assign(status=[])
    status = dict(zip(statuses["officer_id"], statuses["status"], strict=True))
    sessions = repo.sessions_of(ctx.session, unit.path, date(year, 1, 1), date(year, 12, 31))
    bookings = [
        b for b in repo.bookings_of(ctx.session, [s.id for s in sessions]) if b.status == "booked"
    ]
    day_of = {s.id: s.day for s in sessions}
    upcoming = {b.officer_id for b in bookings if day_of[b.session_id] >= as_of}
    missed = {b.officer_id for b in bookings if day_of[b.session_id] < as_of}
    groups: dict[str, list[uuid.UUID]] = {
        k: [] for k in ("done", "booked", "missed", "due", "overdue")
    }
    for officer_id in ids:
        if status[officer_id] == "done":
            groups["done"].append(officer_id)
        elif officer_id in upcoming:
            groups["booked"].append(officer_id)
        elif officer_id in missed:
            groups["missed"].append(officer_id)
        else:
            groups[str(status[officer_id])].append(officer_id)
    counts = {s.id: 0 for s in sessions}
    for b in bookings:
        counts[b.session_id] += 1
    views = [
        SessionView(s.id, s.unit_id, s.day, s.capacity, s.place, counts[s.id]) for s in sessions
    ]
    audit.record(
        ctx,
        "session.season",
        "unit",
        resource_id=str(unit_id),
        detail=";".join(f"{k}={len(v)}" for k, v in groups.items()),
    )
    return Season(unit_id, year, as_of, views, **groups)
