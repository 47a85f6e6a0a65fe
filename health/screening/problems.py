"""Findings grouped by problem: one entry per condition, instead of one per analyte, criterion
and change.

Screening emits a finding per graded result, per guideline criterion and per change since the
last checkup, so raised blood pressure arrives as an SBP grade, a DBP grade, a grade-1 criterion
and perhaps a "worse than last year" change, each with its own advice. A reader needs one entry:
the condition, the results behind it, one piece of advice and what happens next.

Rules (every finding lands in exactly one problem; tests check nothing is lost or doubled):
1. Guideline criteria (kinds criterion, confirmation, control) form one problem per family.
2. A graded result joins its family's criterion problem when it is an input of that criterion
   (SBP and DBP join the blood-pressure grade); otherwise results of one family that share
   their advice form a problem (ALT and AST raised: one "liver enzymes raised").
3. A coded finding (ECG, ultrasound, X-ray, eye) forms a problem with the coded findings of its
   family that share its advice (PVC and PAC: one "extra beats").
4. A change since the last checkup joins the problem of its analyte's current grade; without
   one it forms a problem with the changes of its family that share its advice.
The headline finding (most severe, criteria before single results) gives the advice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from health.screening.vocabulary import SEVERITIES

CRITERION_KINDS = frozenset({"criterion", "confirmation", "control"})
KIND_ORDER = {"criterion": 0, "confirmation": 0, "control": 0, "grade": 1, "coded": 2, "delta": 3}
RANK: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Problem:
    """One condition: ``members`` index the findings behind it, ``headline`` gives the advice."""

    key: str
    family: str
    severity: str
    headline: int
    members: tuple[int, ...]

    def rule_ids(self, findings: Sequence[Mapping[str, Any]]) -> frozenset[str]:
        return frozenset(str(findings[i]["rule_id"]) for i in self.members)


def _input_codes(finding: Mapping[str, Any]) -> set[str]:
    codes = set()
    for pair in finding.get("inputs") or ():
        code = str(pair[0])
        codes.add(code.removeprefix("prev."))
    return codes


def _own_key(finding: Mapping[str, Any]) -> str:
    topic = finding.get("advice_key") or finding["category"]
    return f"{finding['family']}:{topic}"


def problem_keys(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The problem each finding belongs to, by the rules in the module docstring."""
    criterion_inputs: dict[str, set[str]] = {}
    for f in findings:
        if f["kind"] in CRITERION_KINDS:
            criterion_inputs.setdefault(str(f["family"]), set()).update(_input_codes(f))
    keys: list[str] = []
    grade_key: dict[str, str] = {}
    for f in findings:
        family = str(f["family"])
        if f["kind"] in CRITERION_KINDS:
            key = family
        elif f["kind"] == "grade":
            key = family if f.get("analyte") in criterion_inputs.get(family, ()) else _own_key(f)
            if f.get("analyte"):
                grade_key.setdefault(str(f["analyte"]), key)
        else:
            key = _own_key(f)
        keys.append(key)
    for i, f in enumerate(findings):
        if f["kind"] == "delta" and f.get("analyte") in grade_key:
            keys[i] = grade_key[str(f["analyte"])]
    return keys


def _headline_order(finding: Mapping[str, Any], position: int) -> tuple[int, int, int, int]:
    has_advice = 0 if finding.get("advice_key") else 1
    rank = -RANK.get(str(finding["severity"]), 0)
    return (has_advice, rank, KIND_ORDER.get(str(finding["kind"]), 9), position)


def group_findings(findings: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Problems in order of severity (most severe first), then of first appearance."""
    members: dict[str, list[int]] = {}
    for i, key in enumerate(problem_keys(findings)):
        members.setdefault(key, []).append(i)
    problems = []
    for key, indices in members.items():
        headline = min(indices, key=lambda i: _headline_order(findings[i], i))
        worst = max(indices, key=lambda i: RANK.get(str(findings[i]["severity"]), 0))
        problems.append(
            Problem(
                key=key,
                family=str(findings[headline]["family"]),
                severity=str(findings[worst]["severity"]),
                headline=headline,
                members=tuple(indices),
            )
        )
    problems.sort(key=lambda p: (-RANK.get(p.severity, 0), p.members[0]))
    return problems
