"""Home-visit rounds: per unit and ISO week, officers by priority then due date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from health.followup.rounds import HomeVisitTask, IsoWeek, plan_rounds


def visit(task: str, officer: str, unit: str, due: date | datetime, priority: int) -> HomeVisitTask:
    return HomeVisitTask(task, officer, unit, due, priority)


# 2026-03-02 is a Monday (ISO 2026-W10); 2026-01-01 is a Thursday in ISO 2026-W01;
# 2027-01-01 is a Friday in ISO 2026-W53.
# (tasks, today, expected [(unit, week, [officers in order])])
CASES: list[tuple[list[HomeVisitTask], date | None, list[tuple[str, str, list[str]]]]] = [
    ([], None, []),
    (
        [
            visit("t1", "o1", "s1", date(2026, 3, 4), 2),
            visit("t2", "o2", "s1", date(2026, 3, 3), 2),
            visit("t3", "o3", "s1", date(2026, 3, 8), 1),
        ],
        None,
        [("s1", "2026-W10", ["o3", "o2", "o1"])],  # priority 1 first, then earlier due
    ),
    (
        [
            visit("t1", "o1", "s1", date(2026, 3, 2), 2),
            visit("t2", "o2", "s1", date(2026, 3, 9), 2),
            visit("t3", "o3", "s2", date(2026, 3, 2), 3),
        ],
        None,
        [
            ("s1", "2026-W10", ["o1"]),
            ("s1", "2026-W11", ["o2"]),
            ("s2", "2026-W10", ["o3"]),
        ],
    ),
    (
        [
            visit("t1", "o1", "s1", date(2026, 2, 1), 3),  # overdue: pulled into this week
            visit("t2", "o2", "s1", date(2026, 3, 5), 2),
        ],
        date(2026, 3, 3),
        [("s1", "2026-W10", ["o2", "o1"])],
    ),
    (
        [
            visit("t1", "o1", "s1", date(2027, 1, 1), 2),
            visit("t2", "o2", "s1", date(2025, 12, 29), 2),
        ],
        None,
        [("s1", "2026-W01", ["o2"]), ("s1", "2026-W53", ["o1"])],  # ISO, not calendar, year
    ),
    (
        [
            visit("t1", "o1", "s1", datetime(2026, 3, 8, 20, 0, tzinfo=UTC), 2),
            visit("t2", "o2", "s1", date(2026, 3, 8), 2),
        ],
        None,
        [("s1", "2026-W10", ["o1", "o2"])],  # same priority and day: officer id decides
    ),
]


@pytest.mark.parametrize(("tasks", "today", "expected"), CASES)
def test_rounds_group_by_unit_and_week_and_order_by_priority_then_due(
    tasks: list[HomeVisitTask], today: date | None, expected: list[tuple[str, str, list[str]]]
) -> None:
    rounds = plan_rounds(tasks, today=today)
    assert [(r.unit_id, str(r.week), list(r.officers)) for r in rounds] == expected


def test_officer_with_two_tasks_in_a_week_is_visited_once_at_the_most_urgent() -> None:
    rounds = plan_rounds(
        [
            visit("t2", "o1", "s1", date(2026, 3, 6), 3),
            visit("t1", "o1", "s1", date(2026, 3, 4), 1),
            visit("t3", "o2", "s1", date(2026, 3, 3), 2),
        ]
    )
    (only,) = rounds
    assert only.officers == ("o1", "o2")
    first = only.visits[0]
    assert (first.priority, first.due, first.task_ids) == (1, date(2026, 3, 4), ("t1", "t2"))


def test_iso_week_prints_as_iso_8601_week() -> None:
    assert str(IsoWeek.of(date(2026, 3, 2))) == "2026-W10"
    assert IsoWeek.of(date(2021, 1, 3)) == IsoWeek(2020, 53)
