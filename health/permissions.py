"""Permissions as data: the one role × action table that every use case's check reads.

A role's row lists every action it may perform; anything not listed is refused (deny by
default). The table must name every ``Role`` (a test fails until a new role has a row, even an
empty one) and every ``Action`` must be held by some human role or be listed in
``SYSTEM_ONLY``, so no action is left undecided. The rows follow DESIGN.md's roles table:
auditors and admins hold no action that opens health data. Which *objects* a permitted role
may touch (own record, unit subtree) is ``health.services.access``'s scope rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Final

from health.vocabulary import HUMAN_ROLES, Action, Role

A = Action

SYSTEM_ONLY: Final[frozenset[Action]] = frozenset(
    {
        A.CHECKUP_RESCREEN,
        A.OFFICER_ERASE,
        A.OUTBOX_DELIVER,
        A.SELFCARE_REMIND,
        A.TASK_ESCALATE,
        A.TASK_REMIND,
    }
)
"""Jobs of the CLI and the worker that no account may start: the system actor only."""

_SELF_CARE_OWN: Final = frozenset(
    {A.PROGRAMME_READ, A.PROGRAMME_COMPARE, A.READING_CREATE, A.READING_READ}
)
_EQUIPMENT: Final = frozenset(
    {
        A.DEVICE_CREATE,
        A.DEVICE_HANDOVER,
        A.DEVICE_CALIBRATE,
        A.KIT_CREATE,
        A.KIT_RESTOCK,
        A.KIT_TEMPLATES,
        A.UNIT_READINESS,
    }
)
_WORKLIST: Final = frozenset(
    {A.TASK_EXPORT, A.TASK_HISTORY, A.TASK_LIST, A.TASK_READ, A.TRAINING_STATUS, A.UNIT_RECALL}
)
_SECOND_FACTOR: Final = frozenset({A.AUTH_TOTP_ENROL, A.AUTH_TOTP_CONFIRM})

PERMISSIONS: Final[Mapping[Role, frozenset[Action]]] = {
    Role.OFFICER: frozenset({A.ME_READ, A.TASK_READ_OWN, A.FHIR_CLINICAL, A.FHIR_TASK})
    | _SELF_CARE_OWN,
    Role.MEDIC: _SELF_CARE_OWN
    | _EQUIPMENT
    | _WORKLIST
    | _SECOND_FACTOR
    | frozenset(
        {
            A.CHECKUP_CREATE,
            A.CHECKUP_IMPORT,
            A.CHECKUP_TEMPLATE,
            A.COURSE_CREATE,
            A.COURSE_LIST,
            A.EMERGENCY_GRANT,
            A.EMERGENCY_REVOKE,
            A.FHIR_CLINICAL,
            A.FHIR_EXPORT,
            A.FHIR_TASK,
            A.OFFICER_CONDITIONS,
            A.OFFICER_CREATE,
            A.OFFICER_LOCATE,
            A.OFFICER_LOOKUP,
            A.OFFICER_ROSTER,
            A.OFFICER_SEARCH,
            A.PROGRAMME_CLOSE,
            A.PROGRAMME_CONTACT,
            A.PROGRAMME_ENROL,
            A.REPORT_SESSION,
            A.RISK_WHAT_IF,
            A.ROUND_PLAN,
            A.ROUND_RUN,
            A.RULESET_LIST,
            A.SCREENING_PREVIEW,
            A.SESSION_BOOK,
            A.SESSION_CREATE,
            A.SESSION_READ,
            A.SESSION_SEASON,
            A.TASK_ASSIGN,
            A.TASK_CREATE,
            A.TASK_TRANSITION,
            A.TRAINING_IMPORT,
            A.UNIT_LIST,
            A.UNIT_ROUNDS,
            A.UPLOAD_READ,
            A.USER_CREATE_PORTAL,
        }
    ),
    Role.MANAGER: _EQUIPMENT
    | _WORKLIST
    | frozenset(
        {
            A.APPRAISAL_SCHEMES,
            A.COURSE_LIST,
            A.FHIR_TASK,
            A.UNIT_ANALYSIS,
            A.UNIT_APPRAISAL,
            A.UNIT_LIST,
            A.UNIT_METRICS,
            A.UNIT_SELFCARE_FIGURES,
        }
    ),
    # Read-only by machine, under /fhir only: what a medic of the same units reads.
    Role.INTEGRATOR: frozenset({A.FHIR_CLINICAL, A.FHIR_EXPORT, A.FHIR_TASK, A.UNIT_LIST}),
    Role.AUDITOR: frozenset({A.AUDIT_EXPORT, A.AUDIT_SEARCH, A.AUDIT_VERIFY, A.UNIT_LIST}),
    Role.ADMIN: _SECOND_FACTOR
    | frozenset(
        {
            A.ANALYSIS_REPORT,
            A.APPRAISAL_PUBLISH,
            A.APPRAISAL_SCHEMES,
            A.APPRAISAL_SCORE,
            A.APPROVAL_APPROVE,
            A.APPROVAL_LIST,
            A.APPROVAL_REJECT,
            A.COURSE_CREATE,
            A.COURSE_LIST,
            A.KEY_ROTATE,
            A.ML_LIST,
            A.ML_PROMOTE,
            A.ML_TRAIN,
            A.RULESET_ACTIVATE,
            A.RULESET_LIST,
            A.RULESET_UPLOAD,
            A.UNIT_CREATE,
            A.UNIT_LIST,
            A.UNIT_MANAGE,
            A.UNIT_REPORT,
            A.USER_CREATE,
            A.USER_DISABLE,
            A.USER_LIST,
            A.USER_RESET_PASSWORD,
            A.USER_SET_UNITS,
        }
    ),
    Role.SYSTEM: frozenset(Action),
    Role.ANONYMOUS: frozenset(),  # signing in needs no permission; nothing else is open
}


def allows(role: str, action: Action) -> bool:
    """Whether the table lets ``role`` perform ``action``; an unknown role may do nothing."""
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def roles_for(action: Action) -> frozenset[Role]:
    """The account roles that hold ``action`` (empty for a system-only action)."""
    return frozenset(r for r in HUMAN_ROLES if action in PERMISSIONS.get(r, frozenset()))


def human_actions() -> frozenset[Action]:
    """Every action some account may perform."""
    rows = (held for r, held in PERMISSIONS.items() if r in HUMAN_ROLES)
    return reduce(frozenset.union, rows, frozenset())


def undecided() -> list[str]:
    """What the table leaves undecided: a role without a row, an action nobody holds that is
    not system-only, a system-only action some account holds. Empty when the table is whole."""
    problems = [f"role {r} has no row" for r in Role if r not in PERMISSIONS]
    held = human_actions()
    problems += [f"action {a} is held by no role" for a in Action if a not in held | SYSTEM_ONLY]
    problems += [f"system-only action {a} is held by a role" for a in sorted(held & SYSTEM_ONLY)]
    return problems
