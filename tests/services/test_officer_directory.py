"""Officer list and search for medics: badge exact through the blind index, name matched in
memory within the medic's units, unit subtree; out of scope is invisible; the locator for
break-the-glass reveals only that an officer exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from health.errors import Forbidden, Invalid, NotFound
from health.services import officer_directory, portal_accounts
from health.services.context import MANAGER, MEDIC, Actor, Ctx
from models.tables import AppUser, AuditEvent, Unit

from factories import fast_policy, make_officer, make_unit


def _medic(ctx: Ctx, *units: Unit) -> Ctx:
    actor = Actor(id="medic-d", role=MEDIC, unit_paths=tuple(u.path for u in units))
    return Ctx(ctx.session, ctx.vault, actor)


@pytest.fixture
def force(ctx: Ctx) -> dict[str, Unit]:
    top = make_unit(ctx)
    a = make_unit(ctx, parent=top)
    a1 = make_unit(ctx, parent=a)
    b = make_unit(ctx, parent=top)
    make_officer(ctx, unit=a, badge_number="SD0001", name="张伟")
    make_officer(ctx, unit=a1, badge_number="SD0002", name="张 伟")
    make_officer(ctx, unit=a1, badge_number="SD0003", name="Li Na")
    make_officer(ctx, unit=b, badge_number="SD0004", name="张三")
    return {"top": top, "a": a, "a1": a1, "b": b}


def test_badge_search_is_exact_and_ignores_case_and_spaces(
    ctx: Ctx, force: dict[str, Unit]
) -> None:
    page = officer_directory.search(_medic(ctx, force["a"]), badge_number="sd 0003")
    assert [(o.badge_number, o.name, o.unit_code) for o in page.items] == [
        ("SD0003", "Li Na", force["a1"].code)
    ]
    assert officer_directory.search(_medic(ctx, force["a"]), badge_number="SD000").total == 0


def test_name_search_matches_part_of_a_name_in_scope_only(ctx: Ctx, force: dict[str, Unit]) -> None:
    page = officer_directory.search(_medic(ctx, force["a"]), name="张伟")
    assert sorted(o.badge_number for o in page.items) == ["SD0001", "SD0002"]
    page = officer_directory.search(_medic(ctx, force["a"]), name="张")
    assert "SD0004" not in {o.badge_number for o in page.items}  # Bureau B is not theirs
    assert officer_directory.search(_medic(ctx, force["a"]), name="li na").total == 1


def test_badge_of_an_officer_out_of_scope_finds_nothing(ctx: Ctx, force: dict[str, Unit]) -> None:
    assert officer_directory.search(_medic(ctx, force["a"]), badge_number="SD0004").total == 0


def test_unit_filter_lists_the_subtree_paginated(ctx: Ctx, force: dict[str, Unit]) -> None:
    medic = _medic(ctx, force["a"])
    everyone = officer_directory.search(medic, unit_id=force["a"].id, page_size=2)
    assert (everyone.total, len(everyone.items)) == (3, 2)
    rest = officer_directory.search(medic, unit_id=force["a"].id, page=2, page_size=2)
    assert len(rest.items) == 1
    ids = {o.id for o in everyone.items} | {o.id for o in rest.items}
    assert len(ids) == 3
    station = officer_directory.search(medic, unit_id=force["a1"].id)
    assert sorted(o.badge_number for o in station.items) == ["SD0002", "SD0003"]


def test_unit_outside_scope_answers_as_not_found(ctx: Ctx, force: dict[str, Unit]) -> None:
    with pytest.raises(NotFound):
        officer_directory.search(_medic(ctx, force["a"]), unit_id=force["b"].id)


def test_page_size_is_bounded(ctx: Ctx, force: dict[str, Unit]) -> None:
    with pytest.raises(Invalid):
        officer_directory.search(_medic(ctx, force["a"]), page_size=201)


def test_every_listed_officer_is_audited(ctx: Ctx, force: dict[str, Unit]) -> None:
    page = officer_directory.search(_medic(ctx, force["a"]), name="张")
    listed = set(
        ctx.session.scalars(
            select(AuditEvent.officer_id).where(
                AuditEvent.action == "officer.list", AuditEvent.actor_id == "medic-d"
            )
        )
    )
    assert listed == {o.id for o in page.items}


def test_search_is_for_medics_only(ctx: Ctx, force: dict[str, Unit]) -> None:
    manager = Ctx(
        ctx.session, ctx.vault, Actor(id="m", role=MANAGER, unit_paths=(force["a"].path,))
    )
    with pytest.raises(Forbidden):
        officer_directory.search(manager, name="张")


def test_locate_tells_only_that_an_officer_exists(ctx: Ctx, force: dict[str, Unit]) -> None:
    located = officer_directory.locate(_medic(ctx, force["a"]), "SD0004")
    assert located.in_scope is False
    assert set(vars(located)) == {"officer_id", "in_scope"}
    event = ctx.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.officer_id == located.officer_id)
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert event is not None
    assert (event.action, event.purpose) == ("officer.locate", "emergency")
    with pytest.raises(NotFound):
        officer_directory.locate(_medic(ctx, force["a"]), "NOPE999")


def test_portal_accounts_for_a_unit_once_each(ctx: Ctx, force: dict[str, Unit]) -> None:
    medic = _medic(ctx, force["a"])
    policy = fast_policy(ctx.vault)
    made = portal_accounts.create_for_unit(medic, policy, force["a"].id)
    assert sorted(a.badge_number for a in made) == ["SD0001", "SD0002", "SD0003"]
    assert len({a.username for a in made}) == 3
    assert all(a.username.startswith("p-") and "SD" not in a.username for a in made)
    user = ctx.session.scalars(select(AppUser).where(AppUser.username == made[0].username)).one()
    assert (user.role, user.officer_id) == ("officer", made[0].officer_id)
    assert policy.passwords.verify(user.password_hash, made[0].password)
    make_officer(ctx, unit=force["a1"], badge_number="SD0005")
    again = portal_accounts.create_for_unit(medic, policy, force["a"].id)
    assert [a.badge_number for a in again] == ["SD0005"]
    with pytest.raises(NotFound):
        portal_accounts.create_for_unit(medic, policy, force["b"].id)
