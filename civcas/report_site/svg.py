"""Inline SVG charts drawn from query rows: no JavaScript, no network, text a browser can search."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Band:
    """One series: per month the lowest and highest figure (equal when the source gives one)."""

    label: str
    color: str
    points: Sequence[tuple[date, float, float]]


def nice_ticks(top: float, count: int = 4) -> list[float]:
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _month_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Years for long spans; quarters too when the chart covers three years or less."""
    months = [
        date(index // 12, index % 12 + 1, 1)
        for index in range(_month_index(first), _month_index(last) + 1)
    ]
    if len(months) <= 36:
        return [
            (m, str(m.year) if m.month == 1 else m.strftime("%b"))
            for m in months
            if m.month in (1, 4, 7, 10)
        ]
    years = [m for m in months if m.month == 1]
    step = max(1, math.ceil(len(years) / 8))
    return [(m, str(m.year)) for m in years[::step]]


def band_chart(
    bands: Sequence[Band],
    first: date,
    last: date,
    *,
    title: str,
    y_label: str,
    width: int = 460,
    height: int = 180,
    css_class: str = "",
) -> str:
    """Min–max bands over months, each source or belligerent its own colour, never stacked."""
    left, right, top_pad, bottom = 48, 10, 22, 26
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    start, end = _month_index(first), _month_index(last)
    span = max(end - start, 1)
    ticks = nice_ticks(max([hi for band in bands for _, _, hi in band.points] + [1]))
    y_top = ticks[-1]

    def x(month: date) -> float:
        return left + (_month_index(month) - start) / span * plot_w

    def y(value: float) -> float:
        return top_pad + plot_h - value / y_top * plot_h

    parts = [
        f'<svg class="chart {css_class}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="13" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#ddd"/><text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    for tick_month, label in _month_ticks(first, last):
        tick_x = x(tick_month)
        parts.append(
            f'<line x1="{tick_x:.1f}" x2="{tick_x:.1f}" y1="{top_pad + plot_h}" '
            f'y2="{top_pad + plot_h + 4}" stroke="#555"/>'
            f'<text x="{tick_x:.1f}" y="{height - 8}" text-anchor="middle">{label}</text>'
        )
    parts.append(
        f'<text transform="translate(10,{top_pad + plot_h / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    for band in bands:
        points = sorted(band.points)
        if not points:
            continue
        upper = " ".join(f"{x(m):.1f},{y(hi):.1f}" for m, _, hi in points)
        lower = " ".join(f"{x(m):.1f},{y(lo):.1f}" for m, lo, _ in reversed(points))
        parts.append(
            f'<polygon class="band" points="{upper} {lower}" fill="{band.color}" '
            f'fill-opacity="0.3" stroke="none"><title>{escape(band.label)}</title></polygon>'
        )
        line = " ".join(f"{x(m):.1f},{y(lo):.1f}" for m, lo, _ in points)
        parts.append(
            f'<polyline class="line" points="{line}" fill="none" stroke="{band.color}" '
            'stroke-width="1.2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(entries: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<span class="key"><svg width="12" height="12"><rect width="12" height="12" '
        f'fill="{color}" fill-opacity="0.6"/></svg> {escape(label)}</span>'
        for label, color in entries
    )
    return f'<div class="legend">{items}</div>'


def range_rows(
    rows: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    title: str,
    width: int = 900,
) -> str:
    """One row per comparison: a bar from the sum of minima to the sum of maxima, a dot at the
    claim."""
    row_h, label_w, pad = 22, 360, 30
    height = pad + row_h * len(rows) + 24
    top = max([v for _, lo, hi, claim in rows for v in (lo, hi, claim) if v is not None] + [1])
    ticks = nice_ticks(top)

    def x(value: float) -> float:
        return label_w + value / ticks[-1] * (width - label_w - 20)

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {FONT}><title>{escape(title)}</title>'
        f'<text x="4" y="13" font-weight="bold">{escape(title)}</text>'
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{pad - 6}" y2="{height - 20}" '
            f'stroke="#ddd"/><text x="{x(tick):.1f}" y="{height - 6}" text-anchor="middle">'
            f"{_number(tick)}</text>"
        )
    for i, (label, lo, hi, claim) in enumerate(rows):
        mid = pad + i * row_h + row_h / 2
        parts.append(f'<text x="4" y="{mid + 4:.1f}">{escape(label)}</text>')
        if lo is not None and hi is not None:
            parts.append(
                f'<rect class="mark" x="{x(lo):.1f}" y="{mid - 6:.1f}" '
                f'width="{max(x(hi) - x(lo), 2):.1f}" height="12" fill="#1f77b4" '
                f'fill-opacity="0.5"><title>sum {_number(lo)}–{_number(hi)}</title></rect>'
            )
        if claim is not None:
            parts.append(
                f'<circle class="mark" cx="{x(claim):.1f}" cy="{mid:.1f}" r="5" fill="#d62728">'
                f"<title>claim {_number(claim)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_rows(rows: Sequence[tuple[str, float]], *, title: str, width: int = 640) -> str:
    row_h, label_w, pad = 20, 380, 24
    height = pad + row_h * len(rows) + 6
    top = max([value for _, value in rows] + [1])
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {FONT}><title>{escape(title)}</title>'
        f'<text x="4" y="13" font-weight="bold">{escape(title)}</text>'
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        bar_w = max(value / top * (width - label_w - 60), 1)
        short = label if len(label) <= 62 else label[:60] + "…"
        parts.append(
            f'<text x="4" y="{y + 14}"><title>{escape(label)}</title>{escape(short)}</text>'
            f'<rect class="mark" x="{label_w}" y="{y + 3}" width="{bar_w:.1f}" height="14" '
            f'fill="#8c564b"/><text x="{label_w + bar_w + 4:.1f}" y="{y + 14}">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def grid_map(
    cells: Sequence[tuple[int, int, str | None]],
    value_of: dict[str, float],
    name_of: dict[str, str],
    *,
    title: str,
    cell_degrees: float,
    width: int = 640,
) -> str:
    """Coarse cells of the admin-1 grid, shaded by each area's value; white where it has none."""
    rows = [row for row, _, _ in cells]
    cols = [col for _, col, _ in cells]
    mid_lat = (min(rows) + max(rows) + 1) / 2 * cell_degrees
    aspect = math.cos(math.radians(mid_lat))  # equirectangular, shrunk to the latitude
    n_cols, n_rows = max(cols) - min(cols) + 1, max(rows) - min(rows) + 1
    size = (width - 10) / n_cols
    cell_h = size / aspect
    height = int(n_rows * cell_h + 40)
    top = max(list(value_of.values()) + [1])

    def shade(code: str | None) -> str:
        value = value_of.get(code or "", 0)
        if not value:
            return "#f4f4f4"
        level = math.log1p(value) / math.log1p(top)  # log scale: a few provinces hold most reports
        return f"rgb({int(255 - 200 * level)},{int(245 - 180 * level)},{int(235 - 120 * level)})"

    parts = [
        f'<svg class="chart map" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {FONT}><title>{escape(title)}</title>'
        f'<text x="4" y="13" font-weight="bold">{escape(title)}</text>'
    ]
    centres: dict[str, list[tuple[float, float]]] = {}
    for row, col, code in cells:
        cx = 5 + (col - min(cols)) * size
        cy = 24 + (max(rows) - row) * cell_h
        label = f"{name_of.get(code or '', 'no governorate')}: {value_of.get(code or '', 0):,.0f}"
        parts.append(
            f'<rect class="cell" x="{cx:.1f}" y="{cy:.1f}" width="{size + 0.3:.1f}" '
            f'height="{cell_h + 0.3:.1f}" fill="{shade(code)}">'
            f"<title>{escape(label)}</title></rect>"
        )
        if code:
            centres.setdefault(code, []).append((cx + size / 2, cy + cell_h / 2))
    for code, points in centres.items():
        px = min(max(sum(p[0] for p in points) / len(points), 30), width - 30)
        py = sum(p[1] for p in points) / len(points)
        parts.append(
            f'<text x="{px:.1f}" y="{py:.1f}" text-anchor="middle" font-size="9" '
            f'fill="#222">{escape(name_of.get(code, code))}</text>'
        )
    parts.append(
        f'<text x="4" y="{height - 6}">Shade: darker is more reports (log scale, 1 to {top:,.0f});'
        " grey: none.</text></svg>"
    )
    return "".join(parts)
