"""Annual recall: done, due or overdue for this year's checkup, one rule, scalar and column-wise."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from health.errors import Invalid
from health.followup.recall import (
    Window,
    anniversary,
    recall_by_unit,
    recall_frame,
    recall_status,
)

YEAR = 2026
AS_OF = date(2026, 6, 15)
SPRING = (date(2026, 3, 1), date(2026, 4, 30))

# (last checkup, list date, unit window, expected status)
CASES: list[tuple[date | None, date, Window | None, str]] = [
    (date(2026, 2, 1), AS_OF, None, "done"),
    (date(2026, 6, 15), AS_OF, SPRING, "done"),  # done even outside the window
    (date(2025, 9, 1), AS_OF, None, "due"),  # under 12 months
    (date(2025, 6, 15), AS_OF, None, "due"),  # exactly 12 months: not yet late
    (date(2025, 6, 14), AS_OF, None, "overdue"),  # 12 months and a day
    (date(2024, 5, 1), AS_OF, None, "overdue"),
    (None, AS_OF, None, "overdue"),  # never checked: no baseline at all
    (None, date(2026, 1, 2), None, "overdue"),
    (date(2025, 9, 1), AS_OF, SPRING, "overdue"),  # window closed on 30 April
    (date(2025, 9, 1), date(2026, 4, 30), SPRING, "due"),  # last day of the window
    (date(2025, 9, 1), date(2026, 2, 1), SPRING, "due"),  # window not open yet
    (date(2024, 2, 29), date(2025, 2, 28), None, "due"),  # leap-day anniversary: 28 Feb
    (date(2024, 2, 29), date(2025, 3, 1), None, "overdue"),
]


@pytest.mark.parametrize(("last", "as_of", "window", "expected"), CASES)
def test_recall_status(
    last: date | None, as_of: date, window: Window | None, expected: str
) -> None:
    year = as_of.year
    assert recall_status(last, year, as_of, window) == expected


def test_column_form_agrees_with_cases() -> None:
    frame = pd.DataFrame(
        {
            "officer_id": [f"o{i}" for i in range(len(CASES))],
            "unit_id": [f"u{i}" for i in range(len(CASES))],
            "last_checkup": [c[0] for c in CASES],
        }
    )
    for i, (_, as_of, window, expected) in enumerate(CASES):
        windows = {f"u{i}": window} if window else {}
        out = recall_frame(frame.iloc[[i]], as_of.year, as_of, windows)
        assert out["status"].tolist() == [expected]


def test_checkup_after_list_date_is_refused() -> None:
    with pytest.raises(Invalid):
        recall_status(date(2026, 7, 1), YEAR, AS_OF)
    frame = pd.DataFrame(
        {"officer_id": ["o"], "unit_id": ["u"], "last_checkup": [date(2026, 7, 1)]}
    )
    with pytest.raises(Invalid):
        recall_frame(frame, YEAR, AS_OF)


def test_window_ending_before_it_starts_is_refused() -> None:
    frame = pd.DataFrame({"officer_id": ["o"], "unit_id": ["u"], "last_checkup": [None]})
    with pytest.raises(Invalid):
        recall_frame(frame, YEAR, AS_OF, {"u": (date(2026, 5, 1), date(2026, 4, 1))})


@pytest.mark.parametrize(
    ("last", "expected"),
    [(date(2025, 3, 1), date(2026, 3, 1)), (date(2024, 2, 29), date(2025, 2, 28))],
)
def test_anniversary_is_twelve_months_later(last: date, expected: date) -> None:
    assert anniversary(last) == expected


def test_recall_by_unit_lists_due_and_overdue_officers_per_unit() -> None:
    frame = pd.DataFrame(
        {
            "officer_id": ["o1", "o2", "o3", "o4", "o5"],
            "unit_id": ["s1", "s1", "s1", "s2", "s2"],
            "last_checkup": [date(2026, 1, 5), date(2025, 9, 1), None, date(2025, 1, 1), None],
        }
    )
    by_unit = recall_by_unit(recall_frame(frame, YEAR, AS_OF))
    assert set(by_unit) == {"s1", "s2"}
    assert (by_unit["s1"].due, by_unit["s1"].overdue, by_unit["s1"].done) == (("o2",), ("o3",), 1)
    assert (by_unit["s2"].due, by_unit["s2"].overdue, by_unit["s2"].done) == ((), ("o4", "o5"), 0)


DAYS = st.integers(min_value=0, max_value=1200)


@settings(max_examples=50, deadline=None)
@given(
    offsets=st.lists(st.one_of(st.none(), DAYS), min_size=1, max_size=20),
    as_of_offset=st.integers(min_value=0, max_value=900),
    window_end=st.one_of(st.none(), st.integers(min_value=0, max_value=364)),
)
def test_frame_agrees_with_scalar_rule(
    offsets: list[int | None], as_of_offset: int, window_end: int | None
) -> None:
    start = date(2024, 1, 1)
    as_of = start + timedelta(days=as_of_offset)
    year = as_of.year
    lasts = [None if o is None else min(start + timedelta(days=o), as_of) for o in offsets]
    window = None
    if window_end is not None:
        window = (date(year, 1, 1), date(year, 1, 1) + timedelta(days=window_end))
    frame = pd.DataFrame(
        {
            "officer_id": [f"o{i}" for i in range(len(lasts))],
            "unit_id": ["u"] * len(lasts),
            "last_checkup": lasts,
        }
    )
    out = recall_frame(frame, year, as_of, {"u": window} if window else None)
    assert out["status"].tolist() == [recall_status(last, year, as_of, window) for last in lasts]
