"""The conditions of the force analysis, each defined on one checkup's values, column-wise.

Screen-detected at the annual checkup (one visit), so these are prevalences of the criterion
being met at the checkup, not of diagnosed disease. An officer counts towards a condition's
denominator when at least one of its measures was taken; a case when any criterion is met.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

# Codes of coded findings, as the default ruleset grades them.
# ECG: the codes the default ruleset reads as normal (interpretation N: normal ECG, sinus
# bradycardia and sinus arrhythmia as physiological variants, 2018 ACC/AHA/HRS bradycardia
# guideline); any other ECG code is an abnormal ECG.
NORMAL_ECG: Final = frozenset({"normal", "sinus_bradycardia", "sinus_arrhythmia"})
# Fatty liver on abdominal ultrasound, any grade (《非酒精性脂肪性肝病防治指南》2018年更新版).
FATTY_LIVER: Final = frozenset(
    {"fatty_liver_mild", "fatty_liver_moderate", "fatty_liver_severe", "fatty_liver_ungraded"}
)
# Dipstick level index of 1+ on the catalog's scale (-, ±, 1+, 2+, 3+, 4+).
DIPSTICK_1_PLUS: Final = 2


@dataclass(frozen=True)
class Condition:
    code: str
    name_zh: str
    name_en: str
    measures: tuple[str, ...]
    criterion: str
    source: str
    test: Callable[[pd.DataFrame], pd.Series]


def _num(frame: pd.DataFrame, code: str) -> pd.Series:
    if code not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[code], errors="coerce").astype("float64")


def _codes(frame: pd.DataFrame, modality: str) -> pd.Series:
    """The coded findings of a modality, one row per code (index repeated; missing when none)."""
    if modality not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=object)
    return frame[modality].explode()


def _any(hits: pd.Series, index: pd.Index) -> pd.Series:
    return hits.groupby(level=0).any().reindex(index, fill_value=False).astype(bool)


def _hypertension(f: pd.DataFrame) -> pd.Series:
    # SBP ≥ 140 or DBP ≥ 90 mmHg (中国高血压防治指南2018年修订版, 高血压的诊断标准).
    return (_num(f, "sbp") >= 140) | (_num(f, "dbp") >= 90)


def _diabetes(f: pd.DataFrame) -> pd.Series:
    # FPG ≥ 7.0 mmol/L or HbA1c ≥ 6.5 % (中国2型糖尿病防治指南2020年版, 糖尿病的诊断标准).
    return (_num(f, "glu") >= 7.0) | (_num(f, "hba1c") >= 6.5)


def _prediabetes(f: pd.DataFrame) -> pd.Series:
    # Impaired fasting glucose 6.1 ≤ FPG < 7.0 mmol/L, without diabetes (WHO 1999 criteria as
    # adopted by 中国2型糖尿病防治指南2020年版, 糖代谢状态分类).
    glu = _num(f, "glu")
    return (glu >= 6.1) & (glu < 7.0) & ~_diabetes(f)


def _dyslipidaemia(f: pd.DataFrame) -> pd.Series:
    # TC ≥ 6.2, LDL-C ≥ 4.1, TG ≥ 2.3 or HDL-C < 1.0 mmol/L
    # (中国成人血脂异常防治指南2016年修订版, 血脂合适水平和异常切点).
    return (
        (_num(f, "tc") >= 6.2)
        | (_num(f, "ldl") >= 4.1)
        | (_num(f, "tg") >= 2.3)
        | (_num(f, "hdl") < 1.0)
    )


def _hyperuricaemia(f: pd.DataFrame) -> pd.Series:
    # Serum urate > 420 µmol/L in both sexes (中国高尿酸血症与痛风诊疗指南2019).
    return _num(f, "ua") > 420


def _overweight(f: pd.DataFrame) -> pd.Series:
    # BMI ≥ 24.0 kg/m² (WS/T 428-2013 成人体重判定: overweight 24.0–27.9, obesity ≥ 28.0).
    return _num(f, "bmi") >= 24.0


def _obesity(f: pd.DataFrame) -> pd.Series:
    # BMI ≥ 28.0 kg/m² (WS/T 428-2013).
    return _num(f, "bmi") >= 28.0


def _fatty_liver(f: pd.DataFrame) -> pd.Series:
    return _any(_codes(f, "us_abd").isin(FATTY_LIVER), f.index)


def _abnormal_ecg(f: pd.DataFrame) -> pd.Series:
    codes = _codes(f, "ecg")
    return _any(codes.notna() & ~codes.isin(NORMAL_ECG), f.index)


def _ckd(f: pd.DataFrame) -> pd.Series:
    # eGFR < 60 mL/min/1.73 m² (KDIGO 2012, G3a–G5) or dipstick proteinuria ≥ 1+ (KDIGO 2012
    # albuminuria A2 or worse, dipstick 1+ as the reagent-strip equivalent, Table 7).
    return (_num(f, "egfr") < 60) | (_num(f, "u_pro") >= DIPSTICK_1_PLUS)


CONDITIONS: Final[tuple[Condition, ...]] = (
    Condition("hypertension", "高血压", "Hypertension", ("sbp", "dbp"),
              "SBP ≥ 140 or DBP ≥ 90 mmHg", "中国高血压防治指南2018年修订版", _hypertension),
    Condition("diabetes", "糖尿病", "Diabetes", ("glu", "hba1c"),
              "FPG ≥ 7.0 mmol/L or HbA1c ≥ 6.5 %", "中国2型糖尿病防治指南2020年版", _diabetes),
    Condition("prediabetes", "糖尿病前期", "Prediabetes", ("glu",),
              "6.1 ≤ FPG < 7.0 mmol/L, not diabetes", "中国2型糖尿病防治指南2020年版 (WHO 1999)",
              _prediabetes),
    Condition("dyslipidaemia", "血脂异常", "Dyslipidaemia", ("tc", "ldl", "tg", "hdl"),
              "TC ≥ 6.2, LDL-C ≥ 4.1, TG ≥ 2.3 or HDL-C < 1.0 mmol/L",
              "中国成人血脂异常防治指南2016年修订版", _dyslipidaemia),
    Condition("hyperuricaemia", "高尿酸血症", "Hyperuricaemia", ("ua",),
              "urate > 420 µmol/L", "中国高尿酸血症与痛风诊疗指南2019", _hyperuricaemia),
    Condition("overweight_obesity", "超重或肥胖", "Overweight or obesity", ("bmi",),
              "BMI ≥ 24.0 kg/m²", "WS/T 428-2013", _overweight),
    Condition("obesity", "肥胖", "Obesity", ("bmi",), "BMI ≥ 28.0 kg/m²", "WS/T 428-2013",
              _obesity),
    Condition("fatty_liver", "脂肪肝", "Fatty liver", ("us_abd",),
              "fatty liver on abdominal ultrasound", "非酒精性脂肪性肝病防治指南2018年更新版",
              _fatty_liver),
    Condition("abnormal_ecg", "心电图异常", "Abnormal ECG", ("ecg",),
              "an ECG finding other than normal, sinus bradycardia or sinus arrhythmia",
              "2018 ACC/AHA/HRS bradycardia guideline (normal variants)", _abnormal_ecg),
    Condition("ckd", "慢性肾脏病", "Chronic kidney disease", ("egfr", "u_pro"),
              "eGFR < 60 mL/min/1.73 m² or urine protein ≥ 1+", "KDIGO 2012", _ckd),
)  # fmt: skip


def _measured(frame: pd.DataFrame, condition: Condition) -> pd.Series:
    taken = pd.Series(False, index=frame.index)
    for code in condition.measures:
        if code in ("ecg", "us_abd"):
            taken |= _any(_codes(frame, code).notna(), frame.index)
        else:
            taken |= _num(frame, code).notna()
    return taken


def classify(frame: pd.DataFrame) -> pd.DataFrame:
    """One nullable boolean column per condition: True (case), False (examined, not a case),
    missing (none of its measures taken). Rows keep their index, which must be unique."""
    if not frame.index.is_unique:
        raise ValueError("classify needs a unique row index")
    out = pd.DataFrame(index=frame.index)
    for condition in CONDITIONS:
        case = condition.test(frame).astype(bool)
        out[condition.code] = case.astype("boolean").mask(~_measured(frame, condition))
    return out
