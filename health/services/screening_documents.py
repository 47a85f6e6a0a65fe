"""The one accessor for stored screening results: findings and task plans per checkup.

Readers (the record, grouped findings, reports) go through here, so a change in how findings
are stored is made in one place.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from health.crypto import Sealer
from health.services.screening import screening_slot
from models.repositories import screenings as screenings_repo


@dataclass(frozen=True)
class StoredScreening:
    id: uuid.UUID
    checkup_id: uuid.UUID
    ruleset_version: str
    findings: list[dict[str, Any]]
    plans: list[dict[str, Any]]


def current_screenings(
    session: Session, officer_id: uuid.UUID, sealer: Sealer
) -> dict[uuid.UUID, StoredScreening]:
    """The current screening of each of the officer's checkups, opened (the caller audits)."""
    out: dict[uuid.UUID, StoredScreening] = {}
    for row in screenings_repo.of_officer(session, officer_id):
        if row.checkup_id in out:
            continue
        document = json.loads(sealer.open(row.document, screening_slot(row.id)))
        out[row.checkup_id] = StoredScreening(
            row.id,
            row.checkup_id,
            row.ruleset_version,
            list(document.get("findings", [])),
            list(document.get("plans", [])),
        )
    return out
