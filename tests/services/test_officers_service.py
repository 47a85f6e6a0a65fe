"""Registering, reading and finding officers through the blind index."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import event, select

from health.errors import Conflict, NotFound
from health.services import checkups, officers
from health.services.context import MEDIC, OFFICER, Actor, Ctx
from health.vocabulary import Role
from models.tables import AuditEvent, Officer

from factories import make_checkup, make_officer, make_unit, officer_in


def test_register_then_read_opens_personal_details(ctx: Ctx) -> None:
    new = make_officer(
        ctx, name="张伟", birth_date=date(1979, 1, 31), sex="F", national_id="110101197901310022"
    )
    view = officers.get(ctx, new.id)
    assert (view.name, view.birth_date, view.sex) == ("张伟", date(1979, 1, 31), "F")
    assert view.national_id == "110101197901310022"


def test_lookup_by_badge_ignores_case_and_spaces(ctx: Ctx) -> None:
    new = make_officer(ctx, badge_number="sh 004521")
    assert officers.lookup_badge(ctx, "SH004521").id == new.id


def test_lookup_unknown_badge_is_not_found_without_echo(ctx: Ctx) -> None:
    with pytest.raises(NotFound) as info:
        officers.lookup_badge(ctx, "ZZ999999")
    assert "ZZ999999" not in info.value.detail


def test_register_same_badge_twice_conflicts(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    make_officer(ctx, unit=unit, badge_number="C100200")
    with pytest.raises(Conflict):
        make_officer(ctx, unit=unit, badge_number="c100200")


def test_register_many_rejects_duplicate_in_batch(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    batch = [officer_in(unit.id, badge_number="D1"), officer_in(unit.id, badge_number="D1")]
    with pytest.raises(Conflict):
        officers.register_many(ctx, batch)


def test_register_in_unknown_unit_is_not_found(ctx: Ctx) -> None:
    with pytest.raises(NotFound):
        officers.register(ctx, officer_in(uuid.uuid4()))


def test_personal_column_holds_no_plaintext(ctx: Ctx) -> None:
    new = make_officer(ctx, name="Distinctive Name", badge_number="Q777001")
    row = ctx.session.get(Officer, new.id)
    assert row is not None and row.personal is not None
    assert b"Distinctive" not in row.personal and b"Q777001" not in row.personal


def test_every_read_writes_an_audit_event(ctx: Ctx) -> None:
    new = make_officer(ctx)
    make_checkup(ctx, new.id)
    officers.get(ctx, new.id)
    checkups.of_officer(ctx, new.id)
    actions = ctx.session.scalars(
        select(AuditEvent.action).where(AuditEvent.officer_id == new.id).order_by(AuditEvent.seq)
    ).all()
    # The default checkup's high-normal blood pressure plans a lifestyle task (audited too).
    assert actions == [
        "officer.create",
        "checkup.create",
        "task.create",
        "officer.read",
        "checkup.read",
    ]


def test_same_checkup_twice_is_stored_once(ctx: Ctx) -> None:
    new = make_officer(ctx)
    first = make_checkup(ctx, new.id, glu=6.2)
    again = make_checkup(ctx, new.id, glu=6.2)
    assert not first.duplicate and again.duplicate and again.id == first.id
    assert [c.results["glu"] for c in checkups.of_officer(ctx, new.id)] == [6.2]


def _statements_during(ctx: Ctx, work: Callable[[], object]) -> list[str]:
    seen: list[str] = []
    engine = ctx.session.get_bind()

    def listener(_c: object, _k: object, statement: str, *_: object) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


@pytest.mark.parametrize("role", [MEDIC, OFFICER])
def test_reading_an_officer_in_scope_takes_one_select_and_the_audit_insert(
    ctx: Ctx, role: Role
) -> None:
    unit = make_unit(ctx)
    new = make_officer(ctx, unit=unit)
    ctx.session.flush()
    ctx.session.expunge_all()  # nothing of the officer, key or unit remembered
    reader = Actor(
        id=f"{role}-reader",
        role=role,
        user_id=uuid.uuid4() if role == MEDIC else None,
        officer_id=new.id if role == OFFICER else None,
        unit_paths=(unit.path,) if role == MEDIC else (),
    )
    as_reader = replace(ctx, actor=reader)
    views: list[officers.OfficerView] = []
    statements = _statements_during(
        as_reader, lambda: views.append(officers.get(as_reader, new.id))
    )
    assert views[0].id == new.id
    assert statements.count("SELECT") == 1, statements
    assert statements.count("INSERT") == 1, statements
