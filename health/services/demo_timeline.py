"""Demo years that look like real years: checkups entered over the season, and the tasks they
open worked, closed (most on time, some late, a few not reached) over the weeks that follow.

Seeding everything at one instant made the unit figures meaningless (every earlier year's task
created and closed at seeding time: on-time 0.0, median completion 0.0013 days). Here each
checkup is entered a few days after its exam with the clock set to that day, so tasks are
created then and fall due from then, and each task is then moved through the real lifecycle
with the clock set to the simulated moment of each move.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from health.crypto import Sealer
from health.services import intake, task_work
from health.services.context import MEDIC, Actor, Ctx
from health.vocabulary import Outcome, TaskMove, TaskStatus
from models.tables import Task

DEMO_MEDIC_ID = "demo-station-medic"


@dataclass(frozen=True)
class Fates:
    """How tasks end in the demo (DEMO ASSUMPTIONS, not measured): most on time, some late."""

    on_time: float = 0.72
    late: float = 0.16
    unreachable: float = 0.05
    # the rest stay open (never worked)


def entered_at(item: intake.Resolved, rng: random.Random, today: datetime) -> datetime:
    """When the results of an exam reach the service: 2 to 10 days later, office hours."""
    day = item.draft.exam_date + timedelta(days=rng.randint(2, 10))
    moment = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=UTC)
    return min(moment, today - timedelta(minutes=1))


def store_over_time(
    ctx: Ctx,
    items: Sequence[intake.Resolved],
    sealers: Mapping[uuid.UUID, Sealer],
    rng: random.Random,
    *,
    fates: Fates = Fates(),
) -> int:
    """Enter the checkups in the order they happened, working the tasks of each day's batch
    before later results arrive (a later checkup closes or escalates open rechecks)."""
    now = ctx.clock()
    clock = ctx.clock
    stamped = sorted(((entered_at(i, rng, now), n, i) for n, i in enumerate(items)))
    # One batch per fortnight of entry (as a checkup centre sends its results in), entered on
    # the second Friday at 09:00 or, for the current fortnight, a minute ago.
    batches: dict[datetime, list[intake.Resolved]] = {}
    for moment, _, item in stamped:
        friday = moment.date() + timedelta(days=(4 - moment.weekday()) % 7)
        friday += timedelta(days=7 * (friday.isocalendar().week % 2))
        when = datetime.combine(friday, time(9), tzinfo=UTC)
        batches.setdefault(min(when, now - timedelta(minutes=1)), []).append(item)
    pending: list[tuple[datetime, uuid.UUID, str]] = []
    stored = 0
    try:
        for day in sorted(batches):
            _work_until(ctx, pending, day, now)
            ctx.clock = _fixed(day)
            before = _task_ids(ctx)
            stored += intake.store(ctx, batches[day], sealers, upload_id=None).stored
            for task in _new_tasks(ctx, before):
                pending.extend(_plan_moves(task, rng, fates))
        _work_until(ctx, pending, now, now)
    finally:
        ctx.clock = clock
    return stored


def _fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _task_ids(ctx: Ctx) -> set[uuid.UUID]:
    return set(ctx.session.scalars(select(Task.id)))


def _new_tasks(ctx: Ctx, before: set[uuid.UUID]) -> list[Task]:
    return [t for t in ctx.session.scalars(select(Task).order_by(Task.id)) if t.id not in before]


def _plan_moves(
    task: Task, rng: random.Random, fates: Fates
) -> list[tuple[datetime, uuid.UUID, str]]:
    """The moves one task will get: completed, failed or left open (a task left open was
    at least accepted, so it shows as taken on the worklist)."""
    created, due = task.created_at, task.due
    span = max(due - created, timedelta(hours=2))
    accept = created + span * rng.uniform(0.02, 0.2)
    roll = rng.random()
    if roll < fates.on_time:
        end, action = created + span * rng.uniform(0.25, 0.98), "complete"
    elif roll < fates.on_time + fates.late:
        end, action = due + timedelta(days=rng.uniform(1, 30)), "complete"
    elif roll < fates.on_time + fates.late + fates.unreachable:
        end, action = due + timedelta(days=rng.uniform(0, 10)), "fail"
    else:
        return [(accept, task.id, "accept")]
    return [(max(end, accept), task.id, action)]


def _work_until(
    ctx: Ctx, pending: list[tuple[datetime, uuid.UUID, str]], until: datetime, now: datetime
) -> None:
    """Apply the planned moves due before ``until`` (and before now), in time order."""
    pending.sort(key=lambda move: move[0])
    medic = Actor(id=DEMO_MEDIC_ID, role=MEDIC, unit_paths=("/",))
    worker = Ctx(ctx.session, ctx.vault, medic)
    while pending and pending[0][0] < min(until, now):
        moment, task_id, action = pending.pop(0)
        task = ctx.session.get(Task, task_id)
        if task is None or task.closed_at is not None:
            continue  # closed meanwhile (a later recheck result closed it)
        worker.clock = _fixed(moment)
        move = {
            "accept": task_work.Move("accept"),
            TaskMove.COMPLETE: task_work.Move(
                TaskMove.COMPLETE, Outcome.DONE_WITH_RESULT, why="seen by the station medic (demo)"
            ),
            TaskMove.FAIL: task_work.Move(
                TaskMove.FAIL, Outcome.UNREACHABLE, why="no answer after three calls (demo)"
            ),
        }[action]
        if action == TaskMove.ACCEPT and task.status != TaskStatus.REQUESTED:
            continue
        task_work.move(worker, task.id, move, if_match=task.version)
