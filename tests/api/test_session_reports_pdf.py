"""A checkup session's reports as one PDF for the medic: every officer who came, each report
on its own pages, no one who was booked but has not come, and nothing for other roles."""

from __future__ import annotations

from datetime import UTC, datetime

from pdf_pages import read_pdf
from sqlalchemy import select
from world import PASSWORD, World

from models.tables import AuditEvent


def test_medic_prints_the_reports_of_everyone_who_came_as_one_file(world: World) -> None:
    medic = world.headers("medic")
    today = datetime.now(UTC).date().isoformat()
    second = world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": "SES0005",
            "name": "Echo Sessionmate",
            "birth_date": "1979-07-07",
            "sex": "F",
        },
    )
    assert second.status_code == 201, second.text
    second_id = second.json()["id"]
    absent = world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": "SES0006",
            "name": "Foxtrot Stayedhome",
            "birth_date": "1988-08-08",
            "sex": "M",
        },
    ).json()["id"]
    session = world.client.post(
        f"/api/v1/units/{world.unit_in}/sessions",
        headers=medic,
        json={"day": today, "capacity": 10, "place": "Station clinic"},
    )
    assert session.status_code == 201, session.text
    session_id = session.json()["id"]
    booked = world.client.post(
        f"/api/v1/sessions/{session_id}/bookings",
        headers=medic,
        json={"officer_ids": [str(world.in_scope), second_id, absent]},
    )
    assert booked.status_code in (200, 201), booked.text
    url = f"/api/v1/sessions/{session_id}/reports.pdf?lang=en"

    early = world.client.get(url, headers=medic)
    assert early.status_code == 409
    assert early.json()["code"] == "session_no_reports"

    for officer_id, sbp in ((str(world.in_scope), 163), (second_id, 118)):
        stored = world.client.post(
            "/api/v1/checkups",
            headers=medic,
            json={"officer_id": officer_id, "exam_date": today, "results": {"sbp": sbp, "dbp": 80}},
        )
        assert stored.status_code == 201, stored.text

    answer = world.client.get(url, headers=medic)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    text = read_pdf(answer.content, "session-batch-en", layout=False)
    assert world.names[world.in_scope] in text and world.badges[world.in_scope] in text
    assert "Echo Sessionmate" in text and "SES0005" in text
    assert "163" in text and "118" in text
    # Booked but not come, and officers of other units: not in the file.
    assert "Foxtrot Stayedhome" not in text and "SES0006" not in text
    for other in (world.own, world.out_of_scope, world.emergency_target):
        assert world.names[other] not in text and world.badges[other] not in text
    # Each report numbers its own pages: two "1 / n" footers, one per officer.
    assert text.count("Annual health checkup report") == 2
    assert text.count("\f") >= 2

    with world.runtime.sessions() as db:
        actions = list(db.scalars(select(AuditEvent.action)))
    assert actions.count("report.session") == 1
    assert actions.count("report.officer") >= 2

    # A medic who serves another station does not learn the session exists.
    token = world.client.post(
        "/api/v1/auth/token", data={"username": "spare-medic", "password": PASSWORD}
    ).json()["access_token"]
    elsewhere = world.client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert elsewhere.status_code == 404
    for role in ("unit_manager", "auditor", "admin", "officer"):
        refused = world.client.get(url, headers=world.headers(role))
        assert refused.status_code == 403, role
        assert b"%PDF" not in refused.content
