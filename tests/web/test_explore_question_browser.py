"""Issue 13's question, asked in a real browser as an analyst would: «what were people complaining about
for Sabzino last Thursday evening, compared with the Thursday before, and who were the loudest accounts?»

One query for the evening (a Jalali day with Tehran clock times), the compare box for the week before;
the page shows both side by side: their results, touchpoints and top authors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.repository import MentionStore
from tests.archive.corpus import _m, save_corpus
from tests.web.conftest import add_people, web_settings
from tests.web.server import serving
from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

# Thursday 1405/07/16 = 2026-10-08; Tehran is UTC+3:30, so 18:00 there is 14:30 UTC
THURSDAY = datetime(2026, 10, 8, 14, 30, tzinfo=UTC)
BEFORE = THURSDAY - timedelta(days=7)  # Thursday 1405/07/09
EVENING = "brand:sabzino sentiment:negative date:{day}T18:00..{day}T23:59"


def _archive() -> list[dict]:
    late = "سفارشم از سبزینو دو ساعته نرسیده، پیک هم جواب نمیده"
    rows = [
        _m(f"t{i}", f"{late} ({i})", THURSDAY + timedelta(minutes=20 * i), ["sabzino"], "negative",
           aspects=("delivery",), author="loud_one", followers=40_000)
        for i in range(3)
    ]  # fmt: skip
    rows += [
        _m("t3", "ارسال سبزینو امشب افتضاح بود، غذا یخ کرده رسید", THURSDAY + timedelta(hours=2),
           ["sabzino"], "negative", aspects=("delivery",), author="quiet_one", followers=90),
        _m("t4", "سبزینو امشب عالی بود", THURSDAY + timedelta(hours=1), ["sabzino"], "positive",
           author="happy"),  # praise: not a complaint
        _m("t5", "صبح سبزینو دیر آورد", THURSDAY - timedelta(hours=8), ["sabzino"], "negative",
           aspects=("delivery",), author="morning"),  # the same day, not the evening
        _m("b0", "پرداخت سبزینو دوبار از کارتم کم کرد", BEFORE + timedelta(hours=1), ["sabzino"],
           "negative", aspects=("payment",), author="card_user", followers=500),
        _m("b1", "پولم برنگشت سبزینو، درگاه پرداخت خطا داد", BEFORE + timedelta(hours=3), ["sabzino"],
           "negative", aspects=("payment",), author="card_user", followers=500),
    ]  # fmt: skip
    return rows


@pytest.fixture
def site(engine: Engine, store: MentionStore) -> Iterator[str]:
    add_people(engine)
    save_corpus(store, _archive())
    app = create_app(web_settings(), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        yield base


def test_thursday_evening_against_the_thursday_before(browser, site: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/explore")
    browser.find_element(By.NAME, "q").send_keys(EVENING.format(day="1405/07/16"))
    browser.find_element(By.NAME, "q2").send_keys(EVENING.format(day="1405/07/09"))
    browser.find_element(By.CSS_SELECTOR, "form.explore-query button[type=submit]").click()
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "section.explore-view")) == 2)

    def view(i: int) -> dict[str, object]:
        section = browser.find_elements(By.CSS_SELECTOR, "section.explore-view")[i]
        chart = {
            name: section.find_element(By.CSS_SELECTOR, f'figure[data-chart="{name}"]').text
            for name in ("touchpoints", "authors_volume")
        }
        ids = [li.get_attribute("data-id") for li in section.find_elements(By.CSS_SELECTOR, "li.result")]
        return {"results": len(ids), **chart}

    thursday, before = _wait(browser, lambda d: [view(0), view(1)])
    assert thursday["results"] == 4 and before["results"] == 2, (thursday, before)
    assert "ارسال" in thursday["touchpoints"] and "پرداخت" not in thursday["touchpoints"]
    assert "پرداخت" in before["touchpoints"] and "ارسال" not in before["touchpoints"]
    loudest = thursday["authors_volume"].split("\n")
    assert any("loud_one" in line for line in loudest[:3]), loudest  # three of the four complaints
    assert "card_user" in before["authors_volume"]
