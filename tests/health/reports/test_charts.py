"""Trend charts: one point per checkup in date order, the reference band, escaped labels."""

from __future__ import annotations

import re
from datetime import date

import pytest

from health.reports.charts import HEIGHT, ChartPoint, trend_svg


def _circles(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), colour)
        for x, y, colour in re.findall(
            r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="(#\w+)"', svg
        )
    ]


def test_trend_svg_without_points_is_empty() -> None:
    assert trend_svg("SBP", "mmHg", [], None, None) == ""


def test_trend_svg_orders_points_by_date_and_higher_values_sit_higher() -> None:
    points = [
        ChartPoint(date(2026, 5, 1), 150, "150", True),
        ChartPoint(date(2024, 5, 1), 120, "120", False),
        ChartPoint(date(2025, 5, 1), 130, "130", False),
    ]
    svg = trend_svg("SBP", "mmHg", points, None, 139)
    circles = _circles(svg)
    assert [x for x, _, _ in circles] == sorted(x for x, _, _ in circles)
    ys = [y for _, y, _ in circles]
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards: 120 lowest, 150 highest
    assert [c for _, _, c in circles] == ["#1f4e79", "#1f4e79", "#c00000"]
    assert [int(t) for t in re.findall(r">(\d{4})</text>", svg)] == [2024, 2025, 2026]


def test_trend_svg_band_covers_the_reference_interval() -> None:
    points = [ChartPoint(date(2025, 1, 1), 5.0, "5.0", False)]
    svg = trend_svg("Glucose", "mmol/L", points, 3.9, 6.1)
    band = re.search(r'class="band" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    assert band is not None
    top, height = float(band.group(1)), float(band.group(2))
    ((_, y, _),) = _circles(svg)
    assert top < y < top + height
    assert top > 0 and top + height < HEIGHT


def test_trend_svg_escapes_labels() -> None:
    points = [ChartPoint(date(2025, 1, 1), 1.0, "<b>1</b>", False)]
    svg = trend_svg('A "<x>"', "&", points, None, None)
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp;" in svg


def test_bars_svg_lengths_follow_the_values_with_whiskers_and_escaped_labels() -> None:
    from health.reports.charts import Bar, bars_svg

    assert bars_svg("none", []) == ""
    svg = bars_svg(
        "prevalence",
        [
            Bar("<Hypertension>", 0.30, 0.25, 0.35, "30.0 %"),
            Bar("CKD", 0.10, None, None, "10.0 %"),
        ],
    )
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and widths[0] == pytest.approx(3 * widths[1], rel=1e-2)
    assert svg.count("<line") == 2  # the axis and one whisker (no interval for CKD)
    assert "&lt;Hypertension&gt;" in svg and "<Hypertension>" not in svg
    assert "30.0 %" in svg and "10.0 %" in svg
