"""The brand dashboard's charts, drawn with the explore page's SVG pieces, every bar or point a plain
link into explore (a full page load): volume by sentiment, share of voice over time (100 % stacked,
one colour per brand), net sentiment as a line of linked points, share of voice and complaint
themes as bars."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from alerts.digest.chart_side import ChartSide
from shenava.web.dashboards import Dashboard
from shenava.web.explore_charts import Bar, chart_title, columns, drill_link, hbars, svg_root
from shenava.web.formatting import Formatter
from storage.search_dates import jalali_label

#: brand colours in the order compared (the brand itself first); colour-blind-safe (Okabe–Ito)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def colours(board: Dashboard) -> dict[str, str]:
    return {b: PALETTE[i % len(PALETTE)] for i, b in enumerate(board.compared)}


def charts(board: Dashboard, t: Callable[..., str], fmt: Formatter, name_of: Callable[[str], str],
           label_of: Callable[[str, str], str]) -> dict[str, Markup]:  # fmt: skip
    fa = fmt.language == "fa"

    def percent(n: int) -> str:  # bars carry whole percents
        return fmt.digits(str(n)) + ("٪" if fa else "%")

    def day_label(bucket: Any) -> str:
        text = jalali_label(bucket.first, persian_digits=fa)
        return text if bucket.first == bucket.last else text + "…"

    volume = [
        Bar(day_label(b), b.total, board.explore(dates=b.dates),
            (("negative", b.negative), ("neutral", b.neutral), ("positive", b.positive)))
        for b in board.buckets
    ]  # fmt: skip
    voice_trend = [
        Bar(day_label(b), 100 if sum(b.counts.values()) else 0,
            board.explore(brands=board.compared, dates=b.dates),
            tuple((brand, round(b.share(brand) * 100)) for brand in board.compared))
        for b in board.buckets
    ]  # fmt: skip
    net = [(day_label(b), b.net if b.total else None, board.explore(dates=b.dates)) for b in board.buckets]
    voice = board.digest.voice
    themes = board.digest.themes
    return {
        "volume": columns(volume, t("dash.volume_trend"), fmt.number, swap=False, rtl=fmt.rtl),
        "voice_trend": columns(
            voice_trend, t("dash.voice_trend"), percent, colours(board), swap=False, rtl=fmt.rtl
        ),
        "net": net_line(net, t("dash.net_trend"), fmt),
        "voice": hbars(
            [Bar(name_of(v.brand), round(v.share * 100), board.explore(brands=[v.brand]))
             for v in voice],
            t("dash.voice"), percent, swap=False, rtl=fmt.rtl,
        ),
        "themes": hbars(
            [Bar(label_of("touchpoint", th.aspect), th.count,
                 board.explore("sentiment:negative", f"touchpoint:{th.aspect}")) for th in themes],
            t("dash.themes"), fmt.number, colour="#d64545", swap=False, rtl=fmt.rtl,
        ),
    }  # fmt: skip


def net_line(points: list[tuple[str, float | None, str]], title: str, fmt: Formatter) -> Markup:
    """Net sentiment (−100 % … +100 %) per bucket, first where lines start; each point a link."""
    width, height, top_m, bottom_m, side = 560, 190, 22, 34, 30
    flip = ChartSide(width, fmt.rtl)
    plot_h, plot_w = height - top_m - bottom_m, width - 2 * side
    mid = top_m + plot_h / 2
    slot = plot_w / max(1, len(points))
    body = [chart_title(width - side, title, flip),
            f'<line x1="{side}" y1="{mid:.1f}" x2="{width - side}" y2="{mid:.1f}" stroke="#9aa5b1" '
            'stroke-dasharray="3 3"/>']  # fmt: skip
    runs: list[list[str]] = [[]]  # the line's pieces: a bucket without a mention breaks it
    for i, (label, value, href) in enumerate(points):
        x = flip.x(width - side - i * slot - slot / 2)
        every = max(1, -(-len(points) // max(1, int(plot_w) // 70)))
        tick = (
            f'<text x="{x:.1f}" y="{height - bottom_m + 16}" font-size="10" text-anchor="middle" '
            f'fill="#555">{escape(label)}</text>'
            if i % every == 0
            else ""
        )
        if value is None:  # no mention in the bucket: no point, a gap in the line
            body.append(tick)
            if runs[-1]:
                runs.append([])
            continue
        y = mid - value * plot_h / 2
        runs[-1].append(f"{x:.1f},{y:.1f}")
        shown = f"{label}: {fmt.percent(value)}"
        inner = (
            f'<rect x="{x - slot / 2:.1f}" y="{top_m}" width="{slot:.1f}" height="{plot_h}" fill="#fff" '
            f'fill-opacity="0"/><circle cx="{x:.1f}" cy="{y:.1f}" r="4" '
            f'fill="{"#2f9e44" if value >= 0 else "#d64545"}"><title>{escape(shown)}</title></circle>{tick}'
        )
        body.append(drill_link(href, inner, shown, swap=False))
    for run in (r for r in reversed(runs) if len(r) > 1):  # under the points, which stay clickable
        body.insert(
            2, f'<polyline points="{" ".join(run)}" fill="none" stroke="#1c7ed6" stroke-width="1.5"/>'
        )
    return svg_root(width, height, title, body)
