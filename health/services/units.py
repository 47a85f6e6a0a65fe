"""Use cases on the unit tree (force → bureau → station)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from health.errors import Conflict, Invalid, NotFound
from health.services import access, audit
from health.services.context import Ctx
from health.vocabulary import Action
from models.repositories import units as units_repo
from models.tables import Unit

KINDS = ("force", "bureau", "station")


def create(ctx: Ctx, *, code: str, name: str, kind: str, parent_id: uuid.UUID | None) -> Unit:
    access.require(ctx, Action.UNIT_CREATE)
    if kind not in KINDS:
        raise Invalid(f"unit kind must be one of {', '.join(KINDS)}", code="bad_unit_kind")
    if units_repo.by_code(ctx.session, code) is not None:
        raise Conflict(f"unit code {code!r} already exists", code="unit_exists")
    unit_id = uuid.uuid4()
    if parent_id is None:
        path = f"/{unit_id}/"
    else:
        parent = units_repo.get(ctx.session, parent_id)
        if parent is None:
            raise NotFound("parent unit not found", code="unit_not_found")
        path = f"{parent.path}{unit_id}/"
    unit = units_repo.add(
        ctx.session,
        Unit(
            id=unit_id,
            parent_id=parent_id,
            kind=kind,
            code=code,
            name=name,
            path=path,
            created_at=ctx.clock(),
        ),
    )
    audit.record(ctx, "unit.create", "unit", resource_id=str(unit.id))
    return unit


def list_units(ctx: Ctx) -> Sequence[Unit]:
    """The unit tree holds no personal data; every staff role may see it."""
    access.require(ctx, Action.UNIT_LIST)
    return units_repo.list_all(ctx.session)


def require(ctx: Ctx, unit_id: uuid.UUID) -> Unit:
    unit = units_repo.get(ctx.session, unit_id)
    if unit is None:
        raise NotFound("unit not found", code="unit_not_found")
    return unit


def by_code(ctx: Ctx, code: str) -> Unit:
    """A unit by its code, for entry points that name units the way people do."""
    access.require(ctx, Action.UNIT_LIST)
    found = units_repo.by_code(ctx.session, code)
    if found is None:
        raise NotFound(f"no unit with code {code!r}", code="unit_not_found")
    return found
