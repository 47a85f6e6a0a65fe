"""Self-measurement thresholds at their boundaries, each row citing its source.

Home BP: 2018 Chinese hypertension guideline, home mean ≥135 and/or ≥85 mmHg; method of the 2019
Chinese home BP monitoring guideline (7 days, at least 3, mean of the days after the first).
Critical limits: 2018 guideline's hypertensive emergency (>180/>120 mmHg), CDS 2020 level-2
hypoglycaemia (<3.0 mmol/L) and hyperglycaemic crisis screening (>16.7 mmol/L), NHS England
oximetry 2020 (≤92 %: urgent care).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from health.errors import Invalid
from health.selfcare import readings as r
from health.selfcare.guidance import REQUIRED_CARDS, cards

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
RULES = r.default_ruleset()
HOME_BP = next(s for s in RULES.series if s.id == "selfcare.home_bp.series")


def _bp_days(values: list[tuple[float, float]]) -> list[r.Reading]:
    """One reading per local day, oldest first, ending yesterday."""
    start = datetime(2026, 6, 1, 7, 0, tzinfo=r.FORCE_TZ)
    return [
        r.Reading("home_bp", start + timedelta(days=i), {"sbp": s, "dbp": d})
        for i, (s, d) in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("days", "crossed"),
    [
        ([(134.9, 80)] * 7, False),  # cn_htn_2018_home: <135 systolic is below the threshold
        ([(135.0, 80)] * 7, True),  # cn_htn_2018_home: ≥135 systolic
        ([(120, 84.9)] * 7, False),
        ([(120, 85.0)] * 7, True),  # cn_htn_2018_home: ≥85 diastolic alone suffices
        ([(138, 88)] * 7, True),  # the example: a week averaging 138/88
    ],
)
def test_home_bp_series_threshold_boundaries(
    days: list[tuple[float, float]], crossed: bool
) -> None:
    result = r.evaluate_series(RULES, _bp_days(days), HOME_BP)
    assert result is not None and result.crossed is crossed


def test_home_bp_series_needs_three_days_not_one_reading() -> None:
    """cn_hbpm_2019: at least 3 days; one very high day is not a series."""
    assert r.evaluate_series(RULES, _bp_days([(170, 100), (170, 100)]), HOME_BP) is None
    assert r.evaluate_series(RULES, _bp_days([(170, 100)] * 3), HOME_BP) is not None


def test_home_bp_series_leaves_out_the_first_day_once_there_are_more_than_three() -> None:
    """cn_hbpm_2019: the mean of the days after the first (first-day readings run high)."""
    result = r.evaluate_series(RULES, _bp_days([(190, 110), *[(130, 80)] * 6]), HOME_BP)
    assert result is not None
    assert (result.days, result.means["sbp"], result.crossed) == (6, 130.0, False)
    three = r.evaluate_series(RULES, _bp_days([(150, 95), (130, 80), (130, 80)]), HOME_BP)
    assert three is not None and three.days == 3  # exactly min_days: nothing dropped


def test_each_day_counts_once_however_many_readings_it_holds() -> None:
    base = _bp_days([(130, 80)] * 4)
    extra = [
        r.Reading("home_bp", base[-1].taken_at + timedelta(minutes=m), {"sbp": 160, "dbp": 80})
        for m in (1, 2, 3)
    ]
    result = r.evaluate_series(RULES, [*base, *extra], HOME_BP)
    assert result is not None
    # days 2-4: 130, 130 and the last day's mean (130+3*160)/4 = 152.5 -> 137.5
    assert result.means["sbp"] == pytest.approx((130 + 130 + 152.5) / 3)


def test_readings_older_than_the_window_are_left_out() -> None:
    old = _bp_days([(170, 100)] * 3)
    recent = [
        r.Reading("home_bp", t.taken_at + timedelta(days=10), {"sbp": 120, "dbp": 75}) for t in old
    ]
    result = r.evaluate_series(RULES, [*old, *recent], HOME_BP)
    assert result is not None and not result.crossed and result.days == 3


def _single(kind: r.ReadingKind, **values: float) -> r.Reading:
    context = "random" if kind == "glucose" else None
    return r.Reading(kind, NOW, values, context)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reading", "grade"),
    [
        (_single("home_bp", sbp=180, dbp=100), "normal"),  # cn_htn_2018_urgent: >180 only
        (_single("home_bp", sbp=181, dbp=100), "critical"),
        (_single("home_bp", sbp=150, dbp=120), "normal"),  # cn_htn_2018_urgent: >120 only
        (_single("home_bp", sbp=170, dbp=121), "critical"),
        (_single("glucose", glu=3.9), "normal"),  # cds_2020_hypo: level 1 is <3.9
        (_single("glucose", glu=3.8), "low"),
        (_single("glucose", glu=3.0), "low"),  # cds_2020_hypo: level 2 is <3.0
        (_single("glucose", glu=2.9), "critical"),
        (_single("glucose", glu=16.7), "normal"),  # cds_2020_crisis: >16.7
        (_single("glucose", glu=16.8), "critical"),
        (_single("spo2", spo2=93), "normal"),  # nhs_oximetry_2020: ≤92 % urgent
        (_single("spo2", spo2=92), "critical"),
        (_single("weight", weight=140), "normal"),  # weight has no single-reading limit
    ],
)
def test_single_reading_limits(reading: r.Reading, grade: str) -> None:
    assert r.limits_hit(RULES, reading)[0] == grade


def test_every_rule_cites_a_defined_source_and_links_existing_cards() -> None:
    deck = cards()
    for rule in [*RULES.critical, *RULES.low]:
        assert RULES.sources[rule.source]
        for card in rule.cards:
            deck.get(card)
    for series in RULES.series:
        assert RULES.sources[series.source]


def test_a_ruleset_threshold_without_a_defined_source_is_refused() -> None:
    text = """
