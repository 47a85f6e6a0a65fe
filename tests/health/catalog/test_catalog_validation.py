"""The packaged catalog's content, and the load-time validation of a broken catalog file."""

from __future__ import annotations

from pathlib import Path

import pytest

from health.catalog import (
    CatalogValidationError,
    UnknownAnalyteError,
    ValueKind,
    catalog_from_toml,
    load_catalog,
)
from health.catalog.loader import loinc_check_digit

STABLE_CODES = {
    "height",
    "weight",
    "waist",
    "bmi",
    "sbp",
    "dbp",
    "pulse",
    "wbc",
    "rbc",
    "hb",
    "hct",
    "plt",
    "neut_pct",
    "lymph_pct",
    "mono_pct",
    "eos_pct",
    "baso_pct",
    "neut_abs",
    "lymph_abs",
    "alt",
    "ast",
    "ggt",
    "alp",
    "tbil",
    "tp",
    "alb",
    "urea",
    "creat",
    "egfr",
    "ua",
    "tc",
    "tg",
    "hdl",
    "ldl",
    "non_hdl",
    "glu",
    "hba1c",
    "u_pro",
    "u_glu",
    "u_bld",
    "u_ket",
    "ecg",
    "cxr",
    "us_abd",
    "eye",
}

CANONICAL_UNITS = [
    ("height", "cm"),
    ("weight", "kg"),
    ("bmi", "kg/m2"),
    ("sbp", "mm[Hg]"),
    ("pulse", "/min"),
    ("wbc", "10*9/L"),
    ("rbc", "10*12/L"),
    ("hb", "g/L"),
    ("hct", "%"),
    ("alt", "U/L"),
    ("tbil", "umol/L"),
    ("urea", "mmol/L"),
    ("creat", "umol/L"),
    ("egfr", "mL/min/{1.73_m2}"),
    ("ua", "umol/L"),
    ("tg", "mmol/L"),
    ("glu", "mmol/L"),
    ("hba1c", "%"),
]


def test_packaged_catalog_has_version_and_every_stable_code() -> None:
    catalog = load_catalog()
    assert catalog.version == "2026.2"
    assert set(catalog.codes) >= STABLE_CODES
    assert len(catalog) == len(catalog.codes)
    assert "glu" in catalog


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


@pytest.mark.parametrize(("code", "unit"), CANONICAL_UNITS)
def test_canonical_unit(code: str, unit: str) -> None:
    assert load_catalog().get(code).unit == unit


@pytest.mark.parametrize(
    ("code", "kind"),
    [("glu", ValueKind.QUANTITY), ("u_pro", ValueKind.ORDINAL), ("ecg", ValueKind.CODED)],
)
def test_value_kind(code: str, kind: ValueKind) -> None:
    assert load_catalog().get(code).kind is kind


def test_only_bmi_egfr_and_non_hdl_are_derived() -> None:
    derived = {a.code for a in load_catalog() if a.derived}
    assert derived == {"bmi", "egfr", "non_hdl"}


def test_get_unknown_code_raises() -> None:
    with pytest.raises(UnknownAnalyteError):
        load_catalog().get("bun")


@pytest.mark.parametrize(
    ("number", "digit"),
    [("1558", 6), ("718", 7), ("4548", 4), ("2160", 0), ("98979", 8), ("13457", 7)],
)
def test_loinc_check_digit_of_published_codes(number: str, digit: int) -> None:
    assert loinc_check_digit(number) == digit


