"""Who acts: the roles of DESIGN.md's table, plus the system actor of the CLI and the worker."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    """A caller's role. ``SYSTEM`` (the CLI's and the worker's) and ``ANONYMOUS`` (a caller
    who has not signed in yet: login, refresh) are never an account's role."""

    OFFICER = "officer"
    MEDIC = "medic"
    MANAGER = "unit_manager"
    AUDITOR = "auditor"
    ADMIN = "admin"
    # A system reading the FHIR facade by OAuth2 client credentials: units like a medic's,
    # read-only, and only under /fhir (api.deps refuses it anywhere else).
    INTEGRATOR = "integrator"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


HUMAN_ROLES: Final[tuple[Role, ...]] = tuple(
    r for r in Role if r not in (Role.SYSTEM, Role.ANONYMOUS)
)
"""The roles an account may hold (``app_user.role``'s CHECK constraint)."""

UNIT_ROLES: Final[frozenset[Role]] = frozenset({Role.MEDIC, Role.MANAGER, Role.INTEGRATOR})
"""Roles whose scope is a set of assigned unit subtrees."""
