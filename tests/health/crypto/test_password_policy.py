"""Password policy (NIST SP 800-63B §5.1.1.2): length, breached/common values, the username."""

from __future__ import annotations

import pytest

from health.crypto.password_policy import MIN_PASSWORD_LENGTH, check_password
from health.errors import Invalid


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # the example: long enough, yet the commonest password + digits
        "Password1234!",
        "qwertyuiop123",
        "!!dragon2024!!",
        "aaaaaaaaaaaaaaaa",  # repetitive (SP 800-63B: "repetitive or sequential characters")
        "abcabcabcabc",
        "123456789012",
    ],
)
def test_check_password_refuses_common_and_predictable_passwords(password: str) -> None:
    with pytest.raises(Invalid, match="too common or predictable"):
        check_password(password, "someone")


def test_check_password_refuses_one_containing_the_username_in_any_case() -> None:
    with pytest.raises(Invalid, match="must not contain the username"):
        check_password("my MEDIC-B1 secret phrase", "medic-b1")


def test_check_password_length_boundary() -> None:
    with pytest.raises(Invalid, match="at least"):
        check_password("x7#kq9!vz2m", None)  # 11 characters
    check_password("x7#kq9!vz2mw", None)  # 12 characters: exactly the minimum
    assert MIN_PASSWORD_LENGTH == 12


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "a long enough password", "Tz8#pq-river-owl"]
)
def test_check_password_accepts_passphrases(password: str) -> None:
    check_password(password, "medic-b1")
