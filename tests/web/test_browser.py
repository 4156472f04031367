"""The inbox in a real browser (headless Debian Chromium through Selenium), served by uvicorn.

Log in; an incident written by another thread (as ``shenava run`` writes it, from its own process)
appears in the open inbox without a reload; acknowledge it; a hostile mention stays text; RTL
layout with real Persian glyphs (the digest's glyph check, tests/digest/test_browser.py); keyboard
only; CSRF refused; login rate-limited.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.models import Incident
from storage.repository import MentionStore
from tests.web.conftest import PASSWORDS, add_people, web_settings
from tests.web.inbox_data import add_incident, fill_inbox
from tests.web.server import serving

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

CHROMIUM = os.environ.get("SHENAVA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)

_MEASURE = """
const done = arguments[arguments.length - 1];
document.fonts.load('20px Vazirmatn').then(() => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '20px Vazirmatn';
  const w = (s) => ctx.measureText(s).width;
  const title = document.querySelector('h1');
  const range = document.createRange();
  range.selectNodeContents(title);
  const text = range.getBoundingClientRect(), box = document.querySelector('main').getBoundingClientRect();
  done({
    direction: getComputedStyle(document.body).direction, lang: document.documentElement.lang,
    vazirmatn: document.fonts.check('20px Vazirmatn'),
    alef: w('\u0627'), sheen: w('\u0634'), tofu: w('\\u0870'),
    word: w('\u0633\u0628\u0632\u06cc\u0646\u0648'),
    letters: ['\u0633','\u0628','\u0632','\u06cc','\u0646','\u0648'].map(w).reduce((a, b) => a + b, 0),
    textRight: text.right, textLeft: text.left, boxRight: box.right, boxLeft: box.left,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  });
});
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("headless Chromium not installed: run `bash scripts/install-system-deps.sh`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def site(engine: Engine, store: MentionStore) -> Iterator[tuple[str, dict[str, int]]]:
    add_people(engine)
    ids = fill_inbox(engine, store)
    app = create_app(web_settings(live_poll_seconds=0.3, login_attempts=3), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        yield base, ids


def _wait(driver, condition, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def look(d):  # type: ignore[no-untyped-def]
        try:
            return condition(d)
        except WebDriverException as error:
            # chromium's word for a stale element, now and then, when the document was replaced
            if "does not belong to the document" in str(error):
                return False
            raise

    # a live refresh may swap the queue's rows between finding one and reading it: look again
    wait = WebDriverWait(
        driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
    )
    return wait.until(look)


def _open(driver, url: str, element_id: str):  # type: ignore[no-untyped-def]
    """Load ``url`` and wait for ``element_id``; a timeout says where the browser is and what it shows."""
    from selenium.common.exceptions import TimeoutException

    driver.get(url)
    try:
        return _wait(driver, lambda d: d.find_element("id", element_id))
    except TimeoutException:
        body = driver.execute_script("return document.body ? document.body.innerText : ''") or ""
        raise AssertionError(f"no #{element_id} at {driver.current_url}: {body[:400]!r}") from None


def _status(driver, key: str) -> str | None:  # type: ignore[no-untyped-def]
    rows = driver.find_elements("css selector", f'tr[data-key="{key}"]')
    return rows[0].get_attribute("data-status") if rows else None


def _fresh(driver, base: str) -> None:  # type: ignore[no-untyped-def]
    driver.get(f"{base}/login")
    driver.delete_all_cookies()


def _log_in(driver, base: str, name: str = "sara", password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _fresh(driver, base)
    driver.get(f"{base}/inbox")  # redirected to the login form
    assert "/login" in driver.current_url
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password or PASSWORDS[name])
    # the answer to the POST must replace this document (the inbox, or the form again with its error)
    # before the test goes on: opening another page at once would cancel the POST and stay logged out.
    # A mark on the window tells the documents apart; an element reference would not (chromium answers
    # "node does not belong to the document" rather than "stale" for a detached form now and then)
    driver.execute_script("window.__beforeLogin = true;")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(
        driver,
        lambda d: d.execute_script("return !window.__beforeLogin && document.readyState === 'complete'"),
    )


def test_log_in_see_an_incident_arrive_live_and_acknowledge_it(browser, site, engine: Engine) -> None:
    from selenium.webdriver.common.by import By

    base, _ = site
    _log_in(browser, base)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    _wait(browser, lambda d: d.find_element(By.ID, "live-status").get_attribute("data-state") == "on")
    browser.execute_script("window.__stillTheSamePage = true;")
    before = len(browser.find_elements(By.CSS_SELECTOR, "tr[data-key]"))
    holder: list[int] = []
    writer = threading.Thread(target=lambda: holder.append(add_incident(engine, "nobank", "critical")))
    writer.start()
    writer.join()
    key = f"incident:{holder[0]}"
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-key="{key}"]'))
    assert browser.execute_script("return window.__stillTheSamePage === true;")  # no reload happened
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[data-key]")) == before + 1
    browser.find_element(By.ID, f"ack-incident-{holder[0]}").click()
    _wait(browser, lambda d: _status(d, key) == "acknowledged")
    with Session(engine) as session:
        row = session.scalars(select(Incident).where(Incident.id == holder[0])).one()
        assert row.status == "acknowledged" and row.acknowledged_by == "sara"


def test_hostile_mention_renders_inert(browser, site) -> None:
    from selenium.webdriver.common.by import By

    base, ids = site
    _log_in(browser, base)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    for url in (f"{base}/inbox", f"{base}/inbox/urgent/{ids['hostile']}"):
        browser.get(url)  # an alert() would leave a dialog open and fail the next command
        assert "pwned" not in browser.title
        assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
        assert browser.find_elements(By.CSS_SELECTOR, "main script") == []
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "<script>" in text and "\u202e" not in text  # shown as text, override removed
        assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"


def test_inbox_is_rtl_with_persian_glyphs(browser, site, tmp_path: Path) -> None:
    base, _ = site
    _log_in(browser, base)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    seen = browser.execute_async_script(_MEASURE)
    assert seen["direction"] == "rtl" and seen["lang"] == "fa" and seen["vazirmatn"], seen
    assert abs(seen["sheen"] - seen["alef"]) > 2, seen  # real glyphs differ in width
    assert abs(seen["sheen"] - seen["tofu"]) > 0.5 and abs(seen["alef"] - seen["tofu"]) > 0.5, seen
    assert seen["word"] < seen["letters"] * 0.95, seen  # letters joined: contextual shaping happened
    # right-aligned: the title starts at the right edge of the content, far from its left edge
    assert seen["boxRight"] - seen["textRight"] < 40 < seen["textLeft"] - seen["boxLeft"], seen
    assert seen["overflow"] <= 0, seen  # nothing pushed off the side (a megabyte mention included)
    shot = tmp_path / "inbox.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("SHENAVA_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


@pytest.mark.parametrize("width", [1280, 400], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    ("page", "shows_the_long_token"),
    [
        ("/inbox", True),
        ("/inbox/urgent/{hostile}", True),
        ("/explore", True),
        ("/inbox/incident/{incident}", False),
        ("/dashboards", False),
        ("/searches", False),
        ("/searches/new", False),
        ("/teams", False),
    ],
)
def test_no_page_is_pushed_wider_than_the_window(
    browser, site, page: str, shows_the_long_token: bool, width: int
) -> None:
    # the hostile mention carries a thousands-character token with no break, and support answers
    # from phones: every page wraps (the queue's rows become cards) instead of scrolling sideways
    base, ids = site
    form = page == "/searches/new"  # an analyst's form, with a size="60" field
    _log_in(browser, base, "ali" if form else "sara")
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    browser.set_window_size(width, 1000)
    try:
        _open(browser, base + page.format(**ids), "search-query" if form else "content")
        assert ("<script>" in browser.find_element("tag name", "main").text) == shows_the_long_token
        wider = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wider <= 0, (page, width, wider)
        if page == "/inbox":  # every row's button is on screen, not past its edge
            buttons = browser.find_elements("css selector", "table.queue button")
            assert buttons
            edges = browser.execute_script(
                "const w = document.documentElement.clientWidth;"
                " return arguments[0].map(b => b.getBoundingClientRect()).map(r => [r.left, r.right, w]);",
                buttons,
            )
            assert all(left >= 0 and right <= client for left, right, client in edges), edges
    finally:
        browser.set_window_size(1280, 1000)


def test_keyboard_only_reaches_and_performs_an_action(browser, site, engine: Engine) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base, ids = site
    _fresh(browser, base)
    browser.get(f"{base}/login")
    keys = ActionChains(browser)
    # the name field has focus on load; Tab to the password, Enter submits
    keys.send_keys("sara", Keys.TAB, PASSWORDS["sara"], Keys.ENTER).perform()
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    target = f"ack-urgent-{ids['question']}"
    for _ in range(80):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.execute_script("return document.activeElement.id") == target:
            break
    else:
        pytest.fail(f"Tab never reached #{target}")
    assert browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    key = f"urgent:{ids['question']}"
    _wait(browser, lambda d: _status(d, key) == "acknowledged")


def test_a_form_without_its_csrf_token_is_refused(browser, site, engine: Engine) -> None:
    from selenium.webdriver.common.by import By

    base, ids = site
    _log_in(browser, base)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))
    _open(browser, f"{base}/inbox/incident/{ids['incident']}", "do-acknowledge")
    browser.execute_script("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove());")
    browser.find_element(By.ID, "do-acknowledge").click()  # found again: a live refresh may redraw it
    message = _wait(browser, lambda d: d.find_elements(By.ID, "error-message"))
    assert "فرم منقضی شده" in message[0].text
    with Session(engine) as session:
        assert session.get(Incident, ids["incident"]).status == "open"


def test_login_is_rate_limited(browser, site) -> None:
    from selenium.webdriver.common.by import By

    base, _ = site
    for _ in range(3):
        _log_in(browser, base, "sara", "wrong-password")
        _wait(browser, lambda d: d.find_elements(By.ID, "login-error"))
    _log_in(browser, base, "sara")  # the right password, too late
    error = _wait(browser, lambda d: d.find_elements(By.ID, "login-error"))
    assert "تلاش‌های ناموفق زیاد بود" in error[0].text
    assert "/login" in browser.current_url
