"""The codes screening understands: analytes with canonical units, coded findings, conditions.

A copy of the stable analyte contract so the core does not import the catalog; the service
injects the catalog's own mapping when it loads a ruleset, and the two must agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

ORDINAL_UNIT: Final = "{ordinal}"  # urinalysis 0..5 = "-", "±", "1+", "2+", "3+", "4+"

DEFAULT_ANALYTE_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "height": "cm",
        "weight": "kg",
        "waist": "cm",
        "bmi": "kg/m2",
        "sbp": "mm[Hg]",
        "dbp": "mm[Hg]",
        "pulse": "/min",
        "wbc": "10*9/L",
        "rbc": "10*12/L",
        "hb": "g/L",
        "hct": "%",
        "plt": "10*9/L",
        "neut_pct": "%",
        "lymph_pct": "%",
        "mono_pct": "%",
        "eos_pct": "%",
        "baso_pct": "%",
        "neut_abs": "10*9/L",
        "lymph_abs": "10*9/L",
        "alt": "U/L",
        "ast": "U/L",
        "ggt": "U/L",
        "alp": "U/L",
        "tbil": "umol/L",
        "tp": "g/L",
        "alb": "g/L",
        "urea": "mmol/L",
        "k": "mmol/L",
        "na": "mmol/L",
        "cl": "mmol/L",
        "ca": "mmol/L",
        "phos": "mmol/L",
        "creat": "umol/L",
        "egfr": "mL/min/{1.73_m2}",
        "ua": "umol/L",
        "tc": "mmol/L",
        "tg": "mmol/L",
        "hdl": "mmol/L",
        "ldl": "mmol/L",
        "non_hdl": "mmol/L",
        "glu": "mmol/L",
        "hba1c": "%",
        "u_pro": ORDINAL_UNIT,
        "u_glu": ORDINAL_UNIT,
        "u_bld": ORDINAL_UNIT,
        "u_ket": ORDINAL_UNIT,
    }
)

DEFAULT_CODED_FINDINGS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "ecg": frozenset(
            {
                "normal",
                "sinus_bradycardia",
                "sinus_tachycardia",
                "sinus_arrhythmia",
                "atrial_fibrillation",
                "atrial_flutter",
                "pvc",
                "pac",
                "av_block_1",
                "av_block_2",
                "av_block_3",
                "rbbb",
                "lbbb",
                "st_t_change",
                "lvh",
                "q_wave",
                "long_qt",
                "wpw",
            }
        ),
        "us_abd": frozenset(
            {
                "normal",
                "fatty_liver_mild",
                "fatty_liver_moderate",
                "fatty_liver_severe",
                "gallstone",
                "gallbladder_polyp",
                "liver_cyst",
                "hepatic_haemangioma",
                "kidney_stone",
                "kidney_cyst",
                "splenomegaly",
                "liver_mass",
            }
        ),
        "cxr": frozenset(
            {
                "normal",
                "nodule",
                "pneumonia_sign",
                "old_tb_lesion",
                "pleural_effusion",
                "cardiomegaly",
                "mass",
            }
        ),
        "eye": frozenset(
            {
                "normal",
                "cataract",
                "retinopathy",
                "glaucoma_suspect",
                "fundus_arteriosclerosis",
                "reduced_acuity",
            }
        ),
    }
)

Condition = Literal["hypertension", "diabetes", "dyslipidaemia", "hyperuricaemia", "ckd"]
KNOWN_CONDITIONS: Final[tuple[Condition, ...]] = (
    "hypertension",
    "diabetes",
    "dyslipidaemia",
    "hyperuricaemia",
    "ckd",
)

Severity = Literal["normal", "borderline", "abnormal", "critical"]
SEVERITIES: Final[tuple[Severity, ...]] = ("normal", "borderline", "abnormal", "critical")

# HL7 v3 ObservationInterpretation (http://terminology.hl7.org/CodeSystem/v3-
# ObservationInterpretation): N normal, L/H low/high, LL/HH critically low/high, A/AA abnormal /
# critically abnormal; change codes U/D significant change up/down, B better, W worse.
INTERPRETATION_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
Interpretation = Literal["N", "L", "H", "LL", "HH", "A", "AA", "U", "D", "B", "W"]
