"""What screening and task planning both need of one checkup version, in a module of its own
so that neither imports the other for it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from health.crypto import Sealer


@dataclass(frozen=True)
class Subject:
    """One checkup version to screen, with what the rules need beside its values."""

    checkup_id: uuid.UUID
    officer_id: uuid.UUID
    unit_id: uuid.UUID
    exam_date: date
    sex: str
    age: float
    document: Mapping[str, Any]
    previous: Mapping[str, Any] | None
    previous_age: float | None
    conditions: tuple[str, ...]
    sealer: Sealer | None
    birth_date: date | None = None
