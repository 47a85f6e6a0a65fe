"""The FHIR read API's use cases: the same access rules and audit as the JSON API.

Who reads what: an officer their own Patient and clinical resources; a medic (or an integrator,
read-only by client credential) the officers of their units; unit managers Organization and
Task only (type, status, due: what their worklist shows, never values); auditors AuditEvent
(in ``api``) and Organization. An object outside the caller's scope answers exactly as one that
does not exist, and each officer whose data is returned gets one audit event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from health.errors import Invalid, NotFound
from health.ingest.fhir_codes import BADGE_SYSTEM, OFFICER_SYSTEM, UNIT_SYSTEM
from health.services import access, audit, record
from health.services import fhir_resources as build
from health.services.audit import EventSpec
from health.services.context import OFFICER, SYSTEM_ROLE, Ctx
from health.services.fhir_clinical import clinical_resources
from health.services.fhir_search import Token
from health.services.officer_directory import open_personal
from health.vocabulary import Action
from models.repositories import checkups as checkups_repo
from models.repositories import officer_roster as roster_repo
from models.repositories import officers as officers_repo
from models.repositories import units as units_repo
from models.tables import Officer, OfficerKey, Unit


@dataclass(frozen=True)
class Found:
    """One page of matches, how many there are in all, and the resources they include."""

    resources: list[dict[str, Any]]
    total: int
    included: list[dict[str, Any]] = field(default_factory=list)


def _not_found(resource_type: str) -> NotFound:
    return NotFound(f"{resource_type} not found", code="not_found")


def person(ctx: Ctx, officer: Officer, key: OfficerKey) -> build.Person:
    """An officer's opened personal details for a Patient (the caller checked scope, audits)."""
    data = open_personal(ctx, officer, key)
    return build.Person(
        id=officer.id,
        unit_id=officer.unit_id,
        badge_number=str(data["badge_number"]),
        name=str(data["name"]),
        sex=str(data["sex"]),
        birth_date=date.fromisoformat(str(data["birth_date"])),
        national_id=data.get("national_id"),
        created_at=officer.created_at,
    )


def _audit_officers(ctx: Ctx, action: str, officers: Sequence[Officer], detail: str) -> None:
    audit.record_many(
        ctx,
        [
            EventSpec(
                action,
                "officer",
                str(o.id),
                o.id,
                purpose=access.purpose_of(ctx, o, "care"),
                detail=detail,
            )
            for o in officers
        ],
    )


def patient(ctx: Ctx, officer_id: uuid.UUID) -> dict[str, Any]:
    access.require(ctx, Action.FHIR_CLINICAL)
    try:
        officer = access.officer_in_scope(ctx, officer_id, action="fhir.read")
    except NotFound as exc:
        raise _not_found("Patient") from exc
    key = officers_repo.key_of(ctx.session, officer.id)
    if key is None:
        raise _not_found("Patient")
    resource = build.validated(build.patient(person(ctx, officer, key)))
    _audit_officers(ctx, "fhir.read", [officer], "type=Patient")
    return resource


def patients(ctx: Ctx, identifiers: list[Token], count: int, offset: int) -> Found:
    """By identifier (badge through the blind index, or our officer id), else everyone in
    scope a page at a time (an officer: themself)."""
    access.require(ctx, Action.FHIR_CLINICAL)
    if identifiers:
        candidates = [o for o in (_by_identifier(ctx, t) for t in identifiers) if o is not None]
        seen = {o.id: o for o in candidates if _visible(ctx, o)}
        rows = roster_repo.with_keys(ctx.session, list(seen))
        ordered = [rows[i] for i in seen if i in rows]
        total, page = len(ordered), ordered[offset : offset + count]
    elif ctx.actor.role == OFFICER:
        own = roster_repo.with_keys(
            ctx.session, [ctx.actor.officer_id] if ctx.actor.officer_id else []
        )
        ordered = [row for row in own.values() if row[0].erased_at is None]
        total, page = len(ordered), ordered[offset : offset + count]
    else:
        paths = ("",) if ctx.actor.role == SYSTEM_ROLE else ctx.actor.unit_paths
        total = roster_repo.count_in_subtrees(ctx.session, paths)
        page = list(roster_repo.page_in_subtrees(ctx.session, paths, offset, count))
    resources = [build.validated(build.patient(person(ctx, o, k))) for o, k, _ in page]
    _audit_officers(ctx, "fhir.search", [o for o, _, _ in page], "type=Patient")
    return Found(resources, total)


