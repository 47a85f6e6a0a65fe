"""Authorization: deny by default, checked on every object in the service layer.

An object outside the caller's scope answers exactly as one that does not exist, and the
refusal is audited after the request's own transaction has been rolled back.
"""

from __future__ import annotations

import uuid

from health import permissions
from health.errors import Forbidden, NotFound
from health.services import audit
from health.services.context import INTEGRATOR, MEDIC, OFFICER, SYSTEM_ROLE, Actor, Ctx
from health.vocabulary import Action
from models.repositories import grants as grants_repo
from models.repositories import officers as officers_repo
from models.repositories import units as units_repo
from models.tables import Officer


def require(ctx: Ctx, action: Action, *, unit: uuid.UUID | None = None) -> None:
    """Refuse an action the permission table does not give the caller's role (403, audited);
    with ``unit``, also one outside the caller's units (404, as if the unit did not exist)."""
    if not permissions.allows(ctx.actor.role, action):
        deny(ctx, action, "role")
        raise Forbidden(f"the {ctx.actor.role} role may not do this", code="role_forbidden")
    if unit is not None:
        require_unit(ctx, unit, action=action)


def deny(
    ctx: Ctx,
    action: str,
    resource_type: str,
    *,
    resource_id: str | None = None,
    officer_id: uuid.UUID | None = None,
) -> None:
    """Queue an audit event for a refused access; written even though the request rolls back."""

    def write(later: Ctx) -> None:
        audit.record(
            later,
            action,
            resource_type,
            resource_id=resource_id,
            officer_id=officer_id,
            outcome="denied",
        )

    ctx.deferred.append(write)


def scope_paths(actor: Actor) -> tuple[str, ...]:
    """The scope rule, written once: the unit-path prefixes the caller reaches, the subtrees of
    the units assigned to them ("" for the system actor: every unit; none without units).
    Queries filter on these prefixes; ``path_in_scope`` applies them in memory."""
    return ("",) if actor.role == SYSTEM_ROLE else actor.unit_paths


def path_in_scope(actor: Actor, path: str) -> bool:
    """Whether a unit path lies in the caller's scope (``scope_paths``)."""
    return any(path.startswith(p) for p in scope_paths(actor))


def in_units(ctx: Ctx, unit_id: uuid.UUID) -> bool:
    """Whether a unit lies in the caller's scope (``path_in_scope``)."""
    unit = units_repo.get(ctx.session, unit_id)
    return unit is not None and path_in_scope(ctx.actor, unit.path)


def require_unit(ctx: Ctx, unit_id: uuid.UUID, *, action: str) -> None:
    if in_units(ctx, unit_id):
        return
    deny(ctx, action, "unit", resource_id=str(unit_id))
    raise NotFound("unit not found", code="unit_not_found")


def emergency_grant_active(ctx: Ctx, officer_id: uuid.UUID) -> bool:
    if ctx.actor.role != MEDIC or ctx.actor.user_id is None:
        return False
    grant = grants_repo.active(ctx.session, ctx.actor.user_id, officer_id, ctx.clock())
    return grant is not None


def may_see_officer(ctx: Ctx, officer: Officer) -> bool:
    role = ctx.actor.role
    if role == SYSTEM_ROLE:
        return True
    if role == OFFICER:
        return ctx.actor.officer_id == officer.id
    if role == MEDIC:
        return in_units(ctx, officer.unit_id) or emergency_grant_active(ctx, officer.id)
    if role == INTEGRATOR:  # its approved units only; no emergency access for a machine
        return in_units(ctx, officer.unit_id)
    return False


def officer_in_scope(ctx: Ctx, officer_id: uuid.UUID, *, action: str) -> Officer:
    """The officer, if it exists, is not erased and the caller may see their health data."""
    officer = officers_repo.get_with_key(ctx.session, officer_id)
    if officer is None or officer.erased_at is not None or not may_see_officer(ctx, officer):
        deny(
            ctx,
            action,
            "officer",
            resource_id=str(officer_id),
            officer_id=officer.id if officer else None,
        )
        raise NotFound("officer not found", code="officer_not_found")
    return officer


def purpose_of(ctx: Ctx, officer: Officer, default: str) -> str:
    """Reads under an emergency grant are labelled as such in the trail and the access log."""
    if ctx.actor.role == OFFICER:
        return "self"
    if ctx.actor.role == MEDIC and not in_units(ctx, officer.unit_id):
        return "emergency"
    return default
