"""What the follow-up policy does for each analysis condition: the policy's own rules, found
through the screening rules that detect the condition, so the analysis recommends exactly what
the service plans for an officer with it (nothing is written here that the policy lacks).

``SCREENING_RULES`` links each condition of ``health.reports.conditions`` to the ids of the
ruleset's findings that express it (globs allowed, as in the policy's ``match.rule_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Final

from health.followup.policy import FollowupPolicy, PolicyRule
from health.i18n import Lang
from health.i18n.vocabulary import TASK_TYPE_NAMES, name

SCREENING_RULES: Final[Mapping[str, tuple[str, ...]]] = {
    "hypertension": ("bp.grade_1", "bp.grade_2", "bp.grade_3", "bp.not_at_goal"),
    "diabetes": (
        "glucose.diabetes_range_unconfirmed",
        "glucose.diabetes_confirmed",
        "glucose.not_at_goal",
    ),
    "prediabetes": ("glucose.ifg",),
    "dyslipidaemia": (
        "lipids.dyslipidaemia",
        "lipids.severe_hypertriglyceridaemia",
        "lipids.ldl_not_at_goal",
    ),
    "hyperuricaemia": (
        "uric_acid.hyperuricaemia_unconfirmed",
        "uric_acid.hyperuricaemia_confirmed",
        "uric_acid.not_at_goal",
    ),
    "overweight_obesity": ("body.overweight", "body.obesity", "body.central_obesity"),
    "obesity": ("body.obesity",),
    "fatty_liver": ("us_abd.fatty_liver_*",),
    "abnormal_ecg": ("ecg.*",),
    "ckd": ("kidney.egfr_reduced", "kidney.egfr_reduced_persistent"),
}


@dataclass(frozen=True)
class Intervention:
    """One policy rule as a recommendation: what kind of task, why, by when, on what basis."""

    rule_id: str
    task: str
    task_name: str
    reason: str
    priority: int
    due: str
    basis: str | None


def _matches(rule: PolicyRule, patterns: tuple[str, ...]) -> bool:
    return any(
        fnmatchcase(found, wanted) or fnmatchcase(wanted, found)
        for found in rule.match.rule_id
        for wanted in patterns
    )


def _due(rule: PolicyRule, lang: Lang) -> str:
    if rule.due.hours is not None:
        return f"{rule.due.hours} 小时内" if lang == "zh" else f"within {rule.due.hours} hours"
    days = rule.due.days or 0
    return f"{days} 天内" if lang == "zh" else f"within {days} days"


def interventions(policy: FollowupPolicy, condition: str, lang: Lang) -> list[Intervention]:
    """The policy's rules for a condition, most urgent first (one per task type and reason)."""
    patterns = SCREENING_RULES.get(condition, ())
    seen: set[tuple[str, str]] = set()
    out = []
    for rule in sorted(policy.rules, key=lambda r: (r.priority, r.id)):
        if not _matches(rule, patterns) or (rule.task, rule.reason) in seen:
            continue
        seen.add((rule.task, rule.reason))
        texts = policy.reasons.get(rule.reason)
        out.append(
            Intervention(
                rule_id=rule.id,
                task=rule.task,
                task_name=name(TASK_TYPE_NAMES, rule.task, lang),
                reason=rule.reason if texts is None else (texts.zh if lang == "zh" else texts.en),
                priority=rule.priority,
                due=_due(rule, lang),
                basis=rule.basis,
            )
        )
    return out
