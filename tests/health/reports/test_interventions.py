"""Each analysis condition recommends what the packaged follow-up policy plans for it."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from health.followup.policy import default_policy
from health.reports.conditions import CONDITIONS
from health.reports.interventions import SCREENING_RULES, interventions
from health.screening.criterion_ids import CRITERIA
from health.screening.ruleset import default_ruleset


def test_every_condition_is_linked_to_rules_the_ruleset_has() -> None:
    assert set(SCREENING_RULES) == {c.code for c in CONDITIONS}
    doc = default_ruleset().document
    known = {
        *CRITERIA,
        *(r.id for r in doc.reference_ranges),
        *(r.id for r in doc.coded),
        *(r.id for r in doc.deltas),
    }
    for patterns in SCREENING_RULES.values():
        for pattern in patterns:
            assert any(fnmatchcase(k, pattern) for k in known), pattern


@pytest.mark.parametrize(
    ("condition", "rule_ids"),
    [
        # followup_default.yaml: grade 3 referral first, then the two confirmation rechecks.
        ("hypertension", ["fu.bp_grade_3", "fu.bp_grade_2"]),
        ("prediabetes", ["fu.ifg"]),
        ("fatty_liver", ["fu.fatty_liver"]),
        ("ckd", ["fu.ckd_care", "fu.ckd_confirm"]),
    ],
)
def test_interventions_come_from_the_policy_most_urgent_first(
    condition: str, rule_ids: list[str]
) -> None:
    found = interventions(default_policy(), condition, "en")
    assert [i.rule_id for i in found][: len(rule_ids)] == rule_ids
    policy_ids = {r.id for r in default_policy().rules}
    assert all(i.rule_id in policy_ids for i in found)
    assert [i.priority for i in found] == sorted(i.priority for i in found)


def test_interventions_read_in_chinese_with_the_policy_reason_and_basis() -> None:
    found = interventions(default_policy(), "hyperuricaemia", "zh")
    confirm = next(i for i in found if i.rule_id == "fu.ua_confirm")
    assert confirm.reason == "改日复查血尿酸以确认"
    assert confirm.task_name == "复查" and confirm.due == "30 天内"
    assert confirm.basis is not None and "2019" in confirm.basis
