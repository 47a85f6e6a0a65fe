"""Programmes answer the follow-up policy's lifestyle task: enrolment completes it; goals and
notes are sealed; an ended programme takes no more contacts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from health.errors import Conflict, Invalid
from health.services import selfcare_programmes
from health.services.context import MEDIC, Actor, Ctx
from models.tables import Task
from models.tables_selfcare import Programme, ProgrammeContact

from factories import make_checkup, make_officer, make_unit


def _medic(ctx: Ctx, path: str) -> Ctx:
    return Ctx(ctx.session, ctx.vault, Actor(id="medic-1", role=MEDIC, unit_paths=(path,)))


def test_enrolment_completes_the_open_lifestyle_task_as_agreed(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    officer = make_officer(ctx, unit=unit)
    make_checkup(ctx, officer.id, height=170, weight=92, waist=104)
    lifestyle = ctx.session.scalars(
        select(Task).where(Task.officer_id == officer.id, Task.type == "lifestyle")
    ).first()
    assert lifestyle is not None, "a BMI over 28 calls for a lifestyle programme"
    medic = _medic(ctx, unit.path)
    selfcare_programmes.enrol(
        medic,
        officer.id,
        kind="weight",
        goals=[{"measure": "weight", "target": 85.0, "direction": "at_most"}],
        enrolled_on=date(2026, 3, 20),
        planned_contacts=[date(2026, 4, 20)],
        lifestyle_task_id=lifestyle.id,
    )
    ctx.session.refresh(lifestyle)
    assert (lifestyle.status, lifestyle.outcome) == ("completed", "agreed_to_visit")
    with pytest.raises(Invalid):
        selfcare_programmes.enrol(
            medic,
            officer.id,
            kind="weight",
            goals=[{"measure": "weight", "target": 85.0}],
            enrolled_on=date(2026, 3, 21),
            planned_contacts=[],
            lifestyle_task_id=lifestyle.id,
        )


def test_goals_and_notes_are_sealed_and_an_ended_programme_takes_no_contact(ctx: Ctx) -> None:
    unit = make_unit(ctx)
    officer = make_officer(ctx, unit=unit)
    medic = _medic(ctx, unit.path)
    view = selfcare_programmes.enrol(
        medic,
        officer.id,
        kind="smoking",
        goals=[{"measure": "cigarettes_per_day", "target": 0.0}],
        enrolled_on=date(2026, 3, 20),
        planned_contacts=[],
    )
    selfcare_programmes.add_contact(
        medic,
        view.id,
        contact_on=date(2026, 4, 2),
        notes="craving after night shifts; nicotine patch agreed",
        measurements={"cigarettes_per_day": 6},
    )
    with pytest.raises(Invalid):
        selfcare_programmes.add_contact(
            medic, view.id, contact_on=date(2026, 3, 1), notes="", measurements={}
        )
    selfcare_programmes.close(medic, view.id, outcome="withdrawn", ended_on=date(2026, 5, 1))
    with pytest.raises(Conflict):
        selfcare_programmes.add_contact(
            medic, view.id, contact_on=date(2026, 5, 2), notes="", measurements={}
        )
    row = ctx.session.get(Programme, view.id)
    assert row is not None and b"cigarettes" not in row.document and b"smoking" not in row.document
    contact = ctx.session.scalars(
        select(ProgrammeContact).where(ProgrammeContact.programme_id == view.id)
    ).one()
    assert b"nicotine" not in contact.document
    again = selfcare_programmes.get(medic, view.id)
    assert again.contacts[0].notes.startswith("craving") and again.status == "withdrawn"
