"""Charts as inline SVG drawn on the server: no script, readable in print and at phone width.

Series differ by dash pattern and marker shape as well as colour (print is often greyscale);
each chart carries a title and a description for screen readers, and the page shows the same
numbers in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 16, 40
STYLES = (
    ("#0b4f8a", ""),
    ("#a4161a", "6 4"),
    ("#1e6b34", "2 3"),
    ("#5b2a86", "10 3 2 3"),
)


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class Band:
    """A reference interval drawn behind the lines (low/high may be open)."""

    low: float | None
    high: float | None


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 × 10^k apart) covering [low, high]."""
    raw = (high - low) / (count - 1) or 1.0
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10**exponent
    nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    step = nice * 10**exponent
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _marker(x: float, y: float, index: int, colour: str) -> str:
    if index % 2 == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'


def line_chart(
    title: str,
    unit: str,
    series: Sequence[Series],
    *,
    band: Band | None = None,
    number: Callable[[float], str] = lambda v: f"{v:g}",
    day: Callable[[date], str] = lambda d: d.isoformat(),
    description: str = "",
) -> str:
    """A trend over checkups: one line per series, dates on x, values on y (same unit)."""
    values = [v for s in series for _, v in s.points]
    days = sorted({d for s in series for d, _ in s.points})
    if not values:
        return ""
    low, high = min(values), max(values)
    if band is not None:
        low = min(low, band.low if band.low is not None else low)
        high = max(high, band.high if band.high is not None else high)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = days[0].toordinal(), days[-1].toordinal()

    def sx(d: date) -> float:
        if last == first:
            return LEFT + plot_w / 2
        return LEFT + (d.toordinal() - first) / (last - first) * plot_w

    def sy(v: float) -> float:
        return TOP + (high - v) / (high - low) * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{_id(title)}-t {_id(title)}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_id(title)}-t">{escape(title)} ({escape(unit)})</title>',
        f'<desc id="{_id(title)}-d">{escape(description)}</desc>',
    ]
    if band is not None:
        top = sy(band.high) if band.high is not None else TOP
        bottom = sy(band.low) if band.low is not None else TOP + plot_h
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{max(bottom - top, 0):.1f}" '
            'fill="#e8f4ec" stroke="#1e6b34" stroke-dasharray="2 2"/>'
        )
    for tick in ticks:
        y = sy(tick)
        if TOP - 1 <= y <= TOP + plot_h + 1:
            parts.append(
                f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="#d0d0d0"/>'
                f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'fill="#1a1a1a">{escape(number(tick))}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#1a1a1a"/>'
    )
    step = max(1, len(days) // 5)
    for d in days[::step]:
        parts.append(
            f'<text x="{sx(d):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="#1a1a1a">{escape(day(d))}</text>'
        )
    for index, s in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        points = sorted(s.points)
        path = " ".join(f"{sx(d):.1f},{sy(v):.1f}" for d, v in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        parts.extend(_marker(sx(d), sy(v), index, colour) for d, v in points)
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    current: float | None
    previous: float | None


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    current_label: str,
    previous_label: str,
    number: Callable[[float], str],
    suppressed: str,
    maximum: float | None = None,
) -> str:
    """Horizontal paired bars (this year, last year); a suppressed value is written, not drawn."""
    row_h, label_w, plot_w = 48, 170, 220
    height = TOP + row_h * len(bars) + 30
    top_value = maximum or max([b.current or 0 for b in bars] + [b.previous or 0 for b in bars])
    top_value = top_value or 1.0
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{_id(title)}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" '
            f'fill="#1a1a1a">{escape(bar.label)}</text>'
        )
        for offset, value, colour, pattern in (
            (0, bar.current, "#0b4f8a", ""),
            (18, bar.previous, "#8a8a8a", ' stroke="#1a1a1a" stroke-dasharray="3 2"'),
        ):
            if value is None:
                parts.append(
                    f'<text x="{label_w + 4}" y="{y + offset + 13}" '
                    f'fill="#1a1a1a">{escape(suppressed)}</text>'
                )
                continue
            width = max(value / top_value * plot_w, 1.0)
            parts.append(
                f'<rect x="{label_w}" y="{y + offset}" width="{width:.1f}" height="14" '
                f'fill="{colour}"{pattern}/>'
                f'<text x="{label_w + width + 4:.1f}" y="{y + offset + 12}" '
                f'fill="#1a1a1a">{escape(number(value))}</text>'
            )
    legend_y = height - 8
    parts.append(
        f'<rect x="{label_w}" y="{legend_y - 10}" width="12" height="12" fill="#0b4f8a"/>'
        f'<text x="{label_w + 16}" y="{legend_y}" fill="#1a1a1a">{escape(current_label)}</text>'
        f'<rect x="{label_w + 90}" y="{legend_y - 10}" width="12" height="12" fill="#8a8a8a" '
        'stroke="#1a1a1a" stroke-dasharray="3 2"/>'
        f'<text x="{label_w + 106}" y="{legend_y}" fill="#1a1a1a">{escape(previous_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _id(title: str) -> str:
    return "c" + format(abs(hash(title)) % 10**8, "d")