def _visible(ctx: Ctx, officer: Officer) -> bool:
    if officer.erased_at is not None or not access.may_see_officer(ctx, officer):
        access.deny(ctx, "fhir.search", "officer", officer_id=officer.id)
        return False
    return True


def _by_identifier(ctx: Ctx, token: Token) -> Officer | None:
    value = token.code
    if value is None:
        raise Invalid("identifier needs a value", code="fhir_bad_search")
    if token.any_system or token.system == BADGE_SYSTEM:
        found = officers_repo.by_badge_index(ctx.session, ctx.vault.hasher.badge_index(value))
        if found is not None or token.system == BADGE_SYSTEM:
            return found
    if token.any_system or token.system == OFFICER_SYSTEM:
        try:
            return officers_repo.get(ctx.session, uuid.UUID(value))
        except ValueError:
            return None
    return None


def _organization(unit: Unit) -> dict[str, Any]:
    return build.validated(
        build.organization(
            unit.id, unit.code, unit.name, unit.kind, unit.parent_id, unit.created_at
        )
    )


def organization(ctx: Ctx, unit_id: uuid.UUID) -> dict[str, Any]:
    """The unit tree holds no personal data: every staff role may read it (as ``/units``)."""
    access.require(ctx, Action.UNIT_LIST)
    unit = units_repo.get(ctx.session, unit_id)
    if unit is None:
        raise _not_found("Organization")
    return _organization(unit)


def organizations(ctx: Ctx, identifiers: list[Token], count: int, offset: int) -> Found:
    access.require(ctx, Action.UNIT_LIST)
    units = sorted(units_repo.list_all(ctx.session), key=lambda u: u.path)
    if identifiers:
        units = [
            u
            for u in units
            if any(
                t.matches([{"system": UNIT_SYSTEM, "code": u.code}]) and t.code is not None
                for t in identifiers
            )
        ]
    return Found([_organization(u) for u in units[offset : offset + count]], len(units))


def officer_clinical(
    ctx: Ctx, officer_id: uuid.UUID, resource_type: str, action: str
) -> list[dict[str, Any]]:
    """All resources of one type about one officer, the read audited once with the count."""
    access.require(ctx, Action.FHIR_CLINICAL)
    try:
        opened, purpose = record.open_officer(ctx, officer_id, action)
    except NotFound as exc:
        raise _not_found(resource_type) from exc
    resources = clinical_resources(ctx, [opened], (resource_type,))
    audit.record(
        ctx,
        action,
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        purpose=purpose,
        detail=f"type={resource_type};count={len(resources)}",
    )
    return resources


def clinical(ctx: Ctx, resource_type: str, resource_id: str) -> dict[str, Any]:
    """One clinical resource by id: its checkup (the id's first part) names the officer."""
    access.require(ctx, Action.FHIR_CLINICAL)
    try:
        checkup_id = uuid.UUID(resource_id[:36])
    except ValueError as exc:
        raise _not_found(resource_type) from exc
    checkup = checkups_repo.get(ctx.session, checkup_id)
    if checkup is None:
        raise _not_found(resource_type)
    for resource in officer_clinical(ctx, checkup.officer_id, resource_type, "fhir.read"):
        if resource["id"] == resource_id:
            return resource
    raise _not_found(resource_type)
