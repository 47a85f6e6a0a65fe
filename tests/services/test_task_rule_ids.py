"""A stored task names the findings behind it by rule id (the grouped findings use them)."""

from __future__ import annotations

from sqlalchemy import select

from health.services.context import Ctx
from health.services.tasks import open_detail
from models.tables import Task

from factories import make_checkup, make_officer


def test_task_detail_keeps_whole_rule_ids(ctx: Ctx) -> None:
    officer = make_officer(ctx)
    make_checkup(ctx, officer.id, sbp=146, dbp=92)
    sealer = ctx.vault.sealer_for(ctx.session, officer.id)
    (task,) = ctx.session.scalars(
        select(Task).where(Task.officer_id == officer.id, Task.type == "recheck")
    ).all()
    assert open_detail(task, sealer)["finding_rule_ids"] == ["bp.grade_1"]
