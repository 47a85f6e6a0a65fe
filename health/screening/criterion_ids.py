"""The guideline criteria the engine implements, by rule id, with their analyte family.

The ruleset must give every id advice text (or disable it); a ruleset naming an id that is not
here is refused, so a typo cannot silently drop a criterion.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

CRITERIA: Final[Mapping[str, str]] = MappingProxyType(
    {
        "bp.high_normal": "blood_pressure",
        "bp.grade_1": "blood_pressure",
        "bp.grade_2": "blood_pressure",
        "bp.grade_3": "blood_pressure",
        "bp.not_at_goal": "blood_pressure",
        "body.underweight": "body",
        "body.overweight": "body",
        "body.obesity": "body",
        "body.pre_central_obesity": "body",
        "body.central_obesity": "body",
        "glucose.ifg": "glucose",
        "glucose.diabetes_range_unconfirmed": "glucose",
        "glucose.diabetes_confirmed": "glucose",
        "glucose.not_at_goal": "glucose",
        "lipids.borderline": "lipids",
        "lipids.dyslipidaemia": "lipids",
        "lipids.severe_hypertriglyceridaemia": "lipids",
        "lipids.ldl_not_at_goal": "lipids",
        "uric_acid.hyperuricaemia_unconfirmed": "uric_acid",
        "uric_acid.hyperuricaemia_confirmed": "uric_acid",
        "uric_acid.not_at_goal": "uric_acid",
        "kidney.egfr_reduced": "kidney",
        "kidney.egfr_reduced_persistent": "kidney",
        "mets.metabolic_syndrome": "metabolic",
    }
)
