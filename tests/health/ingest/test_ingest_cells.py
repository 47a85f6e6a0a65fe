"""Cell-level parsing: numbers with lab flags, dates, sex, identifiers."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from health.ingest.cells import cell_text, parse_numbers
from health.ingest.identity import parse_date

NUMBERS = [
    # (cell text, number or None, problem substring or None)
    ("5.6", 5.6, None),
    (" 5.6 ", 5.6, None),
    ("1e2", 100.0, None),
    ("-1", -1.0, None),
    ("5.6↑", 5.6, None),
    ("5.6↓", 5.6, None),
    ("5.6 H", 5.6, None),
    ("5.6L", 5.6, None),
    ("5.6*", 5.6, None),
    ("<0.1", None, "censored"),
    (">1000", None, "censored"),
    ("≥7.0", None, "censored"),
    ("abc", None, "not a number"),
    # decimal commas where no thousands separator can be meant (was: "5,6" not a number)
    ("5,6", 5.6, None),
    ("5，6", 5.6, None),  # full-width comma
    ("0,123", 0.123, None),  # nothing but 0 before it
    ("12,25", 12.25, None),
    ("1,2345", 1.2345, None),
    ("-0,5", -0.5, None),
    ("5,6↑", 5.6, None),
    ("1,234", None, "ambiguous"),  # three digits after: thousands or decimals?
    ("1,234,5", None, "decimal point"),
    ("5,6,7", None, "decimal point"),
    ("阴性", None, "not a number"),
    ("nan", None, "not a number"),
    (None, None, None),
]


@pytest.mark.parametrize(("text", "number", "problem"), NUMBERS)
def test_parse_numbers(text: str | None, number: float | None, problem: str | None) -> None:
    numbers, problems = parse_numbers([text])
    if number is None:
        assert math.isnan(numbers[0])
    else:
        assert numbers[0] == number
    if problem is None:
        assert problems[0] is None
    else:
        assert problems[0] is not None
        assert problem in problems[0]


DATES = [
    ("2026-03-01", date(2026, 3, 1)),
    ("2026/3/1", date(2026, 3, 1)),
    ("2026.03.01", date(2026, 3, 1)),
    ("2026年3月1日", date(2026, 3, 1)),
    ("20260301", date(2026, 3, 1)),
    ("2026-03-01 08:30:00", date(2026, 3, 1)),
    ("2026-03-01T08:30:00+08:00", date(2026, 3, 1)),
    ("46082", date(2026, 3, 1)),  # Excel serial (1900 date system, day 0 = 1899-12-30)
    (46082, date(2026, 3, 1)),
    (46082.0, date(2026, 3, 1)),
    (datetime(2026, 3, 1, 9, 0), date(2026, 3, 1)),
    (date(2026, 3, 1), date(2026, 3, 1)),
    ("3/1/2026", None),  # month-first or day-first: ambiguous, refused
    ("01-03-2026", None),
    ("2026-02-30", None),
    ("2026-13-01", None),
    ("46082.5", None),
    (123, None),
    ("", None),
    ("tomorrow", None),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (" A1 ", "A1"),
        ("", None),
        ("   ", None),
        (None, None),
        (math.nan, None),
        (110101.0, "110101"),
        (5.6, "5.6"),
        (128, "128"),
        (date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_cell_text(value: object, text: str | None) -> None:
    assert cell_text(value) == text
