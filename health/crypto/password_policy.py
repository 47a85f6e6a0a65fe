"""Which passwords an account may have (NIST SP 800-63B §5.1.1.2, "memorized secrets").

The guideline asks for a minimum length, no composition rules, and a check against values
known to be commonly used, expected or compromised: dictionary words, repetitive or sequential
characters, context-specific words such as the username. The bundled list is the 30,000 most
frequent passwords of public breach corpora as shipped with zxcvbn (Dropbox's estimator); a
password is refused when it, or its core once digits and symbols are stripped from both ends
("password1234", "!!dragon2024"), is on that list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from health.errors import Invalid

MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B §5.1.1.2 allows 8; a force's staff accounts want more.
MAX_PASSWORD_LENGTH = 200  # SP 800-63B: at least 64 allowed; bounded so hashing stays cheap.
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_MIN_USERNAME_IN_PASSWORD = 3


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled breach-frequency list, loaded once on first use."""
    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _repetitive(password: str) -> bool:
    """One character or one short block repeated ("aaaaaaaaaaaa", "abcabcabcabc")."""
    return any(
        len(password) % size == 0 and password == password[:size] * (len(password) // size)
        for size in range(1, 5)
    )


def check_password(password: str, username: str | None = None) -> None:
    """Refuse a weak password with a reason that names the rule, never the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"passwords need at least {MIN_PASSWORD_LENGTH} characters", code="weak_password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(
            f"passwords have at most {MAX_PASSWORD_LENGTH} characters", code="weak_password"
        )
    lowered = password.lower()
    if username and len(username) >= _MIN_USERNAME_IN_PASSWORD and username.lower() in lowered:
        raise Invalid("the password must not contain the username", code="weak_password")
    core = _EDGES.sub("", lowered)
    predictable = _repetitive(lowered) or password.isdigit()  # digits only: a long PIN
    if lowered in common_passwords() or core in common_passwords() or predictable:
        raise Invalid(
            "this password is too common or predictable; choose a longer passphrase",
            code="weak_password",
        )
