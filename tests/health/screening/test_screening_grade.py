"""Every default reference interval, band and critical limit at, just below and just above each
cut-off, for both sexes and across age bands where they matter. Each row cites its source."""

from __future__ import annotations

import pytest

from health.screening.engine import screen_one
from health.screening.finding import Demographics, Finding

W405 = "WS/T 405-2012 血细胞分析参考区间"
W4041 = "WS/T 404.1-2012 (ALT/AST/ALP/GGT)"
W4042 = "WS/T 404.2-2012 (TP/ALB)"
W4044 = "WS/T 404.4-2018 Table 1 (TBil)"
W4045 = "WS/T 404.5-2015 (urea, enzymatic creatinine)"
W4043 = "WS/T 404.3-2012 (K, Na, Cl)"
W4046 = "WS/T 404.6-2015 (total Ca, inorganic P)"
KOST = "Kost GJ. JAMA 1990;263:704-7 (deployment-default critical limit)"
NEUT = "中国中性粒细胞缺乏伴发热指南2020: ANC <0.5 (deployment-default critical limit)"
HTN = "中国高血压防治指南2018: 血压水平分类"
HTN_CRIT = "中国高血压防治指南2018: 高血压急症 >180/120 (deployment-default critical limit)"
T2DM = "中国2型糖尿病防治指南2020"
LAB = "全国临床检验操作规程(第4版): FPG 3.9–6.1; dipstick negative"
LIPID = "中国血脂管理指南2023"
HUA = "中国高尿酸血症与痛风诊疗指南2019: >420 µmol/L"
KDIGO = "KDIGO 2012 GFR categories"
KDIGO_G5 = "KDIGO 2012 G5 <15 (deployment-default critical limit)"
W428 = "WS/T 428-2013 成人体重判定"
DIAG = "诊断学(第9版): pulse 60–100 /min"
BRADY = "ACC/AHA/HRS 2018 bradycardia guideline §2.1: sinus bradycardia <50 /min"
ACG_LOW = "ACG 2017 (Kwo, Am J Gastroenterol 2017;112:18-35): low aminotransferases need no work-up"

N, B, A, C = "normal", "borderline", "abnormal", "critical"

