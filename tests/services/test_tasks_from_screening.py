"""Tasks planned by screening: created once, merged not duplicated, closed by a later recheck."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from health.services import rescreen
from health.services.context import Ctx
from health.services.rescreen import RescreenReport
from health.services.tasks import open_detail
from models.tables import Task, TaskEvent

from factories import make_checkup, make_officer


def _tasks(ctx: Ctx, officer_id: object) -> list[Task]:
    query = select(Task).where(Task.officer_id == officer_id).order_by(Task.created_at, Task.type)
    return list(ctx.session.scalars(query))


def _family(ctx: Ctx, task: Task) -> str | None:
    """The family is sealed in the task's detail (not a clear column)."""
    family = open_detail(task, ctx.vault.sealer_for(ctx.session, task.officer_id)).get("family")
    return None if family is None else str(family)


def test_abnormal_glucose_plans_one_sealed_recheck_task(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=7.5)
    (task,) = [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    assert (task.type, task.status, task.priority) == ("recheck", "requested", 2)
    detail = open_detail(task, ctx.vault.sealer_for(ctx.session, officer.id))
    assert detail["reason"] == "confirm_diabetes"
    assert b"confirm_diabetes" not in task.detail
    events = ctx.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id)).all()
    assert [e.action for e in events] == ["create"]


def test_repeat_upload_correction_and_rescreen_do_not_duplicate_tasks(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=7.5)
    before = [(t.id, t.type, _family(ctx, t)) for t in _tasks(ctx, officer.id)]
    make_checkup(ctx, officer.id, glu=7.5)
    make_checkup(ctx, officer.id, glu=7.5, sbp=129)
    report = RescreenReport("x")
    rescreen.rescreen_officers(ctx, [officer.id], report, force=True)
    after = [(t.id, t.type, _family(ctx, t)) for t in _tasks(ctx, officer.id)]
    assert sorted(after) == sorted(before)
    assert all(t.status == "requested" for t in _tasks(ctx, officer.id))


def test_normal_recheck_completes_the_task_with_the_link(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5)
    recheck = make_checkup(ctx, officer.id, exam_date=date(2026, 3, 16), glu=5.2)
    (task,) = [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    assert (task.status, task.outcome) == ("completed", "done_with_result")
    assert task.result_checkup_id == recheck.id
    events = ctx.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id)).all()
    assert [(e.action, e.to_status) for e in events] == [
        ("create", "requested"),
        ("complete", "completed"),
    ]


def test_still_abnormal_recheck_completes_it_and_refers(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 16), glu=7.8)
    glucose = [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    recheck = next(t for t in glucose if t.type == "recheck")
    referrals = [t for t in glucose if t.type == "referral"]
    assert recheck.status == "completed"
    assert len(referrals) == 1
    assert referrals[0].based_on_id == recheck.id
    assert referrals[0].status == "requested"


def test_critical_recheck_opens_a_critical_urgent_contact(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 16), glu=28.0)
    urgent = [t for t in _tasks(ctx, officer.id) if t.type == "urgent_contact"]
    assert len(urgent) == 1
    detail = open_detail(urgent[0], ctx.vault.sealer_for(ctx.session, officer.id))
    assert detail["critical"] is True and urgent[0].priority == 1


def test_recheck_without_the_family_leaves_the_task_open(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5)
    make_checkup(ctx, officer.id, exam_date=date(2026, 3, 16), glu=None)
    (task,) = [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    assert task.status == "requested"


def test_correction_that_clears_the_finding_withdraws_its_task(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=7.5)
    (recheck,) = [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    make_checkup(ctx, officer.id, glu=5.1)
    withdrawn = next(t for t in _tasks(ctx, officer.id) if t.id == recheck.id)
    assert (withdrawn.status, withdrawn.outcome) == ("cancelled", "not_needed_after_review")
    assert not [
        t
        for t in _tasks(ctx, officer.id)
        if _family(ctx, t) == "glucose" and t.status in ("requested", "accepted", "in-progress")
    ]


def test_correction_that_adds_a_finding_opens_its_task(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, glu=5.1)
    assert not [t for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"]
    make_checkup(ctx, officer.id, glu=7.6)
    assert [t.status for t in _tasks(ctx, officer.id) if _family(ctx, t) == "glucose"] == [
        "requested"
    ]
