"""The shared vocabulary of equation inputs: one name, unit and accepted range each.

Ranges are what a what-if request may send (physically possible values in the catalog's
canonical unit); whether an equation applies is its own domain, checked separately.
"""

from __future__ import annotations

from ml.equations.base import InputKind, InputSpec

AGE = InputSpec("age", InputKind.QUANTITY, "age at the checkup", unit="a", low=16, high=100)
SEX = InputSpec("sex", InputKind.CHOICE, "sex recorded for the officer", choices=("M", "F"))
TC = InputSpec("tc", InputKind.QUANTITY, "total cholesterol", unit="mmol/L", low=0.5, high=40)
HDL = InputSpec("hdl", InputKind.QUANTITY, "HDL cholesterol", unit="mmol/L", low=0.05, high=8)
LDL = InputSpec("ldl", InputKind.QUANTITY, "LDL cholesterol", unit="mmol/L", low=0.05, high=35)
NON_HDL = InputSpec(
    "non_hdl", InputKind.QUANTITY, "non-HDL cholesterol", unit="mmol/L", low=0.05, high=40
)
SBP = InputSpec(
    "sbp", InputKind.QUANTITY, "systolic blood pressure", unit="mm[Hg]", low=50, high=300
)
DBP = InputSpec(
    "dbp", InputKind.QUANTITY, "diastolic blood pressure", unit="mm[Hg]", low=20, high=200
)
BMI = InputSpec("bmi", InputKind.QUANTITY, "body mass index", unit="kg/m2", low=10, high=80)
WAIST = InputSpec("waist", InputKind.QUANTITY, "waist circumference", unit="cm", low=40, high=200)
SMOKER = InputSpec("smoker", InputKind.BOOLEAN, "current smoker")
BP_TREATED = InputSpec("bp_treated", InputKind.BOOLEAN, "taking blood-pressure medication")
DIABETES = InputSpec("diabetes", InputKind.BOOLEAN, "diabetes (diagnosed or by the checkup)")
HYPERTENSION = InputSpec(
    "hypertension", InputKind.BOOLEAN, "hypertension (diagnosed, treated or by the checkup)"
)
FAMILY_DIABETES = InputSpec(
    "family_history_diabetes",
    InputKind.CHOICE,
    "relatives with diabetes",
    choices=("none", "second_degree", "first_degree"),
)
ACTIVE = InputSpec(
    "physically_active", InputKind.BOOLEAN, "at least 30 minutes of physical activity daily"
)
FRUIT_VEG = InputSpec("daily_fruit_veg", InputKind.BOOLEAN, "eats vegetables or fruit every day")
HIGH_GLUCOSE_HISTORY = InputSpec(
    "high_glucose_history", InputKind.BOOLEAN, "ever found to have high blood glucose"
)
RACE = InputSpec(
    "race",
    InputKind.CHOICE,
    "PCE equation set: African American, or white (the guideline's choice for other groups)",
    choices=("white", "african_american", "other"),
)
REGION = InputSpec(
    "region",
    InputKind.CHOICE,
    "SCORE2 European risk region",
    choices=("low", "moderate", "high", "very_high"),
)
