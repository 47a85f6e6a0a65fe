"""Choosing a routine round's officers: conditions first, then open tasks, then longest since a
completed contact (never contacted counts as longest); an open routine visit is not doubled."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from health.errors import Invalid
from health.followup.routine import Candidate, check_plan, choose, round_due

TODAY = date(2026, 11, 30)


def _ids(n: int) -> list[uuid.UUID]:
    return [uuid.UUID(int=i + 1) for i in range(n)]


def test_conditions_then_open_tasks_then_longest_since_contact() -> None:
    a, b, c, d, e = _ids(5)
    candidates = [
        Candidate(a, False, 0, date(2026, 11, 1)),
        Candidate(b, False, 2, date(2026, 11, 20)),
        Candidate(c, True, 0, date(2026, 11, 29)),
        Candidate(d, False, 0, None),
        Candidate(e, False, 0, date(2025, 1, 1)),
    ]
    assert choose(candidates, 5, TODAY) == [c, b, d, e, a]
    assert choose(candidates, 2, TODAY) == [c, b]


def test_officer_with_an_open_routine_visit_is_not_chosen_again() -> None:
    a, b = _ids(2)
    candidates = [
        Candidate(a, True, 3, None, open_routine_visit=True),
        Candidate(b, False, 0, None),
    ]
    assert choose(candidates, 2, TODAY) == [b]


@pytest.mark.parametrize(
    ("last", "cadence", "due"),
    [
        (None, 30, True),
        (date(2026, 10, 31), 30, True),  # exactly 30 days ago
        (date(2026, 11, 1), 30, False),  # 29 days ago
    ],
)
def test_round_is_due_once_the_cadence_has_passed(
    last: date | None, cadence: int, due: bool
) -> None:
    assert round_due(last, cadence, TODAY) is due


@pytest.mark.parametrize(("cadence", "visits"), [(6, 5), (366, 5), (30, 0), (30, 201)])
def test_plan_limits(cadence: int, visits: int) -> None:
    with pytest.raises(Invalid):
        check_plan(cadence, visits)
