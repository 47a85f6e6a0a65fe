"""Known diagnoses of an officer, recorded by a medic; the latest checkup is screened again so
repeat flags give way to tracking control (e.g. BP not at goal under treatment)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from health.errors import Invalid
from health.screening.vocabulary import KNOWN_CONDITIONS
from health.services import access, audit, intake, rescreen
from health.services.context import MEDIC, Ctx
from health.vocabulary import Action


def set_conditions(ctx: Ctx, officer_id: uuid.UUID, conditions: Sequence[str]) -> list[str]:
    access.require(ctx, Action.OFFICER_CONDITIONS)
    unknown = sorted(set(conditions) - set(KNOWN_CONDITIONS))
    if unknown:
        raise Invalid(
            f"unknown condition codes {unknown}; known: {list(KNOWN_CONDITIONS)}",
            code="unknown_condition",
        )
    officer = access.officer_in_scope(ctx, officer_id, action="officer.conditions")
    if not access.in_units(ctx, officer.unit_id) and ctx.actor.role == MEDIC:
        access.deny(ctx, "officer.conditions", "officer", officer_id=officer_id)
        raise Invalid("emergency access is read-only", code="read_only")
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    chosen = sorted(set(conditions))
    officer.conditions = sealer.seal(
        json.dumps(chosen).encode(), intake.conditions_slot(officer_id)
    )
    ctx.session.flush()
    audit.record(
        ctx,
        "officer.conditions",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=f"count={len(chosen)}",
    )
    rescreen.rescreen_officers(ctx, [officer_id], rescreen.RescreenReport(""), force=True)
    return chosen
