"""Findings grouped by problem, as a reader sees them: the condition, the results behind it,
one piece of advice, the source as a reader cites it, and what happens next (task and due date).

Officers get plain language; medics also get the clinical text, thresholds and full citations.
Grouping itself is ``health.screening.problems``; this module only dresses it for reading.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from health.catalog.catalog import Catalog
from health.followup.overdue import is_overdue
from health.i18n import Lang
from health.i18n.display import format_number, printed_unit
from health.i18n.vocabulary import (
    FLAG_NAMES,
    SEVERITY_NAMES,
    TASK_STATUS_NAMES,
    TASK_TYPE_NAMES,
    name,
)
from health.screening.problems import group_findings
from health.screening.ruleset import Ruleset
from health.services import rulesets
from health.services.context import OFFICER, Ctx
from health.services.screening_documents import StoredScreening
from health.services.tasks import family_of, open_detail
from models.repositories import tasks as tasks_repo
from models.tables import Task

CHANGE_NAME = {"zh": "与上次体检相比", "en": "compared with the last checkup"}


@dataclass(frozen=True)
class Supporting:
    """One finding behind a problem: a result, a guideline criterion or a change."""

    rule_id: str
    kind: str
    analyte: str | None
    name: str
    display: str | None
    unit: str
    previous_display: str | None
    flag: str
    flag_name: str
    severity: str
    severity_name: str
    threshold: str | None
    source: str | None


@dataclass(frozen=True)
class NextStep:
    task_id: uuid.UUID
    type: str
    type_name: str
    status: str
    status_name: str
    due: datetime
    overdue: bool
    reason: str | None


@dataclass(frozen=True)
class ProblemView:
    key: str
    family: str
    severity: str
    severity_name: str
    title: str | None
    advice: str | None
    clinical: str | None
    source: str | None
    supporting: list[Supporting]
    next_steps: list[NextStep]


def _text(texts: Any, field: str, lang: Lang) -> str | None:
    if texts is None:
        return None
    return str(getattr(texts, f"{field}_{lang}"))


def _citation(ruleset: Ruleset, source: str, lang: Lang, for_officer: bool) -> str:
    cited = ruleset.citation(source)
    if cited is None:
        return "" if for_officer else source
    return cited.zh if lang == "zh" else cited.en


def _value(catalog: Catalog, ruleset: Ruleset, code: str, value: Any) -> str | None:
    if value is None or code not in catalog or isinstance(value, str):
        return None if value is None else str(value)
    analyte = catalog.get(code)
    if analyte.scale is not None:
        return catalog.ordinal_label(code, round(float(value)))
    return format_number(float(value), ruleset.decimals(code))


def _supporting(
    finding: Mapping[str, Any], ruleset: Ruleset, catalog: Catalog, lang: Lang, medic: bool
) -> Supporting:
    analyte = finding.get("analyte")
    inputs = {str(code): value for code, value in finding.get("inputs") or ()}
    advice = ruleset.advice(finding.get("advice_key"))
    display = previous = None
    unit = ""
    if analyte and analyte in catalog:
        entry = catalog.get(analyte)
        label = entry.name_zh if lang == "zh" else entry.name_en
        if finding["kind"] == "delta":
            label = (
                f"{label}（{CHANGE_NAME[lang]}）"
                if lang == "zh"
                else f"{label} ({CHANGE_NAME[lang]})"
            )
        display = _value(catalog, ruleset, analyte, inputs.get(analyte))
        previous = _value(catalog, ruleset, analyte, inputs.get(f"prev.{analyte}"))
        unit = printed_unit(entry.unit, lang)
        if entry.findings and finding["kind"] == "coded":
            names = {f.code: f for f in entry.findings}
            coded = names.get(str(inputs.get(analyte)))
            if coded is not None:
                display = coded.name_zh if lang == "zh" else coded.name_en
    else:
        label = _text(advice, "meaning", lang) or str(finding["category"])
    return Supporting(
        rule_id=str(finding["rule_id"]),
        kind=str(finding["kind"]),
        analyte=analyte,
        name=label,
        display=display,
        unit=unit,
        previous_display=previous,
        flag=str(finding["interpretation"]),
        flag_name=name(FLAG_NAMES, str(finding["interpretation"]), lang),
        severity=str(finding["severity"]),
        severity_name=name(SEVERITY_NAMES, str(finding["severity"]), lang),
        threshold=str(finding["threshold"]) if medic else None,
        source=str(finding["source"]) if medic else None,
    )


@dataclass(frozen=True)
class _OpenedTask:
    task: Task
    rule_ids: frozenset[str]
    reason: str | None
    family: str | None


def _tasks(ctx: Ctx, officer_id: uuid.UUID, checkup_id: uuid.UUID) -> list[_OpenedTask]:
    """Tasks this checkup planned, and every open task (a finding may merge into one, and an
    open task of the problem's family is what happens next for it)."""
    found = [
        t
        for t in tasks_repo.of_officer(ctx.session, officer_id)
        if t.source_checkup_id == checkup_id or t.closed_at is None
    ]
    if not found:
        return []
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    opened = []
    for task in found:
        detail = open_detail(task, sealer)
        rule_ids = frozenset(str(r) for r in detail.get("finding_rule_ids", []))
        opened.append(_OpenedTask(task, rule_ids, detail.get("reason"), family_of(detail)))
    return opened


def _step(
    ctx: Ctx, task: Task, lang: Lang, reasons: Mapping[str, Any], reason: str | None
) -> NextStep:
    text = reasons.get(reason) if reason else None
    return NextStep(
        task_id=task.id,
        type=task.type,
        type_name=name(TASK_TYPE_NAMES, task.type, lang),
        status=task.status,
        status_name=name(TASK_STATUS_NAMES, task.status, lang),
        due=task.due,
        overdue=is_overdue(task.status, task.due, ctx.clock()),
        reason=None if text is None else str(getattr(text, lang)),
    )


def problem_views(
    ctx: Ctx,
    officer_id: uuid.UUID,
    checkup_id: uuid.UUID,
    stored: StoredScreening,
    ruleset: Ruleset,
    catalog: Catalog,
    lang: Lang,
) -> list[ProblemView]:
    """Every finding of one stored screening in exactly one problem, with its next steps."""
    medic = ctx.actor.role != OFFICER
    findings = stored.findings
    tasks = _tasks(ctx, officer_id, checkup_id)
    reasons = rulesets.active_policy(ctx).reasons
    views = []
    for problem in group_findings(findings):
        head = findings[problem.headline]
        advice = ruleset.advice(head.get("advice_key"))
        rule_ids = problem.rule_ids(findings)
        steps = []
        for opened in tasks:
            related = opened.rule_ids & rule_ids or opened.task.closed_at is None
            if opened.family == problem.family and related:
                steps.append(_step(ctx, opened.task, lang, reasons, opened.reason))
        views.append(
            ProblemView(
                key=problem.key,
                family=problem.family,
                severity=problem.severity,
                severity_name=name(SEVERITY_NAMES, problem.severity, lang),
                title=_text(advice, "meaning", lang),
                advice=_text(advice, "advice", lang),
                clinical=_text(advice, "medic", lang) if medic else None,
                source=_citation(ruleset, str(head["source"]), lang, not medic) or None,
                supporting=[
                    _supporting(findings[i], ruleset, catalog, lang, medic) for i in problem.members
                ],
                next_steps=sorted(steps, key=lambda s: (s.due, s.type)),
            )
        )
    return views
