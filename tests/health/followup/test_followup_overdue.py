"""Overdue, one definition: the scalar, column and point-in-time forms agree everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from health.errors import Invalid
from health.followup.lifecycle import CLOSED_STATUSES, STATUSES
from health.followup.overdue import is_overdue, overdue_at_mask, overdue_mask

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

# (status, due relative to now, overdue?)
CASES: list[tuple[str, timedelta, bool]] = [
    ("requested", -timedelta(seconds=1), True),
    ("accepted", -timedelta(days=3), True),
    ("in-progress", -timedelta(days=3), True),
    ("on-hold", -timedelta(days=3), True),  # a hold does not stop the clock
    ("requested", timedelta(0), False),  # due at 12:00 is not overdue at 12:00
    ("requested", timedelta(days=1), False),
    ("completed", -timedelta(days=3), False),
    ("cancelled", -timedelta(days=3), False),
    ("failed", -timedelta(days=3), False),
]


@pytest.mark.parametrize(("status", "offset", "expected"), CASES)
def test_overdue_is_open_and_past_due(status: str, offset: timedelta, expected: bool) -> None:
    assert is_overdue(status, NOW + offset, NOW) is expected


def test_column_form_agrees_with_scalar_cases() -> None:
    status = pd.Series([c[0] for c in CASES])
    due = pd.Series([NOW + c[1] for c in CASES])
    assert overdue_mask(status, due, NOW).tolist() == [c[2] for c in CASES]


def test_naive_now_is_refused() -> None:
    with pytest.raises(Invalid):
        is_overdue("requested", NOW, datetime(2026, 5, 1))


HOURS = st.integers(min_value=-2000, max_value=2000)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(st.sampled_from(STATUSES), HOURS, HOURS, HOURS), max_size=12),
    at_hours=HOURS,
)
def test_scalar_column_and_point_in_time_forms_agree(
    rows: list[tuple[str, int, int, int]], at_hours: int
) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    now = base + timedelta(hours=at_hours)
    status = [r[0] for r in rows]
    due = [base + timedelta(hours=r[1]) for r in rows]
    # consistent data: created before now; closed (before now) exactly when the status is closed
    created = [now - timedelta(hours=abs(r[2]) + 1) for r in rows]
    closed = [
        now - timedelta(hours=abs(r[3])) if s in CLOSED_STATUSES else None
        for s, r in zip(status, rows, strict=True)
    ]
    expected = [is_overdue(s, d, now) for s, d in zip(status, due, strict=True)]
    frame = pd.DataFrame({"status": status, "due": due, "created": created, "closed": closed})
    frame = frame.astype({"due": "datetime64[ns, UTC]", "created": "datetime64[ns, UTC]"})
    frame["closed"] = pd.to_datetime(frame["closed"], utc=True)
    assert overdue_mask(frame["status"], frame["due"], now).tolist() == expected
    at = overdue_at_mask(frame["created"], frame["due"], frame["closed"], now)
    assert at.tolist() == expected
