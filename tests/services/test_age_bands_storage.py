"""Stored checkups are graded with age in completed years (WS/T 404.1-2012 tabulates ALP for
women by 20-49 and 50-79 years): on her 50th birthday a woman is graded in the 50-79 band."""

from __future__ import annotations

from datetime import date

import pytest

from health.services import screening
from health.services.context import Ctx

from factories import make_checkup, make_officer, tasks_of_family


@pytest.mark.parametrize(
    ("exam_date", "liver_tasks"),
    [
        (date(2026, 3, 2), []),  # 50th birthday: ALP 120 lies in 50-135 U/L
        (date(2026, 3, 1), [("recheck", "liver")]),  # the day before: 35-100 U/L, high
    ],
)
def test_alp_on_the_50th_birthday_is_graded_in_the_50_plus_band(
    ctx: Ctx, exam_date: date, liver_tasks: list[tuple[str, str]]
) -> None:
    officer = make_officer(ctx, sex="F", birth_date=date(1976, 3, 2))
    make_checkup(ctx, officer.id, exam_date=exam_date, alp=120)
    liver = [t for t in tasks_of_family(ctx, "liver") if t.officer_id == officer.id]
    assert [(t.type, "liver") for t in liver] == liver_tasks
    found = [v.finding for v in screening.findings_of(ctx, officer.id)]
    assert [f["interpretation"] for f in found if f["analyte"] == "alp"] == (
        [] if not liver_tasks else ["H"]
    )
