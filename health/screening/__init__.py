"""Screening: grade results, apply guideline criteria and delta checks, plan follow-up.

Entry points: ``screen_one`` (one JSON checkup) and ``screen_frame`` (a session, column-wise),
then ``plan_tasks`` / ``plan_frame`` for follow-up. Clinical content is YAML in health/rulesets.
"""

from health.screening.engine import findings_from_frame, screen_frame, screen_one
from health.screening.finding import Advice, Demographics, Finding
from health.screening.followup import (
    TaskPlan,
    merge_plans,
    plan_frame,
    plan_tasks,
    plans_from_frame,
)
from health.screening.followup_policy import (
    FollowupPolicy,
    PolicyError,
    default_policy,
    load_policy,
)
from health.screening.ruleset import (
    Ruleset,
    RulesetError,
    RulesetProblem,
    default_ruleset,
    load_ruleset,
    parse_ruleset,
)

__all__ = [
    "Advice",
    "Demographics",
    "Finding",
    "FollowupPolicy",
    "PolicyError",
    "Ruleset",
    "RulesetError",
    "RulesetProblem",
    "TaskPlan",
    "default_policy",
    "default_ruleset",
    "findings_from_frame",
    "load_policy",
    "load_ruleset",
    "merge_plans",
    "parse_ruleset",
    "plan_frame",
    "plan_tasks",
    "plans_from_frame",
    "screen_frame",
    "screen_one",
]
