"""Where a task's sealed values belong (associated data), shared by the one-by-one and the bulk
task writers so neither imports the other for it."""

from __future__ import annotations

import uuid

from health.crypto import Slot


def detail_slot(task_id: uuid.UUID) -> Slot:
    return Slot("task", "detail", str(task_id))


def note_slot(event_id: uuid.UUID) -> Slot:
    return Slot("task_event", "note", str(event_id))
