"""Self-care through the HTTP API on SQLite and PostgreSQL: a lifestyle programme from enrolment
through three contacts to an outcome, then compared with the next checkup; officers' readings
and the guidance linked from a critical one."""

from __future__ import annotations

from datetime import UTC, datetime

from world import World


def test_programme_enrolment_three_contacts_outcome_then_next_checkup_against_goals(
    world: World,
) -> None:
    medic = world.headers("medic")
    officer = world.in_scope
    enrolled = world.client.post(
        f"/api/v1/officers/{officer}/programmes",
        headers=medic,
        json={
            "kind": "weight",
            "enrolled_on": "2026-03-10",
            "goals": [
                {"measure": "weight", "target": 80, "direction": "at_most"},
                {"measure": "waist", "target": 90, "direction": "at_most"},
            ],
            "planned_contacts": ["2026-04-10", "2026-05-10", "2026-06-10"],
        },
    )
    assert enrolled.status_code == 201, enrolled.text
    programme = enrolled.json()
    assert (programme["status"], programme["kind"]) == ("active", "weight")
    pid = programme["id"]
    for day, weight, notes in (
        ("2026-04-11", 88.5, "diet diary reviewed; walking 30 min a day"),
        ("2026-05-09", 85.0, "swapped sweet drinks for water"),
        ("2026-06-12", 81.2, "gym twice a week with the station team"),
    ):
        contact = world.client.post(
            f"/api/v1/programmes/{pid}/contacts",
            headers=medic,
            json={"contact_on": day, "notes": notes, "measurements": {"weight": weight}},
        )
        assert contact.status_code == 201, contact.text
    closed = world.client.post(
        f"/api/v1/programmes/{pid}/outcome",
        headers=medic,
        json={"outcome": "achieved", "ended_on": "2026-09-01", "note": "kept it off all summer"},
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "achieved" and body["ended_on"] == "2026-09-01"
    assert [c["measurements"]["weight"] for c in body["contacts"]] == [88.5, 85.0, 81.2]
    late = world.client.post(
        f"/api/v1/programmes/{pid}/contacts",
        headers=medic,
        json={"contact_on": "2026-09-05", "notes": "", "measurements": {}},
    )
    assert late.status_code == 409

    before = world.client.get(f"/api/v1/programmes/{pid}/comparison", headers=medic).json()
    assert (before["checkup_id"], before["goals"], before["goals_met"]) == (None, [], None)
    assert [g["met"] for g in before["last_contact"]] == [False, None]

    checkup = world.client.post(
        "/api/v1/checkups",
        headers=medic,
        json={
            "officer_id": str(officer),
            "exam_date": "2026-11-05",  # no exam after today is accepted
            "results": {"weight": 78.4, "waist": 93, "sbp": 126},
        },
    )
    assert checkup.status_code == 201, checkup.text
    compared = world.client.get(f"/api/v1/programmes/{pid}/comparison", headers=medic).json()
    assert compared["exam_date"] == "2026-11-05"
    assert [(g["measure"], g["value"], g["met"]) for g in compared["goals"]] == [
        ("weight", 78.4, True),
        ("waist", 93.0, False),
    ]
    assert compared["goals_met"] == 1

    manager = world.headers("unit_manager")
    assert world.client.get(f"/api/v1/programmes/{pid}", headers=manager).status_code == 403
    other_officer = world.headers("officer")
    assert world.client.get(f"/api/v1/programmes/{pid}", headers=other_officer).status_code == 404


def test_critical_reading_answers_with_what_to_do_and_links_the_cards(world: World) -> None:
    officer = world.headers("officer")
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    response = world.client.post(
        "/api/v1/me/readings",
        headers=officer,
        json={"kind": "glucose", "taken_at": now, "values": {"glu": 2.6}, "context": "random"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["grade"] == "critical"
    assert "120" in body["advice"]["en"]
    assert [t["type"] for t in body["tasks"]] == ["urgent_contact"]
    [card] = body["cards"]
    assert card["id"] == "hypoglycaemia"
    linked = world.client.get(card["href"], headers=officer)
    assert linked.status_code == 200
    assert "15" in " ".join(linked.json()["en"]["steps"])
    assert any("2020" in s for s in linked.json()["sources"])
    mine = world.client.get("/api/v1/me/readings", headers=officer).json()
    assert [(r["kind"], r["values"]) for r in mine] == [("glucose", {"glu": 2.6})]
    task = world.client.get(
        f"/api/v1/tasks/{body['tasks'][0]['task_id']}", headers=world.headers("medic")
    )
    assert task.status_code == 200 and task.json()["type"] == "urgent_contact"
    assert task.json()["reason_text"]["en"].startswith("Critical result")


def test_home_bp_week_through_the_api_touches_one_task_the_medic_reads_with_its_rule(
    world: World,
) -> None:
    """The officer's checkup already opened a BP recheck: the series updates that one task."""
    officer = world.headers("officer")
    before = world.client.get("/api/v1/me/tasks", headers=officer).json()
    touched: set[str] = set()
    for day in range(1, 8):
        for hour, (sbp, dbp) in ((7, (136, 86)), (21, (140, 90))):
            response = world.client.post(
                "/api/v1/me/readings",
                headers=officer,
                json={
                    "kind": "home_bp",
                    "taken_at": f"2026-10-0{day}T{hour:02d}:00:00+08:00",
                    "values": {"sbp": sbp, "dbp": dbp},
                },
            )
            assert response.status_code == 201, response.text
            touched |= {t["task_id"] for t in response.json()["tasks"]}
    assert response.json()["series"][0]["means"] == {"sbp": 138.0, "dbp": 88.0}
    assert len(touched) == 1
    after = world.client.get("/api/v1/me/tasks", headers=officer).json()
    assert len(after) - len(before) in (0, 1)
    task = world.client.get(f"/api/v1/tasks/{touched.pop()}", headers=world.headers("medic"))
    assert task.json()["type"] == "recheck"
    assert "selfcare.home_bp.series" in task.json()["finding_rule_ids"]


def test_implausible_reading_is_refused_naming_the_field_not_the_value(world: World) -> None:
    response = world.client.post(
        "/api/v1/me/readings",
        headers=world.headers("officer") | {"Accept-Language": "en"},
        json={"kind": "spo2", "taken_at": "2026-06-01T08:00:00+08:00", "values": {"spo2": 31.5}},
    )
    assert response.status_code == 400
    assert "spo2" in response.text and "31.5" not in response.text