MINIMAL = """
version = "test.1"

[ordinal_scales.dipstick]
levels = ["-", "+"]
source = "test"
aliases = [["neg", 0]]

[[analyte]]
code = "glu"
group = "glucose"
kind = "quantity"
loinc = "1558-6"
name_zh = "空腹血糖"
name_en = "Fasting plasma glucose"
aliases = ["GLU"]
unit = "mmol/L"
units = [{ unit = "mg/dL", molar_mass = 180.16, source = "glucose" }]
bounds = [0.5, 60.0]
bounds_source = "test"

[[analyte]]
code = "u_pro"
group = "urine"
kind = "ordinal"
scale = "dipstick"
name_zh = "尿蛋白"
name_en = "Urine protein"

[[analyte]]
code = "ecg"
group = "exam"
kind = "coded"
name_zh = "心电图"
name_en = "ECG"
findings = [
  { code = "normal", zh = "正常", en = "Normal" },
  { code = "other", zh = "其他", en = "Other" },
]
"""

BROKEN = [
    # (replace this, with this, analyte named, field named)
    ('loinc = "1558-6"', 'loinc = "1558-5"', "glu", "loinc"),  # wrong check digit
    ('loinc = "1558-6"', 'loinc = "glucose"', "glu", "loinc"),
    ("bounds = [0.5, 60.0]", "bounds = [60.0, 0.5]", "glu", "bounds"),
    ("bounds = [0.5, 60.0]", "bounds = [0.5]", "glu", "bounds"),
    ('kind = "quantity"', 'kind = "number"', "glu", "kind"),
    ('unit = "mmol/L"\n', "", "glu", "unit"),
    ("molar_mass = 180.16", "molar_mass = -1.0", "glu", "units[mg/dL].molar_mass"),
    ("molar_mass = 180.16", "molar_mass = 180.16, factor = 0.0555", "glu", "units[mg/dL]"),
    ('unit = "mg/dL", molar_mass', 'unit = "mmHg", molar_mass', "glu", "units[mmHg].molar_mass"),
    ('source = "glucose"', 'source = ""', "glu", "units[mg/dL].source"),
    ('bounds_source = "test"', "bounds_source = 3", "glu", "bounds_source"),
    ('name_en = "Fasting plasma glucose"', "", "glu", "name_en"),
    ('aliases = ["GLU"]', 'aliases = ["GLU"]\ncolour = "red"', "glu", "colour"),
    # an alias already naming another analyte: reported where the second claim is made
    ('aliases = ["GLU"]', 'aliases = ["尿蛋白"]', "u_pro", "aliases"),
    ('scale = "dipstick"', 'scale = "colour"', "u_pro", "scale"),
    ('scale = "dipstick"', 'scale = "dipstick"\nunit = "g/L"', "u_pro", "unit"),
    ('{ code = "other", zh = "其他", en = "Other" },', "", "ecg", "findings"),
    (
        '{ code = "other", zh = "其他", en = "Other" },',
        '{ code = "other", zh = "正常", en = "x" },',
        "ecg",
        "findings",
    ),
    ('code = "u_pro"', 'code = "glu"', "glu", "code"),  # defined twice
    ('code = "u_pro"', 'code = "U-Pro"', None, "analyte[1].code"),
    ('version = "test.1"', "", None, "version"),
]


def test_minimal_catalog_is_valid() -> None:
    catalog = catalog_from_toml(MINIMAL)
    assert catalog.codes == ("glu", "u_pro", "ecg")
    assert catalog.to_canonical("glu", 180.16, "mg/dL") == pytest.approx(10.0)


@pytest.mark.parametrize(("old", "new", "analyte", "field"), BROKEN)
def test_broken_catalog_file_names_analyte_and_field(
    tmp_path: Path, old: str, new: str, analyte: str | None, field: str
) -> None:
    assert old in MINIMAL
    path = tmp_path / "analytes.toml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogValidationError) as caught:
        load_catalog(path)
    assert caught.value.analyte == analyte
    assert caught.value.field == field
    assert f"field {field!r}" in str(caught.value)
    if analyte is not None:
        assert f"analyte {analyte!r}" in str(caught.value)


def test_toml_syntax_error_is_a_validation_error(tmp_path: Path) -> None:
    path = tmp_path / "analytes.toml"
    path.write_text('version = "x\n', encoding="utf-8")
    with pytest.raises(CatalogValidationError, match="toml"):
        load_catalog(path)
