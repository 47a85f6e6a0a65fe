"""A medic's scope reaching an officer shows in that officer's access log.

Giving a medic units is giving them the records of every officer in those subtrees, so the
officers should see it, as they see reads. One event per granted unit (a handful, not one per
officer: a force-wide grant would otherwise write 100k events); the officer's access log reads
the grants on their unit and its ancestors. The event names the medic by account id only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from health.services import audit
from health.services.context import MEDIC, Ctx
from models.repositories import audit as audit_repo
from models.repositories import officers as officers_repo
from models.repositories import units as units_repo
from models.repositories import users as users_repo
from models.tables import AppUser

GRANTED: Final = "scope.granted"
_MEDIC_PREFIX: Final = "medic="


def assign(ctx: Ctx, user: AppUser, unit_ids: Sequence[uuid.UUID], *, request: str = "") -> None:
    """Set an account's units; a medic's newly reached units are audited for their officers."""
    before = set(users_repo.unit_ids(ctx.session, user.id))
    users_repo.set_units(ctx.session, user.id, unit_ids)
    if user.role != MEDIC:
        return
    added = [unit_id for unit_id in dict.fromkeys(unit_ids) if unit_id not in before]
    detail = f"{_MEDIC_PREFIX}{user.id}" + (f";request={request}" if request else "")
    audit.record_many(
        ctx,
        [audit.EventSpec(GRANTED, "unit", str(unit_id), detail=detail) for unit_id in added],
    )


@dataclass(frozen=True)
class Grant:
    occurred_at: datetime
    actor_id: str
    actor_role: str
    medic_id: str


def reaching(ctx: Ctx, officer_id: uuid.UUID, limit: int) -> list[Grant]:
    """Grants on the officer's unit or any unit above it, newest first."""
    officer = officers_repo.get(ctx.session, officer_id)
    if officer is None:
        return []
    paths = units_repo.paths(ctx.session)
    own = paths.get(officer.unit_id, "")
    above = [str(uid) for uid, path in paths.items() if own.startswith(path)]
    events = audit_repo.on_resources(ctx.session, GRANTED, "unit", above, limit)
    return [
        Grant(e.occurred_at, e.actor_id, e.actor_role, _medic_of(e.detail or "")) for e in events
    ]


def _medic_of(detail: str) -> str:
    for part in detail.split(";"):
        if part.startswith(_MEDIC_PREFIX):
            return part.removeprefix(_MEDIC_PREFIX)
    return ""