# (analyte, sex, age, value, severity, interpretation, source)
CASES: list[tuple[str, str, float, float, str, str, str]] = [
    # --- WS/T 405: haemoglobin by sex, plus critical limits ---------------------------------
    ("hb", "M", 40, 129.9, A, "L", W405 + ": men 130–175 g/L"),
    ("hb", "M", 40, 130.0, N, "N", W405),
    ("hb", "M", 40, 130.1, N, "N", W405),
    ("hb", "M", 40, 174.9, N, "N", W405),
    ("hb", "M", 40, 175.0, N, "N", W405),
    ("hb", "M", 40, 175.1, A, "H", W405),
    ("hb", "F", 40, 114.9, A, "L", W405 + ": women 115–150 g/L"),
    ("hb", "F", 40, 115.0, N, "N", W405),
    ("hb", "F", 40, 150.0, N, "N", W405),
    ("hb", "F", 40, 150.1, A, "H", W405),
    ("hb", "F", 40, 65.9, C, "LL", KOST + ": Hb 66 g/L"),
    ("hb", "F", 40, 66.0, A, "L", KOST + ": the limit itself is not critical"),
    ("hb", "M", 40, 199.0, A, "H", KOST + ": Hb 199 g/L"),
    ("hb", "M", 40, 199.1, C, "HH", KOST),
    ("rbc", "M", 40, 4.29, A, "L", W405 + ": men 4.3–5.8"),
    ("rbc", "M", 40, 4.3, N, "N", W405),
    ("rbc", "M", 40, 5.8, N, "N", W405),
    ("rbc", "M", 40, 5.81, A, "H", W405),
    ("rbc", "F", 40, 3.79, A, "L", W405 + ": women 3.8–5.1"),
    ("rbc", "F", 40, 3.8, N, "N", W405),
    ("rbc", "F", 40, 5.1, N, "N", W405),
    ("rbc", "F", 40, 5.11, A, "H", W405),
    ("hct", "M", 40, 39.9, A, "L", W405 + ": men 40–50 %"),
    ("hct", "M", 40, 40.0, N, "N", W405),
    ("hct", "M", 40, 50.0, N, "N", W405),
    ("hct", "M", 40, 50.1, A, "H", W405),
    ("hct", "F", 40, 34.9, A, "L", W405 + ": women 35–45 %"),
    ("hct", "F", 40, 35.0, N, "N", W405),
    ("hct", "F", 40, 45.0, N, "N", W405),
    ("hct", "F", 40, 45.1, A, "H", W405),
    ("hct", "F", 40, 17.9, C, "LL", KOST + ": Hct 0.18"),
    ("hct", "M", 40, 61.1, C, "HH", KOST + ": Hct 0.61"),
    ("wbc", "M", 40, 3.49, A, "L", W405 + ": 3.5–9.5"),
    ("wbc", "M", 40, 3.5, N, "N", W405),
    ("wbc", "F", 40, 9.5, N, "N", W405),
    ("wbc", "F", 40, 9.51, A, "H", W405),
    ("wbc", "M", 40, 1.99, C, "LL", KOST + ": WBC 2.0"),
    ("wbc", "M", 40, 2.0, A, "L", KOST),
    ("wbc", "M", 40, 37.0, A, "H", KOST + ": WBC 37.0"),
    ("wbc", "M", 40, 37.01, C, "HH", KOST),
    ("plt", "M", 40, 124.9, A, "L", W405 + ": 125–350"),
    ("plt", "M", 40, 125.0, N, "N", W405),
    ("plt", "F", 40, 350.0, N, "N", W405),
    ("plt", "F", 40, 350.1, A, "H", W405),
    ("plt", "M", 40, 36.9, C, "LL", KOST + ": PLT 37"),
    ("plt", "M", 40, 37.0, A, "L", KOST),
    ("plt", "M", 40, 910.1, C, "HH", KOST + ": PLT 910"),
    ("neut_abs", "M", 40, 1.79, A, "L", W405 + ": 1.8–6.3"),
    ("neut_abs", "M", 40, 1.8, N, "N", W405),
    ("neut_abs", "M", 40, 6.3, N, "N", W405),
    ("neut_abs", "M", 40, 6.31, A, "H", W405),
    ("neut_abs", "F", 40, 0.49, C, "LL", NEUT),
    ("neut_abs", "F", 40, 0.5, A, "L", NEUT),
    ("lymph_abs", "M", 40, 1.09, A, "L", W405 + ": 1.1–3.2"),
    ("lymph_abs", "M", 40, 1.1, N, "N", W405),
    ("lymph_abs", "M", 40, 3.2, N, "N", W405),
    ("lymph_abs", "M", 40, 3.21, A, "H", W405),
    ("neut_pct", "M", 40, 39.9, A, "L", W405 + ": 40–75 %"),
    ("neut_pct", "M", 40, 40.0, N, "N", W405),
    ("neut_pct", "M", 40, 75.0, N, "N", W405),
    ("neut_pct", "M", 40, 75.1, A, "H", W405),
    ("lymph_pct", "F", 40, 19.9, A, "L", W405 + ": 20–50 %"),
    ("lymph_pct", "F", 40, 20.0, N, "N", W405),
    ("lymph_pct", "F", 40, 50.0, N, "N", W405),
    ("lymph_pct", "F", 40, 50.1, A, "H", W405),
    ("mono_pct", "M", 40, 2.9, A, "L", W405 + ": 3–10 %"),
    ("mono_pct", "M", 40, 3.0, N, "N", W405),
    ("mono_pct", "M", 40, 10.0, N, "N", W405),
    ("mono_pct", "M", 40, 10.1, A, "H", W405),
    ("eos_pct", "M", 40, 0.39, A, "L", W405 + ": 0.4–8.0 %"),
    ("eos_pct", "M", 40, 0.4, N, "N", W405),
    ("eos_pct", "M", 40, 8.0, N, "N", W405),
    ("eos_pct", "M", 40, 8.1, A, "H", W405),
    ("baso_pct", "M", 40, 0.0, N, "N", W405 + ": 0–1 %"),
    ("baso_pct", "M", 40, 1.0, N, "N", W405),
    ("baso_pct", "M", 40, 1.1, A, "H", W405),
    # --- WS/T 404.1: liver enzymes by sex, ALP by age in women ------------------------------
    ("alt", "M", 40, 8.9, N, "L", W4041 + ": ALT men 9–50; " + ACG_LOW),
    ("alt", "M", 40, 9.0, N, "N", W4041),
    ("alt", "M", 40, 50.0, N, "N", W4041),
    ("alt", "M", 40, 50.1, A, "H", W4041),
    ("alt", "F", 40, 6.9, N, "L", W4041 + ": ALT women 7–40; " + ACG_LOW),
    ("alt", "F", 40, 7.0, N, "N", W4041),
    ("alt", "F", 40, 40.0, N, "N", W4041),
    ("alt", "F", 40, 40.1, A, "H", W4041),
    ("ast", "M", 40, 14.9, N, "L", W4041 + ": AST men 15–40; " + ACG_LOW),
    ("ast", "M", 40, 15.0, N, "N", W4041),
    ("ast", "M", 40, 40.0, N, "N", W4041),
    ("ast", "M", 40, 40.1, A, "H", W4041),
    ("ast", "F", 40, 12.9, N, "L", W4041 + ": AST women 13–35; " + ACG_LOW),
    ("ast", "F", 40, 13.0, N, "N", W4041),
    ("ast", "F", 40, 35.0, N, "N", W4041),
    ("ast", "F", 40, 35.1, A, "H", W4041),
    ("alp", "M", 40, 44.9, A, "L", W4041 + ": ALP men 45–125"),
    ("alp", "M", 40, 45.0, N, "N", W4041),
    ("alp", "M", 40, 125.0, N, "N", W4041),
    ("alp", "M", 40, 125.1, A, "H", W4041),
    ("alp", "F", 49.9, 34.9, A, "L", W4041 + ": ALP women 20–49 y 35–100"),
    ("alp", "F", 49.9, 35.0, N, "N", W4041),
    ("alp", "F", 49.9, 100.0, N, "N", W4041),
    ("alp", "F", 49.9, 100.1, A, "H", W4041),
    ("alp", "F", 50.0, 49.9, A, "L", W4041 + ": ALP women 50–79 y 50–135"),
    ("alp", "F", 50.0, 50.0, N, "N", W4041),
    ("alp", "F", 50.0, 135.0, N, "N", W4041),
    ("alp", "F", 50.0, 135.1, A, "H", W4041),
    ("ggt", "M", 40, 9.9, A, "L", W4041 + ": GGT men 10–60"),
    ("ggt", "M", 40, 10.0, N, "N", W4041),
    ("ggt", "M", 40, 60.0, N, "N", W4041),
    ("ggt", "M", 40, 60.1, A, "H", W4041),
    ("ggt", "F", 40, 6.9, A, "L", W4041 + ": GGT women 7–45"),
    ("ggt", "F", 40, 7.0, N, "N", W4041),
    ("ggt", "F", 40, 45.0, N, "N", W4041),
    ("ggt", "F", 40, 45.1, A, "H", W4041),
    # --- WS/T 404.4 and 404.2 -----------------------------------------------------------------
    ("tbil", "M", 40, 26.0, N, "N", W4044 + ": men ≤26.0"),
    ("tbil", "M", 40, 26.1, A, "H", W4044),
    ("tbil", "F", 40, 21.0, N, "N", W4044 + ": women ≤21.0"),
    ("tbil", "F", 40, 21.1, A, "H", W4044),
    ("tp", "M", 40, 64.9, A, "L", W4042 + ": TP 65–85"),
    ("tp", "M", 40, 65.0, N, "N", W4042),
    ("tp", "F", 40, 85.0, N, "N", W4042),
    ("tp", "F", 40, 85.1, A, "H", W4042),
    ("alb", "M", 59.9, 39.9, A, "L", W4042 + ": ALB 20–59 y 40–55"),
    ("alb", "M", 59.9, 40.0, N, "N", W4042),
    ("alb", "F", 59.9, 55.0, N, "N", W4042),
    ("alb", "F", 59.9, 55.1, A, "H", W4042),
    ("alb", "M", 60.0, 37.9, A, "L", W4042 + ": ALB 60–79 y 38–54"),
    ("alb", "M", 60.0, 38.0, N, "N", W4042),
    ("alb", "F", 60.0, 54.0, N, "N", W4042),
    ("alb", "F", 60.0, 54.1, A, "H", W4042),
    # --- WS/T 404.3 / 404.6: electrolytes, both sexes ----------------------------------------
    ("k", "M", 40, 3.49, A, "L", W4043 + ": K 3.5–5.3 mmol/L"),
    ("k", "F", 40, 3.5, N, "N", W4043),
    ("k", "M", 40, 5.3, N, "N", W4043),
    ("k", "F", 40, 5.31, A, "H", W4043),
    ("na", "M", 40, 136.9, A, "L", W4043 + ": Na 137–147 mmol/L"),
    ("na", "F", 40, 137.0, N, "N", W4043),
    ("na", "M", 40, 147.0, N, "N", W4043),
    ("na", "F", 40, 147.1, A, "H", W4043),
    ("cl", "M", 40, 98.9, A, "L", W4043 + ": Cl 99–110 mmol/L"),
    ("cl", "F", 40, 99.0, N, "N", W4043),
    ("cl", "M", 40, 110.0, N, "N", W4043),
    ("cl", "F", 40, 110.1, A, "H", W4043),
    ("ca", "M", 40, 2.10, A, "L", W4046 + ": total Ca 2.11–2.52 mmol/L"),
    ("ca", "F", 40, 2.11, N, "N", W4046),
    ("ca", "M", 70, 2.52, N, "N", W4046),
    ("ca", "F", 70, 2.53, A, "H", W4046),
    ("phos", "M", 40, 0.84, A, "L", W4046 + ": inorganic P 0.85–1.51 mmol/L"),
    ("phos", "F", 40, 0.85, N, "N", W4046),
    ("phos", "M", 40, 1.51, N, "N", W4046),
    ("phos", "F", 40, 1.52, A, "H", W4046),
    # --- WS/T 404.5: urea and creatinine by sex and age ---------------------------------------
    ("urea", "M", 59.9, 3.09, A, "L", W4045 + ": urea men 20–59 y 3.1–8.0"),
    ("urea", "M", 59.9, 3.1, N, "N", W4045),
    ("urea", "M", 59.9, 8.0, N, "N", W4045),
    ("urea", "M", 59.9, 8.01, A, "H", W4045),
    ("urea", "M", 60.0, 3.59, A, "L", W4045 + ": urea men 60–79 y 3.6–9.5"),
    ("urea", "M", 60.0, 3.6, N, "N", W4045),
    ("urea", "M", 60.0, 9.5, N, "N", W4045),
    ("urea", "M", 60.0, 9.51, A, "H", W4045),
    ("urea", "F", 59.9, 2.59, A, "L", W4045 + ": urea women 20–59 y 2.6–7.5"),
    ("urea", "F", 59.9, 2.6, N, "N", W4045),
    ("urea", "F", 59.9, 7.5, N, "N", W4045),
    ("urea", "F", 59.9, 7.51, A, "H", W4045),
    ("urea", "F", 60.0, 3.09, A, "L", W4045 + ": urea women 60–79 y 3.1–8.8"),
    ("urea", "F", 60.0, 3.1, N, "N", W4045),
    ("urea", "F", 60.0, 8.8, N, "N", W4045),
    ("urea", "F", 60.0, 8.81, A, "H", W4045),
    ("creat", "M", 59.9, 56.9, A, "L", W4045 + ": creatinine men 20–59 y 57–97"),
    ("creat", "M", 59.9, 57.0, N, "N", W4045),
    ("creat", "M", 59.9, 97.0, N, "N", W4045),
    ("creat", "M", 59.9, 97.1, A, "H", W4045),
    ("creat", "M", 60.0, 111.0, N, "N", W4045 + ": creatinine men 60–79 y 57–111"),
    ("creat", "M", 60.0, 111.1, A, "H", W4045),
    ("creat", "F", 59.9, 40.9, A, "L", W4045 + ": creatinine women 20–59 y 41–73"),
    ("creat", "F", 59.9, 41.0, N, "N", W4045),
    ("creat", "F", 59.9, 73.0, N, "N", W4045),
    ("creat", "F", 59.9, 73.1, A, "H", W4045),
    ("creat", "F", 60.0, 81.0, N, "N", W4045 + ": creatinine women 60–79 y 41–81"),
    ("creat", "F", 60.0, 81.1, A, "H", W4045),
    # --- eGFR, uric acid ----------------------------------------------------------------------
    ("egfr", "M", 40, 90.0, N, "N", KDIGO + ": G1 ≥90"),
    ("egfr", "M", 40, 89.0, B, "L", KDIGO + ": G2 60–89"),
    ("egfr", "M", 40, 60.0, B, "L", KDIGO),
    ("egfr", "M", 40, 59.0, A, "L", KDIGO + ": G3a 45–59"),
    ("egfr", "F", 40, 15.0, A, "L", KDIGO + ": G4 15–29"),
    ("egfr", "F", 40, 14.0, C, "LL", KDIGO_G5),
    ("ua", "M", 40, 420.0, N, "N", HUA),
    ("ua", "F", 40, 420.1, A, "H", HUA + ", both sexes"),
    ("ua", "M", 40, 420.1, A, "H", HUA),
    # --- lipids ---------------------------------------------------------------------------------
    ("tc", "M", 40, 5.19, N, "N", LIPID + ": TC <5.2"),
    ("tc", "M", 40, 5.2, B, "H", LIPID + ": TC 5.2–<6.2"),
    ("tc", "M", 40, 6.19, B, "H", LIPID),
    ("tc", "M", 40, 6.2, A, "H", LIPID + ": TC ≥6.2"),
    ("ldl", "M", 40, 3.39, N, "N", LIPID + ": LDL-C <3.4"),
    ("ldl", "M", 40, 3.4, B, "H", LIPID + ": LDL-C 3.4–<4.1"),
    ("ldl", "M", 40, 4.09, B, "H", LIPID),
    ("ldl", "M", 40, 4.1, A, "H", LIPID + ": LDL-C ≥4.1"),
    ("tg", "F", 40, 1.69, N, "N", LIPID + ": TG <1.7"),
    ("tg", "F", 40, 1.7, B, "H", LIPID + ": TG 1.7–<2.3"),
    ("tg", "F", 40, 2.29, B, "H", LIPID),
    ("tg", "F", 40, 2.3, A, "H", LIPID + ": TG ≥2.3"),
    ("non_hdl", "F", 40, 4.09, N, "N", LIPID + ": non-HDL-C <4.1"),
    ("non_hdl", "F", 40, 4.094, N, "N", LIPID + ": shown 4.09"),
    ("non_hdl", "F", 40, 4.095, B, "H", LIPID + ": shown 4.10"),
    ("non_hdl", "F", 40, 4.1, B, "H", LIPID + ": non-HDL-C 4.1–<4.9"),
    ("non_hdl", "F", 40, 4.89, B, "H", LIPID),
    ("non_hdl", "F", 40, 4.9, A, "H", LIPID + ": non-HDL-C ≥4.9"),
    ("hdl", "M", 40, 0.99, A, "L", LIPID + ": HDL-C <1.0"),
    ("hdl", "M", 40, 1.0, N, "N", LIPID),
    ("hdl", "M", 40, 1.01, N, "N", LIPID),
    # --- glucose --------------------------------------------------------------------------------
    ("glu", "M", 40, 3.89, A, "L", LAB),
    ("glu", "M", 40, 3.9, N, "N", LAB),
    ("glu", "M", 40, 6.09, N, "N", LAB),
    ("glu", "M", 40, 6.1, B, "H", T2DM + ": IFG 6.1–<7.0"),
    ("glu", "M", 40, 6.99, B, "H", T2DM),
    ("glu", "M", 40, 7.0, A, "H", T2DM + ": FPG ≥7.0"),
    ("glu", "M", 40, 2.59, C, "LL", KOST + ": glucose 2.6"),
    ("glu", "M", 40, 2.6, A, "L", KOST),
    ("glu", "M", 40, 26.9, A, "H", KOST + ": glucose 26.9"),
    ("glu", "M", 40, 26.91, C, "HH", KOST),
    ("hba1c", "F", 40, 6.49, N, "N", T2DM + ": HbA1c ≥6.5"),
    ("hba1c", "F", 40, 6.5, A, "H", T2DM),
    # --- blood pressure, pulse, body ------------------------------------------------------------
    ("sbp", "M", 40, 119.0, N, "N", HTN + ": normal <120"),
    ("sbp", "M", 40, 120.0, B, "H", HTN + ": high-normal 120–139"),
    ("sbp", "M", 40, 139.0, B, "H", HTN),
    ("sbp", "M", 40, 140.0, A, "H", HTN + ": hypertension ≥140"),
    ("sbp", "M", 40, 180.0, A, "H", HTN_CRIT),
    ("sbp", "M", 40, 181.0, C, "HH", HTN_CRIT),
    ("dbp", "F", 40, 79.0, N, "N", HTN + ": normal <80"),
    ("dbp", "F", 40, 80.0, B, "H", HTN + ": high-normal 80–89"),
    ("dbp", "F", 40, 89.0, B, "H", HTN),
    ("dbp", "F", 40, 90.0, A, "H", HTN + ": hypertension ≥90"),
    ("dbp", "F", 40, 120.0, A, "H", HTN_CRIT),
    ("dbp", "F", 40, 121.0, C, "HH", HTN_CRIT),
    ("pulse", "M", 40, 49.0, A, "L", BRADY),
    ("pulse", "M", 40, 49.9, A, "L", BRADY),
    ("pulse", "M", 40, 50.0, N, "L", BRADY + " (50–59 informational)"),
    ("pulse", "M", 40, 59.0, N, "L", BRADY + " (50–59 informational)"),
    ("pulse", "M", 40, 60.0, N, "N", DIAG),
    ("pulse", "M", 40, 100.0, N, "N", DIAG),
    ("pulse", "M", 40, 101.0, A, "H", DIAG),
    # BMI is graded as shown, at one decimal rounded half up (ruleset 'display').
    ("bmi", "M", 40, 18.4, A, "L", W428 + ": underweight <18.5"),
    ("bmi", "M", 40, 18.44, A, "L", W428 + ": shown 18.4"),
    ("bmi", "M", 40, 18.45, N, "N", W428 + ": shown 18.5"),
    ("bmi", "M", 40, 18.5, N, "N", W428),
    ("bmi", "M", 40, 23.9, N, "N", W428),
    ("bmi", "M", 40, 23.95, B, "H", W428 + ": shown 24.0"),
    ("bmi", "M", 40, 24.0, B, "H", W428 + ": overweight 24–<28"),
    ("bmi", "M", 40, 27.9, B, "H", W428),
    ("bmi", "M", 40, 27.949, B, "H", W428 + ": shown 27.9"),
    ("bmi", "M", 40, 27.95, A, "H", W428 + ": shown 28.0, obese ≥28"),
    ("bmi", "M", 40, 28.0, A, "H", W428 + ": obese ≥28"),
    ("waist", "M", 40, 84.9, N, "N", W428 + ": men <85"),
    ("waist", "M", 40, 85.0, B, "H", W428 + ": men pre-central 85–<90"),
    ("waist", "M", 40, 89.9, B, "H", W428),
    ("waist", "M", 40, 90.0, A, "H", W428 + ": men central ≥90"),
    ("waist", "F", 40, 79.9, N, "N", W428 + ": women <80"),
    ("waist", "F", 40, 80.0, B, "H", W428 + ": women pre-central 80–<85"),
    ("waist", "F", 40, 84.9, B, "H", W428),
    ("waist", "F", 40, 85.0, A, "H", W428 + ": women central ≥85"),
]
URINE: list[tuple[str, str, float, float, str, str, str]] = [
    (code, "M", 40.0, float(value), severity, interp, LAB)
    for code in ("u_pro", "u_glu", "u_bld", "u_ket")
    for value, severity, interp in ((0, N, "N"), (1, B, "A"), (2, A, "A"), (5, A, "A"))
]


