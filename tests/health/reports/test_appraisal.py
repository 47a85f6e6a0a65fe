"""The appraisal scheme as data and the scores, recomputed independently with plain pandas:
linear components between floor and target, renormalised weights, ranks among peers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from health.errors import Invalid
from health.reports.appraisal import default_scheme, parse_scheme, scheme_body, score_units


def test_the_default_scheme_is_valid_and_explained_in_both_languages() -> None:
    scheme = default_scheme()
    assert sum(i.weight for i in scheme.indicators) == pytest.approx(1.0)
    assert all(i.explain_zh and i.explain_en for i in scheme.indicators)
    assert parse_scheme(scheme_body(scheme)) == scheme


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"version": ""}, "version"),
        ({"indicators": []}, "at least one"),
        ({"weight": 0.5}, "add up to 1"),
        ({"code": "unknown"}, "unknown code"),
        ({"floor": 0.98}, "floor differ"),
    ],
)
def test_a_bad_scheme_is_refused_with_the_reason(change: dict[str, Any], reason: str) -> None:
    body = scheme_body(default_scheme())
    if "version" in change or "indicators" in change:
        body.update(change)
    else:
        body["indicators"][0].update(change)
    with pytest.raises(Invalid, match=reason):
        parse_scheme(body)


def test_scores_components_and_ranks_match_plain_pandas() -> None:
    scheme = default_scheme()
    rng = np.random.default_rng(3)
    units = [f"u{i}" for i in range(12)]
    values = pd.DataFrame(
        {
            "coverage": rng.uniform(0.6, 1.0, 12),
            "completion_rate": rng.uniform(0.4, 1.0, 12),
            "on_time_rate": rng.uniform(0.3, 1.0, 12),
            "critical_ack_rate": rng.uniform(0.7, 1.0, 12),
            "programme_participation": rng.uniform(0.1, 0.8, 12),
            "leading_risk_change": rng.uniform(-0.03, 0.05, 12),
        },
        index=units,
    )
    values.iloc[3, 3] = np.nan  # a suppressed prevalence
    values.iloc[5, :] = np.nan  # a unit with nothing to score
    values.iloc[7] = values.iloc[8]  # a tie
    depth = pd.Series([0] + [1] * 3 + [2] * 8, index=units)
    got = score_units(values, depth, scheme)

    expected_scores = {}
    for unit in units:
        total = weight = 0.0
        for ind in scheme.indicators:
            value = values.loc[unit, ind.code]
            if pd.isna(value):
                continue
            part = min(max((value - ind.floor) / (ind.target - ind.floor), 0.0), 1.0)
            assert got.loc[unit, f"{ind.code}_component"] == pytest.approx(part)
            total += part * ind.weight
            weight += ind.weight
        expected_scores[unit] = 100 * total / weight if weight else None
        assert got.loc[unit, "weight_used"] == pytest.approx(weight)
    for unit, expected in expected_scores.items():
        if expected is None:
            assert pd.isna(got.loc[unit, "score"])
            continue
        assert got.loc[unit, "score"] == pytest.approx(expected, abs=1e-5)
        peers = [u for u in units if depth[u] == depth[unit] and expected_scores[u] is not None]
        better = sum(expected_scores[u] > expected + 1e-9 for u in peers)  # type: ignore[operator]
        assert got.loc[unit, "rank"] == better + 1
        assert got.loc[unit, "peers"] == len(peers)
    assert got.loc["u7", "rank"] == got.loc["u8", "rank"]


def test_component_boundaries_floor_zero_target_full_and_falling_is_better() -> None:
    scheme = parse_scheme(
        {
            "version": "t",
            "indicators": [
                {"code": "coverage", "weight": 0.5, "floor": 0.7, "target": 0.98,
                 "explain_zh": "覆盖率", "explain_en": "coverage"},
                {"code": "hypertension_change", "weight": 0.5, "floor": 0.03, "target": -0.01,
                 "explain_zh": "变化", "explain_en": "change"},
            ],
        }
    )  # fmt: skip
    values = pd.DataFrame(
        {"coverage": [0.7, 0.98, 1.0, 0.84], "hypertension_change": [0.03, -0.01, -0.05, 0.01]},
        index=["a", "b", "c", "d"],
    )
    got = score_units(values, pd.Series(1, index=values.index), scheme)
    assert list(got["coverage_component"]) == pytest.approx([0.0, 1.0, 1.0, 0.5])
    assert list(got["hypertension_change_component"]) == pytest.approx([0.0, 1.0, 1.0, 0.5])
    assert list(got["score"]) == pytest.approx([0.0, 100.0, 100.0, 50.0])
    assert list(got["rank"]) == [4, 1, 1, 3]
