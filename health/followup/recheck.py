"""Closing the loop: a recheck result for the same analyte family decides its open recheck task.

=============  ==========  =====================================================================
worst grade    action      what happens
=============  ==========  =====================================================================
normal         complete    the recheck is done with its result; nothing follows
borderline     complete    not confirmed; the new checkup's own screening plans any lifestyle
                           task (e.g. fu.bp_high_normal), so none is planned here
abnormal       refer       the recheck is done (result: still abnormal) and a referral follows,
                           as urgent as the recheck was, due in ``referral_due``
critical       escalate    the recheck is done and an urgent contact follows: priority 1, due in
                           24 h, reason ``critical_result`` (as fu.critical_contact in
                           followup_default.yaml)
=============  ==========  =====================================================================

The grade is the worst over the family's findings on the new checkup (screen with
``include_normal=True`` so that a now-normal result is a finding at all). The recheck task itself
always completes with ``done_with_result``: the recheck happened; what it found lives in the
follow-on task, which the service links to the recheck and merges with what screening the new
checkup planned (``merge_plans``: same officer, type and family become one task).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

import pandas as pd

from health.errors import Invalid
from health.followup.lifecycle import SYSTEM, Command, TaskState, Transition, transition
from health.screening.finding import Finding
from health.screening.vocabulary import SEVERITIES, Severity
from health.vocabulary import Outcome, TaskMove, TaskType

RecheckAction = Literal["complete", "refer", "escalate"]
ACTIONS_BY_GRADE: Final[dict[Severity, RecheckAction]] = {
    "normal": "complete",
    "borderline": "complete",
    "abnormal": "refer",
    "critical": "escalate",
}
REFERRAL_REASON: Final = "recheck_still_abnormal"
URGENT_REASON: Final = "critical_result"
DECISION_COLUMNS: Final = ("action", "follow_on_type", "follow_on_priority", "follow_on_due")


class RecheckMismatch(Invalid):
    """The result is for another analyte family than the recheck task waits for."""

    code = "recheck_family_mismatch"
    title = "Result does not answer this recheck"


@dataclass(frozen=True, slots=True)
class RecheckPolicy:
    """DEPLOYMENT POLICY for follow-ons; the urgent values mirror fu.critical_contact."""

    referral_due: timedelta = timedelta(days=30)
    urgent_due: timedelta = timedelta(hours=24)
    urgent_priority: int = 1


@dataclass(frozen=True, slots=True)
class FollowOn:
    """The task a recheck result calls for (the lead turns it into a TaskPlan and merges it)."""

    type: TaskType
    family: str
    priority: int
    due: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class RecheckDecision:
    action: RecheckAction
    grade: Severity
    follow_on: FollowOn | None


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise Invalid("now must be timezone-aware (UTC)", code="naive_datetime")


def worst_by_family(findings: Iterable[Finding]) -> dict[str, Severity]:
    """The worst grade per analyte family on one checkup (normal < borderline < ... < critical)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    worst: dict[str, Severity] = {}
    for finding in findings:
        current = worst.get(finding.family)
        if current is None or rank[finding.severity] > rank[current]:
            worst[finding.family] = finding.severity
    return worst


def decide_recheck(
    task_family: str,
    result_family: str,
    grade: Severity,
    *,
    priority: int,
    now: datetime,
    policy: RecheckPolicy | None = None,
) -> RecheckDecision:
    """What a new result means for the open recheck task waiting for its family."""
    _require_aware(now)
    if task_family != result_family:
        raise RecheckMismatch("the result's analyte family differs from the recheck's")
    if grade not in ACTIONS_BY_GRADE:
        raise Invalid(f"unknown grade {grade!r}", code="unknown_grade")
    pol = policy or RecheckPolicy()
    action = ACTIONS_BY_GRADE[grade]
    follow_on = None
    if action == "refer":
        follow_on = FollowOn(
            TaskType.REFERRAL, task_family, priority, now + pol.referral_due, REFERRAL_REASON
        )
    elif action == "escalate":
        follow_on = FollowOn(
            TaskType.URGENT_CONTACT,
            task_family,
            pol.urgent_priority,
            now + pol.urgent_due,
            URGENT_REASON,
        )
    return RecheckDecision(action, grade, follow_on)


def close_recheck(
    state: TaskState,
    now: datetime,
    *,
    actor_id: str = SYSTEM,
    actor_role: str = SYSTEM,
    why: str | None = None,
) -> Transition:
    """Complete the recheck task (whatever the decision), through the lifecycle ``transition``."""
    if state.type != TaskType.RECHECK:
        raise Invalid("only a recheck task is closed by a recheck result", code="not_a_recheck")
    command = Command(TaskMove.COMPLETE, outcome=Outcome.DONE_WITH_RESULT, why=why)
    return transition(state, command, actor_role, now, actor_id=actor_id)


def decide_frame(
    rechecks: pd.DataFrame, now: datetime, policy: RecheckPolicy | None = None
) -> pd.DataFrame:
    """``decide_recheck`` over columns for a bulk upload: rechecks already joined to results.

    Input columns: family, result_family, grade, priority. Output: DECISION_COLUMNS on the
    same index (follow-on columns empty where nothing follows).
    """
    _require_aware(now)
    pol = policy or RecheckPolicy()
    if (rechecks["family"] != rechecks["result_family"]).any():
        raise RecheckMismatch("a result's analyte family differs from its recheck's")
    unknown = ~rechecks["grade"].isin(list(ACTIONS_BY_GRADE))
    if unknown.any():
        raise Invalid("unknown grade in recheck results", code="unknown_grade")
    action = rechecks["grade"].map(ACTIONS_BY_GRADE)
    refer, escalate = action == "refer", action == "escalate"
    follow_type = pd.Series(None, index=rechecks.index, dtype=object)
    follow_type[refer] = TaskType.REFERRAL
    follow_type[escalate] = TaskType.URGENT_CONTACT
    follow_priority = pd.Series(pd.NA, index=rechecks.index, dtype="Int64")
    follow_priority[refer] = rechecks.loc[refer, "priority"].astype("Int64")
    follow_priority[escalate] = pol.urgent_priority
    stamp = pd.Timestamp(now)
    follow_due = pd.Series(pd.NaT, index=rechecks.index, dtype=pd.DatetimeTZDtype("ns", "UTC"))
    follow_due[refer] = stamp + pol.referral_due
    follow_due[escalate] = stamp + pol.urgent_due
    return pd.DataFrame(
        {
            "action": action.astype(object),
            "follow_on_type": follow_type,
            "follow_on_priority": follow_priority,
            "follow_on_due": follow_due,
        }
    )
