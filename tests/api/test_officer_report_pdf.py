"""The officer's annual report as PDF, rendered for a demo officer in both languages, turned
into PNG pages (kept under ``var/artefacts/reports/``) and read back through its text layer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pdf_pages import flat, read_pdf
from world import World

from api.app import create_app
from api.reports.officer_pdf import LABELS
from api.runtime import start
from health.i18n.vocabulary import SECTION_NAMES
from health.services import demo, officers
from health.services.context import SYSTEM, Ctx
from health.settings import Settings
from models.tables import Officer


def test_demo_officer_report_pdf_in_both_languages_holds_own_values_only(
    fresh_url: Callable[[], str], tmp_path: Path, backend: str
) -> None:
    settings = Settings(
        var_dir=tmp_path, database_url=fresh_url(), password_profile="fast-insecure"
    )
    rt = start(settings)
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        seeded = demo.seed(ctx, rt.auth, officers_per_station=2, years=3, today=date(2026, 11, 1))
        people = {o.id: officers._open(ctx, o) for o in session.query(Officer).all()}
    password = seeded.credentials["officer1"]["password"]
    with TestClient(create_app(settings, rt)) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "officer1", "password": password}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        me = client.get("/api/v1/me", headers=auth).json()
        own = next(v for v in people.values() if v.badge_number == me["badge_number"])
        for lang, other in (("zh", "en"), ("en", "zh")):
            record = client.get(
                "/api/v1/me/record", headers={**auth, "Accept-Language": lang}
            ).json()
            response = client.get(f"/api/v1/me/report.pdf?lang={lang}", headers=auth)
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "application/pdf"
            assert response.content.startswith(b"%PDF-")
            text = flat(read_pdf(response.content, f"demo-officer-{backend}-{lang}"))

            assert flat(own.name) in text and own.badge_number in text
            for section in record["sections"]:
                assert flat(section["name"]) in text
                for line in section["results"]:
                    assert flat(line["display"]) in text, (lang, line["code"])
            assert flat(SECTION_NAMES["vitals"][lang]) in text
            assert flat(SECTION_NAMES["vitals"][other]) not in text
            for label in ("changes", "risk", "planned", "trends"):
                assert flat(LABELS[label][lang]) in text, label
                assert flat(LABELS[label][other]) not in text, label
            # The risk estimates of the latest checkup, as the risk route gives them.
            scores = client.get("/api/v1/me/risk", headers={**auth, "Accept-Language": lang}).json()
            answered = [e for e in scores[0]["equations"] if e["status"] == "ok"]
            assert answered, "the demo officer's latest checkup has risk estimates"
            for estimate in answered:
                assert flat(estimate["display"]) in text, estimate["equation_id"]
            # Follow-up planned: every open step of the record is listed with its due date.
            for problem in record["problems"]:
                for step in problem["next_steps"]:
                    assert step["due"][:10] in text
            for view in people.values():
                if view.badge_number == own.badge_number:
                    continue
                assert view.badge_number not in text
                if view.name not in own.name:
                    assert flat(view.name) not in text, view.name


def test_medic_in_scope_gets_the_report_and_it_is_audited(world: World) -> None:
    medic = world.headers("medic")
    response = world.client.get(
        f"/api/v1/officers/{world.in_scope}/report.pdf", headers={**medic, "Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    text = read_pdf(response.content, "world-in-scope-en")
    assert world.names[world.in_scope] in text
    assert "Checkup date" in text and "Vital signs" in text
    assert world.names[world.own] not in text and world.badges[world.own] not in text
    trail = world.client.get(
        f"/api/v1/audit?officer_id={world.in_scope}", headers=world.headers("auditor")
    ).json()
    assert "report.officer" in {event["action"] for event in trail}


@pytest.mark.parametrize("role", ["unit_manager", "auditor", "admin"])
def test_staff_without_health_access_never_get_a_report(world: World, role: str) -> None:
    response = world.client.get(
        f"/api/v1/officers/{world.in_scope}/report.pdf", headers=world.headers(role)
    )
    assert response.status_code == 404
    assert b"%PDF" not in response.content
