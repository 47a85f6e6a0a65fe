"""Plausibility limits, dipstick levels and coded findings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from health.catalog import CatalogError, UnrecognisedValueError, load_catalog

PLAUSIBLE = [
    # (analyte, canonical value, plausible?)
    ("sbp", 40.0, True),  # lower limit is inclusive
    ("sbp", 300.0, True),
    ("sbp", 39.9, False),
    ("sbp", 301.0, False),
    ("sbp", 120.0, True),
    ("hb", 10.0, True),
    ("hb", 9.9, False),
    ("hb", 250.0, True),
    ("hb", 1400.0, False),  # g/L value typed with an extra digit
    ("glu", 0.5, True),
    ("glu", 60.0, True),
    ("glu", 100.0, False),  # mg/dL typed into a mmol/L column
    ("glu", 0.0, False),
    ("creat", 1.1, False),  # mg/dL typed into a umol/L column
    ("creat", 88.0, True),
    ("height", 1.75, False),  # metres typed into a cm column
    ("height", 175.0, True),
    ("neut_pct", 100.0, True),
    ("neut_pct", 100.5, False),
    ("neut_pct", -1.0, False),
    ("hba1c", 6.5, True),
    ("hba1c", 48.0, False),  # IFCC mmol/mol typed into the % column
    ("glu", math.inf, False),
    ("glu", math.nan, False),
]


@pytest.mark.parametrize(("code", "value", "plausible"), PLAUSIBLE)
def test_plausibility_error_marks_values_outside_physical_limits(
    code: str, value: float, plausible: bool
) -> None:
    message = load_catalog().plausibility_error(code, value)
    assert (message is None) == plausible
    if message is not None:
        assert code in message
        assert "plausible" in message


@pytest.mark.parametrize("value", [400.5, 12.5, 301.7])
def test_plausibility_message_never_quotes_the_value(value: float) -> None:
    message = load_catalog().plausibility_error("sbp", value)
    assert message is not None
    assert f"{value:g}" not in message


def test_implausible_mask_matches_scalar_check_and_ignores_nan() -> None:
    catalog = load_catalog()
    values = np.array([39.0, 40.0, 120.0, 300.0, 301.0, math.nan, math.inf])
    mask = catalog.implausible_mask("sbp", values)
    assert mask.tolist() == [True, False, False, False, True, False, True]


def test_every_quantity_has_bounds_with_a_source() -> None:
    for analyte in load_catalog():
        if analyte.kind == "quantity":
            assert analyte.bounds is not None
            assert analyte.bounds[0] < analyte.bounds[1]
            assert analyte.bounds_source


LEVELS = [
    # (text as written on reports, level index; 0 = "-" ... 5 = "4+")
    ("-", 0),
    ("−", 0),  # unicode minus sign
    ("neg", 0),
    ("Negative", 0),
    ("阴性", 0),
    ("阴性(-)", 0),
    ("±", 1),
    ("+-", 1),
    ("+/-", 1),
    ("trace", 1),
    ("弱阳性", 1),
    ("微量", 1),
    ("+", 2),
    ("1+", 2),
    ("(+)", 2),
    ("（+）", 2),  # full-width brackets
    ("++", 3),
    ("2+", 3),
    (" 2+ ", 3),
    ("+++", 4),
    ("3+", 4),
    ("++++", 5),
    ("4+", 5),
]


@pytest.mark.parametrize(("text", "level"), LEVELS)
def test_parse_ordinal_reads_dipstick_spellings(text: str, level: int) -> None:
    assert load_catalog().parse_ordinal("u_pro", text) == level


@pytest.mark.parametrize(
    ("index", "label"), [(0, "-"), (1, "±"), (2, "1+"), (3, "2+"), (4, "3+"), (5, "4+")]
)
def test_ordinal_label_round_trips(index: int, label: str) -> None:
    catalog = load_catalog()
    assert catalog.ordinal_label("u_glu", index) == label
    assert catalog.parse_ordinal("u_glu", label) == index


@pytest.mark.parametrize("text", ["+++++", "positive", "阳性", "5.6", "", "0.3 g/L"])
def test_parse_ordinal_rejects_unknown_text_without_echoing_it(text: str) -> None:
    with pytest.raises(UnrecognisedValueError) as caught:
        load_catalog().parse_ordinal("u_pro", text)
    assert caught.value.text == text
    assert "u_pro" in str(caught.value)
    if text:
        assert text not in str(caught.value)


def test_ordinal_label_out_of_range_and_wrong_kind_raise() -> None:
    catalog = load_catalog()
    with pytest.raises(CatalogError):
        catalog.ordinal_label("u_pro", 6)
    with pytest.raises(CatalogError):
        catalog.parse_ordinal("glu", "+")


FINDINGS = [
    # (analyte, cell text, finding codes, remark)
    ("ecg", "正常心电图", ("normal",), None),
    ("ecg", "窦性心律", ("normal",), None),
    ("ecg", "窦性心动过缓", ("sinus_bradycardia",), None),
    ("ecg", "sinus_bradycardia", ("sinus_bradycardia",), None),
    ("ecg", "窦性心律；ST-T改变", ("st_t_change",), None),  # normal dropped beside a finding
    ("ecg", "房颤, 室早", ("atrial_fibrillation", "pvc"), None),
    ("ecg", "Ⅰ度房室传导阻滞", ("av_block_1",), None),  # Roman numeral folds to I
    ("ecg", "不完全性右束支传导阻滞", ("other",), "不完全性右束支传导阻滞"),
    (
        "ecg",
        "窦缓、不完全性右束支传导阻滞",
        ("sinus_bradycardia", "other"),
        "不完全性右束支传导阻滞",
    ),
    ("us_abd", "轻度脂肪肝；胆囊结石", ("fatty_liver_mild", "gallstone"), None),
    ("us_abd", "脂肪肝", ("fatty_liver_ungraded",), None),
    ("us_abd", "未见明显异常", ("normal",), None),
    ("cxr", "两肺未见明显异常", ("normal",), None),
    ("cxr", "右上肺结节影", ("other",), "右上肺结节影"),
    ("cxr", "肺结节", ("nodule",), None),
    ("eye", "白内障/视力下降", ("cataract", "reduced_acuity"), None),
]


@pytest.mark.parametrize(("code", "text", "codes", "remark"), FINDINGS)
def test_parse_findings_maps_names_and_keeps_the_rest(
    code: str, text: str, codes: tuple[str, ...], remark: str | None
) -> None:
    parsed = load_catalog().parse_findings(code, text)
    assert (parsed.codes, parsed.remark) == (codes, remark)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ecg", {"normal", "sinus_bradycardia", "atrial_fibrillation", "wpw", "other"}),
        ("us_abd", {"fatty_liver_mild", "fatty_liver_severe", "liver_mass", "other"}),
        ("cxr", {"nodule", "old_tb_lesion", "mass", "other"}),
        ("eye", {"cataract", "fundus_arteriosclerosis", "reduced_acuity", "other"}),
    ],
)
def test_finding_codes_include_the_stable_codes(code: str, expected: set[str]) -> None:
    assert expected <= set(load_catalog().finding_codes(code))


def test_finding_codes_of_a_quantity_is_an_error() -> None:
    with pytest.raises(CatalogError):
        load_catalog().finding_codes("glu")
