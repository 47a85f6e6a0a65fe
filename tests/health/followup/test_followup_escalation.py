"""The escalation ladder: which rungs are due when, stable keys, idempotence, and the frame form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from health.errors import Invalid
from health.followup.escalation import (
    EscalationPolicy,
    OverdueCandidate,
    chain_from_path,
    escalations_due,
    escalations_frame,
    step_key,
)
from health.followup.lifecycle import STATUSES, TaskType

DUE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CHAIN = ("station", "bureau", "force")
POLICY = EscalationPolicy(
    delays=(timedelta(days=2), timedelta(days=7), timedelta(days=14)),
    by_type={"urgent_contact": (timedelta(hours=4), timedelta(hours=24))},
)


def candidate(
    status: str = "requested",
    task_type: TaskType = "recheck",
    chain: tuple[str, ...] = CHAIN,
    task_id: str = "t-1",
) -> OverdueCandidate:
    return OverdueCandidate(task_id, task_type, status, DUE, chain)  # type: ignore[arg-type]


# (type, status, unit chain, time after due, expected (level, unit) rungs)
LADDER: list[tuple[TaskType, str, tuple[str, ...], timedelta, list[tuple[int, str]]]] = [
    ("recheck", "requested", CHAIN, timedelta(days=1), []),
    ("recheck", "requested", CHAIN, timedelta(days=2), [(0, "station")]),
    ("recheck", "in-progress", CHAIN, timedelta(days=7), [(0, "station"), (1, "bureau")]),
    (
        "recheck",
        "on-hold",
        CHAIN,
        timedelta(days=30),
        [(0, "station"), (1, "bureau"), (2, "force")],
    ),
    ("recheck", "requested", ("force",), timedelta(days=30), [(0, "force")]),
    (
        "referral",
        "accepted",
        ("a", "b", "c", "d", "e"),
        timedelta(days=30),
        [(0, "a"), (1, "b"), (2, "c")],
    ),
    ("urgent_contact", "requested", CHAIN, timedelta(hours=3), []),
    ("urgent_contact", "requested", CHAIN, timedelta(hours=4), [(0, "station")]),
    ("urgent_contact", "requested", CHAIN, timedelta(days=9), [(0, "station"), (1, "bureau")]),
    ("recheck", "completed", CHAIN, timedelta(days=30), []),
    ("recheck", "cancelled", CHAIN, timedelta(days=30), []),
    ("recheck", "failed", CHAIN, timedelta(days=30), []),
    ("recheck", "requested", CHAIN, -timedelta(days=1), []),
]


@pytest.mark.parametrize(("task_type", "status", "chain", "after", "expected"), LADDER)
def test_rungs_due_follow_delays_up_the_unit_chain(
    task_type: TaskType,
    status: str,
    chain: tuple[str, ...],
    after: timedelta,
    expected: list[tuple[int, str]],
) -> None:
    steps = escalations_due(candidate(status, task_type, chain), DUE + after, policy=POLICY)
    assert [(s.level, s.unit_id) for s in steps] == expected
    delays = POLICY.ladder(task_type)
    assert all(s.send_from == DUE + delays[s.level] for s in steps)


def test_steps_already_sent_are_not_returned_again() -> None:
    now = DUE + timedelta(days=8)
    first = escalations_due(candidate(), now, policy=POLICY)
    sent = {s.key for s in first[:1]}
    second = escalations_due(candidate(), now, policy=POLICY, sent=sent)
    assert [s.key for s in second] == [s.key for s in first[1:]]
    assert escalations_due(candidate(), now, policy=POLICY, sent={s.key for s in first}) == []


def test_step_keys_are_stable_and_distinct_per_task_due_and_level() -> None:
    now = DUE + timedelta(days=30)
    run_a = escalations_due(candidate(), now, policy=POLICY)
    run_b = escalations_due(candidate(), now + timedelta(hours=5), policy=POLICY)
    assert [s.key for s in run_a] == [s.key for s in run_b]
    assert run_a[0].key == "esc/v1/t-1/20260301T090000Z/0"
    keys = {
        step_key("t-1", DUE, 0),
        step_key("t-1", DUE, 1),
        step_key("t-2", DUE, 0),
        step_key("t-1", DUE + timedelta(days=1), 0),
    }
    assert len(keys) == 4


def test_key_uses_utc_whatever_the_due_dates_offset() -> None:
    east = DUE.astimezone(ZoneInfo("Asia/Shanghai"))
    assert step_key("t", east, 0) == step_key("t", DUE, 0)


@pytest.mark.parametrize(
    ("path", "chain"),
    [("/force/bureau/station/", ("station", "bureau", "force")), ("/force/", ("force",))],
)
def test_chain_from_path_runs_from_own_unit_up(path: str, chain: tuple[str, ...]) -> None:
    assert chain_from_path(path) == chain


@pytest.mark.parametrize(
    "delays",
    [(), (timedelta(days=3), timedelta(days=3)), (timedelta(days=-1),)],
)
def test_policy_refuses_empty_or_non_increasing_delays(delays: tuple[timedelta, ...]) -> None:
    with pytest.raises(Invalid):
        EscalationPolicy(delays=delays)


PATHS = ["/f/", "/f/b1/", "/f/b1/s1/", "/f/b2/s2/", "/f/b2/s2/x/"]
TYPES: list[TaskType] = ["urgent_contact", "recheck", "referral", "lifestyle", "home_visit"]


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(STATUSES),
            st.sampled_from(TYPES),
            st.integers(min_value=-400, max_value=100),
            st.sampled_from(PATHS),
        ),
        max_size=15,
    ),
    sent_mask=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_frame_form_agrees_with_one_task_at_a_time(
    rows: list[tuple[str, TaskType, int, str]], sent_mask: list[bool]
) -> None:
    now = DUE
    tasks = [
        OverdueCandidate(
            f"t-{i}",
            t,
            s,
            DUE + timedelta(hours=h),
            chain_from_path(p),  # type: ignore[arg-type]
        )
        for i, (s, t, h, p) in enumerate(rows)
    ]
    everything = [s.key for t in tasks for s in escalations_due(t, now, policy=POLICY)]
    sent = {k for k, hide in zip(everything, sent_mask, strict=False) if hide}
    expected = [s for t in tasks for s in escalations_due(t, now, policy=POLICY, sent=sent)]
    frame = pd.DataFrame(
        {
            "task_id": [t.task_id for t in tasks],
            "type": [t.type for t in tasks],
            "status": [t.status for t in tasks],
            "due": pd.to_datetime([t.due for t in tasks], utc=True),
            "unit_path": [r[3] for r in rows],
        }
    )
    got = escalations_frame(frame, now, policy=POLICY, sent=sent)
    assert got["key"].tolist() == [s.key for s in expected]
    assert got["unit_id"].tolist() == [s.unit_id for s in expected]
    assert got["level"].tolist() == [s.level for s in expected]
    assert [ts.to_pydatetime() for ts in got["send_from"]] == [s.send_from for s in expected]
