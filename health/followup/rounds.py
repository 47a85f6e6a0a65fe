"""The home-visit round planner: per unit and ISO week, which officers a medic should visit.

A visit falls in the ISO week of its task's due date; with ``today``, anything due before this
week is already late and moves into this week, so nothing overdue drops off the plan. Within a
round, officers are ordered by priority (1 first), then due date, then officer id (so the plan
is stable). An officer with several home-visit tasks in one round is visited once, at the most
urgent of them, and the visit lists all their task ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

Id = uuid.UUID | str


class IsoWeek(NamedTuple):
    year: int
    week: int

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)


@dataclass(frozen=True, slots=True)
class HomeVisitTask:
    """An open home-visit task as the planner needs it (closed ones are not passed in)."""

    task_id: Id
    officer_id: Id
    unit_id: Id
    due: date | datetime
    priority: int


@dataclass(frozen=True, slots=True)
class Visit:
    officer_id: Id
    priority: int
    due: date
    task_ids: tuple[Id, ...]


@dataclass(frozen=True, slots=True)
class Round:
    """One unit's visits for one ISO week, most urgent first."""

    unit_id: Id
    week: IsoWeek
    visits: tuple[Visit, ...]

    @property
    def officers(self) -> tuple[Id, ...]:
        return tuple(v.officer_id for v in self.visits)


def _day(due: date | datetime) -> date:
    return due.astimezone(UTC).date() if isinstance(due, datetime) else due


def plan_rounds(tasks: Iterable[HomeVisitTask], *, today: date | None = None) -> list[Round]:
    """Rounds ordered by unit id then week; see the module docstring for the ordering rules."""
    this_week = IsoWeek.of(today) if today is not None else None
    grouped: dict[tuple[str, IsoWeek, str], list[HomeVisitTask]] = {}
    units: dict[str, Id] = {}
    officers: dict[str, Id] = {}
    for task in tasks:
        week = IsoWeek.of(_day(task.due))
        if this_week is not None and week < this_week:
            week = this_week
        unit, officer = str(task.unit_id), str(task.officer_id)
        units[unit], officers[officer] = task.unit_id, task.officer_id
        grouped.setdefault((unit, week, officer), []).append(task)
    rounds: dict[tuple[str, IsoWeek], list[Visit]] = {}
    for (unit, week, officer), group in grouped.items():
        first = min(group, key=lambda t: (t.priority, _day(t.due), str(t.task_id)))
        visit = Visit(
            officer_id=officers[officer],
            priority=first.priority,
            due=_day(first.due),
            task_ids=tuple(t.task_id for t in sorted(group, key=lambda t: str(t.task_id))),
        )
        rounds.setdefault((unit, week), []).append(visit)
    return [
        Round(
            unit_id=units[unit],
            week=week,
            visits=tuple(sorted(visits, key=lambda v: (v.priority, v.due, str(v.officer_id)))),
        )
        for (unit, week), visits in sorted(rounds.items())
    ]
