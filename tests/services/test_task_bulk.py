"""The bulk task writer creates exactly the tasks, first events and audit events the one-by-one
planner creates for the same screening; officers with open tasks still go one by one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from health.services import intake, task_bulk
from health.services.checkups import draft_from_json
from health.services.context import Ctx
from health.services.subject import Subject
from health.services.tasks import open_detail
from models.tables import AuditEvent, Screening, Task, TaskEvent

from factories import make_checkup, make_officer

EXAM = date(2026, 3, 2)
NOW = datetime(2026, 3, 9, 8, 30, 15, 123456, tzinfo=UTC)
# Each line plans a different mix: rechecks, referrals, a critical urgent contact, risk tiers
# for the older officers, and one checkup with nothing to follow up.
VALUES: list[tuple[date, dict[str, Any]]] = [
    (date(1985, 5, 17), {"glu": 7.5, "sbp": 150, "dbp": 95}),
    (date(1962, 2, 3), {"glu": 28.0, "sbp": 190, "dbp": 120, "tc": 7.5, "ldl": 5.2, "ua": 520}),
    (date(1990, 8, 9), {"glu": 5.3, "sbp": 118, "dbp": 76}),
    (date(1958, 11, 30), {"alt": 150, "hb": 90, "k": 6.8, "creat": 200, "tg": 6.0}),
    (date(1970, 1, 1), {"glu": 7.1, "hba1c": 7.4, "sbp": 146, "dbp": 92, "hdl": 0.8}),
]


def _store(ctx: Ctx, officer_ids: Sequence[uuid.UUID]) -> None:
    """One batch through the import's own steps (resolve, then store and screen)."""
    drafts = [
        draft_from_json(EXAM, values, officer_id=officer_id).drafts[0]
        for officer_id, (_, values) in zip(officer_ids, VALUES, strict=True)
    ]
    resolution = intake.resolve(ctx, drafts)
    assert not resolution.errors
    intake.store(ctx, resolution.items, resolution.sealers, upload_id=None)


def _tasks(ctx: Ctx, officer_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """Every field of the officer's tasks, their events and audit events, ids replaced by what
    they point to, so two officers with the same checkup compare equal."""
    sealer = ctx.vault.sealer_for(ctx.session, officer_id)
    screenings = {
        s.checkup_id: s.id
        for s in ctx.session.scalars(select(Screening).where(Screening.officer_id == officer_id))
    }
    audited = {
        e.resource_id: (e.actor_id, e.actor_role, e.purpose, e.outcome, e.detail)
        for e in ctx.session.scalars(
            select(AuditEvent).where(
                AuditEvent.officer_id == officer_id, AuditEvent.action == "task.create"
            )
        )
    }
    out = []
    for task in ctx.session.scalars(select(Task).where(Task.officer_id == officer_id)):
        (event,) = ctx.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id))
        assert task.source_checkup_id is not None
        assert task.source_screening_id == screenings[task.source_checkup_id]
        assert task.created_at == event.at
        detail = open_detail(task, sealer)
        out.append(
            (
                task.type,
                task.status,
                task.priority,
                task.due,
                task.exam_date,
                task.assignee_user_id,
                task.version,
                task.closed_at,
                task.outcome,
                task.result_checkup_id,
                task.based_on_id,
                tuple(sorted((k, str(v)) for k, v in detail.items())),
                (event.actor_id, event.actor_role, event.action, event.from_status),
                (event.to_status, event.outcome, event.due_before, event.due_after, event.note),
                audited[str(task.id)],
            )
        )
    return sorted(out, key=repr)


def test_bulk_tasks_equal_one_by_one_tasks_for_the_same_screening(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk = [make_officer(ctx, birth_date=born).id for born, _ in VALUES]
    one_by_one = [make_officer(ctx, birth_date=born).id for born, _ in VALUES]
    created: list[int] = []
    real = task_bulk.create_all

    def counted(*args: Any, **kwargs: Any) -> task_bulk.TaskSet:
        made = real(*args, **kwargs)
        created.append(len(made))
        return made

    monkeypatch.setattr(task_bulk, "create_all", counted)
    at = Ctx(ctx.session, ctx.vault, ctx.actor, clock=lambda: NOW)  # due dates count from now
    _store(at, bulk)
    monkeypatch.setattr(task_bulk, "only_create", lambda *_: [])
    _store(at, one_by_one)
    assert created[0] > 0 and created[1] == 0, "the first batch in bulk, the second one by one"
    for a, b in zip(bulk, one_by_one, strict=True):
        assert _tasks(ctx, a) == _tasks(ctx, b)
    made = [row for officer_id in bulk for row in _tasks(ctx, officer_id)]
    assert len(made) == created[0]
    assert {row[0] for row in made} >= {"recheck", "referral", "urgent_contact"}
    assert ("critical", "True") in {pair for row in made for pair in row[11]}


def _subject(ctx: Ctx, officer_id: uuid.UUID, *, sealed: bool = True) -> Subject:
    return Subject(
        checkup_id=uuid.uuid4(),
        officer_id=officer_id,
        unit_id=uuid.uuid4(),
        exam_date=EXAM,
        sex="M",
        age=40.0,
        document={},
        previous=None,
        previous_age=None,
        conditions=(),
        sealer=ctx.vault.sealer_for(ctx.session, officer_id) if sealed else None,
    )


def test_only_officers_with_nothing_open_and_one_checkup_go_in_bulk(ctx: Ctx) -> None:
    with_task, twice, fresh, unsealed = (make_officer(ctx).id for _ in range(4))
    make_checkup(ctx, with_task, glu=7.5)
    open_officers = set(
        ctx.session.scalars(select(Task.officer_id).where(Task.status == "requested"))
    )
    assert open_officers == {with_task}
    subjects = [
        _subject(ctx, with_task),
        _subject(ctx, twice),
        _subject(ctx, fresh),
        _subject(ctx, twice),
        _subject(ctx, unsealed, sealed=False),
    ]
    assert task_bulk.only_create(subjects, open_officers) == [2]
