"""Medic forms end to end through the pages: a roster, one checkup, break-the-glass."""

from __future__ import annotations

from sqlalchemy import func, select
from webclient import signed_in, token_of
from world import World

from models.tables import AccessGrant, Checkup, Officer

EN = {"Accept-Language": "en"}


def _officers(world: World) -> int:
    with world.runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Officer)) or 0)


def test_a_roster_with_one_wrong_row_registers_nobody_and_names_every_problem(
    world: World,
) -> None:
    browser = signed_in(world, "medic")
    before = _officers(world)
    body = (
        "unit_code,badge_number,name,birth_date,sex\n"
        "A2,ROS001,Hotel One,1985-01-02,M\n"
        "B1,ROS002,India Two,1986-13-40,X\n"
        "A1,ROS001,Juliet Three,1987-03-04,F\n"
    )
    response = browser.post(
        "/officers/roster",
        data={"csrf_token": token_of(browser, "/officers/roster")},
        files={"file": ("roster.csv", body.encode(), "text/csv")},
        headers=EN,
    )
    assert response.status_code == 400
    assert _officers(world) == before
    for text in ("not one of the units you serve", "not a valid date", "not a valid value",
                 "the same officer and date appear twice"):  # fmt: skip
        assert text in response.text
    fixed = body.replace("B1,ROS002,India Two,1986-13-40,X", "A2,ROS002,India Two,1986-12-30,F")
    fixed = fixed.replace("A1,ROS001,Juliet", "A1,ROS003,Juliet")
    response = browser.post(
        "/officers/roster",
        data={"csrf_token": token_of(browser, "/officers/roster")},
        files={"file": ("roster.csv", fixed.encode(), "text/csv")},
        headers=EN,
    )
    assert response.status_code == 200 and "3 officers registered." in response.text
    assert _officers(world) == before + 3


def test_one_checkup_form_shows_the_field_in_error_and_keeps_every_value(world: World) -> None:
    browser = signed_in(world, "medic")
    form = {
        "csrf_token": token_of(browser, "/checkups/new"),
        "badge_number": world.badges[world.in_scope],
        "exam_date": "2026-06-07",
        "sbp": "400",
        "sbp__unit": "mm[Hg]",
        "weight": "81.5",
        "weight__unit": "kg",
    }
    response = browser.post("/checkups/new", data=form, headers=EN)
    assert response.status_code == 400
    assert (
        'id="v-sbp" name="sbp" inputmode="decimal" value="400" aria-invalid="true"' in response.text
    )
    assert 'value="81.5"' in response.text and 'value="2026-06-07"' in response.text
    assert "value impossible for this item" in response.text
    with world.runtime.sessions() as session:
        count = session.scalar(
            select(func.count()).select_from(Checkup).where(Checkup.officer_id == world.in_scope)
        )
    assert count == 1
    form["sbp"] = "128"
    stored = browser.post("/checkups/new", data=form, follow_redirects=False)
    assert stored.status_code == 303
    assert stored.headers["location"] == f"/officers/{world.in_scope}?stored=1"


def test_break_the_glass_needs_a_reason_and_is_shown_to_the_officer(world: World) -> None:
    browser = signed_in(world, "medic")
    badge = world.badges[world.emergency_target]
    refused = browser.post(
        "/officers/emergency",
        data={
            "csrf_token": token_of(browser, "/officers"),
            "badge_number": badge,
            "reason": "short",
            "minutes": "30",
        },
        headers=EN,
    )
    assert refused.status_code == 400
    assert "Give a reason of at least ten characters." in refused.text
    assert f'value="{badge}"' in refused.text
    granted = browser.post(
        "/officers/emergency",
        data={
            "csrf_token": token_of(browser, "/officers"),
            "badge_number": badge,
            "reason": "unconscious at the scene, paramedics ask",
            "minutes": "30",
        },
        follow_redirects=False,
    )
    assert granted.status_code == 303
    assert granted.headers["location"] == f"/officers/{world.emergency_target}"
    record = browser.get(granted.headers["location"], headers=EN)
    assert record.status_code == 200 and world.names[world.emergency_target] in record.text
    with world.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AccessGrant)) == 1
