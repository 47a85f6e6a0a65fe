"""Column headers as medics and lab systems write them map to the right analyte and unit."""

from __future__ import annotations

import pytest

from health.catalog import load_catalog

HEADERS = [
    # (header as written, analyte code, unit as returned)
    ("glu", "glu", None),
    ("GLU", "glu", None),
    ("1558-6", "glu", None),  # LOINC fasting glucose
    ("14771-0", "glu", None),  # LOINC fasting glucose, molar
    ("空腹血糖", "glu", None),
    ("空腹血糖 (mg/dL)", "glu", "mg/dL"),
    ("空腹血糖（mg/dL）", "glu", "mg/dL"),  # full-width brackets
    ("空腹血糖【mmol/L】", "glu", "mmol/L"),
    ("GLU[mmol/L]", "glu", "mmol/L"),
    ("ＧＬＵ", "glu", None),  # full-width letters
    ("  fpg  ", "glu", None),
    ("Fasting plasma glucose", "glu", None),
    ("空腹血糖 Fasting plasma glucose (mmol/L)", "glu", "mmol/L"),  # the template's form
    ("血糖", "glu", None),
    ("甘油三酯", "tg", None),
    ("TG", "tg", None),
    ("甘油三酯(TG)", "tg", None),  # a second label in brackets is not a unit
    ("甘油三酯(TG)(mmol/L)", "tg", "mmol/L"),
    ("总胆固醇", "tc", None),
    ("TC", "tc", None),
    ("高密度脂蛋白胆固醇", "hdl", None),
    ("HDL-C", "hdl", None),
    ("hdl c", "hdl", None),
    ("低密度脂蛋白胆固醇", "ldl", None),
    ("LDL-C (mg/dL)", "ldl", "mg/dL"),
    ("non-HDL-C", "non_hdl", None),
    ("尿酸", "ua", None),
    ("UA(μmol/L)", "ua", "μmol/L"),
    ("肌酐", "creat", None),
    ("Cr", "creat", None),
    ("CREA", "creat", None),
    ("2160-0", "creat", None),
    ("尿素", "urea", None),
    ("谷丙转氨酶", "alt", None),
    ("丙氨酸氨基转移酶", "alt", None),
    ("ALT U/L", "alt", "U/L"),  # unit after a space
    ("谷草转氨酶", "ast", None),
    ("AST", "ast", None),
    ("血红蛋白", "hb", None),
    ("HGB", "hb", None),
    ("Hb (g/dL)", "hb", "g/dL"),
    ("血红蛋白 HGB (g/L)", "hb", "g/L"),
    ("白细胞", "wbc", None),
    ("WBC(×10^9/L)", "wbc", "×10^9/L"),
    ("血小板", "plt", None),
    ("PLT", "plt", None),
    ("收缩压", "sbp", None),
    ("收缩压(mmHg)", "sbp", "mmHg"),
    ("舒张压", "dbp", None),
    ("8462-4", "dbp", None),
    ("身高", "height", None),
    ("身高(cm)", "height", "cm"),
    ("体重", "weight", None),
    ("腰围", "waist", None),
    ("心率", "pulse", None),
    ("脉搏", "pulse", None),
    ("糖化血红蛋白", "hba1c", None),
    ("HbA1c", "hba1c", None),
    ("NEUT%", "neut_pct", None),
    ("中性粒细胞绝对值", "neut_abs", None),
    ("尿蛋白", "u_pro", None),
    ("PRO", "u_pro", None),
    ("尿糖", "u_glu", None),
    ("尿潜血", "u_bld", None),
    ("BLD", "u_bld", None),
    ("酮体", "u_ket", None),
    ("KET", "u_ket", None),
    ("心电图", "ecg", None),
    ("心电图(ECG)", "ecg", None),
    ("胸片", "cxr", None),
    ("胸部X线", "cxr", None),
    ("腹部B超", "us_abd", None),
    ("眼科", "eye", None),
    ("eGFR", "egfr", None),
    ("BMI", "bmi", None),
    # BUN names urea by its nitrogen: same amount in mmol/L, nitrogen mass in mg/dL
    ("BUN", "urea", None),
    ("尿素氮(mmol/L)", "urea", "mmol/L"),
    ("BUN (mg/dL)", "urea", "mg(N)/dL"),
    ("尿素氮 BUN mg/dL", "urea", "mg(N)/dL"),
    ("尿素 (mg/dL)", "urea", "mg/dL"),
    ("血钾 (mmol/L)", "k", "mmol/L"),
    ("Na+", "na", None),
    ("血氯", "cl", None),
    ("Ca (mg/dL)", "ca", "mg/dL"),
    ("无机磷", "phos", None),
]

NOT_HEADERS = [
    "",
    "2345-7",  # serum glucose, fasting not stated: only by_loinc(..., fasting=True)
    "15074-8",  # glucose in whole blood
    "血型",
    "GLU GLU GLU",
    "空腹血糖 (mg/dL) (x)",
]


@pytest.mark.parametrize(("header", "code", "unit"), HEADERS)
def test_match_header_recognises_label_and_unit(header: str, code: str, unit: str | None) -> None:
    match = load_catalog().match_header(header)
    assert match is not None, header
    assert (match.analyte.code, match.unit) == (code, unit)


@pytest.mark.parametrize("header", NOT_HEADERS)
def test_match_header_returns_none_for_unknown_text(header: str) -> None:
    assert load_catalog().match_header(header) is None


@pytest.mark.parametrize(
    ("loinc", "fasting", "code"),
    [
        ("1558-6", False, "glu"),
        ("14771-0", False, "glu"),
        ("2345-7", False, None),  # serum glucose without a fasting flag stays unmapped
        ("2345-7", True, "glu"),
        ("14749-6", True, "glu"),
        ("15074-8", True, None),  # whole-blood glucose never maps to plasma glucose
        ("718-7", False, "hb"),
        ("4548-4", False, "hba1c"),
        ("59261-8", False, "hba1c"),
        ("2160-0", False, "creat"),
        ("98979-8", False, "egfr"),
        ("62238-1", False, None),  # CKD-EPI 2009 eGFR is a different equation
        ("2093-3", False, "tc"),
        ("2571-8", False, "tg"),
        ("2085-9", False, "hdl"),
        ("13457-7", False, "ldl"),
        ("18262-6", False, "ldl"),
        ("3084-1", False, "ua"),
        ("1742-6", False, "alt"),
        ("1920-8", False, "ast"),
        ("2324-2", False, "ggt"),
        ("6768-6", False, "alp"),
        ("1975-2", False, "tbil"),
        ("2885-2", False, "tp"),
        ("1751-7", False, "alb"),
        ("22664-7", False, "urea"),
        ("3094-0", False, None),  # BUN
        ("8480-6", False, "sbp"),
        ("8462-4", False, "dbp"),
        ("8867-4", False, "pulse"),
        ("8302-2", False, "height"),
        ("29463-7", False, "weight"),
        ("39156-5", False, "bmi"),
        ("8280-0", False, "waist"),
        ("6690-2", False, "wbc"),
        ("789-8", False, "rbc"),
        ("4544-3", False, "hct"),
        ("777-3", False, "plt"),
        ("11524-6", False, "ecg"),
        (" 718-7 ", False, "hb"),
    ],
)
def test_by_loinc_maps_codes_and_honours_fasting_flag(
    loinc: str, fasting: bool, code: str | None
) -> None:
    found = load_catalog().by_loinc(loinc, fasting=fasting)
    assert (found.code if found else None) == code
