"""Registering and finding officers; personal details sealed under each officer's own key."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy.exc import IntegrityError

from health import national_id
from health.crypto import Sealer, Slot
from health.errors import Conflict, Invalid, NotFound
from health.services import access, audit, units
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import officers as officers_repo
from models.tables import Officer, OfficerKey

SEXES = ("M", "F")


@dataclass(frozen=True)
class OfficerIn:
    unit_id: uuid.UUID
    badge_number: str
    name: str
    birth_date: date
    sex: str
    national_id: str | None = None


@dataclass(frozen=True)
class OfficerView:
    id: uuid.UUID
    unit_id: uuid.UUID
    badge_number: str
    name: str
    birth_date: date
    sex: str
    national_id: str | None


def personal_slot(officer_id: uuid.UUID) -> Slot:
    return Slot("officer", "personal", str(officer_id))


def personal_bytes(data: OfficerIn) -> bytes:
    return json.dumps(
        {
            "badge_number": data.badge_number.strip(),
            "name": data.name,
            "birth_date": data.birth_date.isoformat(),
            "sex": data.sex,
            "national_id": data.national_id,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _validate(data: OfficerIn) -> None:
    if data.sex not in SEXES:
        raise Invalid("sex must be 'M' or 'F'", code="bad_sex")
    if not data.badge_number.strip():
        raise Invalid("badge number is empty", code="bad_badge")
    if data.national_id is not None:
        trouble = national_id.problem(data.national_id)
        if trouble is national_id.NationalIdProblem.SHAPE:
            raise Invalid(national_id.REASONS[trouble], code="national_id_shape")
        if trouble is national_id.NationalIdProblem.BIRTH_DATE:
            raise Invalid(national_id.REASONS[trouble], code="national_id_birth_date")
        if trouble is national_id.NationalIdProblem.CHECK_DIGIT:
            raise Invalid(national_id.REASONS[trouble], code="national_id_check_digit")


@dataclass(frozen=True)
class NewOfficer:
    id: uuid.UUID
    unit_id: uuid.UUID
    sealer: Sealer


def sealed_rows(
    ctx: Ctx, data: OfficerIn
) -> tuple[dict[str, object], dict[str, object], NewOfficer]:
    officer_id = uuid.uuid4()
    """The officer and key rows for a new officer, sealed under a new data key."""
    key = ctx.vault.new_officer_key(officer_id)
    hasher = ctx.vault.hasher
    now = ctx.clock()
    officer = {
        "id": officer_id,
        "unit_id": data.unit_id,
        "badge_index": hasher.badge_index(data.badge_number),
        "national_id_index": hasher.national_id_index(data.national_id)
        if data.national_id
        else None,
        "personal": key.sealer.seal(personal_bytes(data), personal_slot(officer_id)),
        "created_at": now,
        "erased_at": None,
    }
    officer_key = {
        "officer_id": officer_id,
        "dek_version": key.sealer.key_version,
        "kek_version": key.kek_version,
        "wrapped_dek": key.wrapped,
        "wrapped_at": now,
    }
    return officer, officer_key, NewOfficer(officer_id, data.unit_id, key.sealer)


def register(ctx: Ctx, data: OfficerIn) -> NewOfficer:
    """Register one officer; a badge number can belong to one officer only."""
    access.require(ctx, Action.OFFICER_CREATE)
    _validate(data)
    access.require_unit(ctx, data.unit_id, action="officer.create")
    units.require(ctx, data.unit_id)
    if officers_repo.by_badge_index(ctx.session, ctx.vault.hasher.badge_index(data.badge_number)):
        raise Conflict("this badge number is already registered", code="badge_exists")
    officer, key, new = sealed_rows(ctx, data)
    try:
        with ctx.session.begin_nested():
            officers_repo.add(ctx.session, Officer(**officer), OfficerKey(**key))
    except IntegrityError:
        raise Conflict(
            "this badge or ID number is already registered", code="identifier_exists"
        ) from None
    audit.record(ctx, "officer.create", "officer", resource_id=str(new.id), officer_id=new.id)
    return new


def register_many(ctx: Ctx, items: Sequence[OfficerIn]) -> list[NewOfficer]:
    """Bulk registration for imports and the demo: one executemany, one audit event."""
    access.require(ctx, Action.OFFICER_CREATE)
    for item in items:
        _validate(item)
    for unit_id in {item.unit_id for item in items}:
        access.require_unit(ctx, unit_id, action="officer.create")
    rows = [sealed_rows(ctx, item) for item in items]
    badges = [cast(bytes, officer["badge_index"]) for officer, _, _ in rows]
    if len(set(badges)) != len(badges) or officers_repo.existing_badge_indexes(ctx.session, badges):
        raise Conflict("a badge number in this batch is already registered", code="badge_exists")
    officers_repo.add_many(ctx.session, [r[0] for r in rows], [r[1] for r in rows])
    audit.record(ctx, "officer.create_many", "officer", detail=f"count={len(rows)}")
    return [r[2] for r in rows]


def _open(ctx: Ctx, officer: Officer) -> OfficerView:
    if officer.personal is None or officer.erased_at is not None:
        raise NotFound("officer not found", code="officer_not_found")
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    data = json.loads(sealer.open(officer.personal, personal_slot(officer.id)))
    return OfficerView(
        officer.id,
        officer.unit_id,
        data["badge_number"],
        data["name"],
        date.fromisoformat(data["birth_date"]),
        data["sex"],
        data["national_id"],
    )


def get(ctx: Ctx, officer_id: uuid.UUID, *, purpose: str = "care") -> OfficerView:
    officer = access.officer_in_scope(ctx, officer_id, action="officer.read")
    view = _open(ctx, officer)
    audit.record(
        ctx,
        "officer.read",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        purpose=access.purpose_of(ctx, officer, purpose),
    )
    return view


def lookup_badge(ctx: Ctx, badge_number: str, *, purpose: str = "care") -> OfficerView:
    """Exact lookup through the blind index: the badge number itself is never stored."""
    access.require(ctx, Action.OFFICER_LOOKUP)
    officer = officers_repo.by_badge_index(ctx.session, ctx.vault.hasher.badge_index(badge_number))
    if officer is None or not access.may_see_officer(ctx, officer):
        access.deny(ctx, "officer.lookup", "officer", officer_id=officer.id if officer else None)
        raise NotFound("no officer with this badge number", code="officer_not_found")
    view = _open(ctx, officer)
    audit.record(
        ctx,
        "officer.lookup",
        "officer",
        resource_id=str(officer.id),
        officer_id=officer.id,
        purpose=access.purpose_of(ctx, officer, purpose),
    )
    return view
