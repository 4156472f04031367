"""The explore page's charts: inline SVG (allowed by the CSP: no script, no style attribute) in
which every bar is a link that adds its filter to the query (the drill-down).

Bars grow from the right and time runs right to left on a Persian page; an English page (``rtl``
false) gets the mirror image (``ChartSide``). Labels and counts are escaped, digits as given.
Anchors are laid out for ``direction="ltr"`` (set on the root, so a chart draws the same inline,
as a downloaded SVG and rendered to PNG); Persian labels still read right to left inside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from alerts.digest.chart_side import ChartSide
from alerts.digest.charts import FONT, SENTIMENT_COLOURS

#: room one axis label needs (a Jalali date in 10px digits)
_LABEL_W = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str
    #: name → value, stacked (volume by sentiment); empty: one bar of ``value``
    parts: tuple[tuple[str, int], ...] = ()


def drill_link(href: str, body: str, label: str, swap: bool = True) -> str:
    """A bar's link; with ``swap`` (on the explore page) htmx swaps the results in place."""
    h = escape(href)
    boost = (
        f'hx-get="{h}" hx-target="#explore" hx-select="#explore" hx-swap="outerHTML" hx-push-url="true" '
        if swap else ""
    )  # fmt: skip
    return f'<a href="{h}" {boost}class="drill" aria-label="{escape(label)}">{body}</a>'


def hbars(
    bars: Sequence[Bar],
    title: str,
    digits: object,
    *,
    colour: str = "#1c7ed6",
    swap: bool = True,
    rtl: bool = True,
) -> Markup:
    """Horizontal bars, one row per value, biggest first as given; labels where lines start."""
    width, row, label_w = 320, 22, 120
    side = ChartSide(width, rtl)
    height = 24 + row * max(1, len(bars))
    top = max((b.value for b in bars), default=0) or 1
    body = [chart_title(width - 4, title, side)]
    for i, bar in enumerate(bars):
        y = 22 + i * row
        w = (width - label_w - 40) * bar.value / top
        x = width - label_w - w
        shown = max(w, 1)  # an empty bar is still a visible, clickable line
        count = escape(digits(bar.value))  # type: ignore[operator]
        inner = (
            f'<text x="{side.x(width - 4)}" y="{y + 14}" font-size="11" text-anchor="{side.anchor("end")}" '
            f'fill="#222">{escape(bar.label)}</text>'
            f'<rect x="{side.x(x, shown):.1f}" y="{y + 3}" width="{shown:.1f}" height="{row - 6}" '
            f'fill="{colour}">'
            f"<title>{escape(bar.label)}: {count}</title></rect>"
            f'<text x="{side.x(x - 4):.1f}" y="{y + 14}" font-size="10" text-anchor="{side.anchor("end")}" '
            f'fill="#555">{count}</text>'
        )
        body.append(drill_link(bar.href, inner, f"{bar.label}: {digits(bar.value)}", swap))  # type: ignore[operator]
    return svg_root(width, height, title, body)


def columns(
    bars: Sequence[Bar],
    title: str,
    digits: object,
    colours: dict[str, str] | None = None,
    swap: bool = True,
    rtl: bool = True,
) -> Markup:
    """Stacked columns over time (first bucket where lines start: the right in RTL), each column a
    link; ``colours`` maps a part's name to its fill (default: the sentiment colours)."""
    colours = colours or SENTIMENT_COLOURS
    width, height, top_m, bottom_m, side = 560, 190, 22, 34, 30
    flip = ChartSide(width, rtl)
    plot_h, plot_w = height - top_m - bottom_m, width - 2 * side
    top = max((b.value for b in bars), default=0) or 1
    body = [chart_title(width - side, title, flip)]
    slot = plot_w / max(1, len(bars))
    bar_w = max(2.0, slot * 0.7)
    every = max(1, -(-len(bars) // max(1, plot_w // _LABEL_W)))  # axis labels that do not overlap
    for i, bar in enumerate(bars):
        x = flip.x(width - side - i * slot - (slot + bar_w) / 2, bar_w)
        y = top_m + plot_h
        inner: list[str] = []
        for name, value in bar.parts or (("value", bar.value),):
            h = plot_h * value / top
            if h <= 0:
                continue
            y -= h
            inner.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colours.get(name, "#1c7ed6")}"/>'
            )
        label = f"{bar.label}: {digits(bar.value)}"  # type: ignore[operator]
        inner.append(f"<title>{escape(label)}</title>")
        # a transparent full-height target so a short column is as easy to click as a tall one
        inner.insert(0, f'<rect x="{x:.1f}" y="{top_m}" width="{bar_w:.1f}" height="{plot_h}" fill="#fff" '
                        'fill-opacity="0"/>')  # fmt: skip
        if i % every == 0:
            inner.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom_m + 16}" font-size="10" '
                f'text-anchor="middle" fill="#555">{escape(bar.label)}</text>'
            )
        body.append(drill_link(bar.href, "".join(inner), label, swap))
    return svg_root(width, height, title, body)


def notice(title: str, message: str, width: int = 560, rtl: bool = True) -> Markup:
    """A chart's place when it cannot be drawn (e.g. too many hours): its title and why."""
    side = ChartSide(width, rtl)
    text = (
        f'<text x="{side.x(width - 30)}" y="48" font-size="12" text-anchor="{side.anchor("end")}" '
        f'fill="#c92a2a">{escape(message)}</text>'
    )
    return svg_root(width, 70, title, [chart_title(width - 30, title, side), text])


def chart_title(x: int, title: str, side: ChartSide) -> str:
    """The title ending at ``x`` in the RTL layout (where lines start), mirrored for LTR."""
    return (
        f'<text x="{side.x(x)}" y="14" font-size="12" text-anchor="{side.anchor("end")}" fill="#333">'
        f"{escape(title)}</text>"
    )


def svg_root(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="ltr" font-family="{escape(FONT)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )
