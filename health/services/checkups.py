"""Storing and reading checkups: one sealed document per checkup version, idempotent by content."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from health.crypto import Sealer, Slot
from health.errors import NotFound
from health.services import access, audit
from health.services.context import MEDIC, Ctx
from models.repositories import checkups as checkups_repo
from models.repositories import officers as officers_repo
from models.tables import Checkup


def results_slot(checkup_id: uuid.UUID) -> Slot:
    return Slot("checkup", "results", str(checkup_id))


def canonical(officer_id: uuid.UUID, exam_date: date, results: Mapping[str, Any]) -> bytes:
    return json.dumps(
        {"officer": str(officer_id), "date": exam_date.isoformat(), "results": results},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


@dataclass(frozen=True)
class Stored:
    id: uuid.UUID
    duplicate: bool


@dataclass(frozen=True)
class CheckupView:
    id: uuid.UUID
    exam_date: date
    version: int
    status: str
    results: dict[str, Any]


@dataclass(frozen=True)
class CheckupIn:
    officer_id: uuid.UUID
    unit_id: uuid.UUID
    exam_date: date
    results: Mapping[str, Any]
    sealer: Sealer


def row_for(ctx: Ctx, item: CheckupIn) -> dict[str, Any]:
    """A sealed checkup row ready for insertion (shared by the JSON and bulk paths)."""
    checkup_id = uuid.uuid4()
    document = canonical(item.officer_id, item.exam_date, item.results)
    return {
        "id": checkup_id,
        "officer_id": item.officer_id,
        "unit_id": item.unit_id,
        "exam_date": item.exam_date,
        "version": 1,
        "status": "current",
        "supersedes_id": None,
        "content_hash": ctx.vault.hasher.content_hash(document),
        "results": item.sealer.seal(document, results_slot(checkup_id)),
        "created_at": ctx.clock(),
        "created_by": ctx.actor.id,
    }


def submit(ctx: Ctx, officer_id: uuid.UUID, exam_date: date, results: Mapping[str, Any]) -> Stored:
    """Store one checkup; the same content for the same officer is recognised, not doubled."""
    access.require_role(ctx, MEDIC, action="checkup.create")
    officer = officers_repo.get(ctx.session, officer_id)
    if (
        officer is None
        or officer.erased_at is not None
        or not (ctx.actor.role != MEDIC or access.in_units(ctx, officer.unit_id))
    ):
        access.deny(
            ctx,
            "checkup.create",
            "officer",
            resource_id=str(officer_id),
            officer_id=officer.id if officer else None,
        )
        raise NotFound("officer not found", code="officer_not_found")
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    row = row_for(ctx, CheckupIn(officer_id, officer.unit_id, exam_date, results, sealer))
    existing = checkups_repo.by_content(ctx.session, officer_id, row["content_hash"])
    if existing is not None:
        audit.record(
            ctx,
            "checkup.create",
            "checkup",
            resource_id=str(existing.id),
            officer_id=officer_id,
            outcome="duplicate",
        )
        return Stored(existing.id, duplicate=True)
    checkups_repo.add(ctx.session, Checkup(**row))
    audit.record(
        ctx, "checkup.create", "checkup", resource_id=str(row["id"]), officer_id=officer_id
    )
    return Stored(row["id"], duplicate=False)


def store_many(ctx: Ctx, items: Sequence[CheckupIn]) -> int:
    """Bulk path for imports and the demo: seal, then one executemany and one audit event.

    The caller has already resolved every officer within its scope (the import service does).
    """
    access.require_role(ctx, MEDIC, action="checkup.create")
    rows = [row_for(ctx, item) for item in items]
    checkups_repo.add_many(ctx.session, rows)
    audit.record(ctx, "checkup.create_many", "checkup", detail=f"count={len(rows)}")
    return len(rows)


def of_officer(ctx: Ctx, officer_id: uuid.UUID) -> list[CheckupView]:
    """Open every checkup of one officer; one audit event for the read."""
    officer = access.officer_in_scope(ctx, officer_id, action="checkup.read")
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    views = []
    for row in checkups_repo.of_officer(ctx.session, officer_id):
        document = json.loads(sealer.open(row.results, results_slot(row.id)))
        views.append(
            CheckupView(row.id, row.exam_date, row.version, row.status, document["results"])
        )
    audit.record(
        ctx,
        "checkup.read",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=f"count={len(views)}",
        purpose=access.purpose_of(ctx, officer, "care"),
    )
    return views
