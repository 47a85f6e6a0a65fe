"""Official HL7 FHIR R4 example resources (tests/data/fhir, see SOURCE.txt there) through the
Bundle reader: what maps, what converts, and what is refused and why."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from health.ingest import BADGE_SYSTEM, ReasonCode, read_fhir_bundle

FHIR = Path(__file__).resolve().parents[2] / "data" / "fhir"
OBSERVATIONS = [
    "observation-example-f001-glucose.json",
    "observation-example-f003-co2.json",
    "observation-example-f005-hemoglobin.json",
    "observation-example-f204-creatinine.json",
    "observation-example-bloodpressure.json",
    "observation-example-body-height.json",
]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FHIR / name).read_text("utf-8"))
    return data


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


@pytest.mark.parametrize("name", OBSERVATIONS)
def test_official_observation_example_validates_as_r4(name: str) -> None:
    observation = Observation.model_validate(_load(name))
    assert observation.status == "final"


def test_official_patient_example_validates_as_r4() -> None:
    assert Patient.model_validate(_load("patient-example-f001-pieter.json")).gender == "male"


@pytest.fixture
def official() -> dict[str, Any]:
    """The official Patient f001 and the six Observations, unchanged, in one Bundle."""
    return _bundle(_load("patient-example-f001-pieter.json"), *map(_load, OBSERVATIONS))


def test_official_examples_errors(official: dict[str, Any]) -> None:
    result = read_fhir_bundle(official)
    assert [(e.row, e.field, e.value, e.reason_code) for e in result.errors] == [
        # whole-blood glucose is not fasting plasma glucose (see analytes.toml)
        (1, "Observation.code", "http://loinc.org|15074-8", ReasonCode.UNKNOWN_ANALYTE),
        # pCO2 is not a checkup item
        (2, "Observation.code", "http://loinc.org|11557-6", ReasonCode.UNKNOWN_ANALYTE),
        # Patient f001 carries a Dutch BSN, not one of our badge numbers
        (3, "Observation.subject", "", ReasonCode.MISSING_OFFICER),
        # a local lab code, no LOINC
        (
            4,
            "Observation.code",
            "https://intranet.aumc.nl/labtestcodes|20005",
            ReasonCode.UNKNOWN_ANALYTE,
        ),
    ]


def test_official_blood_pressure_panel_is_read_through_components(
    official: dict[str, Any],
) -> None:
    result = read_fhir_bundle(official)
    pressure = next(d for d in result.drafts if "sbp" in d.results)
    assert pressure.officer_id == "example"  # Patient/example: a Patient already on our server
    assert pressure.exam_date == date(2012, 9, 17)
    assert (pressure.results["sbp"].value, pressure.results["dbp"].value) == (107.0, 60.0)
    assert pressure.results["sbp"].unit_original == "mm[Hg]"
    assert pressure.source_rows == (5,)


def test_official_body_height_in_inches_becomes_centimetres(official: dict[str, Any]) -> None:
    result = read_fhir_bundle(official)
    height = next(d for d in result.drafts if "height" in d.results)
    assert height.exam_date == date(1999, 7, 2)
    # 66.899999999999991 [in_i] x 2.54 cm (international inch, exact)
    assert height.results["height"].value == pytest.approx(66.899999999999991 * 2.54)
    assert height.results["height"].unit_original == "[in_i]"


def test_official_haemoglobin_for_an_officer_converts_g_dl_to_g_l() -> None:
    patient = copy.deepcopy(_load("patient-example-f001-pieter.json"))
    patient["identifier"].append({"system": BADGE_SYSTEM, "value": "110999"})
    result = read_fhir_bundle(_bundle(patient, _load("observation-example-f005-hemoglobin.json")))
    assert result.errors == ()
    (draft,) = result.drafts
    assert draft.badge_number == "110999"
    assert (draft.sex, draft.birth_date, draft.name) == (
        "male",
        date(1944, 11, 17),
        "Pieter van de Heuvel",
    )
    assert draft.exam_date == date(2013, 4, 5)  # effectivePeriod.start, date as written
    assert draft.results["hb"].value == pytest.approx(72.0)  # 7.2 g/dL x 10
    assert (draft.results["hb"].value_original, draft.results["hb"].unit_original) == (
        "7.2",
        "g/dL",
    )
