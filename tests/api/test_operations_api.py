"""Operations defects a full season exposed: who am I, the ruleset in force, docs on a closed
network, an auditor who can find people by name and action, an export that says there is more,
and the emergency grant's reason in the trail."""

from __future__ import annotations

import re

from world import World

REASON = "collapsed during a foot chase, paramedics ask about heart history"


def test_medic_sees_who_they_are_and_which_units_they_serve(world: World) -> None:
    """Was: medics had no 'who am I'."""
    account = world.client.get("/api/v1/me/account", headers=world.headers("medic")).json()
    assert (account["username"], account["role"]) == ("medic-user", "medic")
    assert [(u["code"], u["name"]) for u in account["units"]] == [("A", "Bureau A")]
    officer = world.client.get("/api/v1/me/account", headers=world.headers("officer")).json()
    assert (officer["role"], officer["officer_id"]) == ("officer", str(world.own))


def test_rulesets_list_the_packaged_version_in_force(world: World) -> None:
    """Was: GET /rulesets answered [] while the packaged ruleset was in force."""
    for kind, version in (("screening", "cn-adult-2026.3"), ("followup", "followup-2026.3")):
        listed = world.client.get(
            f"/api/v1/rulesets?kind={kind}", headers=world.headers("medic")
        ).json()
        assert [(r["version"], r["active"], r["builtin"]) for r in listed] == [
            (version, True, True)
        ]


def test_docs_and_redoc_load_their_assets_from_the_app(world: World) -> None:
    """Was: /docs loaded Swagger UI from a public CDN (blank on a closed network)."""
    for page in ("/docs", "/redoc"):
        html = world.client.get(page).text
        external = re.findall(r"(?:src|href)=[\"'](https?://[^\"']+)", html)
        assert external == [], (page, external)
        for asset in re.findall(r"[\"'](/docs-assets/[^\"']+)[\"']", html):
            served = world.client.get(asset)
            assert served.status_code == 200 and len(served.content) > 1000, asset
    assert "swagger-ui-bundle.js" in world.client.get("/docs").text
    assert "redoc.standalone.js" in world.client.get("/redoc").text


def test_auditor_filters_by_actor_username_and_action_and_sees_usernames(world: World) -> None:
    """Was: actor UUIDs only, no filter by actor or action."""
    medic = world.headers("medic")
    world.client.get(f"/api/v1/officers/{world.in_scope}", headers=medic)
    auditor = world.headers("auditor")
    found = world.client.get(
        "/api/v1/audit",
        params={"actor": "medic-user", "action": "officer.read"},
        headers=auditor,
    )
    assert found.status_code == 200
    events = found.json()
    assert events and {(e["actor_username"], e["action"]) for e in events} == {
        ("medic-user", "officer.read")
    }
    prefixed = world.client.get(
        "/api/v1/audit", params={"actor": "medic-user", "action": "auth.*"}, headers=auditor
    ).json()
    assert prefixed and all(e["action"].startswith("auth.") for e in prefixed)


def test_export_pages_say_there_is_more(world: World) -> None:
    """Was: audit/export stopped at 1,000 events without saying so."""
    auditor = world.headers("auditor")
    first = world.client.get("/api/v1/audit/export", params={"limit": 5}, headers=auditor)
    total = int(first.headers["X-Total-Count"])
    assert total > 5 and len(first.text.splitlines()) == 5
    seen = len(first.text.splitlines())
    link = first.headers["Link"]
    while link:
        url = re.match(r"<([^>]+)>; rel=\"next\"", link)
        assert url is not None
        page = world.client.get(url[1], headers=auditor)
        seen += len(page.text.splitlines())
        link = page.headers.get("Link", "")
    assert seen >= total  # the trail grows by the auditor's own exports while paging


def test_emergency_grant_event_carries_the_reason_for_the_auditor(world: World) -> None:
    """Was: the grant's audit event omitted the reason the officer sees."""
    medic = world.headers("medic")
    granted = world.client.post(
        f"/api/v1/officers/{world.emergency_target}/emergency-access",
        headers=medic,
        json={"reason": REASON, "minutes": 15},
    )
    assert granted.status_code == 201, granted.text
    events = world.client.get(
        "/api/v1/audit",
        params={"purpose": "emergency", "action": "emergency.grant"},
        headers=world.headers("auditor"),
    ).json()
    assert [(e["emergency_reason"], e["actor_username"]) for e in events] == [
        (REASON, "medic-user")
    ]
    exported = world.client.get(
        "/api/v1/audit/export",
        params={"action": "emergency.grant"},
        headers=world.headers("auditor"),
    ).text
    assert REASON in exported
