"""Closing the loop: a recheck result completes, refers or escalates its open recheck task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from health.errors import Conflict, Invalid
from health.followup.lifecycle import TaskState
from health.followup.recheck import (
    FollowOn,
    RecheckMismatch,
    close_recheck,
    decide_frame,
    decide_recheck,
    worst_by_family,
)
from health.screening.finding import Finding
from health.screening.vocabulary import Severity

NOW = datetime(2026, 4, 1, 8, 30, tzinfo=UTC)
DUE = datetime(2026, 4, 15, tzinfo=UTC)

# (grade, action, follow-on or None); urgent contact values follow fu.critical_contact
# (priority 1, due 24 h) in health/rulesets/followup_default.yaml
DECISIONS: list[tuple[Severity, str, FollowOn | None]] = [
    ("normal", "complete", None),
    ("borderline", "complete", None),
    (
        "abnormal",
        "refer",
        FollowOn("referral", "glucose", 2, NOW + timedelta(days=30), "recheck_still_abnormal"),
    ),
    (
        "critical",
        "escalate",
        FollowOn("urgent_contact", "glucose", 1, NOW + timedelta(hours=24), "critical_result"),
    ),
]


@pytest.mark.parametrize(("grade", "action", "follow_on"), DECISIONS)
def test_recheck_grade_decides_action_and_follow_on(
    grade: Severity, action: str, follow_on: FollowOn | None
) -> None:
    decision = decide_recheck("glucose", "glucose", grade, priority=2, now=NOW)
    assert (decision.action, decision.grade, decision.follow_on) == (action, grade, follow_on)


def test_result_for_another_family_does_not_answer_the_recheck() -> None:
    with pytest.raises(RecheckMismatch):
        decide_recheck("glucose", "lipids", "normal", priority=3, now=NOW)


@pytest.mark.parametrize("grade", ["normal", "borderline", "abnormal", "critical"])
def test_recheck_task_always_completes_with_its_result(grade: Severity) -> None:
    state = TaskState("recheck", "requested", DUE)
    decision = decide_recheck("glucose", "glucose", grade, priority=3, now=NOW)
    result = close_recheck(state, NOW, why=f"recheck result: {decision.action}")
    assert (result.state.status, result.state.outcome) == ("completed", "done_with_result")
    assert (result.event.actor_role, result.event.from_status) == ("system", "requested")


def test_second_result_for_a_closed_recheck_is_a_conflict() -> None:
    closed = close_recheck(TaskState("recheck", "in-progress", DUE), NOW).state
    with pytest.raises(Conflict):
        close_recheck(closed, NOW)


def test_only_recheck_tasks_are_closed_by_results() -> None:
    with pytest.raises(Invalid):
        close_recheck(TaskState("referral", "requested", DUE), NOW)


def finding(family: str, severity: Severity) -> Finding:
    return Finding(
        rule_id=f"{family}.x",
        kind="grade",
        family=family,
        analyte=None,
        severity=severity,
        interpretation="N",
        category="x",
        inputs=(),
        threshold="",
        reference_low=None,
        reference_high=None,
        source="",
        advice=None,
        ruleset="r",
        ruleset_version="1",
    )


# (findings as (family, severity), expected worst per family)
WORST: list[tuple[list[tuple[str, Severity]], dict[str, Severity]]] = [
    ([], {}),
    ([("glucose", "normal")], {"glucose": "normal"}),
    ([("glucose", "normal"), ("glucose", "abnormal")], {"glucose": "abnormal"}),
    ([("lipids", "critical"), ("lipids", "borderline")], {"lipids": "critical"}),
    (
        [("glucose", "borderline"), ("lipids", "normal"), ("glucose", "normal")],
        {"glucose": "borderline", "lipids": "normal"},
    ),
]


@pytest.mark.parametrize(("pairs", "expected"), WORST)
def test_worst_grade_per_family_wins(
    pairs: list[tuple[str, Severity]], expected: dict[str, Severity]
) -> None:
    assert worst_by_family(finding(f, s) for f, s in pairs) == expected


def test_frame_decisions_agree_with_one_by_one_decisions() -> None:
    grades: list[Severity] = ["normal", "borderline", "abnormal", "critical", "abnormal"]
    frame = pd.DataFrame(
        {
            "family": ["glucose"] * 5,
            "result_family": ["glucose"] * 5,
            "grade": grades,
            "priority": [3, 3, 2, 4, 4],
        }
    )
    out = decide_frame(frame, NOW)
    for i, row in frame.iterrows():
        one = decide_recheck(
            row["family"], row["result_family"], row["grade"], priority=row["priority"], now=NOW
        )
        assert out.loc[i, "action"] == one.action
        if one.follow_on is None:
            assert pd.isna(out.loc[i, "follow_on_type"])
            assert pd.isna(out.loc[i, "follow_on_due"])
        else:
            assert out.loc[i, "follow_on_type"] == one.follow_on.type
            assert out.loc[i, "follow_on_priority"] == one.follow_on.priority
            assert out.loc[i, "follow_on_due"] == one.follow_on.due


def test_frame_refuses_mismatched_family() -> None:
    frame = pd.DataFrame(
        {"family": ["glucose"], "result_family": ["lipids"], "grade": ["normal"], "priority": [3]}
    )
    with pytest.raises(RecheckMismatch):
        decide_frame(frame, NOW)
