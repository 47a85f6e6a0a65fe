"""Checkups one at a time (the JSON path) and reading them back, opened and audited."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from health.errors import Invalid, NotFound
from health.ingest import IngestResult, ReasonCode, RowError, read_wide
from health.services import access, audit, intake
from health.services.context import Ctx
from health.services.sealed import open_document
from health.vocabulary import Action
from models.repositories import checkups as checkups_repo

JsonValue = float | int | str | list[str] | Mapping[str, Any]


class InvalidCheckup(Invalid):
    """The payload has values the catalog refuses; ``errors`` say which and why."""

    code = "invalid_checkup"

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the checkup; see errors")
        self.errors = errors


@dataclass(frozen=True)
class Stored:
    id: uuid.UUID
    duplicate: bool
    corrected: bool = False


@dataclass(frozen=True)
class CheckupView:
    id: uuid.UUID
    exam_date: date
    version: int
    status: str
    results: dict[str, Any]
    findings: dict[str, Any]
    remarks: dict[str, str]


def _column(code: str, value: JsonValue) -> tuple[str, object]:
    """``{"value": 110, "unit": "mg/dL"}`` becomes the header ``glu (mg/dL)`` as in a sheet."""
    if isinstance(value, Mapping):
        unit = value.get("unit")
        return (f"{code} ({unit})" if unit else code), value.get("value")
    if isinstance(value, list):
        return code, ";".join(str(v) for v in value)
    return code, value


def draft_from_json(
    exam_date: date,
    results: Mapping[str, JsonValue],
    *,
    officer_id: uuid.UUID | None = None,
    badge_number: str | None = None,
) -> IngestResult:
    """A JSON checkup read as a one-row sheet, so units and limits are checked identically."""
    row: dict[str, object] = dict(_column(code, value) for code, value in results.items())
    row["exam_date"] = exam_date.isoformat()
    if badge_number is not None:
        row["badge_number"] = badge_number
    else:
        # The reader needs an officer reference; a preview without one gets the nil UUID.
        row["officer_id"] = str(officer_id or uuid.UUID(int=0))
    read = read_wide(pd.DataFrame([row]))
    if read.errors:
        raise InvalidCheckup(list(read.errors))
    return read


def submit(
    ctx: Ctx,
    officer_id: uuid.UUID | None,
    exam_date: date,
    results: Mapping[str, JsonValue],
    *,
    badge_number: str | None = None,
) -> Stored:
    """Store one checkup through the same reader, checks and sealing as a spreadsheet row."""
    access.require(ctx, Action.CHECKUP_CREATE)
    read = draft_from_json(exam_date, results, officer_id=officer_id, badge_number=badge_number)
    resolution = intake.resolve(ctx, read.drafts)
    if resolution.errors:
        access.deny(
            ctx, "checkup.create", "officer", resource_id=str(officer_id) if officer_id else None
        )
        if resolution.errors[0].reason_code == ReasonCode.MISSING_OFFICER:
            raise NotFound("officer not found", code="officer_not_found")
        raise InvalidCheckup(resolution.errors)
    stored = intake.store(ctx, resolution.items, resolution.sealers, upload_id=None)
    outcome = stored.outcome[0]
    return Stored(
        stored.checkup_ids[0], duplicate=outcome == "duplicate", corrected=outcome == "corrected"
    )


def of_officer(
    ctx: Ctx, officer_id: uuid.UUID, *, include_superseded: bool = False
) -> list[CheckupView]:
    """Open the checkups of one officer (current versions unless asked); one audit event."""
    officer = access.officer_in_scope(ctx, officer_id, action="checkup.read")
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    views = []
    for row in checkups_repo.of_officer(ctx.session, officer_id):
        if row.status != "current" and not include_superseded:
            continue
        document = open_document(row.id, row.results, sealer)
        views.append(
            CheckupView(
                row.id,
                row.exam_date,
                row.version,
                row.status,
                document.get("results", {}),
                document.get("findings", {}),
                document.get("remarks", {}),
            )
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
