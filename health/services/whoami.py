"""Who am I: the caller's own account, role and units, for every signed-in role (medics had
no way to see which units they serve). Holds no health data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from health.errors import NotFound
from health.services.context import Ctx
from models.repositories import units as units_repo
from models.repositories import users as users_repo


@dataclass(frozen=True)
class UnitRef:
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class Account:
    user_id: uuid.UUID
    username: str
    role: str
    units: list[UnitRef]
    officer_id: uuid.UUID | None
    totp_enabled: bool


def whoami(ctx: Ctx) -> Account:
    """The signed-in account; the units are those assigned (each covers its subtree)."""
    user = users_repo.get(ctx.session, ctx.actor.user_id or uuid.UUID(int=0))
    if user is None:
        raise NotFound("no account behind this token", code="account_not_found")
    units = [units_repo.get(ctx.session, u) for u in users_repo.unit_ids(ctx.session, user.id)]
    refs = sorted(
        (UnitRef(u.id, u.code, u.name) for u in units if u is not None), key=lambda r: r.code
    )
    return Account(user.id, user.username, user.role, refs, user.officer_id, user.totp_enabled)
