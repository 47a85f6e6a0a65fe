"""Typed builders: each test states the data it depends on and defaults the rest."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from health.crypto.passwords import FAST_INSECURE, Passwords
from health.crypto.tokens import TokenSigner, signing_key
from health.services import checkups, officers, tasks, units
from health.services.accounts import AuthPolicy
from health.services.context import Ctx
from health.services.vault import Vault
from models.tables import Task, Unit

_counter = itertools.count(1)


def make_unit(ctx: Ctx, *, parent: Unit | None = None, **overrides: Any) -> Unit:
    n = next(_counter)
    fields: dict[str, Any] = {
        "code": f"U{n}-{uuid.uuid4().hex[:6]}",
        "name": f"Unit {n}",
        "kind": "station" if parent else "force",
    }
    fields.update(overrides)
    return units.create(ctx, parent_id=parent.id if parent else None, **fields)


def officer_in(unit_id: uuid.UUID, **overrides: Any) -> officers.OfficerIn:
    n = next(_counter)
    base = officers.OfficerIn(
        unit_id=unit_id,
        badge_number=f"B{n:06d}{uuid.uuid4().hex[:4]}",
        name=f"Officer {n}",
        birth_date=date(1985, 5, 17),
        sex="M",
    )
    return replace(base, **overrides)


def make_officer(ctx: Ctx, *, unit: Unit | None = None, **overrides: Any) -> officers.NewOfficer:
    unit = unit or make_unit(ctx)
    return officers.register(ctx, officer_in(unit.id, **overrides))


def tasks_of_family(ctx: Ctx, family: str) -> list[Task]:
    """Tasks about one analyte family: the family is sealed, so each detail is opened."""
    found = ctx.session.scalars(select(Task).order_by(Task.created_at, Task.type)).all()
    return [
        t
        for t in found
        if tasks.open_detail(t, ctx.vault.sealer_for(ctx.session, t.officer_id)).get("family")
        == family
    ]


def make_checkup(
    ctx: Ctx, officer_id: uuid.UUID, *, exam_date: date = date(2026, 3, 2), **results: Any
) -> checkups.Stored:
    values: dict[str, Any] = {"sbp": 128, "dbp": 82, "glu": 5.3}
    values.update(results)
    return checkups.submit(ctx, officer_id, exam_date, values)


def as_attacker(session: Session) -> None:
    """A database superuser can switch the append-only trigger off; the chain must still tell."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))


def fast_policy(vault: Vault) -> AuthPolicy:
    """The real authentication policy with cheap password hashing, for tests only."""
    return AuthPolicy(
        passwords=Passwords(FAST_INSECURE),
        signer=TokenSigner(signing_key(vault.keyring.index_key), timedelta(minutes=15)),
        idle=timedelta(minutes=30),
        max_age=timedelta(hours=12),
        lockout_threshold=5,
        lockout=timedelta(minutes=15),
    )
