"""The worklist says who, where and why; medics plan tasks by hand; a task shows its history;
an unknown filter value is a 400 naming the allowed values."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from world import World


def test_worklist_shows_badge_name_unit_and_reason_to_medics(world: World) -> None:
    """Was: reason null, and only UUIDs (no badge, name or unit name)."""
    page = world.client.get("/api/v1/tasks", headers=world.headers("medic")).json()
    mine = [t for t in page["items"] if t["officer_id"] == str(world.in_scope)]
    assert mine
    for task in mine:
        assert task["badge_number"] == world.badges[world.in_scope]
        assert task["officer_name"] == world.names[world.in_scope]
        assert (task["unit_code"], task["unit_name"]) == ("A2", "Station A2")
        assert task["reason"] and task["reason_text"]["en"]


def test_worklist_gives_managers_unit_names_but_no_person(world: World) -> None:
    page = world.client.get("/api/v1/tasks", headers=world.headers("unit_manager")).json()
    assert page["items"]
    for task in page["items"]:
        assert task["unit_name"] in ("Station A1", "Station A2")
        assert task.get("badge_number") is None and task.get("officer_name") is None
        assert task.get("reason") is None
    exported = world.client.get(
        "/api/v1/tasks?format=csv", headers=world.headers("unit_manager")
    ).text
    header = next(csv.reader(io.StringIO(exported)))
    assert "unit_name" in header and "officer_name" not in header


def test_medic_csv_export_names_who_and_why(world: World) -> None:
    exported = world.client.get("/api/v1/tasks?format=csv", headers=world.headers("medic")).text
    rows = list(csv.DictReader(io.StringIO(exported)))
    row = next(r for r in rows if r["officer_id"] == str(world.own))
    assert (row["badge_number"], row["officer_name"]) == (
        world.badges[world.own],
        world.names[world.own],
    )
    assert row["unit_name"] == "Station A1" and row["reason"]


def test_unknown_filter_value_is_a_400_naming_the_allowed_values(world: World) -> None:
    """Was: status=open answered an empty 200."""
    medic = world.headers("medic")
    english = {**medic, "Accept-Language": "en"}
    for query, name, allowed in (
        ("status=open", "status", "requested"),
        ("type=visit", "type", "home_visit"),
        ("priority=9", "priority", "5"),
    ):
        for headers in (medic, english):
            response = world.client.get(f"/api/v1/tasks?{query}", headers=headers)
            assert response.status_code == 400, (query, response.text)
            assert response.json()["code"] == "bad_filter"
            assert allowed in response.json()["allowed"][name]
        assert allowed in response.json()["detail"]  # the English detail names them too
    assert world.client.get("/api/v1/tasks?status=requested", headers=medic).status_code == 200


def test_medic_plans_a_home_visit_and_its_history_shows_each_move(world: World) -> None:
    """Was: no POST /tasks, and GET /tasks/{id} showed only the last note."""
    medic = world.headers("medic")
    due = datetime.now(UTC) + timedelta(days=10)
    created = world.client.post(
        "/api/v1/tasks",
        headers=medic,
        json={
            "officer_id": str(world.in_scope),
            "type": "home_visit",
            "due": due.isoformat(),
            "priority": 2,
            "note": "check on recovery after surgery",
        },
    )
    assert created.status_code == 201, created.text
    task = created.json()
    assert (task["type"], task["status"], task["priority"]) == ("home_visit", "requested", 2)
    again = world.client.post(
        "/api/v1/tasks",
        headers=medic,
        json={"officer_id": str(world.in_scope), "type": "home_visit", "due": due.isoformat()},
    )
    assert again.status_code == 409

    url = f"/api/v1/tasks/{task['id']}"
    for action, why in (("accept", None), ("start", None), ("hold", "officer on leave")):
        etag = world.client.get(url, headers=medic).headers["ETag"]
        moved = world.client.post(
            f"{url}/transitions",
            headers={**medic, "If-Match": etag},
            json={"action": action, "why": why},
        )
        assert moved.status_code == 200, moved.text
    history = world.client.get(f"{url}/history", headers=medic).json()
    assert [(h["action"], h["to_status"]) for h in history] == [
        ("create", "requested"),
        ("accept", "accepted"),
        ("start", "in-progress"),
        ("hold", "on-hold"),
    ]
    assert history[0]["note"] == "check on recovery after surgery"
    assert history[-1]["note"] == "officer on leave"
    managed = world.client.get(f"{url}/history", headers=world.headers("unit_manager")).json()
    assert [h["note"] for h in managed] == [None] * 4


def test_planned_task_due_in_the_past_or_out_of_scope_is_refused(world: World) -> None:
    medic = world.headers("medic")
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    body = {"officer_id": str(world.own), "type": "lifestyle", "due": past}
    assert world.client.post("/api/v1/tasks", headers=medic, json=body).status_code == 400
    future = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    hidden = {"officer_id": str(world.out_of_scope), "type": "lifestyle", "due": future}
    assert world.client.post("/api/v1/tasks", headers=medic, json=hidden).status_code == 404
