"""Risk equations over HTTP: the catalogue, a what-if per equation, problem+json for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from world import World

from ml.equations import EQUATIONS

# One valid what-if body per enabled equation (inputs in the catalog's canonical units).
BODIES: dict[str, dict[str, Any]] = {
    "pce_2013": {
        "age": 55,
        "sex": "F",
        "race": "white",
        "tc": 213 / 38.665,
        "hdl": 50 / 38.665,
        "sbp": 120,
        "bp_treated": False,
        "smoker": False,
        "diabetes": False,
    },
    "framingham_cvd_2008": {
        "age": 55,
        "sex": "M",
        "tc": 5.5,
        "hdl": 1.3,
        "sbp": 140,
        "bp_treated": False,
        "smoker": True,
        "diabetes": False,
    },
    "score2_2021": {
        "age": 50,
        "sex": "M",
        "region": "low",
        "tc": 6.3,
        "hdl": 1.4,
        "sbp": 140,
        "smoker": True,
        "diabetes": False,
    },
    "cn_lipid_ascvd": {
        "age": 50,
        "sex": "M",
        "tc": 5.5,
        "ldl": 3.5,
        "hdl": 0.9,
        "non_hdl": 4.6,
        "sbp": 150,
        "dbp": 95,
        "bmi": 27,
        "smoker": True,
        "hypertension": True,
        "diabetes": False,
    },
    "findrisc": {
        "age": 50,
        "sex": "M",
        "bmi": 27,
        "waist": 95,
        "physically_active": False,
        "daily_fruit_veg": True,
        "bp_treated": False,
        "high_glucose_history": False,
        "family_history_diabetes": "first_degree",
        "diabetes": False,
    },
    "cdrs": {
        "age": 50,
        "sex": "M",
        "bmi": 27,
        "waist": 95,
        "sbp": 150,
        "family_history_diabetes": "none",
        "diabetes": False,
    },
}


def test_catalogue_lists_every_equation_with_citation_units_and_status(world: World) -> None:
    listed = world.client.get("/api/v1/risk/equations", headers=world.headers("officer"))
    assert listed.status_code == 200
    by_id = {e["id"]: e for e in listed.json()}
    assert set(by_id) == set(EQUATIONS)
    assert by_id["pce_2013"]["validation"] == "validated"
    assert {i["name"]: i["unit"] for i in by_id["pce_2013"]["inputs"]}["sbp"] == "mm[Hg]"
    assert by_id["china_par"]["enabled"] is False
    assert by_id["china_par"]["validation"] == "unvalidated"
    assert all(e["citation"] for e in by_id.values())


@pytest.mark.parametrize("equation_id", sorted(BODIES))
def test_what_if_answers_for_every_enabled_equation(world: World, equation_id: str) -> None:
    response = world.client.post(
        f"/api/v1/risk/equations/{equation_id}",
        json=BODIES[equation_id],
        headers=world.headers("medic") | {"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["value"] is not None
    assert body["band"]["tier"] in ("low", "moderate", "high")


def test_what_if_pce_reproduces_the_worked_example(world: World) -> None:
    response = world.client.post(
        "/api/v1/risk/equations/pce_2013", json=BODIES["pce_2013"], headers=world.headers("medic")
    )
    assert round(response.json()["value"] * 100, 1) == 2.1


def test_missing_input_is_problem_json_naming_field_unit_and_range(world: World) -> None:
    body = dict(BODIES["pce_2013"])
    del body["sbp"]
    response = world.client.post(
        "/api/v1/risk/equations/pce_2013", json=body, headers=world.headers("medic")
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["inputs"] == [
        {"field": "sbp", "unit": "mm[Hg]", "allowed": "50–300 mm[Hg]", "reason": "missing"}
    ]


def test_out_of_range_input_is_named_without_echoing_the_value(world: World) -> None:
    body = BODIES["pce_2013"] | {"tc": 99.0, "smoker": "yes"}
    response = world.client.post(
        "/api/v1/risk/equations/pce_2013", json=body, headers=world.headers("medic")
    )
    assert response.status_code == 400
    fields = {p["field"]: p for p in response.json()["inputs"]}
    assert fields["tc"]["allowed"] == "0.5–40 mmol/L"
    assert fields["tc"]["reason"] == "outside the accepted range"
    assert fields["smoker"]["allowed"] == "true or false"
    assert "99" not in response.text


def test_outside_the_domain_is_an_answer_not_an_error(world: World) -> None:
    response = world.client.post(
        "/api/v1/risk/equations/pce_2013",
        json=BODIES["pce_2013"] | {"age": 35},
        headers=world.headers("medic") | {"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "not_applicable"
    assert response.json()["value"] is None
    assert "40–79" in response.json()["not_applicable"][0]


def test_disabled_equation_refuses_with_its_reason(world: World) -> None:
    response = world.client.post(
        "/api/v1/risk/equations/china_par",
        json={},
        headers=world.headers("medic") | {"Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert "Yang" in response.json()["detail"]


def test_unknown_equation_is_404(world: World) -> None:
    response = world.client.post(
        "/api/v1/risk/equations/nope", json={}, headers=world.headers("medic")
    )
    assert response.status_code == 404
