"""Risk scores of stored checkups: computed with screening, sealed, read back with explanations.

Scoring runs over whole columns (``ml.scoring``) on every path that stores a screening; each
checkup version gets one sealed row (values, bands, drivers, the model's estimates) with the
tier and the equation/model versions in clear. Officers and medics read the estimates with
what drives them, in their language; unit managers only ever get the tier (worklists).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import numpy as np
import pandas as pd

from health.crypto import Sealer, Slot
from health.followup import FollowupPolicy
from health.services import access, audit, risk_models, tasks
from health.services.context import Ctx
from ml.scoring import documents, render, score_frame
from models.repositories import risk_scores as risk_repo
from models.repositories import tasks as tasks_repo

MODEL_FEATURE_LABELS: dict[str, tuple[str, str]] = {
    "sbp": ("systolic blood pressure", "收缩压"),
    "dbp": ("diastolic blood pressure", "舒张压"),
    "glu": ("fasting glucose", "空腹血糖"),
    "hba1c": ("HbA1c", "糖化血红蛋白"),
    "tc": ("total cholesterol", "总胆固醇"),
    "tg": ("triglycerides", "甘油三酯"),
    "hdl": ("HDL cholesterol", "高密度脂蛋白胆固醇"),
    "ldl": ("LDL cholesterol", "低密度脂蛋白胆固醇"),
    "bmi": ("body mass index", "体重指数"),
    "waist": ("waist circumference", "腰围"),
    "alt": ("ALT", "谷丙转氨酶"),
    "ggt": ("GGT", "谷氨酰转肽酶"),
    "ua": ("uric acid", "尿酸"),
    "age": ("age", "年龄"),
    "current_smoker": ("smoking", "吸烟"),
    "physically_active": ("physical activity", "体育锻炼"),
}


class Scorable(Protocol):
    """What scoring needs of a screened checkup (``screening.Subject`` has it)."""

    @property
    def checkup_id(self) -> uuid.UUID: ...
    @property
    def officer_id(self) -> uuid.UUID: ...
    @property
    def unit_id(self) -> uuid.UUID: ...
    @property
    def exam_date(self) -> date: ...
    @property
    def sealer(self) -> Sealer | None: ...


def risk_slot(score_id: uuid.UUID) -> Slot:
    return Slot("risk_score", "document", str(score_id))


def score_and_store(
    ctx: Ctx,
    subjects: Sequence[Scorable],
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    replaced: Sequence[uuid.UUID] | None = None,
) -> list[str]:
    """Score checkup versions (columns aligned with ``subjects``) and add sealed rows.

    Returns the tier per subject. Earlier scores of the same checkups become history; with
    ``replaced`` (the subjects are new versions of those checkups, added in this transaction)
    the replaced versions' scores do.
    """
    if not subjects:
        return []
    model = risk_models.active(ctx)
    scores = score_frame(current, previous, model.model, model_status=model.status)
    docs = documents(scores)
    if replaced is None:
        risk_repo.supersede_for_checkups(ctx.session, [s.checkup_id for s in subjects])
        officers = list({s.officer_id for s in subjects})
        risk_repo.supersede_for_replaced_checkups(ctx.session, officers)
    else:
        risk_repo.supersede_for_checkups(ctx.session, list(replaced))
    now = ctx.clock()
    rows = []
    for subject, doc in zip(subjects, docs, strict=True):
        assert subject.sealer is not None, "scores are sealed with the officer's key"
        score_id = uuid.uuid4()
        rows.append(
            {
                "id": score_id,
                "checkup_id": subject.checkup_id,
                "officer_id": subject.officer_id,
                "unit_id": subject.unit_id,
                "exam_date": subject.exam_date,
                "tier": doc["tier"],
                "equations_version": scores.equations_version,
                "model_version": scores.model_version,
                "status": "current",
                "created_at": now,
                "document": subject.sealer.seal(
                    json.dumps(doc, ensure_ascii=False).encode(), risk_slot(score_id)
                ),
            }
        )
    risk_repo.add_many(ctx.session, rows)
    return [str(t) for t in np.asarray(scores.tier)]


RISK_RULE_ID = "risk.high_tier"


def plan_for_tiers(
    ctx: Ctx,
    subjects: Sequence[Scorable],
    tiers: Sequence[str],
    per_plans: Sequence[list[dict[str, Any]]],
    policy: FollowupPolicy,
) -> None:
    """Where the follow-up policy says so (its ``risk`` section), a tier raises the priority of
    the officer's tasks and adds a lifestyle task, as plans the task service merges as usual.

    This screening's own plans get the raised priority; an open task from an earlier checkup
    gets a plan that merges into it once (its sealed detail then names ``risk.high_tier``).
    """
    rule = policy.risk
    if rule is None:
        return
    chosen = [i for i, tier in enumerate(tiers) if tier in rule.tiers]
    if not chosen:
        return
    step = rule.raise_priority_by
    open_tasks: dict[uuid.UUID, list[Any]] = {}
    for task in tasks_repo.open_of_officers(ctx.session, [subjects[i].officer_id for i in chosen]):
        open_tasks.setdefault(task.officer_id, []).append(task)
    for i in chosen:
        subject, plans = subjects[i], per_plans[i]
        for plan in plans:
            plan["priority"] = max(1, int(plan["priority"]) - step)
        planned = {(p["type"], p["family"]) for p in plans}
        for task in open_tasks.get(subject.officer_id, []):
            raised = max(1, task.priority - step)
            if task.exam_date == subject.exam_date or raised == task.priority:
                continue
            if subject.sealer is None:
                continue
            detail = tasks.open_detail(task, subject.sealer)
            family = tasks.family_of(detail)
            if (
                family is None
                or (task.type, family) in planned
                or RISK_RULE_ID in detail.get("finding_rule_ids", [])
            ):
                continue
            plans.append(
                {
                    "type": task.type,
                    "family": family,
                    "priority": raised,
                    "due": task.due.isoformat(),
                    "finding_rule_ids": [RISK_RULE_ID],
                    "reason": rule.reason,
                }
            )
        due = datetime.combine(subject.exam_date, datetime.min.time(), UTC) + timedelta(
            days=rule.due.days or 0, hours=rule.due.hours or 0
        )
        plans.append(
            {
                "type": rule.task,
                "family": rule.family,
                "priority": rule.priority,
                "due": due.isoformat(),
                "finding_rule_ids": [RISK_RULE_ID],
                "reason": rule.reason,
            }
        )


def _model_driver_text(driver: dict[str, Any], language: str) -> str:
    en, zh = MODEL_FEATURE_LABELS.get(driver["feature"], (driver["feature"], driver["feature"]))
    points = abs(driver["effect"]) * 100
    if language == "zh":
        way = "升高" if driver["effect"] > 0 else "降低"
        return f"{zh}使下次体检需随访的估计{way}约{points:.0f}个百分点"
    way = "raises" if driver["effect"] > 0 else "lowers"
    return f"{en} {way} the chance the next checkup needs follow-up by about {points:.0f} points"


def _render(ctx: Ctx, doc: dict[str, Any], language: str) -> dict[str, Any]:
    model = risk_models.active(ctx).model
    view = render(doc, language=language, model=model)
    if view["model"] and view["model"]["drivers"] is not None:
        for driver in view["model"]["drivers"]:
            driver["text"] = _model_driver_text(driver, language)
    return view


def for_checkup(
    ctx: Ctx, officer_id: uuid.UUID, checkup_id: uuid.UUID, *, language: str
) -> dict[str, Any] | None:
    """The current score of one checkup, rendered; for a caller that has checked access and
    audits the read itself (the officer record)."""
    row = next(
        (
            r
            for r in risk_repo.current_of_officer(ctx.session, officer_id)
            if r.checkup_id == checkup_id
        ),
        None,
    )
    if row is None:
        return None
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    doc = json.loads(sealer.open(row.document, risk_slot(row.id)))
    return {
        "tier": row.tier,
        "equations_version": row.equations_version,
        "model_version": row.model_version,
        **_render(ctx, doc, language),
    }


def scores_of(ctx: Ctx, officer_id: uuid.UUID, *, language: str) -> list[dict[str, Any]]:
    """An officer's current risk estimates, latest checkup first, with drivers in words."""
    officer = access.officer_in_scope(ctx, officer_id, action="risk.read")
    rows = risk_repo.current_of_officer(ctx.session, officer_id)
    out = []
    if rows:
        sealer = ctx.vault.sealer_for(ctx.session, officer_id)
        for row in rows:
            doc = json.loads(sealer.open(row.document, risk_slot(row.id)))
            out.append(
                {
                    "checkup_id": str(row.checkup_id),
                    "exam_date": row.exam_date.isoformat(),
                    "tier": row.tier,
                    "equations_version": row.equations_version,
                    "model_version": row.model_version,
                    **_render(ctx, doc, language),
                }
            )
    audit.record(
        ctx,
        "risk.read",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=f"count={len(out)}",
        purpose=access.purpose_of(ctx, officer, "care"),
    )
    return out


def tiers_of(ctx: Ctx, officer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Latest tier per officer, for worklists (the caller has already scoped the officers)."""
    return risk_repo.latest_tiers(ctx.session, officer_ids)
