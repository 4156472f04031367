"""In headless Chromium: a suggested reply sent from an Instagram comment's page reaches a local server
speaking the Instagram Graph API (``POST /{ig-comment-id}/replies`` with ``message`` and the token),
and the inbox shows it sent; when the server answers 5xx every time, the failure is shown on the
page and on the queue's row once the retries are spent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from shenava.replies import outbox
from storage.models import Delivery, UrgentAlert
from storage.repository import MentionStore
from tests.web.reply_servers import ReplyServer, reply_server
from tests.web.server import serving
from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401 (its fixture)
from tests.web.test_reply_send import COMMENT_ID, _client, add_answerable

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
TOKEN = "graph-token-1"


@pytest.fixture
def ig_site(
    engine: Engine, store: MentionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, int, ReplyServer, dict[str, object]]]:
    monkeypatch.setenv("SHENAVA_INSTAGRAM_GRAPH_TOKEN", TOKEN)
    ids = add_answerable(engine, store)
    with reply_server() as graph:
        client = _client(engine, tmp_path, graph)
        with serving(client.app) as base:  # type: ignore[arg-type]
            yield base, ids["instagram"], graph, client.app.state.web.reply_senders  # type: ignore[attr-defined]


def _send_first_suggestion(driver, base: str, alert_id: int) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _log_in(driver, base)
    driver.get(f"{base}/inbox/urgent/{alert_id}")
    route = driver.find_element(By.ID, "reply-route").text
    assert "اینستاگرام" in route and "API" in route  # said plainly: it goes out through the API
    text = driver.find_element(By.ID, "reply-text-1").get_attribute("value")
    assert text and "@mina" in text  # the suggestion names the customer
    driver.find_element(By.ID, "send-reply-1").click()
    return text.replace("\r\n", "\n")


def test_graph_api_comment_reply_is_sent_and_shown(
    browser,  # noqa: F811 (the fixture imported above)
    ig_site: tuple[str, int, ReplyServer, dict[str, object]],
    engine: Engine,
) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, alert_id, graph, _ = ig_site
    text = _send_first_suggestion(browser, base, alert_id)
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, '#outbox [data-status="reply_sent"]'))
    [request] = graph.received
    assert request.path == f"/v21.0/{COMMENT_ID}/replies"
    assert request.query == {"message": [text], "access_token": [TOKEN]}
    assert "فرستاده شد" in browser.find_element(By.ID, "outbox").text
    assert "پاسخ داد" in browser.find_element(By.ID, "history").text
    browser.get(f"{base}/inbox")
    # a live refresh may swap the row while it is read: the wait looks again
    row = f'tr[data-key="urgent:{alert_id}"][data-status="acknowledged"]'
    _wait(
        browser,
        lambda d: "فرستاده شد" in d.find_element(By.CSS_SELECTOR, f'{row} [data-reply="reply_sent"]').text,
    )
    with Session(engine) as session:
        alert = session.get(UrgentAlert, alert_id)
        assert alert.details["first_response_at"] and alert.status == "acknowledged"


def test_graph_api_failing_with_5xx_is_visible(
    browser,  # noqa: F811
    ig_site: tuple[str, int, ReplyServer, dict[str, object]],
    engine: Engine,
) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, alert_id, graph, senders = ig_site
    graph.fail_with = [503] * 10
    _send_first_suggestion(browser, base, alert_id)
    pending = '#outbox [data-status="reply_pending"]'
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, pending))
    assert "Instagram: HTTP 503" in browser.find_element(By.ID, "outbox").text
    # the scheduler's later rounds (its clock moved past each backoff) until the attempts are spent
    later = datetime.now(UTC)
    for _ in range(6):
        later += timedelta(minutes=11)
        outbox.send_due(engine, senders, now=later)  # type: ignore[arg-type]
    assert len(graph.received) == 5  # web.reply_max_attempts: tried five times, then given up
    with Session(engine) as session:
        row = session.scalars(select(Delivery).where(Delivery.channel == "reply:instagram")).one()
        assert row.status == outbox.FAILED and row.attempts == 5
        assert session.get(UrgentAlert, alert_id).details.get("first_response_at") is None
    browser.get(f"{base}/inbox/urgent/{alert_id}")
    failed = browser.find_element(By.CSS_SELECTOR, '#outbox [data-status="reply_failed"]')
    assert "ناموفق" in failed.text and "Instagram: HTTP 503" in failed.text
    browser.get(f"{base}/inbox")
    row = f'tr[data-key="urgent:{alert_id}"]'
    _wait(
        browser,
        lambda d: "ناموفق" in d.find_element(By.CSS_SELECTOR, f'{row} [data-reply="reply_failed"]').text,
    )
