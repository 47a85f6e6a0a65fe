"""With every logger at DEBUG, a full working session logs no badge number, name or value."""

from __future__ import annotations

import logging

import pytest
from world import World

BADGE, NAME = "LOGX98765", "Zebulon Quillfeather"
VALUES = {"glu": 13.579, "hb": 187.25, "ua": 611.37}


def test_logs_hold_no_identifiers_or_values(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    medic = world.headers("medic")
    created = world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": BADGE,
            "name": NAME,
            "birth_date": "1979-09-09",
            "sex": "M",
            "national_id": "110101197909091231",
        },
    ).json()
    world.client.post(
        "/api/v1/checkups",
        headers=medic,
        json={"badge_number": BADGE, "exam_date": "2026-02-02", "results": VALUES},
    )
    world.client.post(
        "/api/v1/checkups",
        headers=medic,
        json={"badge_number": BADGE, "exam_date": "2026-02-02", "results": VALUES},
    )
    world.client.post("/api/v1/officers/lookup", headers=medic, json={"badge_number": BADGE})
    world.client.get(f"/api/v1/officers/{created['id']}", headers=medic)
    world.client.get(f"/api/v1/officers/{created['id']}/checkups", headers=medic)
    world.client.post(
        "/api/v1/officers/lookup", headers=world.headers("officer"), json={"badge_number": BADGE}
    )
    world.client.post(
        "/api/v1/officers",
        headers=medic,
        json={
            "unit_id": str(world.unit_in),
            "badge_number": BADGE,
            "name": NAME,
            "birth_date": "1979-09-09",
            "sex": "M",
        },
    )
    world.client.post("/api/v1/auth/token", data={"username": BADGE, "password": NAME})
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    assert "INSERT INTO officer" in caplog.text, "SQL logging was captured"
    for secret in (
        BADGE,
        NAME,
        "1979-09-09",
        "110101197909091231",
        *(str(v) for v in VALUES.values()),
    ):
        assert secret not in caplog.text, secret
