"""Where sealed checkup documents live and the canonical bytes that are sealed and hashed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from health.crypto import Slot


def results_slot(checkup_id: uuid.UUID) -> Slot:
    return Slot("checkup", "results", str(checkup_id))


def canonical(officer_id: uuid.UUID, exam_date: date, document: Mapping[str, Any]) -> bytes:
    """Stable bytes for a checkup version: sorted keys, so equal content hashes equal."""
    body = {"officer": str(officer_id), "date": exam_date.isoformat(), **document}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
