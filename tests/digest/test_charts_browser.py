"""The digest's charts drawn by a real browser: what a reader sees, not just the markup."""

from __future__ import annotations

from pathlib import Path

from alerts.digest.charts import StackedPoint, line_chart, stacked_chart
from tests.web.test_browser import browser  # noqa: F401 (its fixture)

_BOX = """
const [svg, label] = [document.querySelector('svg'), arguments[0]];
const text = [...svg.querySelectorAll('text')].find(e => e.textContent === label);
const box = text.getBBox();
return [box.x, box.x + box.width, svg.width.baseVal.value];
"""


def _page(tmp_path: Path, svg: str) -> str:
    page = tmp_path / "chart.html"
    page.write_text(f'<html dir="rtl" lang="fa"><body style="margin:0">{svg}</body></html>', encoding="utf-8")
    return page.as_uri()


def test_the_volume_axis_figure_is_drawn_whole_inside_the_chart(browser, tmp_path: Path) -> None:  # noqa: F811
    svg = stacked_chart([StackedPoint("۱", {"negative": 882.0}), StackedPoint("۲", {"negative": 5.0})], "حجم")
    browser.get(_page(tmp_path, svg))
    left, right, width = browser.execute_script(_BOX, "۸۸۲")
    assert 0 <= left < right <= width, (left, right, width)


def test_the_net_line_leaves_a_gap_for_a_day_without_mentions(browser, tmp_path: Path) -> None:  # noqa: F811
    svg = line_chart([("a", 0.5), ("b", None), ("c", -0.2), ("d", 0.1)], "احساس")
    browser.get(_page(tmp_path, svg))
    drawn = browser.execute_script(
        "return [...document.querySelectorAll('svg polyline')].map(p => p.getTotalLength())"
    )
    assert len(drawn) == 1 and drawn[0] > 0  # «c»–«d» only: «a» has no neighbour with a value
