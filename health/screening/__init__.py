"""Screening: grade results, apply guideline criteria and delta checks.

Entry points: ``screen_one`` (one JSON checkup) and ``screen_frame`` (a session, column-wise);
what follows from the findings is ``health.followup``'s. Clinical content is YAML in
health/rulesets.
"""

from health.screening.engine import findings_from_frame, screen_frame, screen_one
from health.screening.finding import Advice, Demographics, Finding
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
    "Ruleset",
    "RulesetError",
    "RulesetProblem",
    "default_ruleset",
    "findings_from_frame",
    "load_ruleset",
    "parse_ruleset",
    "screen_frame",
    "screen_one",
]
