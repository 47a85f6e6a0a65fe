"""The task lifecycle: every legal move with its event, and every refusal with its error code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from health.errors import Conflict, Forbidden, Invalid
from health.followup.lifecycle import (
    ACTIONS,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    Command,
    IllegalTransition,
    InvalidTransition,
    TaskState,
    TaskStatus,
    TaskType,
    TransitionForbidden,
    create,
    transition,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 10, tzinfo=UTC)


def task(
    status: TaskStatus = "requested", task_type: TaskType = "recheck", *, critical: bool = False
) -> TaskState:
    return TaskState(type=task_type, status=status, due=DUE, critical=critical)


def move(state: TaskState, command: Command, role: str = "medic") -> TaskState:
    return transition(state, command, role, NOW, actor_id="u-1").state


# (type, from, command, to)
LEGAL: list[tuple[TaskType, TaskStatus, Command, TaskStatus]] = [
    ("recheck", "requested", Command("accept"), "accepted"),
    ("recheck", "requested", Command("start"), "in-progress"),
    ("recheck", "accepted", Command("start"), "in-progress"),
    ("recheck", "in-progress", Command("hold", why="officer deployed"), "on-hold"),
    ("recheck", "accepted", Command("hold", why="officer on leave"), "on-hold"),
    ("recheck", "on-hold", Command("resume"), "in-progress"),
    (
        "recheck",
        "requested",
        Command("record_contact", "call_again_later", new_due=NOW + timedelta(days=3)),
        "in-progress",
    ),
    ("referral", "in-progress", Command("record_contact", "agreed_to_visit"), "in-progress"),
    ("recheck", "in-progress", Command("complete", "done_with_result"), "completed"),
    ("recheck", "requested", Command("complete", "done_with_result"), "completed"),
    ("recheck", "on-hold", Command("complete", "done_with_result"), "completed"),
    ("urgent_contact", "in-progress", Command("complete", "agreed_to_visit"), "completed"),
    ("lifestyle", "accepted", Command("complete", "agreed_to_visit"), "completed"),
    ("home_visit", "in-progress", Command("complete", "done_with_result"), "completed"),
    (
        "referral",
        "in-progress",
        Command("complete", "done_with_result", why="cardiology: no treatment needed"),
        "completed",
    ),
    ("recheck", "in-progress", Command("fail", "unreachable", why="3 calls, no answer"), "failed"),
    ("lifestyle", "requested", Command("fail", "declined", why="does not want it"), "failed"),
    ("recheck", "accepted", Command("cancel", "transferred", why="left the force"), "cancelled"),
    (
        "referral",
        "requested",
        Command("cancel", "not_needed_after_review", why="already under GP care"),
        "cancelled",
    ),
]


@pytest.mark.parametrize(("task_type", "source", "command", "target"), LEGAL)
def test_legal_move_changes_status_and_records_event(
    task_type: TaskType, source: TaskStatus, command: Command, target: TaskStatus
) -> None:
    result = transition(task(source, task_type), command, "medic", NOW, actor_id="u-1")
    assert result.state.status == target
    event = result.event
    assert (event.action, event.actor_id, event.actor_role, event.at) == (
        command.action,
        "u-1",
        "medic",
        NOW,
    )
    assert (event.from_status, event.to_status, event.outcome) == (source, target, command.outcome)
    assert event.why == (command.why.strip() if command.why else None)
    assert result.state.closed_at == (NOW if target in CLOSED_STATUSES else None)
    if command.outcome is not None:
        assert result.state.outcome == command.outcome


# (type, from, command, error class, code)
REFUSED: list[tuple[TaskType, TaskStatus, Command, type[Exception], str]] = [
    (
        "recheck",
        "completed",
        Command("complete", "done_with_result"),
        Conflict,
        "illegal_transition",
    ),
    ("recheck", "cancelled", Command("start"), Conflict, "illegal_transition"),
    ("recheck", "failed", Command("resume"), Conflict, "illegal_transition"),
    ("recheck", "in-progress", Command("accept"), Conflict, "illegal_transition"),
    ("recheck", "on-hold", Command("hold", why="x"), Conflict, "illegal_transition"),
    ("recheck", "in-progress", Command("resume"), Conflict, "illegal_transition"),
    ("recheck", "requested", Command("complete"), Invalid, "outcome_required"),
    ("recheck", "requested", Command("accept", "declined"), Invalid, "outcome_not_allowed"),
    ("recheck", "requested", Command("complete", "unreachable"), Invalid, "outcome_not_allowed"),
    (
        "recheck",
        "requested",
        Command("complete", "agreed_to_visit"),
        Invalid,
        "outcome_not_allowed",
    ),
    (
        "referral",
        "requested",
        Command("complete", "agreed_to_visit"),
        Invalid,
        "outcome_not_allowed",
    ),
    (
        "recheck",
        "requested",
        Command("fail", "transferred", why="x"),
        Invalid,
        "outcome_not_allowed",
    ),
    (
        "recheck",
        "requested",
        Command("cancel", "declined", why="x"),
        Invalid,
        "outcome_not_allowed",
    ),
    (
        "recheck",
        "requested",
        Command("record_contact", "unreachable"),
        Invalid,
        "outcome_not_allowed",
    ),
    ("recheck", "requested", Command("cancel", "transferred"), Invalid, "reason_required"),
    ("recheck", "requested", Command("fail", "unreachable", why="  "), Invalid, "reason_required"),
    ("recheck", "accepted", Command("hold"), Invalid, "reason_required"),
    (
        "referral",
        "in-progress",
        Command("complete", "done_with_result"),
        Invalid,
        "conclusion_required",
    ),
    (
        "recheck",
        "in-progress",
        Command("record_contact", "call_again_later"),
        Invalid,
        "due_required",
    ),
    (
        "recheck",
        "in-progress",
        Command("record_contact", "call_again_later", new_due=NOW),
        Invalid,
        "due_in_past",
    ),
    (
        "recheck",
        "in-progress",
        Command("record_contact", "call_again_later", new_due=NOW + timedelta(days=91)),
        Invalid,
        "due_too_far",
    ),
    (
        "urgent_contact",
        "in-progress",
        Command("record_contact", "call_again_later", new_due=NOW + timedelta(hours=25)),
        Invalid,
        "due_too_far",
    ),
    (
        "recheck",
        "in-progress",
        Command("complete", "done_with_result", new_due=NOW + timedelta(days=1)),
        Invalid,
        "due_not_allowed",
    ),
    (
        "recheck",
        "in-progress",
        Command("record_contact", "call_again_later", new_due=datetime(2026, 3, 5)),
        Invalid,
        "naive_datetime",
    ),
]


@pytest.mark.parametrize(("task_type", "source", "command", "error", "code"), REFUSED)
def test_refused_move_raises_typed_error_with_code(
    task_type: TaskType,
    source: TaskStatus,
    command: Command,
    error: type[Exception],
    code: str,
) -> None:
    with pytest.raises(error) as raised:
        transition(task(source, task_type), command, "medic", NOW, actor_id="u-1")
    assert isinstance(raised.value, IllegalTransition | InvalidTransition)
    assert raised.value.code == code


@pytest.mark.parametrize("closed", sorted(CLOSED_STATUSES))
@pytest.mark.parametrize("action", ACTIONS)
def test_closed_task_refuses_every_action(closed: TaskStatus, action: str) -> None:
    command = Command(action, why="x")  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition) as raised:
        move(task(closed), command)
    assert raised.value.status == 409


@pytest.mark.parametrize("role", ["officer", "unit_manager", "auditor", "admin", "nobody"])
def test_roles_other_than_medic_and_system_may_not_move_tasks(role: str) -> None:
    with pytest.raises(TransitionForbidden) as raised:
        move(task("requested"), Command("accept"), role)
    assert raised.value.status == 403


# (role, why, error code or None when accepted)
CRITICAL_ACK: list[tuple[str, str | None, str | None]] = [
    ("medic", "spoke to officer, attends A&E today", None),
    ("medic", None, "acknowledgement_required"),
    ("medic", "   ", "acknowledgement_required"),
    ("system", "auto", "acknowledgement_by_medic"),
]


@pytest.mark.parametrize(("role", "why", "code"), CRITICAL_ACK)
def test_critical_urgent_contact_completes_only_with_a_medics_comment(
    role: str, why: str | None, code: str | None
) -> None:
    state = task("in-progress", "urgent_contact", critical=True)
    command = Command("complete", "done_with_result", why=why)
    if code is None:
        result = transition(state, command, role, NOW, actor_id="u-1")
        assert result.state.status == "completed"
        assert result.event.why == why
        return
    with pytest.raises((Invalid, Forbidden)) as raised:
        transition(state, command, role, NOW, actor_id="u-1")
    assert raised.value.code == code


def test_non_critical_urgent_contact_completes_without_comment() -> None:
    state = move(task("in-progress", "urgent_contact"), Command("complete", "done_with_result"))
    assert state.status == "completed"


def test_call_again_later_keeps_task_open_and_moves_due_date() -> None:
    new_due = NOW + timedelta(days=5)
    result = transition(
        task("accepted"),
        Command("record_contact", "call_again_later", why="on patrol", new_due=new_due),
        "medic",
        NOW,
        actor_id="u-1",
    )
    assert result.state.status in OPEN_STATUSES
    assert result.state.due == new_due
    assert (result.event.due_before, result.event.due_after) == (DUE, new_due)


def test_hold_may_move_due_date_but_task_stays_open() -> None:
    new_due = NOW + timedelta(days=20)
    state = move(task("in-progress"), Command("hold", why="sick leave", new_due=new_due))
    assert (state.status, state.due, state.is_open) == ("on-hold", new_due, True)


def test_move_without_new_due_keeps_due_date() -> None:
    assert move(task("requested"), Command("start")).due == DUE


def test_create_starts_history_with_requested_event() -> None:
    result = create(
        "urgent_contact", DUE, NOW, actor_id="system", actor_role="system", critical=True
    )
    assert result.state == TaskState("urgent_contact", "requested", DUE, critical=True)
    assert (result.event.action, result.event.from_status, result.event.to_status) == (
        "create",
        None,
        "requested",
    )


@pytest.mark.parametrize(
    ("task_type", "critical", "now", "code"),
    [
        ("recheck", True, NOW, "critical_type"),
        ("x-ray", False, NOW, "unknown_task_type"),
        ("recheck", False, datetime(2026, 3, 2), "naive_datetime"),
    ],
)
def test_create_refuses_bad_input(task_type: str, critical: bool, now: datetime, code: str) -> None:
    with pytest.raises(InvalidTransition) as raised:
        create(task_type, DUE, now, actor_id="s", actor_role="system", critical=critical)  # type: ignore[arg-type]
    assert raised.value.code == code


def test_full_path_requested_to_completed_yields_one_event_per_move() -> None:
    state = task("requested", "referral")
    events = []
    for command in (
        Command("accept"),
        Command("start"),
        Command("hold", why="deployed"),
        Command("resume"),
        Command("complete", "done_with_result", why="conclusion: start statin"),
    ):
        result = transition(state, command, "medic", NOW, actor_id="u-1")
        state = result.state
        events.append((result.event.from_status, result.event.to_status))
    assert events == [
        ("requested", "accepted"),
        ("accepted", "in-progress"),
        ("in-progress", "on-hold"),
        ("on-hold", "in-progress"),
        ("in-progress", "completed"),
    ]


def test_every_status_is_open_or_closed_exactly_once() -> None:
    assert set(STATUSES) == OPEN_STATUSES | CLOSED_STATUSES
    assert not OPEN_STATUSES & CLOSED_STATUSES


def test_transition_does_not_mutate_input_state() -> None:
    state = task("requested")
    before = replace(state)
    move(state, Command("start"))
    assert state == before
