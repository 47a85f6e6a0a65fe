"""Follow-up policy: findings → merged task plans with priority and due dates."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import pandas as pd
import pytest
import yaml

from health.followup.plans import (
    TaskPlan,
    merge_plans,
    plan_frame,
    plan_tasks,
    plans_from_frame,
)
from health.followup.policy import PolicyError, default_policy, parse_policy
from health.screening.engine import findings_from_frame, screen_frame, screen_one
from health.screening.finding import Demographics
from health.screening.ruleset import default_ruleset

EXAM = date(2026, 3, 2)
MIDNIGHT = datetime(2026, 3, 2, tzinfo=UTC)
OFFICER = Demographics("M", 45)


def plans(values: dict[str, Any], **kwargs: Any) -> list[TaskPlan]:
    return plan_tasks(screen_one(values, OFFICER), EXAM, **kwargs)


def test_default_policy_loads_against_the_default_ruleset() -> None:
    policy = default_policy()
    assert (policy.name, policy.version) == ("followup_default", "followup-2026.3")


def test_critical_result_is_an_urgent_contact_due_24_hours_after_screening() -> None:
    screened = datetime(2026, 3, 9, 15, 30, tzinfo=UTC)
    (task,) = [t for t in plans({"hb": 60}, screened_at=screened) if t.type == "urgent_contact"]
    assert (task.priority, task.due, task.reason) == (
        1,
        screened + timedelta(hours=24),
        "critical_result",
    )
    assert task.finding_rule_ids == ("ref.hb",)


def test_recheck_interval_counts_from_the_exam_date() -> None:
    # 中国2型糖尿病防治指南2020: confirm on another day -> policy recheck within 14 days.
    (task,) = plans({"glu": 7.3})
    assert (task.type, task.family, task.priority) == ("recheck", "glucose", 2)
    assert task.due == MIDNIGHT + timedelta(days=14)
    assert task.reason == "confirm_diabetes"


def test_findings_merge_into_one_task_per_type_and_family() -> None:
    lipid = [
        t for t in plans({"tc": 6.6, "ldl": 4.4, "tg": 2.6, "hdl": 0.9}) if t.family == "lipids"
    ]
    assert sorted(t.type for t in lipid) == ["lifestyle", "recheck"]
    recheck = next(t for t in lipid if t.type == "recheck")
    assert recheck.finding_rule_ids == ("lipids.dyslipidaemia",)
    body = [t for t in plans({"bmi": 30, "waist": 95}) if t.family == "body"]
    assert len(body) == 1 and body[0].finding_rule_ids == ("body.central_obesity", "body.obesity")


def test_suspected_malignancy_gets_contact_referral_and_home_visit() -> None:
    types = {t.type: t for t in plans({"us_abd": ["liver_mass"]})}
    assert set(types) == {"urgent_contact", "referral", "home_visit"}
    assert types["referral"].due == MIDNIGHT + timedelta(days=7)


def test_merging_keeps_the_most_urgent_priority_and_earliest_due() -> None:
    early = TaskPlan("recheck", "lipids", 3, MIDNIGHT + timedelta(days=30), ("a",), "r1", key=1)
    urgent = TaskPlan("recheck", "lipids", 2, MIDNIGHT + timedelta(days=60), ("b",), "r2", key=1)
    other = TaskPlan("recheck", "lipids", 2, MIDNIGHT, ("c",), "r3", key=2)
    merged = merge_plans([early, urgent, other])
    first = next(p for p in merged if p.key == 1)
    assert (first.priority, first.due, first.reason) == (2, MIDNIGHT + timedelta(days=30), "r2")
    assert first.finding_rule_ids == ("a", "b")
    assert len(merged) == 2


def test_an_open_task_absorbs_new_findings() -> None:
    open_task = TaskPlan("recheck", "glucose", 2, MIDNIGHT, ("glucose.ifg",), "prediabetes", key=7)
    new = plan_tasks(screen_one({"glu": 7.3}, OFFICER), EXAM, key=7)
    (merged,) = merge_plans([open_task, *new])
    assert merged.finding_rule_ids == ("glucose.diabetes_range_unconfirmed", "glucose.ifg")
    assert merged.due == MIDNIGHT


def test_plan_frame_matches_plan_tasks() -> None:
    frame = pd.DataFrame(
        [
            {"sex": "M", "age": 50, "sbp": 165, "dbp": 100, "glu": 7.4, "hb": 60, "ua": 450},
            {"sex": "F", "age": 30, "tc": 6.5, "tg": 2.6, "hdl": 0.9, "waist": 90, "bmi": 29},
            {"sex": "M", "age": 40, "hb": 150},
            {"sex": "F", "age": 61, "egfr": 50, "ecg": ["av_block_3", "pvc"], "eye": "cataract"},
        ],
        index=["a", "b", "c", "d"],
    )
    previous = pd.DataFrame([{"egfr": 80, "weight": 60}], index=["d"])
    findings = screen_frame(frame, previous_df=previous)
    exams = pd.Series([EXAM, EXAM + timedelta(days=1), EXAM, EXAM], index=frame.index)
    screened = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    table = plan_frame(findings, exams, screened_at=screened)
    from_frame = plans_from_frame(table)
    for key, found in findings_from_frame(findings).items():
        expected = plan_tasks(found, exams[key], screened_at=screened, key=key)
        assert from_frame[key] == expected
    assert "c" not in from_frame
    assert str(table["due"].dt.tz) == "UTC"


def test_plan_frame_of_no_findings_is_empty() -> None:
    empty = screen_frame(pd.DataFrame({"sex": ["M"], "age": [40.0]}))
    assert plan_frame(empty, pd.Series([EXAM], index=[0])).empty


def _policy_raw() -> dict[str, Any]:
    path = resources.files("health.rulesets").joinpath("followup_default.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return copy.deepcopy(data)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["rules"][1]["match"].update(rule_id=["bp.grade_9"]), "match.rule_id"),
        (lambda r: r["rules"][1].update(reason="nope"), "reason"),
        (lambda r: r["rules"][1].update(task="phone"), "task"),
        (lambda r: r["rules"][1].update(due={"days": 3, "hours": 4}), "due"),
        (lambda r: r["rules"][1].update(match={}), "match"),
        (lambda r: r["rules"][1].update(priority=0), "priority"),
    ],
)
def test_bad_policy_is_refused_naming_the_rule_and_field(mutate: Any, field: str) -> None:
    raw = _policy_raw()
    mutate(raw)
    with pytest.raises(PolicyError) as caught:
        parse_policy(raw, file="policy.yaml", ruleset=default_ruleset())
    assert any(
        p.file == "policy.yaml" and p.rule == "fu.bp_high_normal" and p.field == field
        for p in caught.value.problems
    ), [str(p) for p in caught.value.problems]
