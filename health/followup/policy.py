"""The follow-up policy file: its shape, and the checks that refuse a bad one.

Which finding leads to which task is a deployment decision, so it is data; a rule that names a
rule id no ruleset produces would silently never fire, so such a file is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from health.screening.criterion_ids import CRITERIA
from health.screening.finding import FindingKind
from health.screening.ruleset import (
    Ruleset,
    RulesetError,
    RulesetProblem,
    default_ruleset,
    dotted_field,
)
from health.screening.vocabulary import Severity
from health.vocabulary import TaskType

TASK_TYPES: tuple[TaskType, ...] = tuple(TaskType)
DEFAULT_POLICY_FILE = "followup_default.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Match(_Model):
    """All given fields must match (AND); each field lists alternatives (OR); rule ids glob."""

    rule_id: tuple[str, ...] = ()
    kind: tuple[FindingKind, ...] = ()
    severity: tuple[Severity, ...] = ()
    family: tuple[str, ...] = ()
    analyte: tuple[str, ...] = ()
    category: tuple[str, ...] = ()


class Due(_Model):
    days: int | None = Field(default=None, ge=0)
    hours: int | None = Field(default=None, ge=1)
    # Due dates count from when the task is created (the result is seen): a back-dated exam
    # imported today must not open tasks that are already overdue. 'exam' remains for rules
    # whose interval is anchored to the examination itself.
    from_: Literal["exam", "screened"] = Field(default="screened", alias="from")


class PolicyRule(_Model):
    id: str = Field(min_length=1)
    match: Match
    task: TaskType
    priority: int = Field(ge=1, le=5)
    due: Due
    reason: str = Field(min_length=1)
    basis: str | None = None


class Reason(_Model):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RiskPolicy(_Model):
    """What a risk tier does to follow-up: raise open tasks' priority and add a task."""

    tiers: tuple[Literal["moderate", "high"], ...] = ("high",)
    raise_priority_by: int = Field(default=1, ge=0, le=4)
    task: TaskType
    family: str = Field(min_length=1)
    priority: int = Field(ge=1, le=5)
    due: Due
    reason: str = Field(min_length=1)
    basis: str | None = None


class FollowupPolicy(_Model):
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    reasons: dict[str, Reason]
    rules: tuple[PolicyRule, ...] = Field(min_length=1)
    risk: RiskPolicy | None = None


class PolicyError(RulesetError):
    code = "followup_policy_invalid"
    title = "Invalid follow-up policy"


def load_policy(path: str | Path, *, ruleset: Ruleset | None = None) -> FollowupPolicy:
    """Read and validate a policy file; with ``ruleset``, every rule id pattern must match."""
    file = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError([RulesetProblem(file, "-", "-", f"cannot read YAML: {exc}")]) from exc
    return parse_policy(raw, file=file, ruleset=ruleset)


def parse_policy(raw: Any, *, file: str, ruleset: Ruleset | None = None) -> FollowupPolicy:
    """Validate an already-parsed policy mapping (``file`` names it in error messages)."""
    try:
        policy = FollowupPolicy.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = [str(p) for p in error["loc"]]
            rule = "-"
            if len(loc) >= 2 and loc[0] == "rules" and loc[1].isdigit() and isinstance(raw, dict):
                items = raw.get("rules") or []
                index = int(loc[1])
                item = items[index] if index < len(items) else None
                rule = str(item.get("id")) if isinstance(item, dict) else f"rules[{index}]"
                loc = loc[2:]
            problems.append(RulesetProblem(file, rule, dotted_field(loc), error["msg"]))
        raise PolicyError(problems) from exc
    problems = list(_check(file, policy, ruleset))
    if problems:
        raise PolicyError(problems)
    return policy


def _rule_ids(ruleset: Ruleset) -> set[str]:
    doc = ruleset.document
    return {
        *CRITERIA,
        *(r.id for r in doc.reference_ranges),
        *(r.id for r in doc.coded),
        *(r.id for r in doc.deltas),
    }


def _check(file: str, policy: FollowupPolicy, ruleset: Ruleset | None) -> Iterator[RulesetProblem]:
    seen: set[str] = set()
    known_ids = _rule_ids(ruleset) if ruleset is not None else None
    families = {*ruleset.document.families, *CRITERIA.values()} if ruleset is not None else None
    if policy.risk is not None and policy.risk.reason not in policy.reasons:
        yield RulesetProblem(file, "risk", "reason", f"unknown reason {policy.risk.reason!r}")
    for rule in policy.rules:

        def problem(field: str, message: str, rid: str = rule.id) -> RulesetProblem:
            return RulesetProblem(file, rid, field, message)

        if rule.id in seen:
            yield problem("id", "duplicate rule id")
        seen.add(rule.id)
        if not any(rule.match.model_dump().values()):
            yield problem("match", "matches every finding; name at least one field")
        if (rule.due.days is None) == (rule.due.hours is None):
            yield problem("due", "give exactly one of 'days' or 'hours'")
        if rule.reason not in policy.reasons:
            yield problem("reason", f"unknown reason {rule.reason!r}")
        if known_ids is not None:
            for pattern in rule.match.rule_id:
                if not any(fnmatchcase(rid, pattern) for rid in known_ids):
                    yield problem("match.rule_id", f"{pattern!r} matches no rule in the ruleset")
        if families is not None:
            for family in rule.match.family:
                if family not in families:
                    yield problem("match.family", f"unknown family {family!r}")
        if ruleset is not None:
            for analyte in rule.match.analyte:
                if analyte not in ruleset.analyte_units and ruleset.family(analyte) == "other":
                    yield problem("match.analyte", f"unknown analyte {analyte!r}")


@lru_cache(maxsize=1)
def default_policy() -> FollowupPolicy:
    """The packaged follow-up policy, checked against the packaged ruleset."""
    ref = resources.files("health.rulesets").joinpath(DEFAULT_POLICY_FILE)
    with resources.as_file(ref) as path:
        return load_policy(path, ruleset=default_ruleset())
