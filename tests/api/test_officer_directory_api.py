"""The officer list, search and roster over HTTP; break-the-glass starting from a badge number."""

from __future__ import annotations

from world import World

from api.schemas import LAST_PAGE

REASON = "collapsed at a traffic stop; the ambulance crew asks about medication"


def test_break_glass_is_reachable_from_a_badge_number(world: World) -> None:
    medic = world.headers("medic")
    badge = world.badges[world.out_of_scope]
    located = world.client.post(
        "/api/v1/officers/locate", headers=medic, json={"badge_number": badge}
    )
    assert located.status_code == 200, located.text
    assert located.json() == {"officer_id": str(world.out_of_scope), "in_scope": False}
    assert world.names[world.out_of_scope] not in located.text
    record = f"/api/v1/officers/{located.json()['officer_id']}"
    assert world.client.get(record, headers=medic).status_code == 404
    granted = world.client.post(
        f"{record}/emergency-access", headers=medic, json={"reason": REASON, "minutes": 30}
    )
    assert granted.status_code == 201, granted.text
    opened = world.client.get(record, headers=medic)
    assert opened.status_code == 200
    assert opened.json()["name"] == world.names[world.out_of_scope]


def test_officer_list_shows_badge_name_and_unit_in_scope_only(world: World) -> None:
    medic = world.headers("medic")
    page = world.client.get("/api/v1/officers", headers=medic).json()
    assert page["total"] == 2
    shown = {(o["badge_number"], o["name"], o["unit_name"]) for o in page["items"]}
    assert shown == {
        (world.badges[world.own], world.names[world.own], "Station A1"),
        (world.badges[world.in_scope], world.names[world.in_scope], "Station A2"),
    }
    found = world.client.post(
        "/api/v1/officers/search", headers=medic, json={"name": "bravo"}
    ).json()
    assert [o["id"] for o in found["items"]] == [str(world.in_scope)]


def test_roster_upload_previews_then_stores(world: World) -> None:
    medic = world.headers("medic")
    csv = (
        "警号,姓名,性别,出生日期,单位\n"
        "RST001,新人一,男,1991-02-03,A2\n"
        f"{world.badges[world.in_scope]},Bravo Inscope,M,1984-02-29,A1\n"
    ).encode()
    files = {"file": ("roster.csv", csv, "text/csv")}
    preview = world.client.post("/api/v1/officers/roster?dry_run=true", headers=medic, files=files)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["new"], body["changed"], body["stored"]) == (1, 1, False)
    assert body["changes"][1]["fields"] == ["unit_code"]
    stored = world.client.post("/api/v1/officers/roster", headers=medic, files=files).json()
    assert stored["stored"] is True
    again = world.client.post("/api/v1/officers/roster", headers=medic, files=files).json()
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 2)


def test_a_page_past_the_last_is_bad_input_on_every_paginated_list(world: World) -> None:
    """A wild page number is refused with the field named, not carried into the store (where
    its offset overflowed SQLite's integers); the last allowed page answers, empty."""
    medic = world.headers("medic")
    for page, status in ((LAST_PAGE + 1, 422), (LAST_PAGE, 200)):
        answers = [
            world.client.get("/api/v1/officers", params={"page": page}, headers=medic),
            world.client.post("/api/v1/officers/search", json={"page": page}, headers=medic),
            world.client.get("/api/v1/tasks", params={"page": page}, headers=medic),
        ]
        for response in answers:
            assert response.status_code == status, response.text
            if status == 422:
                assert "page" in response.text
            else:
                assert response.json()["items"] == []
