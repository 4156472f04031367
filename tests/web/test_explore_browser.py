"""The explore page in a real browser (headless Chromium, as tests/web/test_browser.py): run a
boolean query, see the charts, click a bar and see the results filtered (htmx swaps them in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.repository import MentionStore
from tests.archive.corpus import save_corpus
from tests.web.conftest import add_people, web_settings
from tests.web.server import serving
from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def site(engine: Engine, store: MentionStore) -> Iterator[str]:
    add_people(engine)
    save_corpus(store)
    app = create_app(web_settings(), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        yield base


def _results(driver) -> int:  # type: ignore[no-untyped-def]
    return len(driver.find_elements("css selector", "li.result"))


def test_query_charts_and_drill_down(browser, site: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/explore")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("سبزینو OR نوبانک -lang:en")
    box.submit()
    _wait(browser, lambda d: _results(d) == 12)  # 10 with سبزینو + a4, c2 (نوبانک)
    for chart in ("volume", "sentiment", "touchpoints", "authors_volume", "source"):
        assert browser.find_elements(By.CSS_SELECTOR, f'figure[data-chart="{chart}"] svg'), chart
    browser.execute_script("window.__samePage = true;")
    bar = browser.find_element(By.CSS_SELECTOR, 'figure[data-chart="source"] a.drill[href*="instagram"] rect')
    bar.click()
    _wait(browser, lambda d: _results(d) == 1)  # a4, the one Instagram mention
    assert "source%3Ainstagram" in browser.current_url or "source:instagram" in browser.current_url
    assert (
        browser.find_element(By.NAME, "q").get_attribute("value")
        == "(سبزینو OR نوبانک -lang:en) source:instagram"
    )
