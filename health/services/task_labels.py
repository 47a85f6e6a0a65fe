"""Who, where and why for a page of tasks, so a worklist reads at a glance.

Every task gets its unit's code and name (not personal: managers see them too). For medics the
officer's badge number and name and the task's reason are opened from their sealed rows, one
data-key unwrap per officer on the page, and each officer so shown is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from health.services import audit, rulesets
from health.services.audit import EventSpec
from health.services.context import MANAGER, Ctx
from health.services.officer_directory import open_personal
from health.services.tasks import open_detail
from models.repositories import officer_roster as roster_repo
from models.repositories import units as units_repo
from models.tables import Task


@dataclass(frozen=True)
class TaskLabels:
    unit_code: str
    unit_name: str
    badge_number: str | None = None
    officer_name: str | None = None
    reason: str | None = None
    reason_text: dict[str, str] | None = None


def labels_for(ctx: Ctx, tasks: Sequence[Task], *, action: str) -> dict[uuid.UUID, TaskLabels]:
    """Labels per task id; a manager's carry the unit only."""
    units = units_repo.by_ids(ctx.session, {t.unit_id for t in tasks})
    if ctx.actor.role == MANAGER:
        return {t.id: TaskLabels(units[t.unit_id].code, units[t.unit_id].name) for t in tasks}
    people = roster_repo.with_keys(ctx.session, [t.officer_id for t in tasks])
    personal: dict[uuid.UUID, dict[str, str | None]] = {}
    sealers = {}
    for officer_id, (officer, key, _) in people.items():
        if officer.personal is None or officer.erased_at is not None:
            continue
        personal[officer_id] = open_personal(ctx, officer, key)
        sealers[officer_id] = ctx.vault.open_key(
            officer_id, key.kek_version, key.dek_version, key.wrapped_dek
        )
    reasons = rulesets.active_policy(ctx).reasons
    out: dict[uuid.UUID, TaskLabels] = {}
    for task in tasks:
        unit = units[task.unit_id]
        data = personal.get(task.officer_id)
        sealer = sealers.get(task.officer_id)
        code = open_detail(task, sealer).get("reason") if sealer is not None else None
        text = reasons.get(code or "")
        out[task.id] = TaskLabels(
            unit.code,
            unit.name,
            str(data["badge_number"]) if data else None,
            str(data["name"]) if data else None,
            code,
            {"zh": text.zh, "en": text.en} if text is not None else None,
        )
    audit.record_many(
        ctx,
        [
            EventSpec(action, "officer", str(officer_id), officer_id, purpose="care")
            for officer_id in personal
        ],
    )
    return out
