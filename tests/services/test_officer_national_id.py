"""Registration refuses a national ID number that fails GB 11643 (was: ``"123"`` accepted)."""

from __future__ import annotations

import pytest

from health.errors import Invalid
from health.services.context import Ctx

from factories import make_officer


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("123", "national_id_shape"),
        ("110105194912310021", "national_id_check_digit"),
        ("110105194902300021", "national_id_birth_date"),
    ],
)
def test_register_refuses_a_malformed_national_id(ctx: Ctx, number: str, code: str) -> None:
    with pytest.raises(Invalid) as info:
        make_officer(ctx, national_id=number)
    assert info.value.code == code
    assert number not in info.value.detail


def test_register_accepts_the_standards_example(ctx: Ctx) -> None:
    make_officer(ctx, national_id="11010519491231002X")