def grade(analyte: str, sex: str, age: float, value: float) -> Finding:
    findings = screen_one({analyte: value}, Demographics(sex, age), include_normal=True)  # type: ignore[arg-type]
    return next(f for f in findings if f.kind == "grade" and f.analyte == analyte)


@pytest.mark.parametrize(
    ("analyte", "sex", "age", "value", "severity", "interpretation", "source"),
    CASES + URINE,
    ids=[f"{c[0]}-{c[1]}-{c[2]:g}-{c[3]:g}" for c in CASES + URINE],
)
def test_default_ruleset_grades_at_each_cut_off(
    analyte: str,
    sex: str,
    age: float,
    value: float,
    severity: str,
    interpretation: str,
    source: str,
) -> None:
    finding = grade(analyte, sex, age, value)
    assert (finding.severity, finding.interpretation) == (severity, interpretation), source


def test_grade_carries_the_interval_that_applied_and_its_citation() -> None:
    finding = grade("hb", "F", 30, 110)
    assert (finding.reference_low, finding.reference_high) == (115.0, 150.0)
    assert finding.threshold == "hb < 115 g/L"
    assert "WS/T 405-2012" in finding.source
    assert finding.inputs == (("hb", 110.0), ("sex", "F"), ("age", 30.0))
    assert finding.advice is not None and finding.advice.key == "red_cells_low"
    assert (finding.ruleset, finding.ruleset_version) == ("default_cn_adult", "cn-adult-2026.3")


def test_critical_grade_cites_the_deployment_default_source() -> None:
    finding = grade("glu", "M", 40, 30.0)
    assert finding.severity == "critical" and "DEPLOYMENT DEFAULT" in finding.source
    assert finding.advice is not None and finding.advice.key == "critical_value"


def test_band_grade_cites_the_band_source() -> None:
    finding = grade("glu", "M", 40, 6.5)
    assert finding.category == "ifg" and "2型糖尿病" in finding.source


def test_normal_results_are_left_out_unless_asked_for() -> None:
    demographics = Demographics("M", 40)
    assert screen_one({"hb": 150}, demographics) == []
    assert [
        f.interpretation for f in screen_one({"hb": 150}, demographics, include_normal=True)
    ] == ["N"]


def test_an_age_outside_every_stratum_is_not_graded() -> None:
    assert screen_one({"hb": 90}, Demographics("M", 16), include_normal=True) == []
