"""Inline SVG charts for the digest, drawn in Python.

SVG text is shaped by the reader's browser, so Persian labels join correctly (a PNG rendered
here would need a shaping engine). Time runs right to left on a Persian page and left to right on
an English one (``language``), as the page reads. Every label is escaped: brand names and terms come
from configuration and user text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from alerts.digest.chart_side import ChartSide
from storage.search_dates import to_persian_digits

SENTIMENT_COLOURS = {"negative": "#d64545", "neutral": "#9aa5b1", "positive": "#2f9e44"}
FONT = "Vazirmatn, 'Noto Naskh Arabic', 'Noto Sans Arabic', Tahoma, sans-serif"


@dataclass(frozen=True)
class StackedPoint:
    label: str
    parts: dict[str, float]  # name → value, drawn bottom-up in the order given


def _svg(width: int, height: int, title: str, body: list[str], side: ChartSide) -> str:
    # "start" anchors follow the direction: the right edge in Persian, the left in English
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="{side.direction}" font-family="{escape(FONT)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _axis_max(values: Sequence[float]) -> float:
    top = max((v for v in values), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(
    points: Sequence[tuple[str, float]],
    title: str,
    *,
    width: int = 560,
    height: int = 180,
    colour: str = "#1c7ed6",
    language: str = "fa",
) -> str:
    """One bar per point; the first point is drawn where the page's lines start."""
    return stacked_chart(
        [StackedPoint(label, {"value": value}) for label, value in points],
        title,
        colours={"value": colour},
        width=width,
        height=height,
        language=language,
    )


def stacked_chart(
    points: Sequence[StackedPoint],
    title: str,
    *,
    colours: dict[str, str] | None = None,
    width: int = 560,
    height: int = 180,
    language: str = "fa",
) -> str:
    """Stacked bars (e.g. negative/neutral/positive per day): right to left with Persian digits, or
    left to right with Latin ones for ``language="en"``."""
    colours = colours or SENTIMENT_COLOURS
    side, digits = _side(width, language)
    margin_top, margin_bottom, margin_side = 22, 34, 36
    plot_h = height - margin_top - margin_bottom
    plot_w = width - 2 * margin_side
    top = _axis_max([sum(p.parts.values()) for p in points])
    body = [
        f'<text x="{side.x(width - margin_side)}" y="14" font-size="12" text-anchor="start" '
        f'fill="#333">{escape(title)}</text>',
        f'<line x1="{margin_side}" y1="{margin_top + plot_h}" x2="{width - margin_side}" '
        f'y2="{margin_top + plot_h}" stroke="#ccc"/>',
        # "start" is the text's outer edge (right in RTL), so the figure grows into the chart
        # ("end" put it past the edge, where ۸۸۲ showed as ۸)
        f'<text x="{side.x(width - 4)}" y="{margin_top + 8}" font-size="10" text-anchor="start" fill="#666">'
        f"{escape(digits(_fmt(top)))}</text>",
    ]
    if points:
        slot = plot_w / len(points)
        bar_w = max(2.0, slot * 0.7)
        for i, point in enumerate(points):
            x_right = width - margin_side - i * slot  # first point at the right in the RTL layout
            x = side.x(x_right - (slot + bar_w) / 2, bar_w)
            y = margin_top + plot_h
            for name, value in point.parts.items():
                h = plot_h * value / top
                if h <= 0:
                    continue
                y -= h
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{colours.get(name, "#888")}"><title>{escape(point.label)}: '
                    f"{escape(digits(_fmt(value)))}</title></rect>"
                )
            if _labelled(i, len(points)):
                body.append(_axis_label(x + bar_w / 2, height - margin_bottom + 16, point.label))
    return _svg(width, height, title, body, side)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    title: str,
    *,
    lo: float = -1.0,
    hi: float = 1.0,
    width: int = 560,
    height: int = 160,
    colour: str = "#5f3dc4",
    language: str = "fa",
) -> str:
    """A line over a fixed range (net sentiment in [-1, 1]) with a zero line, in the page's direction.
    A point without a value (a day without mentions) is a gap in the line, not a zero: nothing was
    said."""
    side, digits = _side(width, language)
    margin_top, margin_bottom, margin_side = 22, 30, 36
    plot_h = height - margin_top - margin_bottom
    plot_w = width - 2 * margin_side

    def y_of(v: float) -> float:
        return margin_top + plot_h * (hi - max(lo, min(hi, v))) / (hi - lo)

    body = [
        f'<text x="{side.x(width - margin_side)}" y="14" font-size="12" text-anchor="start" '
        f'fill="#333">{escape(title)}</text>',
        f'<line x1="{margin_side}" y1="{y_of(0):.1f}" x2="{width - margin_side}" y2="{y_of(0):.1f}" '
        f'stroke="#ccc" stroke-dasharray="4 3"/>',
    ]
    if points:
        step = plot_w / max(1, len(points) - 1)
        runs: list[list[str]] = [[]]
        marks = []  # drawn over the line
        for i, (label, value) in enumerate(points):
            x = side.x(width - margin_side - i * step)
            if _labelled(i, len(points)):
                marks.append(_axis_label(x, height - 8, label))
            if value is None:
                runs.append([])
                continue
            y = y_of(value)
            runs[-1].append(f"{x:.1f},{y:.1f}")
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"><title>{escape(label)}: '
                f"{escape(digits(f'{value:+.2f}'))}</title></circle>"
            )
        body += [
            f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for run in runs
            if len(run) > 1
        ]
        body += marks
    return _svg(width, height, title, body, side)


def _side(width: int, language: str) -> tuple[ChartSide, Callable[[str], str]]:
    """Persian: right to left with Persian digits; English: left to right with Latin ones."""
    if language == "fa":
        return ChartSide(width, rtl=True), to_persian_digits
    return ChartSide(width, rtl=False), str


def _labelled(index: int, count: int) -> bool:
    """About eight axis labels, the newest point always among them."""
    return (count - 1 - index) % max(1, round(count / 8)) == 0


def _axis_label(x: float, y: float, label: str) -> str:
    return f'<text x="{x:.1f}" y="{y}" font-size="10" text-anchor="middle" fill="#555">{escape(label)}</text>'


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
