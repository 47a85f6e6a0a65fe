"""GB 11643-1999 citizen identity numbers: structure, birth date and MOD 11-2 check character."""

from __future__ import annotations

import pytest

from health.national_id import NationalIdProblem, check_character, problem, with_check


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # GB 11643-1999 Annex: worked example, check character X
        "440524188001010014",  # GB 11643-1999 Annex: worked example, check character 4
        "11010519491231002x",  # lower-case x as typed on a phone
        " 440524 188001010014 ",
    ],
)
def test_published_examples_are_valid(number: str) -> None:
    assert problem(number) is None


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("123", NationalIdProblem.SHAPE),
        ("11010519491231002", NationalIdProblem.SHAPE),  # 17 characters
        ("1101051949123100211", NationalIdProblem.SHAPE),  # 19 characters
        ("X10105194912310021", NationalIdProblem.SHAPE),  # X only in the last place
        ("110105194902300021", NationalIdProblem.BIRTH_DATE),  # 30 February
        ("110105194913310021", NationalIdProblem.BIRTH_DATE),  # month 13
        ("110105194912310021", NationalIdProblem.CHECK_DIGIT),  # published example, X -> 1
        ("440524188001010015", NationalIdProblem.CHECK_DIGIT),  # published example, 4 -> 5
        ("440524188001010041", NationalIdProblem.CHECK_DIGIT),  # two digits transposed
    ],
)
def test_malformed_numbers_name_the_problem(number: str, expected: NationalIdProblem) -> None:
    assert problem(number) == expected


def test_check_character_covers_sum_mod_11_equal_2_as_x() -> None:
    # Σ(a_i·W_i) for 11010519491231002 is 167; 167 mod 11 = 2 -> "X" (GB 11643-1999 §5.2 table).
    assert check_character("11010519491231002") == "X"


def test_with_check_completes_a_number_that_validates() -> None:
    assert problem(with_check("32010219800101123")) is None
