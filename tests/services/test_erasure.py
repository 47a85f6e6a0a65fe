"""Crypto-shredding one officer leaves everyone else, and the audit chain, intact."""

from __future__ import annotations

import pytest

from health.errors import Forbidden, NotFound
from health.services import audit, checkups, keys, officers
from health.services.context import Actor, Ctx
from models.tables import Checkup, Officer

from factories import make_checkup, make_officer, make_unit


def test_erased_officer_cannot_be_opened_others_can(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    gone = make_officer(ctx, unit=unit, badge_number="E0001")
    kept = make_officer(ctx, unit=unit, badge_number="E0002")
    gone_checkup = make_checkup(ctx, gone.id, glu=7.7)
    make_checkup(ctx, kept.id, glu=5.1)

    keys.erase_officer(ctx, gone.id)

    with pytest.raises(NotFound):
        officers.get(ctx, gone.id)
    with pytest.raises(NotFound):
        officers.lookup_badge(ctx, "E0001")
    with pytest.raises(NotFound):
        checkups.of_officer(ctx, gone.id)
    with pytest.raises(NotFound, match="no data key"):
        ctx.vault.sealer_for(ctx.session, gone.id)
    row = ctx.session.get(Officer, gone.id)
    assert row is not None and row.personal is None and row.badge_index is None
    assert ctx.session.get(Checkup, gone_checkup.id) is not None

    assert officers.get(ctx, kept.id).badge_number == "E0002"
    assert checkups.of_officer(ctx, kept.id)[0].results["glu"] == 5.1
    assert audit.verify(ctx.session, ctx.vault.hasher).ok


def test_erase_twice_is_not_found(ctx: Ctx) -> None:
    new = make_officer(ctx)
    keys.erase_officer(ctx, new.id)
    with pytest.raises(NotFound):
        keys.erase_officer(ctx, new.id)


@pytest.mark.parametrize("role", ["admin", "medic", "officer", "auditor", "unit_manager"])
def test_erasure_is_a_system_only_action(ctx: Ctx, role: str) -> None:
    """Erasure is a CLI job today; an account of any role, admins included, is refused."""
    new = make_officer(ctx)
    as_role = Ctx(ctx.session, ctx.vault, Actor(id=f"{role}-1", role=role, unit_paths=("/",)))
    with pytest.raises(Forbidden):
        keys.erase_officer(as_role, new.id)
    assert officers.get(ctx, new.id).id == new.id
