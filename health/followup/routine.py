"""Routine home-visit rounds: which officers a unit's next round visits.

DEPLOYMENT POLICY (no guideline sets it; a force's welfare plan does): a round visits up to
``visits`` officers of the unit, those with a known chronic condition first, then those with
the most open follow-up tasks, then those longest without a completed contact (never contacted
counts as longest). Officers who already have an open routine visit are not chosen again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from health.errors import Invalid

MIN_CADENCE_DAYS = 7
MAX_CADENCE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Candidate:
    officer_id: uuid.UUID
    has_condition: bool
    open_tasks: int
    last_contact: date | None
    open_routine_visit: bool = False


def check_plan(cadence_days: int, visits: int) -> None:
    if not MIN_CADENCE_DAYS <= cadence_days <= MAX_CADENCE_DAYS:
        raise Invalid(
            f"a round comes every {MIN_CADENCE_DAYS} to {MAX_CADENCE_DAYS} days",
            code="bad_cadence",
        )
    if not 1 <= visits <= 200:
        raise Invalid("a round visits 1 to 200 officers", code="bad_visits")


def round_due(last_round_on: date | None, cadence_days: int, today: date) -> bool:
    """A unit's next round is due once the cadence has passed since the last one."""
    return last_round_on is None or today >= last_round_on + timedelta(days=cadence_days)


def choose(candidates: list[Candidate], visits: int, today: date) -> list[uuid.UUID]:
    """The officers of the next round, in visiting priority order."""

    def key(c: Candidate) -> tuple[int, int, int, str]:
        days = (today - c.last_contact).days if c.last_contact is not None else 10**6
        return (-int(c.has_condition), -c.open_tasks, -days, str(c.officer_id))

    eligible = [c for c in candidates if not c.open_routine_visit]
    return [c.officer_id for c in sorted(eligible, key=key)[:visits]]
