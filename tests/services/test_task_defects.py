"""Task defects a full season exposed, each pinned by a test that failed before the fix."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from health.followup.overdue import is_overdue
from health.services import task_work
from health.services.context import Ctx
from models.tables import Task

from factories import make_checkup, make_officer

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _tasks(ctx: Ctx, officer_id: object) -> list[Task]:
    return list(ctx.session.scalars(select(Task).where(Task.officer_id == officer_id)))


def test_back_dated_exam_opens_tasks_due_from_today_not_overdue_on_arrival(ctx: Ctx) -> None:
    ctx.clock = lambda: NOW
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 1, 10), glu=7.5, sbp=165, dbp=102)
    tasks = _tasks(ctx, officer.id)
    assert tasks
    for task in tasks:
        assert task.due > NOW, (task.type, task.due)
        assert not is_overdue(task.status, task.due, NOW)


def test_task_finding_rule_ids_are_whole_rule_ids_not_characters(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=7.5)
    ids = [
        task_work.read(ctx, task.id).finding_rule_ids  # type: ignore[attr-defined]
        for task in _tasks(ctx, officer.id)
    ]
    assert ids and all(ids)
    for rule_ids in ids:
        assert all(len(r) > 1 and "." in r for r in rule_ids), rule_ids
