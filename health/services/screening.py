"""Screening stored checkups: grade them column-wise, seal the findings and task plans, and
read them back for the medic (clinical text) or the officer (plain-language advice)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from health.crypto import Sealer, Slot
from health.followup import FollowupPolicy, plan_frame
from health.screening import Ruleset
from health.screening.engine import FINDING_COLUMNS, screen_columns
from health.screening.vocabulary import DEFAULT_CODED_FINDINGS
from health.services import access, audit, finding_tally, risk_scoring, rulesets, tasks
from health.services.context import OFFICER, Ctx
from health.services.subject import Subject
from models.repositories import checkups as checkups_repo
from models.repositories import screenings as screenings_repo
from models.repositories import tallies as tallies_repo
from models.tables import Screening

FINDING_FIELDS = tuple(c for c in FINDING_COLUMNS if c not in ("key", "ruleset", "ruleset_version"))
PLAN_FIELDS = ("type", "family", "priority", "due", "finding_rule_ids", "reason")


def screening_slot(screening_id: uuid.UUID) -> Slot:
    return Slot("screening", "document", str(screening_id))


def _row(document: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for code, value in document.get("results", {}).items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            row[code] = float(value)
    for modality, found in document.get("findings", {}).items():
        if modality in DEFAULT_CODED_FINDINGS:
            row[modality] = ";".join(found.get("codes", []))
    return row


def frames(subjects: Sequence[Subject]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Current and previous values as frames aligned on the subject's position."""
    current = pd.DataFrame.from_records(
        [
            {
                **_row(s.document),
                "sex": s.sex,
                "age": s.age,
                "known_conditions": ";".join(s.conditions) or None,
            }
            for s in subjects
        ]
    )
    previous = pd.DataFrame.from_records(
        [
            {**_row(s.previous), "age": s.previous_age} if s.previous else {"age": np.nan}
            for s in subjects
        ]
    )
    return current, previous


def _objects(column: pd.Series) -> list[Any]:
    """A whole column as plain Python values (JSON-safe): missing → None, numpy → Python."""
    values = column.to_numpy(dtype=object)
    missing = pd.isna(column).to_numpy()
    if missing.any():
        values[missing] = None
    as_list: list[Any] = values.tolist()
    return as_list


def _per_key(
    frame: pd.DataFrame,
    fields: Sequence[str],
    n: int,
    given: Mapping[str, list[Any]] | None = None,
) -> list[list[dict[str, Any]]]:
    """One list of records per subject position, converted column by column (not per cell);
    ``given`` supplies columns that are not in ``frame``."""
    given = given or {}
    columns = [given[name] if name in given else _objects(frame[name]) for name in fields]
    records = [dict(zip(fields, values, strict=True)) for values in zip(*columns, strict=True)]
    keys = frame["key"].to_numpy(dtype=np.int64)
    out: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    if len(keys) and bool((np.diff(keys) >= 0).all()):
        # Rows come sorted by subject (the engine's stable order): cut the list at boundaries.
        bounds = np.searchsorted(keys, np.arange(n + 1)).tolist()
        for i in range(n):
            out[i] = records[bounds[i] : bounds[i + 1]]
        return out
    for key, record in zip(keys.tolist(), records, strict=True):
        out[key].append(record)
    return out


