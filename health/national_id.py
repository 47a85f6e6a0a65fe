"""The resident identity card number of GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check.

Source: GB 11643-1999 《公民身份号码》 §4 (structure: 6-digit address code, 8-digit birth date
YYYYMMDD, 3-digit sequence code, 1 check character) and §5 / ISO 7064:1983 MOD 11-2 (weights
2^(i-1) mod 11 for positions 18..2, check = (12 - sum mod 11) mod 11, with 10 written ``X``).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

# Weights W_i = 2^(i-1) mod 11 for positions 1..17 counted from the left (GB 11643-1999 §5.1).
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Check character for (sum mod 11) = 0..10 (GB 11643-1999 §5.2, table).
CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class NationalIdProblem(StrEnum):
    """Why a national ID number is refused; stable codes for clients."""

    SHAPE = "national_id_shape"
    BIRTH_DATE = "national_id_birth_date"
    CHECK_DIGIT = "national_id_check_digit"


def normalise(text: str) -> str:
    """Spaces dropped, a lower-case ``x`` read as ``X`` (as typed on phones)."""
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK[total % 11]


def birth_date_of(number: str) -> date | None:
    """The birth date coded in positions 7-14, or None if it is no calendar date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def problem(text: str) -> NationalIdProblem | None:
    """None when the number is well formed, has a real birth date and a correct check digit."""
    number = normalise(text)
    if not _SHAPE.match(number):
        return NationalIdProblem.SHAPE
    born = birth_date_of(number)
    if born is None:
        return NationalIdProblem.BIRTH_DATE
    if check_character(number[:17]) != number[17]:
        return NationalIdProblem.CHECK_DIGIT
    return None


REASONS = {
    NationalIdProblem.SHAPE: "a national ID number has 17 digits and a check digit or X",
    NationalIdProblem.BIRTH_DATE: "the birth date inside the national ID number is no real date",
    NationalIdProblem.CHECK_DIGIT: "the national ID number's check digit is wrong (GB 11643)",
}


def with_check(first17: str) -> str:
    """A complete number from its first 17 digits (for synthetic data and tests)."""
    return first17 + check_character(first17)
