"""Lifestyle programmes: a medic enrols an officer with goals and planned contacts, records each
contact (what was discussed, the new measurement), closes the programme with an outcome, and the
next checkup is compared with the goals.

Goals, plan, notes and measurements are health data: sealed under the officer's key, readable by
the officer and the medics serving them (every opening audited). The status in clear feeds the
unit's outcome counts, which managers see only as suppressed counts.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from health.crypto import Sealer, Slot
from health.errors import Invalid, NotFound
from health.selfcare import programmes as rules
from health.services import access, audit, task_work
from health.services.context import Ctx
from health.services.sealed import open_document
from health.vocabulary import Action, Outcome, TaskMove, TaskType
from models.repositories import selfcare as selfcare_repo
from models.tables import Officer
from models.tables_selfcare import Programme, ProgrammeContact


def programme_slot(programme_id: uuid.UUID) -> Slot:
    return Slot("selfcare_programme", "document", str(programme_id))


def contact_slot(contact_id: uuid.UUID) -> Slot:
    return Slot("selfcare_programme_contact", "document", str(contact_id))


def _seal(document: dict[str, Any], slot: Slot, sealer: Sealer) -> bytes:
    return sealer.seal(json.dumps(document, ensure_ascii=False, sort_keys=True).encode(), slot)


def _open(sealed: bytes, slot: Slot, sealer: Sealer) -> dict[str, Any]:
    opened: dict[str, Any] = json.loads(sealer.open(sealed, slot))
    return opened


@dataclass(frozen=True)
class ContactView:
    id: uuid.UUID
    contact_on: date
    notes: str
    measurements: dict[str, float]


@dataclass(frozen=True)
class ProgrammeView:
    id: uuid.UUID
    officer_id: uuid.UUID
    kind: str
    status: str
    enrolled_on: date
    ended_on: date | None
    goals: list[dict[str, Any]]
    planned_contacts: list[date]
    outcome_note: str | None
    contacts: list[ContactView] = field(default_factory=list)


def _goals(doc: dict[str, Any]) -> list[rules.Goal]:
    return [rules.Goal(g["measure"], g["target"], g["direction"]) for g in doc["goals"]]


def _view(ctx: Ctx, row: Programme, sealer: Sealer, *, with_contacts: bool) -> ProgrammeView:
    doc = _open(row.document, programme_slot(row.id), sealer)
    contacts = []
    if with_contacts:
        for contact in selfcare_repo.contacts_of(ctx.session, row.id):
            opened = _open(contact.document, contact_slot(contact.id), sealer)
            contacts.append(
                ContactView(contact.id, contact.contact_on, opened["notes"], opened["measurements"])
            )
    return ProgrammeView(
        row.id,
        row.officer_id,
        doc["kind"],
        row.status,
        row.enrolled_on,
        row.ended_on,
        doc["goals"],
        [date.fromisoformat(d) for d in doc["planned_contacts"]],
        doc.get("outcome_note"),
        contacts,
    )


def _scoped(ctx: Ctx, programme_id: uuid.UUID, action: Action) -> tuple[Programme, Officer]:
    """The programme, if the caller may see its officer; else 404 exactly like a missing one."""
    access.require(ctx, action)
    row = selfcare_repo.programme(ctx.session, programme_id)
    if row is None:
        access.deny(ctx, action, "selfcare_programme", resource_id=str(programme_id))
        raise NotFound("programme not found", code="programme_not_found")
    officer = access.officer_in_scope(ctx, row.officer_id, action=action)
    return row, officer


def _audit(
    ctx: Ctx, action: str, row: Programme, officer: Officer, detail: str | None = None
) -> None:
    audit.record(
        ctx,
        action,
        "selfcare_programme",
        resource_id=str(row.id),
        officer_id=officer.id,
        purpose=access.purpose_of(ctx, officer, "care"),
        detail=detail,
    )


def _complete_lifestyle_task(ctx: Ctx, officer: Officer, task_id: uuid.UUID) -> None:
    task = task_work.task_in_scope(ctx, task_id, action="programme.enrol")
    if (
        task.officer_id != officer.id
        or task.type != TaskType.LIFESTYLE
        or task.closed_at is not None
    ):
        raise Invalid(
            "lifestyle_task_id: not an open lifestyle task of this officer",
            code="not_a_lifestyle_task",
        )
    task_work.move(
        ctx,
        task.id,
        task_work.Move(
            TaskMove.COMPLETE, outcome=Outcome.AGREED_TO_VISIT, why="enrolled in a programme"
        ),
        if_match=task.version,
    )


def enrol(
    ctx: Ctx,
    officer_id: uuid.UUID,
    *,
    kind: str,
    goals: list[dict[str, Any]],
    enrolled_on: date,
    planned_contacts: list[date],
    lifestyle_task_id: uuid.UUID | None = None,
) -> ProgrammeView:
    """Enrol an officer the medic serves; goals are validated against the programme's kind.

    Given the officer's open lifestyle task (the follow-up policy's call for intervention),
    enrolment completes it as ``agreed_to_visit``: the enrolment was what the task asked for.
    """
    access.require(ctx, Action.PROGRAMME_ENROL)
    officer = access.officer_in_scope(ctx, officer_id, action="programme.enrol")
    checked = rules.goals_for(kind, goals)
    if lifestyle_task_id is not None:
        _complete_lifestyle_task(ctx, officer, lifestyle_task_id)
    for i, day in enumerate(planned_contacts):
        rules.require_not_before(day, enrolled_on, f"planned_contacts[{i}]")
    programme_id = uuid.uuid4()
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    document = {
        "kind": kind,
        "goals": [
            {"measure": g.measure, "target": g.target, "direction": g.direction} for g in checked
        ],
        "planned_contacts": [d.isoformat() for d in sorted(planned_contacts)],
        "outcome_note": None,
    }
    row = Programme(
        id=programme_id,
        officer_id=officer.id,
        unit_id=officer.unit_id,
        status="active",
        enrolled_on=enrolled_on,
        ended_on=None,
        created_at=ctx.clock(),
        created_by=ctx.actor.id,
        document=_seal(document, programme_slot(programme_id), sealer),
    )
    selfcare_repo.add(ctx.session, row)
    _audit(ctx, "programme.enrol", row, officer)
    return _view(ctx, row, sealer, with_contacts=False)


def add_contact(
    ctx: Ctx,
    programme_id: uuid.UUID,
    *,
    contact_on: date,
    notes: str,
    measurements: dict[str, float],
) -> ContactView:
    """One contact of an active programme: what was discussed and what was measured."""
    row, officer = _scoped(ctx, programme_id, Action.PROGRAMME_CONTACT)
    rules.require_active(row.status)
    rules.require_not_before(contact_on, row.enrolled_on, "contact_on")
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    kind = _open(row.document, programme_slot(row.id), sealer)["kind"]
    checked = rules.check_measurements(kind, measurements)
    contact_id = uuid.uuid4()
    document = {"notes": notes, "measurements": checked}
    selfcare_repo.add(
        ctx.session,
        ProgrammeContact(
            id=contact_id,
            programme_id=row.id,
            contact_on=contact_on,
            created_at=ctx.clock(),
            created_by=ctx.actor.id,
            document=_seal(document, contact_slot(contact_id), sealer),
        ),
    )
    _audit(ctx, "programme.contact", row, officer, detail=f"contact={contact_id}")
    return ContactView(contact_id, contact_on, notes, checked)


def close(
    ctx: Ctx, programme_id: uuid.UUID, *, outcome: str, ended_on: date, note: str | None = None
) -> ProgrammeView:
    """End an active programme as achieved, not achieved or withdrawn."""
    row, officer = _scoped(ctx, programme_id, Action.PROGRAMME_CLOSE)
    rules.require_active(row.status)
    if outcome not in rules.OUTCOMES:
        raise Invalid(f"outcome must be one of {', '.join(rules.OUTCOMES)}", code="bad_outcome")
    rules.require_not_before(ended_on, row.enrolled_on, "ended_on")
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    document = _open(row.document, programme_slot(row.id), sealer)
    document["outcome_note"] = note
    row.status, row.ended_on = outcome, ended_on
    row.document = _seal(document, programme_slot(row.id), sealer)
    ctx.session.flush()
    _audit(ctx, "programme.close", row, officer, detail=f"outcome={outcome}")
    return _view(ctx, row, sealer, with_contacts=True)


def get(ctx: Ctx, programme_id: uuid.UUID) -> ProgrammeView:
    """A programme with its contacts: the officer's own, or one of a medic's officers."""
    row, officer = _scoped(ctx, programme_id, Action.PROGRAMME_READ)
    view = _view(ctx, row, ctx.vault.sealer_for(ctx.session, officer.id), with_contacts=True)
    _audit(ctx, "programme.read", row, officer)
    return view


def of_officer(ctx: Ctx, officer_id: uuid.UUID) -> list[ProgrammeView]:
    access.require(ctx, Action.PROGRAMME_READ)
    officer = access.officer_in_scope(ctx, officer_id, action="programme.read")
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    rows = selfcare_repo.programmes_of(ctx.session, officer.id)
    views = [_view(ctx, row, sealer, with_contacts=False) for row in rows]
    audit.record(
        ctx,
        "programme.read",
        "selfcare_programme",
        officer_id=officer.id,
        purpose=access.purpose_of(ctx, officer, "care"),
        detail=f"count={len(views)}",
    )
    return views


@dataclass(frozen=True)
class Comparison:
    """The goals against the next checkup after the programme (after enrolment while it runs),
    and against the last contact's measurement."""

    programme_id: uuid.UUID
    status: str
    checkup_id: uuid.UUID | None
    exam_date: date | None
    goals: list[rules.GoalResult]
    last_contact: list[rules.GoalResult]
    goals_met: int | None


def compare_with_checkup(ctx: Ctx, programme_id: uuid.UUID) -> Comparison:
    """How the next checkup measured against the programme's goals (None while none exists)."""
    row, officer = _scoped(ctx, programme_id, Action.PROGRAMME_COMPARE)
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    view = _view(ctx, row, sealer, with_contacts=True)
    goals = _goals({"goals": view.goals})
    after = row.ended_on or row.enrolled_on
    checkup = selfcare_repo.next_checkup(ctx.session, officer.id, after)
    last = view.contacts[-1].measurements if view.contacts else {}
    if checkup is None:
        results: list[rules.GoalResult] = []
        met = None
    else:
        values = open_document(checkup.id, checkup.results, sealer).get("results", {})
        results = rules.compare(goals, values)
        met = sum(1 for r in results if r.met)
    _audit(
        ctx,
        "programme.compare",
        row,
        officer,
        detail=f"checkup={checkup.id if checkup else None}",
    )
    return Comparison(
        row.id,
        row.status,
        checkup.id if checkup else None,
        checkup.exam_date if checkup else None,
        results,
        rules.compare(goals, last),
        met,
    )
