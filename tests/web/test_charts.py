"""Server-drawn SVG charts: round ticks, one marker per checkup, suppressed cells written."""

from __future__ import annotations

from datetime import date

from api.web.charts import Band, Bar, Series, _ticks, bar_chart, line_chart


def test_ticks_are_round_and_cover_the_values() -> None:
    assert _ticks(78.3, 81.9) == [78.0, 79.0, 80.0, 81.0, 82.0]
    assert _ticks(360, 560) == [350, 400, 450, 500, 550, 600]
    assert _ticks(3.2, 7.9) == [3, 4, 5, 6, 7, 8]


def test_a_trend_over_three_checkups_has_three_markers_and_its_reference_band() -> None:
    points = ((date(2024, 3, 5), 380.0), (date(2025, 3, 4), 410.0), (date(2026, 11, 20), 530.0))
    svg = line_chart("Uric acid", "µmol/L", [Series("ua", points)], band=Band(None, 420.0))
    assert svg.count("<circle") == 3
    assert 'fill="#e8f4ec"' in svg  # the reference interval
    assert "<title" in svg and 'role="img"' in svg
    assert "style=" not in svg  # nothing the CSP (style-src 'self') would block


def test_two_series_differ_by_marker_and_dash_for_greyscale_print() -> None:
    days = (date(2025, 1, 1), date(2026, 1, 1))
    sbp = Series("sbp", tuple(zip(days, (130.0, 150.0), strict=True)))
    dbp = Series("dbp", tuple(zip(days, (80.0, 95.0), strict=True)))
    svg = line_chart("BP", "mmHg", [sbp, dbp])
    assert svg.count("<circle") == 2 and svg.count("<rect") == 2
    assert "stroke-dasharray" in svg


def test_a_suppressed_count_is_written_not_drawn() -> None:
    svg = bar_chart(
        "Findings",
        [Bar("Glucose", None, 7.0)],
        current_label="2026",
        previous_label="2025",
        number=str,
        suppressed="suppressed",
    )
    assert ">suppressed<" in svg and ">7.0<" in svg


def test_no_values_draws_nothing() -> None:
    assert line_chart("Empty", "kg", [Series("weight", ())]) == ""
