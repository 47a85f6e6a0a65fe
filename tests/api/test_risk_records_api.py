"""Risk on the record over HTTP: medics and the officer see estimates with their drivers,
unit managers only the tier on the worklist, which sorts and filters by it."""

from __future__ import annotations

from world import World

HIGH = {
    "sbp": 165,
    "dbp": 100,
    "tc": 7.0,
    "hdl": 0.9,
    "ldl": 5.0,
    "glu": 5.2,
    "height": 172,
    "weight": 86,
    "waist": 98,
    "smoking": "current",
    "bp_treated": "否",
    "family_history_diabetes": "一级亲属",
    "physically_active": "否",
    "daily_fruit_veg": "是",
    "high_glucose_history": "否",
}


KNOWN_TASK_FIELDS = {
    "id", "unit_id", "type", "status", "priority", "due", "overdue", "version", "officer_id",
    "family", "critical", "assignee_user_id", "exam_date", "created_at", "closed_at", "outcome",
    "source_checkup_id", "result_checkup_id", "based_on_id", "reason", "reason_text",
    "finding_rule_ids", "note", "unit_code", "unit_name", "badge_number", "officer_name",
}  # fmt: skip


def _store_high(world: World, officer: object) -> None:
    response = world.client.post(
        "/api/v1/checkups",
        json={"officer_id": str(officer), "exam_date": "2026-04-02", "results": HIGH},
        headers=world.headers("medic"),
    )
    assert response.status_code == 201, response.text


def test_medic_sees_estimates_with_drivers_in_words(world: World) -> None:
    _store_high(world, world.in_scope)
    response = world.client.get(
        f"/api/v1/officers/{world.in_scope}/risk",
        headers=world.headers("medic") | {"Accept-Language": "en"},
    )
    assert response.status_code == 200
    latest = response.json()[0]
    assert latest["tier"] == "high"
    assert latest["model_status"] == "no active model: equations only"
    pce = next(e for e in latest["equations"] if e["equation_id"] == "pce_2013")
    assert pce["version"] == "pce_2013/1" and pce["status"] == "ok"
    texts = [d["text"] for d in pce["drivers"]]
    assert any("systolic blood pressure 165" in t for t in texts)
    assert any(t.startswith("smoking adds") for t in texts)
    assert {e["equation_id"] for e in latest["equations"]} >= {"findrisc", "cdrs"}


def test_officer_reads_own_estimates_in_chinese_by_default(world: World) -> None:
    _store_high(world, world.own)
    response = world.client.get("/api/v1/me/risk", headers=world.headers("officer"))
    assert response.status_code == 200
    pce = next(e for e in response.json()[0]["equations"] if e["equation_id"] == "pce_2013")
    assert any("戒烟" in d["text"] for d in pce["drivers"])


def test_manager_worklist_shows_the_tier_and_nothing_clinical(world: World) -> None:
    _store_high(world, world.in_scope)
    response = world.client.get(
        "/api/v1/tasks?sort=-risk&risk_tier=high", headers=world.headers("unit_manager")
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items and all(item["risk_tier"] == "high" for item in items)
    assert all(item["officer_id"] is None and item["family"] is None for item in items)
    assert all(item["badge_number"] is None and item["officer_name"] is None for item in items)
    assert all(set(item) - {"risk_tier"} <= KNOWN_TASK_FIELDS for item in items)
    assert "equations" not in response.text and "drivers" not in response.text
    denied = world.client.get(
        f"/api/v1/officers/{world.in_scope}/risk", headers=world.headers("unit_manager")
    )
    assert denied.status_code == 404


def test_worklist_sorts_by_risk(world: World) -> None:
    _store_high(world, world.in_scope)
    response = world.client.get("/api/v1/tasks?sort=-risk", headers=world.headers("medic"))
    tiers = [item["risk_tier"] for item in response.json()["items"]]
    assert tiers[0] == "high"
    rank = {"high": 3, "moderate": 2, "low": 1, "none": 0, None: 0}
    assert [rank[t] for t in tiers] == sorted((rank[t] for t in tiers), reverse=True)


def test_officer_record_carries_the_latest_risk(world: World) -> None:
    _store_high(world, world.own)
    record = world.client.get(
        "/api/v1/me/record", headers=world.headers("officer") | {"Accept-Language": "en"}
    )
    assert record.status_code == 200, record.text
    risk = record.json()["risk"]
    assert risk["tier"] == "high"
    assert any(e["equation_id"] == "cn_lipid_ascvd" for e in risk["equations"])
