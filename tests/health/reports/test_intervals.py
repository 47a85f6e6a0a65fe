"""Interval methods against published examples."""

from __future__ import annotations

import pytest

from health.reports.intervals import fay_feuer, wilson


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe RG, Stat Med 1998;17:857–72, Table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson([x], [n])
    assert (round(float(lo[0]), 4), round(float(hi[0]), 4)) == (low, high)


def test_wilson_of_an_empty_cell_is_missing() -> None:
    lo, hi = wilson([0], [0])
    assert lo[0] != lo[0] and hi[0] != hi[0]


@pytest.mark.parametrize(
    ("x", "low", "high"),
    [
        # One stratum: Fay–Feuer reduces to the exact (Garwood) Poisson interval divided by n;
        # for 0 events the upper limit is 3.689 (Garwood 1936), for 3 events 0.619–8.767.
        (0, 0.0, 3.689),
        (3, 0.619, 8.767),
    ],
)
def test_fay_feuer_single_stratum_is_the_exact_poisson_interval(
    x: int, low: float, high: float
) -> None:
    rate, lo, hi = fay_feuer([[x]], [[10]], [1.0])
    assert float(rate[0]) == pytest.approx(x / 10)
    assert (round(float(lo[0]) * 10, 3), round(float(hi[0]) * 10, 3)) == (low, high)


def test_fay_feuer_leaves_out_empty_bands_and_renormalises() -> None:
    rate, _, _ = fay_feuer([[2], [0]], [[10], [0]], [3.0, 1.0])
    assert float(rate[0]) == pytest.approx(0.2)
    rate, _, _ = fay_feuer([[2], [1]], [[10], [10]], [3.0, 1.0])
    assert float(rate[0]) == pytest.approx(0.75 * 0.2 + 0.25 * 0.1)
