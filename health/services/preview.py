"""Screening without storing: a medic's what-if, and an integration check for lab systems."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from health.ages import completed_years
from health.errors import Invalid
from health.services import access, audit, checkups, intake, rescreen, rulesets, screening
from health.services.context import Ctx
from health.services.subject import Subject
from health.vocabulary import Action


@dataclass(frozen=True)
class Preview:
    ruleset_version: str
    findings: list[dict[str, Any]]
    plans: list[dict[str, Any]]


def preview(
    ctx: Ctx,
    exam_date: date,
    results: Mapping[str, checkups.JsonValue],
    *,
    officer_id: uuid.UUID | None = None,
    sex: str | None = None,
    age: float | None = None,
    conditions: tuple[str, ...] = (),
) -> Preview:
    """Grade a checkup as it would be graded if stored; nothing is written but the audit event.

    With ``officer_id`` the officer's sex, age, known conditions and latest stored checkup (for
    changes since last year) are used; otherwise ``sex`` and ``age`` must be given.
    """
    access.require(ctx, Action.SCREENING_PREVIEW)
    read = checkups.draft_from_json(exam_date, results)
    document = intake.document_of(read.drafts[0])
    previous = previous_age = None
    unit_id = uuid.UUID(int=0)
    if officer_id is not None:
        access.officer_in_scope(ctx, officer_id, action="screening.preview")
        stored = rescreen.subjects_for(ctx, [officer_id])
        if stored:
            latest = stored[0]
            sex = latest.sex
            assert latest.birth_date is not None, "stored subjects carry the birth date"
            age = float(completed_years(latest.birth_date, exam_date))
            conditions = conditions or latest.conditions
            unit_id = latest.unit_id
            if latest.exam_date < exam_date:
                previous, previous_age = latest.document, latest.age
        audit.record(
            ctx, "screening.preview", "officer", resource_id=str(officer_id), officer_id=officer_id
        )
    if sex not in ("M", "F") or age is None:
        raise Invalid("give officer_id, or sex ('M'/'F') and age", code="demographics_required")
    subject = Subject(
        uuid.uuid4(),
        officer_id or uuid.UUID(int=0),
        unit_id,
        exam_date,
        sex,
        age,
        document,
        previous,
        previous_age,
        conditions,
        None,
    )
    ruleset = rulesets.active_ruleset(ctx)
    findings, plans = screening.evaluate(ctx, [subject], ruleset, rulesets.active_policy(ctx))
    return Preview(ruleset.version, findings[0], plans[0])
