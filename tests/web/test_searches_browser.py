"""Saved searches in a real browser (headless Chromium, as tests/web/test_browser.py): an analyst
saves a search with an hourly threshold rule, a mention file is replayed through the pipeline,
and the alert arrives in the inbox (live) with its Persian message in the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from listeners.replay import ReplayListener
from nlp.analyzer import Analyzer
from nlp.normalize import normalize_for_search
from nlp.sentiment import LexiconFallbackSentimentModel
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.service.listener_job import ListenerJob
from shenava.service.pipeline import Pipeline
from storage.models import Delivery, UrgentAlert
from storage.repository import MentionStore
from tests.web.conftest import add_people, web_settings
from tests.web.server import serving
from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

#: 18:00 Tehran time: the four complaints fall in one hour, the praise matches nothing
START = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
LINES = [
    ("سفارشم از سبزینو دیر رسید", 3), ("سبزینو باز هم دیر آورد", 9), ("سبزینو عالی بود", 15),
    ("سبزینو دیر کرد و غذا سرد بود", 21), ("ارسال سبزینو خیلی دیر شد", 40),
]  # fmt: skip


def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    return web_settings(live_poll_seconds=0.3).model_copy(
        update={"notifications": web_settings().notifications.model_validate(
            {"channels": [{"type": "file", "name": "file", "path": str(tmp_path / "alerts.jsonl")}]}
        )}
    )  # fmt: skip


@pytest.fixture
def site(engine: Engine, tmp_path: Path) -> Iterator[str]:
    add_people(engine)
    normalize_for_search("سبزینو")  # loads the normaliser (a cold first query can outlast a page load)
    with serving(create_app(settings(tmp_path), engine, ApiKeyRing.parse(""))) as base:
        yield base


def replay(engine: Engine, tmp_path: Path) -> None:
    """``shenava run --replay FILE`` in miniature: the file through the listener job and pipeline."""
    path = tmp_path / "complaints.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n, (text, minute) in enumerate(LINES):
            at = (START + timedelta(minutes=minute)).isoformat()
            record = {
                "id": f"c{n}",
                "source": "x",
                "text": text,
                "author": f"u{n}",
                "author_followers": 120,
                "created_at": at,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    config = settings(tmp_path)
    analyzer = Analyzer(LexiconFallbackSentimentModel(), brands=config.brands)
    pipeline = Pipeline(MentionStore(engine), analyzer, AlertEngine(config, engine))
    listener = ReplayListener("replay:complaints", path, speed=1e9, batch_size=2)
    job = ListenerJob(listener, pipeline)
    for _ in range(10):
        job()
        if listener.exhausted:
            break
    assert listener.exhausted


def test_save_a_search_with_an_hourly_rule_and_see_its_alert_in_the_inbox(
    browser,  # noqa: F811
    site: str,
    engine: Engine,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _log_in(browser, site, "ali")
    _wait(browser, lambda d: "/login" not in d.current_url)
    browser.get(f"{site}/explore?q=brand:sabzino%20%D8%AF%DB%8C%D8%B1")  # «دیر»: late
    browser.find_element(By.CSS_SELECTOR, "p.save-search a").click()  # "save this search"
    _wait(browser, lambda d: "/searches/new" in d.current_url)
    assert browser.find_element(By.ID, "search-query").get_attribute("value") == "brand:sabzino دیر"
    browser.find_element(By.ID, "search-name").send_keys("دیرکرد سبزینو")
    Select(browser.find_element(By.ID, "search-sharing")).select_by_value("everyone")
    browser.find_element(By.ID, "rule-enabled").click()
    browser.find_element(By.ID, "rule-per-hour").send_keys("3")
    browser.find_element(By.ID, "search-save").click()
    _wait(browser, lambda d: "/searches?saved=" in d.current_url)
    row = browser.find_element(By.CSS_SELECTOR, "tr.search")
    assert "دیرکرد سبزینو" in row.text and "≥ ۳ اشاره در ساعت" in row.text

    browser.get(f"{site}/inbox")
    _wait(browser, lambda d: d.find_element(By.ID, "live-status").get_attribute("data-state") == "on")
    browser.execute_script("window.__samePage = true;")
    replay(engine, tmp_path)

    with Session(engine) as session:
        alert = session.scalars(
            select(UrgentAlert).where(UrgentAlert.conversation_key.startswith("saved-search:"))
        ).one()
        (delivery,) = session.scalars(select(Delivery).where(Delivery.event_kind == "saved_search_alert"))
        quoted = alert.mention.text
    assert alert.mention_count == 3 and quoted == "سبزینو دیر کرد و غذا سرد بود"  # the 3rd match by time
    key = f"urgent:{alert.id}"
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-key="{key}"]'))  # live, no reload
    assert browser.execute_script("return window.__samePage === true;")
    assert quoted in browser.find_element(By.CSS_SELECTOR, f'tr[data-key="{key}"]').text
    assert "جستجوی ذخیره‌شدهٔ «دیرکرد سبزینو» هشدار داد" in delivery.payload["message"]

    browser.get(f"{site}/inbox/urgent/{alert.id}")
    assert "جستجوی ذخیره‌شده" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    browser.get(f"{site}/searches")
    fired = browser.find_element(By.CSS_SELECTOR, f'tr.search a[href="/inbox/urgent/{alert.id}"]')
    assert "آذر" in fired.text  # the hour it fired for, in Jalali
