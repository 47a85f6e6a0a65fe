"""The clinical corrections a population run called for, each at its boundary, with its source.

- Low ALT/AST: no recognised clinical concern (ACG Clinical Guideline, Kwo PY et al., Am J
  Gastroenterol 2017;112:18-35, evaluates raised values only): shown with flag L, no task.
- Fasting glucose < 3.9 mmol/L is level 1 hypoglycaemia (ADA Standards of Care in Diabetes-2024,
  Diabetes Care 2024;47(Suppl 1):S111-S125, Table 6.4; 中国2型糖尿病防治指南2020): a medic's
  contact is planned.
- Age bands are in completed years, as WS/T 404.1-2012 tabulates them (ALP women 20-49 /
  50-79 y).
- Derived values are graded as shown (BMI to one decimal, WS/T 428-2013) and carry their inputs
  (CKD-EPI 2021 eGFR: creatinine, age and sex; Inker LA et al. N Engl J Med 2021;385:1737-49).
- Pulse 50-59 /min is informational: ACC/AHA/HRS 2018 defines sinus bradycardia as < 50 /min.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from health.ages import completed_years
from health.followup.plans import plan_tasks
from health.screening.engine import screen_one
from health.screening.finding import Demographics, Finding
from health.screening.ruleset import default_ruleset

MAN, WOMAN = Demographics("M", 40), Demographics("F", 40)
EXAM = date(2026, 3, 2)
SCREENED = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _grade(findings: list[Finding], analyte: str) -> Finding:
    (found,) = [f for f in findings if f.kind == "grade" and f.analyte == analyte]
    return found


@pytest.mark.parametrize(
    ("analyte", "demographics", "value"),
    [
        ("alt", MAN, 8.9),
        ("alt", WOMAN, 6.9),
        ("ast", MAN, 14.9),
        ("ast", WOMAN, 12.9),
        ("alt", MAN, 1),
    ],
)
def test_low_aminotransferase_is_informational_and_plans_no_task(
    analyte: str, demographics: Demographics, value: float
) -> None:
    shown = screen_one({analyte: value}, demographics, include_normal=True)
    grade = _grade(shown, analyte)
    assert (grade.severity, grade.interpretation) == ("normal", "L")
    assert grade.category == "low_informational"
    assert grade.advice is not None and grade.advice.key == "aminotransferase_low"
    assert "Kwo" in grade.source
    findings = screen_one({analyte: value}, demographics)
    assert findings == []
    assert plan_tasks(findings, EXAM) == []


def test_high_aminotransferase_still_plans_a_recheck() -> None:
    findings = screen_one({"alt": 50.1}, MAN)
    assert [(p.type, p.family) for p in plan_tasks(findings, EXAM)] == [("recheck", "liver")]


def test_fasting_glucose_3_89_plans_a_medic_contact_within_72_hours() -> None:
    findings = screen_one({"glu": 3.89}, MAN)
    assert _grade(findings, "glu").interpretation == "L"
    (plan,) = plan_tasks(findings, EXAM, screened_at=SCREENED)
    assert (plan.type, plan.family, plan.priority) == ("urgent_contact", "glucose", 2)
    assert plan.due == SCREENED + timedelta(hours=72)
    assert plan.reason == "hypoglycaemia_contact"


def test_fasting_glucose_3_9_is_normal_and_plans_nothing() -> None:
    assert screen_one({"glu": 3.9}, MAN) == []


def test_critical_glucose_contact_keeps_the_24_hour_clock() -> None:
    # Kost 1990 deployment-default critical limit 2.6 mmol/L: the two contacts merge, 24 h wins.
    findings = screen_one({"glu": 2.5}, MAN)
    (plan,) = plan_tasks(findings, EXAM, screened_at=SCREENED)
    assert (plan.type, plan.priority, plan.due) == (
        "urgent_contact",
        1,
        SCREENED + timedelta(hours=24),
    )


@pytest.mark.parametrize(
    ("birth", "on", "years"),
    [
        (date(1976, 3, 2), date(2026, 3, 2), 50),  # the 50th birthday itself
        (date(1976, 3, 3), date(2026, 3, 2), 49),  # the day before
        (date(1976, 2, 29), date(2026, 2, 28), 49),  # leap-day birthday in a common year
        (date(1976, 2, 29), date(2026, 3, 1), 50),
        (date(1976, 2, 29), date(2028, 2, 29), 52),
    ],
)
def test_completed_years_counts_whole_birthdays(birth: date, on: date, years: int) -> None:
    assert completed_years(birth, on) == years


def test_days_over_365_25_would_miss_the_50th_birthday() -> None:
    # The old rule: 18,262 days / 365.25 = 49.998, the 20-49 band on the birthday itself.
    birth, exam = date(1976, 3, 2), date(2026, 3, 2)
    assert (exam - birth).days / 365.25 < 50
    assert completed_years(birth, exam) == 50


@pytest.mark.parametrize(("age", "interpretation"), [(49, "H"), (50, "N")])
def test_alp_120_in_a_woman_uses_the_band_of_her_completed_years(
    age: int, interpretation: str
) -> None:
    # WS/T 404.1-2012: ALP women 20-49 y 35-100 U/L, 50-79 y 50-135 U/L.
    grade = _grade(screen_one({"alp": 120}, Demographics("F", age), include_normal=True), "alp")
    assert grade.interpretation == interpretation


@pytest.mark.parametrize(
    ("weight", "height", "shown", "category"),
    [
        # 27.95 was graded overweight and printed 28.0: now shown and graded as obesity.
        (85.6, 175.0, 28.0, "obesity"),  # 85.6 / 1.75² = 27.951
        (85.58, 175.0, 27.9, "overweight"),  # 27.944
        (56.6, 175.0, 18.5, "normal"),  # 18.481 shown 18.5
    ],
)
def test_bmi_is_graded_as_shown_at_one_decimal(
    weight: float, height: float, shown: float, category: str
) -> None:
    grade = _grade(
        screen_one({"weight": weight, "height": height}, MAN, include_normal=True), "bmi"
    )
    assert dict(grade.inputs) == {"bmi": shown, "weight": weight, "height": height}
    assert grade.category == category


def test_ruleset_states_its_rounding_rule() -> None:
    display = default_ruleset().document.display
    assert display.decimals == {"bmi": 1, "egfr": 0, "non_hdl": 2}
    assert "half away from zero" in display.rule and "27.95" in display.rule


def test_egfr_finding_lists_creatinine_age_and_sex() -> None:
    # CKD-EPI 2021 (Inker 2021): 60 y woman, Scr 1.0 mg/dL (88.4 µmol/L) -> 64 (NKF calculator).
    findings = screen_one({"creat": 88.4}, Demographics("F", 60), include_normal=True)
    grade = _grade(findings, "egfr")
    assert dict(grade.inputs) == {"egfr": 64.0, "creat": 88.4, "sex": "F", "age": 60.0}


def test_non_hdl_finding_lists_total_and_hdl_cholesterol() -> None:
    grade = _grade(screen_one({"tc": 6.3, "hdl": 1.2}, MAN), "non_hdl")
    assert dict(grade.inputs) == {"non_hdl": 5.1, "tc": 6.3, "hdl": 1.2}


@pytest.mark.parametrize(
    ("pulse", "severity", "tasks"),
    [(49, "abnormal", [("recheck", "blood_pressure")]), (50, "normal", []), (59, "normal", [])],
)
def test_pulse_below_50_is_bradycardia_and_50_to_59_is_informational(
    pulse: float, severity: str, tasks: list[tuple[str, str]]
) -> None:
    grade = _grade(screen_one({"pulse": pulse}, MAN, include_normal=True), "pulse")
    assert (grade.severity, grade.interpretation) == (severity, "L")
    findings = screen_one({"pulse": pulse}, MAN)
    assert [(p.type, p.family) for p in plan_tasks(findings, EXAM)] == tasks


def test_albumin_at_60_uses_ws_t_404_2_table_1() -> None:
    # WS/T 404.2-2012 Table 1 (bromocresol green): 60-79 y 38-54 g/L.
    assert (
        _grade(
            screen_one({"alb": 54.0}, Demographics("M", 60), include_normal=True), "alb"
        ).interpretation
        == "N"
    )
    assert _grade(screen_one({"alb": 54.1}, Demographics("M", 60)), "alb").interpretation == "H"
    assert _grade(screen_one({"alb": 37.9}, Demographics("M", 60)), "alb").interpretation == "L"
