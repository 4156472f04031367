"""In headless Chromium: a suggested reply sent from an urgent mention's page reaches a local server
speaking X API v2 (text and in_reply_to_tweet_id checked), and a mention's sentiment is corrected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.models import Mention, UrgentAlert
from storage.repository import MentionStore
from tests.web.reply_servers import ReplyServer, reply_server
from tests.web.server import serving
from tests.web.test_browser import _log_in, _open, _wait, browser  # noqa: F401 (its fixture)
from tests.web.test_reply_send import TWEET_ID, _client, add_answerable

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


@pytest.fixture
def x_site(
    engine: Engine, store: MentionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, dict[str, int], ReplyServer]]:
    monkeypatch.setenv("SHENAVA_X_USER_TOKEN", "user-token-1")
    ids = add_answerable(engine, store)
    with reply_server() as x, serving(_client(engine, tmp_path, x).app) as base:  # type: ignore[arg-type]
        yield base, ids, x


def test_send_a_suggested_reply_to_x_and_correct_sentiment(
    browser,  # noqa: F811 (the fixture imported above)
    x_site: tuple[str, dict[str, int], ReplyServer],
    engine: Engine,
) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, ids, x = x_site
    _log_in(browser, base)
    _wait(browser, lambda d: d.current_url.endswith("/inbox"))  # the login's POST is done
    box = _open(browser, f"{base}/inbox/urgent/{ids['x']}", "reply-text-1")
    text = box.get_attribute("value")
    assert text and text.startswith("@reza")
    # a Persian reply opens right to left although its first letters are the customer's Latin handle
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", box) == "rtl"
    browser.find_element(By.ID, "send-reply-1").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, '#outbox [data-status="reply_sent"]'))
    [request] = x.received
    assert request.body == {"text": text.replace("\r\n", "\n"), "reply": {"in_reply_to_tweet_id": TWEET_ID}}
    with Session(engine) as session:
        alert = session.get(UrgentAlert, ids["x"])
        assert alert.details["first_response_at"] and alert.status == "acknowledged"
        mention_id = alert.mention_id
    browser.find_element(By.CSS_SELECTOR, "details.correct summary").click()
    Select(browser.find_element(By.ID, f"correct-sentiment-{mention_id}")).select_by_value("positive")
    browser.find_element(By.ID, f"do-correct-{mention_id}").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-sentiment="positive"]'))
    with Session(engine) as session:
        assert session.get(Mention, mention_id).sentiment_label == "positive"
