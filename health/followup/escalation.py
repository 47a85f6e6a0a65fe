"""The escalation ladder: which notices about overdue tasks are due at ``now``, and their keys.

Level 0 goes to the managers of the task's own unit once the task has been overdue for the
first delay; level *i* goes to the unit *i* steps up the tree after delay *i*. The ladder stops
at the top of the tree or at the last delay, whichever comes first. Every level due and not yet
sent is returned (a job that was down for a week catches up on all of them).

A step's ``key`` is ``esc/v1/<task id>/<due as UTC yyyymmddThhmmssZ>/<level>``: stable across
runs, so it can be the outbox's unique key (one outbox row per key and recipient) and a second
run, or a crash between planning and sending, never duplicates a notice. The due date is part of
the key because a rescheduled task that falls overdue again starts a new ladder.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Final

import numpy as np
import pandas as pd

from health.errors import Invalid
from health.followup.lifecycle import TaskStatus, TaskType
from health.followup.overdue import is_overdue, overdue_mask

KEY_PREFIX: Final = "esc/v1"
STEP_COLUMNS: Final = ("key", "task_id", "level", "unit_id", "send_from")

# DEPLOYMENT POLICY: delays after the due date, per level (own unit, parent, grandparent ...).
# Urgent contacts are due within 24 h of a critical result, so their ladder runs in hours.
DEFAULT_DELAYS: Final = (timedelta(days=3), timedelta(days=10), timedelta(days=30))
URGENT_DELAYS: Final = (timedelta(hours=4), timedelta(hours=24), timedelta(hours=72))


def _check_delays(delays: Sequence[timedelta]) -> None:
    if not delays or delays[0] < timedelta(0):
        raise Invalid("an escalation ladder needs at least one non-negative delay")
    if any(b <= a for a, b in pairwise(delays)):
        raise Invalid("escalation delays must strictly increase")


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """Delays after the due date per level; ``by_type`` overrides the default for a task type."""

    delays: tuple[timedelta, ...] = DEFAULT_DELAYS
    by_type: Mapping[TaskType, tuple[timedelta, ...]] = field(
        default_factory=lambda: {TaskType.URGENT_CONTACT: URGENT_DELAYS}
    )

    def __post_init__(self) -> None:
        _check_delays(self.delays)
        for delays in self.by_type.values():
            _check_delays(delays)

    def ladder(self, task_type: TaskType) -> tuple[timedelta, ...]:
        return self.by_type.get(task_type, self.delays)


@dataclass(frozen=True, slots=True)
class OverdueCandidate:
    """A task as escalation sees it; ``unit_chain`` runs from its own unit up to the force."""

    task_id: uuid.UUID | str
    type: TaskType
    status: TaskStatus
    due: datetime
    unit_chain: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """One notice to send: to the managers of ``unit_id``; ``key`` is the outbox's unique key."""

    key: str
    task_id: str
    level: int
    unit_id: str
    send_from: datetime


def chain_from_path(path: str) -> tuple[str, ...]:
    """The unit chain (own unit first) from a materialised path such as ``/force/bureau/stn/``."""
    return tuple(reversed([part for part in path.split("/") if part]))


def _due_stamp(due: datetime) -> str:
    return due.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def step_key(task_id: uuid.UUID | str, due: datetime, level: int) -> str:
    """The outbox key of one rung; the same task, due date and level always give the same key."""
    return f"{KEY_PREFIX}/{task_id}/{_due_stamp(due)}/{level}"


def escalations_due(
    task: OverdueCandidate,
    now: datetime,
    *,
    sent: Collection[str] = frozenset(),
    policy: EscalationPolicy | None = None,
) -> list[EscalationStep]:
    """Rungs of one task's ladder that are due at ``now`` and not in ``sent``, lowest first."""
    if not is_overdue(task.status, task.due, now):
        return []
    ladder = (policy or EscalationPolicy()).ladder(task.type)
    steps = []
    for level, (delay, unit_id) in enumerate(zip(ladder, task.unit_chain, strict=False)):
        send_from = task.due + delay
        key = step_key(task.task_id, task.due, level)
        if now >= send_from and key not in sent:
            steps.append(EscalationStep(key, str(task.task_id), level, unit_id, send_from))
    return steps


def escalations_frame(
    tasks: pd.DataFrame,
    now: datetime,
    *,
    sent: Collection[str] = frozenset(),
    policy: EscalationPolicy | None = None,
) -> pd.DataFrame:
    """``escalations_due`` over a frame for the job: columns task_id, type, status, due (UTC),
    unit_path (materialised path); returns STEP_COLUMNS ordered by task then level."""
    pol = policy or EscalationPolicy()
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in STEP_COLUMNS})
    if tasks.empty:
        return empty
    due = pd.to_datetime(tasks["due"], utc=True)
    live = overdue_mask(tasks["status"], due, now).to_numpy()
    chains = [chain_from_path(path) for path in tasks["unit_path"]]
    depth = np.array([len(chain) for chain in chains])
    ladders = {t: pol.ladder(t) for t in tasks["type"].unique()}
    blocks = []
    stamp = pd.Timestamp(now)
    for level in range(max(len(d) for d in ladders.values())):
        rung = {
            t: ladder[level] if level < len(ladder) else pd.NaT for t, ladder in ladders.items()
        }
        send_from = due + pd.to_timedelta(tasks["type"].map(rung))
        hit = np.flatnonzero(live & (level < depth) & (send_from <= stamp).to_numpy())
        if len(hit) == 0:
            continue
        task_ids = tasks["task_id"].iloc[hit].astype(str).to_numpy(dtype=object)
        stamps = due.iloc[hit].dt.strftime("%Y%m%dT%H%M%SZ").to_numpy(dtype=object)
        blocks.append(
            pd.DataFrame(
                {
                    "key": KEY_PREFIX + "/" + task_ids + "/" + stamps + f"/{level}",
                    "task_id": task_ids,
                    "level": level,
                    "unit_id": [chains[i][level] for i in hit],
                    "send_from": send_from.iloc[hit].reset_index(drop=True),
                    "order": hit,
                }
            )
        )
    if not blocks:
        return empty
    steps = pd.concat(blocks, ignore_index=True)
    steps = steps[~steps["key"].isin(list(sent))]
    steps = steps.sort_values(["order", "level"], kind="stable").drop(columns="order")
    return steps.reset_index(drop=True)
