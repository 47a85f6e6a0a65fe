"""What a worklist asks for: the filters a medic's or manager's task list is drawn with.

A value object of the core, so entry points can build one without reaching into the
repository that turns it into a query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Filters:
    """Worklist filters; ``unit_paths`` limits to subtrees, ``assignee`` to one user's tasks."""

    unit_paths: tuple[str, ...] = ()
    assignee: uuid.UUID | None = None
    or_assignee: uuid.UUID | None = None
    unassigned: bool = False
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    priorities: tuple[int, ...] = ()
    overdue: bool | None = None
    due_from: datetime | None = None
    due_to: datetime | None = None
    unit_id: uuid.UUID | None = None
    officer_id: uuid.UUID | None = None
    risk_tiers: tuple[str, ...] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