def evaluate(
    ctx: Ctx,
    subjects: Sequence[Subject],
    ruleset: Ruleset,
    policy: FollowupPolicy,
    framed: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """Findings and task plans per subject, computed over whole columns (``framed``: the
    subjects' ``frames``, when the caller has built them already)."""
    current, previous = framed if framed is not None else frames(subjects)
    screened = screen_columns(current, ruleset, previous)
    found = screened.frame
    exam_dates = pd.Series(pd.to_datetime([s.exam_date for s in subjects], utc=True))
    plans = plan_frame(found, exam_dates, policy, screened_at=ctx.clock())
    due = [d.isoformat() for d in plans["due"]]
    n = len(subjects)
    # Provenance is materialised here, once, for exactly the findings that are sealed.
    inputs = screened.inputs().tolist()
    findings = _per_key(found, FINDING_FIELDS, n, {"inputs": inputs})
    return findings, _per_key(plans, PLAN_FIELDS, n, {"due": due})


def screen_and_store(
    ctx: Ctx,
    subjects: Sequence[Subject],
    *,
    ruleset: Ruleset | None = None,
    policy: FollowupPolicy | None = None,
    replaced: Sequence[uuid.UUID] | None = None,
) -> dict[uuid.UUID, list[str]]:
    """Screen checkup versions and add sealed screenings; returns finding keys per checkup.

    ``replaced`` says the subjects are versions added in this transaction, replacing those
    checkups (whose screenings the caller retired): no screening or score of a new version can
    exist yet, so only the replaced versions' scores are retired, by id, and nothing is looked
    up per officer. Without it (rescreening), earlier results of the subjects are retired.
    """
    if not subjects:
        return {}
    ruleset = ruleset or rulesets.active_ruleset(ctx)
    policy = policy or rulesets.active_policy(ctx)
    # The frames are built once (a dict per checkup is their cost); each consumer gets its own.
    current, previous = frames(subjects)
    per_findings, per_plans = evaluate(
        ctx, subjects, ruleset, policy, (current.copy(), previous.copy())
    )
    # Risk: one hook, column-wise over the same checkups; the policy says what a tier plans.
    tiers = risk_scoring.score_and_store(ctx, subjects, current, previous, replaced=replaced)
    risk_scoring.plan_for_tiers(ctx, subjects, tiers, per_plans, policy)
    if replaced is None:
        supersede(ctx, [s.checkup_id for s in subjects])
    now = ctx.clock()
    tokens = finding_tally.Tokens(ctx.vault.hasher)
    screening_rows: list[dict[str, Any]] = []
    tally_rows: list[dict[str, Any]] = []
    result: dict[uuid.UUID, list[str]] = {}
    for subject, findings, plans in zip(subjects, per_findings, per_plans, strict=True):
        assert subject.sealer is not None, "stored screenings are sealed with the officer's key"
        screening_id = uuid.uuid4()
        document = {
            "ruleset": ruleset.name,
            "version": ruleset.version,
            "findings": findings,
            "plans": plans,
        }
        screening_rows.append(
            {
                "id": screening_id,
                "checkup_id": subject.checkup_id,
                "officer_id": subject.officer_id,
                "ruleset": ruleset.name,
                "ruleset_version": ruleset.version,
                "status": "current",
                "created_at": now,
                "created_by": ctx.actor.id,
                "document": subject.sealer.seal(
                    json.dumps(document, ensure_ascii=False).encode(), screening_slot(screening_id)
                ),
            }
        )
        tally_rows += finding_tally.rows_for(tokens, screening_id, subject.exam_date, findings)
        result[subject.checkup_id] = [finding_key(f) for f in findings]
    screenings_repo.add_many(ctx.session, screening_rows)
    tallies_repo.add_many(ctx.session, tally_rows)
    # Follow-up: one hook, so every path that stores a screening plans and closes tasks alike.
    tasks.plan_from_screening(
        ctx,
        subjects,
        per_findings,
        per_plans,
        ruleset,
        screening_rows,
    )
    return result


def supersede(ctx: Ctx, checkup_ids: Sequence[uuid.UUID]) -> None:
    """Earlier screenings of these checkups become history and stop counting in figures."""
    finding_tally.retire(ctx, screenings_repo.supersede_for_checkups(ctx.session, checkup_ids))


def screening_document(screening: Screening, sealer: Sealer) -> dict[str, Any]:
    """A stored screening's sealed document: ruleset, findings (with provenance) and plans."""
    opened: dict[str, Any] = json.loads(
        sealer.open(screening.document, screening_slot(screening.id))
    )
    return opened


def findings_of_screening(screening: Screening, sealer: Sealer) -> list[dict[str, Any]]:
    """The findings of one stored screening: the one accessor for the finding storage shape."""
    findings: list[dict[str, Any]] = screening_document(screening, sealer)["findings"]
    return findings


def finding_key(finding: Mapping[str, Any]) -> str:
    """What makes two findings 'the same' across screenings: the rule and what it concluded."""
    return f"{finding['rule_id']}/{finding['category']}"


@dataclass(frozen=True)
class FindingView:
    checkup_id: uuid.UUID
    exam_date: date
    ruleset_version: str
    finding: dict[str, Any]
    meaning: dict[str, str] | None
    advice: dict[str, str] | None
    clinical: dict[str, str] | None
    citation: dict[str, str] | None = None


def findings_of(ctx: Ctx, officer_id: uuid.UUID) -> list[FindingView]:
    """Current findings of an officer: clinical text for medics, plain advice for the officer."""
    officer = access.officer_in_scope(ctx, officer_id, action="finding.read")
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    for_officer = ctx.actor.role == OFFICER
    views = []
    for screening in screenings_repo.of_officer(ctx.session, officer_id):
        rules = rulesets.ruleset_by_version(ctx, screening.ruleset_version)
        exam_date = screening_exam_date(ctx, screening.checkup_id)
        for finding in findings_of_screening(screening, sealer):
            text = rules.advice(finding.get("advice_key"))
            meaning = advice = clinical = None
            if text is not None:
                meaning = {"zh": text.meaning_zh, "en": text.meaning_en}
                advice = {"zh": text.advice_zh, "en": text.advice_en}
                if not for_officer:
                    clinical = {"zh": text.medic_zh, "en": text.medic_en}
            cited = rules.citation(str(finding.get("source", "")))
            views.append(
                FindingView(
                    screening.checkup_id,
                    exam_date,
                    screening.ruleset_version,
                    finding,
                    meaning,
                    advice,
                    clinical,
                    citation=None if cited is None else {"zh": cited.zh, "en": cited.en},
                )
            )
    audit.record(
        ctx,
        "finding.read",
        "officer",
        resource_id=str(officer_id),
        officer_id=officer_id,
        detail=f"count={len(views)}",
        purpose=access.purpose_of(ctx, officer, "care"),
    )
    return views


def screening_exam_date(ctx: Ctx, checkup_id: uuid.UUID) -> date:
    checkup = checkups_repo.get(ctx.session, checkup_id)
    assert checkup is not None
    return checkup.exam_date
