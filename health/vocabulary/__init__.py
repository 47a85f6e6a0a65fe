"""The closed vocabularies the domain runs on, each spelled once.

Roles, permission actions, task types, statuses, moves and outcomes are ``StrEnum``s: their
members compare equal to the strings stored in the database and sent over HTTP, so the wire
and the tables do not change, while a misspelling or an undecided new member fails the type
check or a test. Add a member here (and widen the CHECK constraint by a migration); everything
that must decide about it imports it from here.

Module map:
- ``roles``: who acts (``Role``) and which roles hold accounts.
- ``actions``: what a use case does, as permissions and audit verbs (``Action``).
- ``tasks``: follow-up task types, statuses, moves and outcomes.
- ``exports``: the states of a FHIR bulk export request.
"""

from health.vocabulary.actions import Action
from health.vocabulary.exports import ExportStatus
from health.vocabulary.roles import HUMAN_ROLES, UNIT_ROLES, Role
from health.vocabulary.tasks import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Outcome,
    TaskMove,
    TaskStatus,
    TaskType,
)

__all__ = [
    "CLOSED_STATUSES",
    "HUMAN_ROLES",
    "OPEN_STATUSES",
    "UNIT_ROLES",
    "Action",
    "ExportStatus",
    "Outcome",
    "Role",
    "TaskMove",
    "TaskStatus",
    "TaskType",
]
