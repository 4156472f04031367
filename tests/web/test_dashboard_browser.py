"""Issue 13 in a real browser (headless Chromium, as tests/web/test_browser.py): the explore page's
hour/week toggle redraws the volume chart; a results export downloads a CSV that parses; a click
on a brand dashboard's chart lands on explore with the results filtered."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401  (browser is a fixture)
from tests.web.test_explore_browser import _results, site  # noqa: F401  (site: the corpus, served)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def _columns(driver) -> int:  # type: ignore[no-untyped-def]
    return len(driver.find_elements("css selector", 'figure[data-chart="volume"] a.drill'))


def test_hour_and_week_toggle_redraw_the_volume_chart(browser, site: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/explore")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("brand:sabzino")
    box.submit()
    _wait(browser, lambda d: _results(d) == 11)
    assert _columns(browser) == 4  # four local days
    browser.execute_script("window.__samePage = true;")
    browser.find_element(By.CSS_SELECTOR, 'nav.bucket-toggle a[data-bucket="hour"]').click()
    _wait(browser, lambda d: _columns(d) == 11)  # eleven local hours
    assert "bucket=hour" in browser.current_url
    assert browser.execute_script("return window.__samePage === true;")  # htmx swapped, no reload
    browser.find_element(By.CSS_SELECTOR, 'nav.bucket-toggle a[data-bucket="week"]').click()
    _wait(browser, lambda d: _columns(d) == 2)  # two Persian weeks
    # a week's column drills down and keeps the bucket
    week = 'figure[data-chart="volume"] a.drill[href*="2024-11-23"] rect'
    browser.find_element(By.CSS_SELECTOR, week).click()
    _wait(browser, lambda d: _results(d) == 1)  # d1, the one mention of the second week
    assert "bucket=week" in browser.current_url


def test_export_downloads_a_csv(browser, site: str, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/explore?q=brand%3Anobank")
    _wait(browser, lambda d: _results(d) == 2)
    browser.find_element(By.CSS_SELECTOR, 'a.export[data-format="csv"]').click()
    deadline = time.monotonic() + 20
    files: list[Path] = []
    while time.monotonic() < deadline:
        files = [f for f in tmp_path.glob("shenava-mentions-*.csv")]
        if files and not list(tmp_path.glob("*.crdownload")):
            break
        time.sleep(0.2)
    assert files, list(tmp_path.iterdir())
    rows = list(csv.DictReader(io.StringIO(files[0].read_text(encoding="utf-8"))))
    assert sorted(r["external_id"] for r in rows) == ["a4", "c2"]


def test_dashboard_chart_click_drills_into_explore(browser, site: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/dashboards?brand=sabzino&from=1403/08/26&to=1403/09/09")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'figure[data-chart="themes"] svg'))
    bar = browser.find_element(
        By.CSS_SELECTOR, 'figure[data-chart="themes"] a.drill[href*="touchpoint%3Adelivery"] rect'
    )
    bar.click()
    _wait(browser, lambda d: "/explore" in d.current_url and _results(d) > 0)
    assert _results(browser) == 3  # a1, a6, b1: sabzino's negative delivery mentions
    query = browser.find_element(By.NAME, "q").get_attribute("value")
    assert "touchpoint:delivery" in query and "sentiment:negative" in query and "brand:sabzino" in query
