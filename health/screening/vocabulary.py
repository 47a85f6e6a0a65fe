"""The codes screening understands: coded findings, conditions, severities. Analytes and their
canonical units are the catalog's (``health.catalog.canonical_units``), never copied here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

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
