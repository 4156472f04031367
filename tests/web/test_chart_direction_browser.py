"""Charts read the way their page reads, in a real browser (headless Chromium, as
tests/web/test_browser.py). A Persian page starts its charts at the right: the oldest bucket, the
bars' labels and the title there. An English page is the mirror image, so time runs left to right
instead of backwards (the burst on an incident page, the dashboard's and explore's trends), with
Latin digits on the axis."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.repository import MentionStore
from tests.web.conftest import add_people, web_settings
from tests.web.inbox_data import fill_inbox
from tests.web.server import serving
from tests.web.test_browser import _log_in, _open, _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("backend", ["sqlite"], indirect=True),
    pytest.mark.parametrize("language", ["fa", "en"]),
]

#: [left, right] of each element, in page pixels
_BOXES = "return arguments[0].map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; });"
_PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def site(engine: Engine, store: MentionStore, language: str) -> Iterator[tuple[str, dict[str, int]]]:
    add_people(engine)
    ids = fill_inbox(engine, store)
    app = create_app(web_settings(language=language), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        yield base, ids


def _centres(driver, css: str) -> list[float]:  # type: ignore[no-untyped-def]
    boxes = driver.execute_script(_BOXES, driver.find_elements("css selector", css))
    return [(left + right) / 2 for left, right in boxes]


def _runs_forward(centres: list[float], language: str) -> bool:
    """Oldest first in the markup: rightward on an English page, leftward on a Persian one."""
    steps = [b - a for a, b in pairwise(centres)]
    return bool(steps) and all(s > 0 if language == "en" else s < 0 for s in steps)


def _title_at_the_start(driver, figure: str, language: str) -> None:  # type: ignore[no-untyped-def]
    svg = driver.find_element("css selector", f"{figure} svg")
    title = svg.find_element("css selector", "text")
    (svg_left, svg_right), (left, right) = driver.execute_script(_BOXES, [svg, title])
    gap = left - svg_left if language == "en" else svg_right - right
    assert 0 <= gap < 40, (figure, language, svg_left, svg_right, left, right)


def _logged_in(driver, base: str) -> None:  # type: ignore[no-untyped-def]
    _log_in(driver, base)
    _wait(driver, lambda d: d.current_url.endswith("/inbox"))


def test_the_burst_chart_runs_the_way_the_page_reads(browser, site, language: str) -> None:  # noqa: F811
    base, ids = site
    _logged_in(browser, base)
    _open(browser, f"{base}/inbox/incident/{ids['incident']}", "chart")
    _title_at_the_start(browser, "#chart", language)
    texts = browser.find_elements("css selector", "#chart svg text")
    scale, hours = texts[1].text, texts[2:]  # the title, the axis's top figure, then the hours
    assert len(hours) >= 3
    assert _runs_forward(_centres(browser, "#chart svg text:nth-of-type(n+3)"), language)
    assert bool(set(scale) & _PERSIAN_DIGITS) == (language == "fa"), scale
    assert scale.strip().isdigit()  # Latin or Persian, a number either way
    assert all(bool(set(h.text) & _PERSIAN_DIGITS) == (language == "fa") for h in hours)


def test_the_dashboard_trends_run_the_way_the_page_reads(browser, site, language: str) -> None:  # noqa: F811
    base, _ = site
    _logged_in(browser, base)
    _open(browser, f"{base}/dashboards?brand=sabzino", "content")
    _wait(browser, lambda d: d.find_elements("css selector", 'figure[data-chart="volume"] a.drill'))
    for chart in ("volume", "voice_trend"):
        figure = f'figure[data-chart="{chart}"]'
        columns = f"{figure} a.drill rect:first-child"  # each day's full-height click target
        assert len(browser.find_elements("css selector", columns)) == 7, chart  # the last 7 days
        assert _runs_forward(_centres(browser, columns), language), chart
        _title_at_the_start(browser, figure, language)
    # the net line links only the days with mentions; its day labels are all drawn
    days = _centres(browser, 'figure[data-chart="net"] svg text')[1:]  # after the title
    assert len(days) == 7 and _runs_forward(days, language), days
    _title_at_the_start(browser, 'figure[data-chart="net"]', language)
    # bars grow away from their labels, which sit where lines start
    label, bar = browser.find_elements("css selector", 'figure[data-chart="themes"] a.drill > *')[:2]
    (label_left, label_right), (bar_left, bar_right) = browser.execute_script(_BOXES, [label, bar])
    if language == "en":
        assert label_right <= bar_left, (label_right, bar_left)
    else:
        assert bar_right <= label_left, (bar_right, label_left)


def test_the_explore_charts_run_the_way_the_page_reads(browser, site, language: str) -> None:  # noqa: F811
    base, _ = site
    _logged_in(browser, base)
    _open(browser, f"{base}/explore?q=brand%3Asabzino&bucket=hour", "content")
    links = 'figure[data-chart="volume"] a.drill rect:first-child'
    _wait(browser, lambda d: len(d.find_elements("css selector", links)) >= 3)
    assert _runs_forward(_centres(browser, links), language)
    for chart in ("volume", "sentiment", "touchpoints"):
        _title_at_the_start(browser, f'figure[data-chart="{chart}"]', language)
