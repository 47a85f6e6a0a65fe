"""Turn findings into task plans: type, priority, due date, the findings behind each task.

Plans merge to one task per checkup + task type + analyte family, so five abnormal lipid
results give one lipid recheck, not five. ``plan_tasks`` serves the JSON path; ``plan_frame``
does the same over a whole findings frame with column operations.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fnmatch import fnmatchcase
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from health.followup.policy import FollowupPolicy, PolicyRule, default_policy
from health.screening.finding import Finding
from health.vocabulary import TaskType

PLAN_COLUMNS = ("key", "type", "family", "priority", "due", "finding_rule_ids", "reason")
ID_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class TaskPlan:
    """A task to create or merge into an open one; ``key`` identifies the checkup/officer."""

    type: TaskType
    family: str
    priority: int
    due: datetime
    finding_rule_ids: tuple[str, ...]
    reason: str
    key: Hashable | None = None

    @property
    def merge_key(self) -> tuple[Hashable | None, str, str]:
        return (self.key, self.type, self.family)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _offset(rule: PolicyRule) -> timedelta:
    if rule.due.hours is not None:
        return timedelta(hours=rule.due.hours)
    return timedelta(days=rule.due.days or 0)


def _matches(rule: PolicyRule, finding: Finding) -> bool:
    m = rule.match
    return (
        (not m.rule_id or any(fnmatchcase(finding.rule_id, p) for p in m.rule_id))
        and (not m.kind or finding.kind in m.kind)
        and (not m.severity or finding.severity in m.severity)
        and (not m.family or finding.family in m.family)
        and (not m.analyte or finding.analyte in m.analyte)
        and (not m.category or finding.category in m.category)
    )


def _winner(plans: list[TaskPlan], order: dict[int, int]) -> TaskPlan:
    best = min(plans, key=lambda p: (p.priority, p.due, order[id(p)]))
    return TaskPlan(
        type=best.type,
        family=best.family,
        priority=best.priority,
        due=min(p.due for p in plans),
        finding_rule_ids=tuple(sorted({r for p in plans for r in p.finding_rule_ids})),
        reason=best.reason,
        key=best.key,
    )


def merge_plans(plans: Iterable[TaskPlan]) -> list[TaskPlan]:
    """One plan per merge key: most urgent priority, earliest due, union of findings.

    The reason comes from the most urgent candidate (ties: earliest due, then first given);
    pass open tasks first to let them win ties.
    """
    groups: dict[tuple[Hashable | None, str, str], list[TaskPlan]] = {}
    order: dict[int, int] = {}
    for i, plan in enumerate(plans):
        groups.setdefault(plan.merge_key, []).append(plan)
        order[id(plan)] = i
    merged = [_winner(group, order) for group in groups.values()]
    return sorted(merged, key=lambda p: (p.priority, p.due, p.type, p.family))


def plan_tasks(
    findings: Iterable[Finding],
    exam_date: date,
    policy: FollowupPolicy | None = None,
    *,
    screened_at: datetime | None = None,
    key: Hashable | None = None,
) -> list[TaskPlan]:
    """Plans for one checkup; 'screened' due dates (the default) count from ``screened_at``,
    which defaults to the exam date for callers that plan without a clock."""
    pol = policy or default_policy()
    base = {"exam": _start_of(exam_date), "screened": screened_at or _start_of(exam_date)}
    listed = list(findings)
    candidates = (
        TaskPlan(
            type=rule.task,
            family=finding.family,
            priority=rule.priority,
            due=base[rule.due.from_] + _offset(rule),
            finding_rule_ids=(finding.rule_id,),
            reason=rule.reason,
            key=key,
        )
        for rule in pol.rules
        for finding in listed
        if _matches(rule, finding)
    )
    return merge_plans(candidates)


NS_PER_DAY = 86_400 * 10**9


def _utc_ns(values: Any) -> npt.NDArray[np.int64]:
    """Datetimes (naive = UTC, or aware) as int64 nanoseconds since the epoch, UTC."""
    index = pd.DatetimeIndex(pd.to_datetime(values))
    index = index.tz_localize(UTC) if index.tz is None else index.tz_convert(UTC)
    ns: npt.NDArray[np.int64] = index.as_unit("ns").asi8
    return ns


def _codes(column: pd.Series) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Integer codes and their values, free for categoricals (as screen_frame returns)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = cast(npt.NDArray[np.intp], column.cat.codes.to_numpy(dtype=np.intp))
        return codes, list(column.cat.categories)
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    return codes.astype(np.intp), list(uniques)


def _match_mask(rule: PolicyRule, fields: dict[str, tuple[Any, list[Any]]]) -> Any:
    mask: Any = True
    for name, wanted in (
        ("kind", rule.match.kind),
        ("severity", rule.match.severity),
        ("family", rule.match.family),
        ("analyte", rule.match.analyte),
        ("category", rule.match.category),
    ):
        if wanted:
            codes, values = fields[name]
            mask = mask & np.isin(codes, [i for i, v in enumerate(values) if v in wanted])
    if rule.match.rule_id:
        codes, values = fields["rule_id"]
        hit = [
            i for i, v in enumerate(values) if any(fnmatchcase(v, p) for p in rule.match.rule_id)
        ]
        mask = mask & np.isin(codes, hit)
    return mask


def plan_frame(
    findings: pd.DataFrame,
    exam_dates: pd.Series,
    policy: FollowupPolicy | None = None,
    *,
    screened_at: datetime | pd.Series | None = None,
) -> pd.DataFrame:
    """Plans for a findings frame (from ``screen_frame``), column-wise.

    ``exam_dates`` and the optional ``screened_at`` series are indexed by the findings' key.
    Returns one row per task with ``finding_rule_ids`` joined by '|'.
    """
    pol = policy or default_policy()
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PLAN_COLUMNS})
    if findings.empty:
        return empty
    key_codes, key_values = _codes(findings["key"])
    exam_by_key = _utc_ns(exam_dates.reindex(key_values).to_numpy())
    exam_by_key = exam_by_key // NS_PER_DAY * NS_PER_DAY
    if screened_at is None:
        screened_by_key = exam_by_key
    elif isinstance(screened_at, pd.Series):
        screened_by_key = _utc_ns(screened_at.reindex(key_values).to_numpy())
    else:
        screened_by_key = np.full(len(key_values), _utc_ns([screened_at])[0])
    fields = {
        name: _codes(findings[name])
        for name in ("rule_id", "kind", "severity", "family", "analyte", "category")
    }
    positions, policy_index = [], []
    for i, rule in enumerate(pol.rules):
        mask = np.broadcast_to(_match_mask(rule, fields), (len(findings),))
        hit = np.flatnonzero(mask)
        positions.append(hit)
        policy_index.append(np.full(len(hit), i))
    pos = np.concatenate(positions)
    rule_no = np.concatenate(policy_index)
    if len(pos) == 0:
        return empty
    offset_ns = np.array([_offset(r) // timedelta(microseconds=1) * 1000 for r in pol.rules])
    from_screened = np.array([r.due.from_ == "screened" for r in pol.rules])[rule_no]
    key_at = key_codes[pos]
    base = np.where(from_screened, screened_by_key[key_at], exam_by_key[key_at])
    family_codes, family_values = fields["family"]
    rule_codes, rule_values = fields["rule_id"]
    candidates = pd.DataFrame(
        {
            "key_order": key_at,
            "type": np.array([r.task for r in pol.rules], dtype=object)[rule_no],
            "family": np.asarray(family_values, dtype=object)[family_codes[pos]],
            "priority": np.array([r.priority for r in pol.rules])[rule_no],
            "due": base + offset_ns[rule_no],
            "rule_no": rule_no,
            "reason": np.array([r.reason for r in pol.rules], dtype=object)[rule_no],
            "rule_id": np.asarray(rule_values, dtype=object)[rule_codes[pos]],
        }
    )
    plans = _merge_frame(candidates)
    plans.insert(0, "key", pd.Index(key_values).take(plans.pop("key_order").to_numpy()))
    plans["due"] = pd.to_datetime(plans["due"].to_numpy(dtype=np.int64), unit="ns", utc=True)
    return plans


def _merge_frame(c: pd.DataFrame) -> pd.DataFrame:
    c["group"] = c.groupby(["key_order", "type", "family"], sort=False).ngroup()
    c = c.sort_values(["group", "priority", "due", "rule_no"], kind="stable")
    first = c.drop_duplicates("group", keep="first").set_index("group")
    earliest = c.groupby("group")["due"].min()
    ids = c[["group", "rule_id"]].drop_duplicates().sort_values(["group", "rule_id"])
    groups = ids["group"].to_numpy()
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    labels = (ids["rule_id"] + ID_SEPARATOR).to_numpy(dtype=object)
    joined_text = np.add.reduceat(labels, starts).astype(str)
    joined = pd.Series(np.strings.slice(joined_text, 0, -1), index=groups[starts], dtype=object)
    out = pd.DataFrame(
        {
            "key_order": first["key_order"],
            "type": first["type"],
            "family": first["family"],
            "priority": first["priority"],
            "due": earliest,
            "finding_rule_ids": joined,
            "reason": first["reason"],
        }
    )
    out = out.sort_values(["key_order", "priority", "due", "type", "family"], kind="stable")
    return out.reset_index(drop=True)


def plans_from_frame(frame: pd.DataFrame) -> dict[Hashable, list[TaskPlan]]:
    """Task plans per key from ``plan_frame`` output (e.g. to create or merge task rows)."""
    out: dict[Hashable, list[TaskPlan]] = {}
    rows: Iterable[Any] = frame.itertuples(index=False)  # columns: PLAN_COLUMNS
    for row in rows:
        out.setdefault(row.key, []).append(
            TaskPlan(
                type=TaskType(row.type),
                family=row.family,
                priority=int(row.priority),
                due=row.due.to_pydatetime(),
                finding_rule_ids=tuple(row.finding_rule_ids.split(ID_SEPARATOR)),
                reason=row.reason,
                key=row.key,
            )
        )
    return out
