"""Every unit conversion in the catalog against values computed here from first principles.

Expected values are derived in this file from molar masses and unit definitions (not read from
the catalog), each constant citing where it comes from.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from health.catalog import (
    CatalogError,
    UnitConversionError,
    UnknownAnalyteError,
    fold_unit,
    load_catalog,
)

# Molar masses (g/mol) from the IUPAC standard atomic weights (C 12.011, H 1.008, N 14.007,
# O 15.999) as the clinical chemistry literature rounds them (Tietz Textbook of Clinical
# Chemistry, SI conversion tables).
GLUCOSE = 180.16  # C6H12O6
CHOLESTEROL = 386.65  # C27H46O
TRIGLYCERIDE = 885.7  # as triolein, the conventional value behind NCHS's 0.01129
CREATININE = 113.12  # C4H7N3O
URIC_ACID = 168.11  # C5H4N4O3
BILIRUBIN = 584.66  # C33H36N4O6
UREA = 60.06  # CH4N2O
UREA_N2 = 2 * 14.007  # the two nitrogens of one urea molecule, N 14.007 (IUPAC)
POTASSIUM = 39.098  # IUPAC 2021 standard atomic weight
CALCIUM = 40.078
PHOSPHORUS = 30.974
HB_MONOMER = 16_114.5  # haemoglobin Fe-monomer, ICSH reference method (van Assendelft)

MMHG_PA = 133.322387415  # 1 mmHg in pascal, conventional value (ISO 80000-4)
INCH_CM = 2.54  # exact, international yard and pound agreement 1959
POUND_KG = 0.45359237  # exact, same agreement
JIN_KG = 0.5  # 市斤 = 500 g, State Council order on units of measurement, 1959
U_PER_UKAT = 60.0  # 1 U = 1 umol/min; 1 kat = 1 mol/s (IUBMB/IFCC)


def mg_dl_to_mmol_l(mg_dl: float, molar_mass: float) -> float:
    """mg/dL -> g/L is x 0.01; g/L / (g/mol) = mol/L; x 1000 -> mmol/L."""
    return mg_dl * 0.01 / molar_mass * 1000


def mg_dl_to_umol_l(mg_dl: float, molar_mass: float) -> float:
    return mg_dl_to_mmol_l(mg_dl, molar_mass) * 1000


CONVERSIONS = [
    # (analyte, unit, value, expected canonical value)
    ("height", "m", 1.755, 175.5),
    ("height", "mm", 1755, 175.5),
    ("height", "[in_i]", 70, 70 * INCH_CM),
    ("height", "in", 70, 70 * INCH_CM),
    ("weight", "g", 72_500, 72.5),
    ("weight", "[lb_av]", 160, 160 * POUND_KG),
    ("weight", "lb", 160, 160 * POUND_KG),
    ("weight", "斤", 145, 145 * JIN_KG),
    ("waist", "m", 0.92, 92.0),
    ("waist", "[in_i]", 36, 36 * INCH_CM),
    ("waist", "in", 36, 36 * INCH_CM),
    ("sbp", "kPa", 16.0, 16.0 * 1000 / MMHG_PA),
    ("dbp", "kPa", 10.7, 10.7 * 1000 / MMHG_PA),
    ("wbc", "/uL", 6500, 6.5),  # 1 /uL = 1e6 /L = 1e-3 x 10^9/L
    ("plt", "/uL", 250_000, 250.0),
    ("neut_abs", "/uL", 4200, 4.2),
    ("lymph_abs", "/uL", 1800, 1.8),
    ("hb", "g/dL", 14.2, 142.0),  # 1 dL = 0.1 L
    ("hb", "mmol/L", 8.7, 8.7 * HB_MONOMER / 1000),
    ("hct", "L/L", 0.45, 45.0),
    ("alt", "ukat/L", 0.5, 0.5 * U_PER_UKAT),
    ("alt", "nkat/L", 500, 500 / 1000 * U_PER_UKAT),
    ("ast", "ukat/L", 0.4, 0.4 * U_PER_UKAT),
    ("ast", "nkat/L", 400, 400 / 1000 * U_PER_UKAT),
    ("ggt", "ukat/L", 0.8, 0.8 * U_PER_UKAT),
    ("ggt", "nkat/L", 800, 800 / 1000 * U_PER_UKAT),
    ("alp", "ukat/L", 1.2, 1.2 * U_PER_UKAT),
    ("alp", "nkat/L", 1200, 1200 / 1000 * U_PER_UKAT),
    ("tbil", "mg/dL", 1.0, mg_dl_to_umol_l(1.0, BILIRUBIN)),
    ("tbil", "mmol/L", 0.017, 17.0),
    ("tp", "g/dL", 7.3, 73.0),
    ("alb", "g/dL", 4.4, 44.0),
    ("urea", "mg/dL", 30, mg_dl_to_mmol_l(30, UREA)),
    # BUN 14 mg/dL of nitrogen is 5.0 mmol/L urea (Tietz: BUN mg/dL x 0.357)
    ("urea", "mg(N)/dL", 14, mg_dl_to_mmol_l(14, UREA_N2)),
    ("k", "mg/dL", 16, mg_dl_to_mmol_l(16, POTASSIUM)),
    ("ca", "mg/dL", 9.5, mg_dl_to_mmol_l(9.5, CALCIUM)),  # 9.5 mg/dL = 2.37 mmol/L
    ("ca", "mEq/L", 4.8, 2.4),  # divalent: 2 mEq per mmol
    ("phos", "mg/dL", 3.5, mg_dl_to_mmol_l(3.5, PHOSPHORUS)),  # 3.5 mg/dL = 1.13 mmol/L
    ("creat", "mg/dL", 1.0, mg_dl_to_umol_l(1.0, CREATININE)),
    ("creat", "mmol/L", 0.09, 90.0),
    ("ua", "mg/dL", 6.0, mg_dl_to_umol_l(6.0, URIC_ACID)),
    ("ua", "mmol/L", 0.36, 360.0),
    ("tc", "mg/dL", 200, mg_dl_to_mmol_l(200, CHOLESTEROL)),
    ("hdl", "mg/dL", 50, mg_dl_to_mmol_l(50, CHOLESTEROL)),
    ("ldl", "mg/dL", 130, mg_dl_to_mmol_l(130, CHOLESTEROL)),
    ("non_hdl", "mg/dL", 160, mg_dl_to_mmol_l(160, CHOLESTEROL)),
    ("tg", "mg/dL", 150, mg_dl_to_mmol_l(150, TRIGLYCERIDE)),
    ("glu", "mg/dL", 100, mg_dl_to_mmol_l(100, GLUCOSE)),
    # NGSP % = 0.09148 x IFCC mmol/mol + 2.152 (Hoelzel et al., Clin Chem 2004;50:166-174)
    ("hba1c", "mmol/mol", 48, 0.09148 * 48 + 2.152),
]

# Spellings that mean the canonical unit itself (factor 1), as medics and analysers write them.
SAME_UNIT = [
    ("wbc", "10^9/L"),
    ("wbc", "×10^9/L"),
    ("wbc", "x10^9/l"),
    ("wbc", "10⁹/L"),
    ("wbc", "10E9/L"),
    ("wbc", "G/L"),
    ("wbc", "/nL"),
    ("wbc", "10*3/uL"),
    ("wbc", "10^3/μL"),
    ("wbc", "K/uL"),
    ("plt", "10^9/L"),
    ("rbc", "10^12/L"),
    ("rbc", "×10¹²/L"),
    ("rbc", "T/L"),
    ("rbc", "10^6/µL"),
    ("sbp", "mmHg"),
    ("sbp", "mm[Hg]"),
    ("dbp", "毫米汞柱"),
    ("pulse", "/min"),
    ("pulse", "bpm"),
    ("pulse", "次/分"),
    ("alt", "IU/L"),
    ("alt", "u/l"),
    ("creat", "μmol/L"),
    ("creat", "µmol/L"),
    ("creat", "umol/l"),
    ("glu", "mmol/l"),
    ("glu", "ＭＭＯＬ／Ｌ"),
    ("egfr", "mL/min/1.73m2"),
    ("egfr", "ml/min/1.73 m²"),
    ("egfr", "mL/min/{1.73_m2}"),
    ("bmi", "kg/m²"),
    ("bmi", "kg/m^2"),
    ("hba1c", "%"),
]


@pytest.mark.parametrize(("code", "unit", "value", "expected"), CONVERSIONS)
def test_to_canonical_matches_independent_value(
    code: str, unit: str, value: float, expected: float
) -> None:
    assert load_catalog().to_canonical(code, value, unit) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("code", "unit", "value", "expected"), CONVERSIONS)
def test_to_canonical_array_matches_scalar_conversion(
    code: str, unit: str, value: float, expected: float
) -> None:
    values = np.array([value, 2 * value, math.nan])
    converted = load_catalog().to_canonical_array(code, values, unit)
    assert converted[:2] == pytest.approx([expected, 2 * expected - _offset(code)], rel=1e-9)
    assert math.isnan(converted[2])


def _offset(code: str) -> float:
    return 2.152 if code == "hba1c" else 0.0


def test_every_catalog_conversion_is_in_the_table() -> None:
    """A conversion added to analytes.toml without a row above fails here."""
    catalog = load_catalog()
    tested = {(code, fold_unit(unit)) for code, unit, _, _ in CONVERSIONS}
    for analyte in catalog:
        for conversion in analyte.units:
            key = (analyte.code, fold_unit(conversion.unit))
            if conversion.factor == 1.0 and conversion.offset == 0.0:
                continue
            assert key in tested, f"untested conversion {key}"


@pytest.mark.parametrize(("code", "unit"), SAME_UNIT)
def test_spelling_of_canonical_unit_converts_with_factor_one(code: str, unit: str) -> None:
    assert load_catalog().to_canonical(code, 12.5, unit) == 12.5


@pytest.mark.parametrize("code", ["glu", "sbp", "hb", "wbc"])
def test_unit_none_means_canonical(code: str) -> None:
    assert load_catalog().to_canonical(code, 7.25, None) == 7.25


@pytest.mark.parametrize(
    ("code", "unit"),
    [
        ("glu", "mg/L"),
        ("glu", "g/L"),
        ("creat", "mmol/mol"),
        ("hb", "%"),
        ("wbc", "10^12/L"),
        ("sbp", "cmH2O"),
        ("u_pro", "g/L"),
        ("ecg", "mV"),
    ],
)
def test_unconvertible_unit_raises_naming_code_and_unit(code: str, unit: str) -> None:
    with pytest.raises(UnitConversionError) as caught:
        load_catalog().to_canonical(code, 1.0, unit)
    assert code in str(caught.value)
    assert unit in str(caught.value)
    assert isinstance(caught.value, CatalogError)
    assert isinstance(caught.value, ValueError)


def test_unknown_code_raises_unknown_analyte_error() -> None:
    with pytest.raises(UnknownAnalyteError, match="'bun'"):
        load_catalog().to_canonical("bun", 5.0, None)


def test_molar_mass_is_kept_beside_a_derived_factor() -> None:
    creat = load_catalog().get("creat")
    mg_dl = next(u for u in creat.units if u.unit == "mg/dL")
    assert mg_dl.molar_mass == CREATININE
    assert "113.12" in mg_dl.source
