"""Trend charts as inline SVG, drawn on the server so a PDF or a page needs no script or CDN.

Small line charts: one point per checkup, the reference interval as a shaded band, the first
and last value labelled. Text is escaped; nothing but the numbers given is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH = 260
# The reports' own typeface, so a PDF embeds one font family for charts and text alike.
FONT = 'font-family="Noto Sans CJK SC, Noto Sans, sans-serif"'
HEIGHT = 120
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 10, 10, 22


@dataclass(frozen=True)
class ChartPoint:
    when: date
    value: float
    display: str
    flagged: bool


def _bounds(values: Sequence[float], low: float | None, high: float | None) -> tuple[float, float]:
    """The y range: every value and the reference interval, padded so nothing sits on an edge."""
    seen = [*values, *(v for v in (low, high) if v is not None)]
    lo, hi = min(seen), max(seen)
    pad = (abs(hi) * 0.1 or 1.0) if hi == lo else (hi - lo) * 0.12
    return lo - pad, hi + pad


def _tick(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def trend_svg(
    title: str,
    unit: str,
    points: Sequence[ChartPoint],
    reference_low: float | None,
    reference_high: float | None,
) -> str:
    """One measure over the years as an SVG element (empty string when there is no point)."""
    if not points:
        return ""
    ordered = sorted(points, key=lambda p: p.when)
    y_min, y_max = _bounds([p.value for p in ordered], reference_low, reference_high)
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM

    def x_of(i: int) -> float:
        return _LEFT + (plot_w / 2 if len(ordered) == 1 else plot_w * i / (len(ordered) - 1))

    def y_of(v: float) -> float:
        return _TOP + plot_h * (1 - (v - y_min) / (y_max - y_min))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" {FONT} class="trend" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)} ({escape(unit)})">',
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" '
        'fill="none" stroke="#999" stroke-width="0.5"/>',
    ]
    if reference_low is not None or reference_high is not None:
        top = y_of(min(reference_high, y_max) if reference_high is not None else y_max)
        bottom = y_of(max(reference_low, y_min) if reference_low is not None else y_min)
        parts.append(
            f'<rect class="band" x="{_LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 0):.1f}" fill="#dcefdc"/>'
        )
    for v in (y_min, y_max):
        parts.append(
            f'<text x="{_LEFT - 3}" y="{y_of(v) + 3:.1f}" font-size="7" '
            f'text-anchor="end">{_tick(v)}</text>'
        )
    coords = [(x_of(i), y_of(p.value)) for i, p in enumerate(ordered)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="1.2"/>')
    for (x, y), point in zip(coords, ordered, strict=True):
        colour = "#c00000" if point.flagged else "#1f4e79"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.4" fill="{colour}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="7" '
            f'text-anchor="middle">{point.when.year}</text>'
        )
    for index in {0, len(ordered) - 1}:
        x, y = coords[index]
        parts.append(
            f'<text x="{x:.1f}" y="{y - 4:.1f}" font-size="7" '
            f'text-anchor="middle">{escape(ordered[index].display)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    low: float | None
    high: float | None
    display: str


BAR_WIDTH = 520
_BAR_ROW, _BAR_LABEL, _BAR_RIGHT = 18, 150, 60


def bars_svg(title: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars from zero with the 95 % interval as a whisker, largest scale first (an
    empty string when there is no bar); each bar carries its number as text."""
    if not bars:
        return ""
    top = max(max(b.value, b.high or 0.0) for b in bars) or 1.0
    plot_w = BAR_WIDTH - _BAR_LABEL - _BAR_RIGHT
    height = _BAR_ROW * len(bars) + 8

    def x_of(v: float) -> float:
        return _BAR_LABEL + plot_w * max(v, 0.0) / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" {FONT} class="bars" width="{BAR_WIDTH}" '
        f'height="{height}" viewBox="0 0 {BAR_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f'<line x1="{_BAR_LABEL}" y1="2" x2="{_BAR_LABEL}" y2="{height - 4}" stroke="#999" '
        'stroke-width="0.5"/>',
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * _BAR_ROW
        parts.append(
            f'<text x="{_BAR_LABEL - 4}" y="{y + 10}" font-size="8" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{_BAR_LABEL}" y="{y + 2}" width="{x_of(bar.value) - _BAR_LABEL:.1f}" '
            'height="10" fill="#1f4e79"/>'
        )
        if bar.low is not None and bar.high is not None:
            mid = y + 7
            parts.append(
                f'<line x1="{x_of(bar.low):.1f}" y1="{mid}" x2="{x_of(bar.high):.1f}" '
                f'y2="{mid}" stroke="#c00000" stroke-width="1"/>'
            )
        right = max(x_of(bar.value), x_of(bar.high or 0.0))
        parts.append(
            f'<text x="{right + 4:.1f}" y="{y + 10}" font-size="8">{escape(bar.display)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