name: x
version: "1"
sources: {a: A}
series: []
critical:
  - {id: c, kind: spo2, value: spo2, below: 90, source: b}
"""
    with pytest.raises(Invalid, match="source 'b' is not defined"):
        r.parse_ruleset(text)


@pytest.mark.parametrize(
    ("kind", "values", "context", "code"),
    [
        ("home_bp", {"sbp": 120}, None, "missing_value"),
        ("home_bp", {"sbp": 80, "dbp": 90}, None, "implausible_value"),
        ("home_bp", {"sbp": 320, "dbp": 90}, None, "implausible_value"),
        ("spo2", {"spo2": 101}, None, "implausible_value"),
        ("glucose", {"glu": 5.5}, None, "missing_value"),
        ("weight", {"weight": 70, "sbp": 120}, None, "unknown_value"),
        ("ketones", {"x": 1}, None, "unknown_reading_kind"),
    ],
)
def test_bad_readings_are_refused_with_a_reason(
    kind: str, values: dict[str, float], context: str | None, code: str
) -> None:
    with pytest.raises(Invalid) as caught:
        r.validate(kind, values, NOW, NOW, context)
    assert caught.value.code == code
    assert all(repr(v) not in caught.value.detail for v in values.values())


def test_a_reading_from_the_future_is_refused() -> None:
    with pytest.raises(Invalid, match="future"):
        r.validate("weight", {"weight": 70}, NOW + timedelta(hours=1), NOW, None)


def test_guidance_cards_cover_the_required_topics_in_both_languages_with_sources() -> None:
    deck = cards()
    for card_id in REQUIRED_CARDS:
        card = deck.get(card_id)
        assert card.zh.steps and card.en.steps
        assert deck.citations(card)
    cpr = deck.get("cpr_aed")
    assert any("100-120" in step for step in cpr.en.steps)  # aha_2020 / cn_cpr_2016 rate
    assert any("5-6" in step for step in cpr.en.steps)  # compression depth 5-6 cm
