"""Where sealed checkup documents live and the canonical bytes that are sealed and hashed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from health.crypto import Sealer, Slot


def results_slot(checkup_id: uuid.UUID) -> Slot:
    return Slot("checkup", "results", str(checkup_id))


def canonical(officer_id: uuid.UUID, exam_date: date, document: Mapping[str, Any]) -> bytes:
    """Stable bytes for a checkup version: sorted keys, so equal content hashes equal."""
    body = {"officer": str(officer_id), "date": exam_date.isoformat(), **document}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


DOCUMENT_PARTS = ("results", "remarks", "findings")


def open_document(checkup_id: uuid.UUID, sealed: bytes, sealer: Sealer) -> dict[str, Any]:
    """A stored checkup's values, remarks and coded findings (without the officer/date keys
    that ``canonical`` adds for hashing)."""
    opened = json.loads(sealer.open(sealed, results_slot(checkup_id)))
    return {k: v for k, v in opened.items() if k in DOCUMENT_PARTS}
