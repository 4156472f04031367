"""In headless Chromium: an SLA is breached while the inbox is open — the row moves to the top
saying «گذشته» without a reload, the escalation reaches the brand's escalation channel (a local
webhook server checking the real signed request) exactly once, its link opens the item, and
acknowledging it late records the breach against the agent (issue 12 item 6)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.notifiers import build_notifiers
from alerts.notifiers.webhook import verify_signature
from alerts.outbox import Outbox
from alerts.sla_tracker import SlaTracker
from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.models import Incident
from storage.sla_records import BREACHED, SlaRecord
from tests.alerts.builders import stored_incident
from tests.alerts.servers import Received, ScriptedServer, json_reply
from tests.web.conftest import add_people
from tests.web.server import serving
from tests.web.test_browser import _log_in, _wait, browser  # noqa: F401 (its fixture)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
SECRET = "sla-browser-secret"


def sla_settings(hook: str, public_url: str = "http://127.0.0.1/") -> Settings:
    return Settings(
        brands=[BrandSettings(name="sabzino", aliases_fa=["سبزینو"]), BrandSettings(name="nobank")],
        notifications={
            "channels": [
                {"type": "webhook", "name": "lead", "url": hook, "secret_env": "SLA_BROWSER_SECRET"},
                {"type": "file", "name": "file", "path": "/dev/null"},
            ],
            "routes": [{"channels": ["file"]}],
        },
        sla={"brands": {"sabzino": {"escalate_to": ["lead"]}}},
        web={"live_poll_seconds": 0.3, "public_url": public_url},
    )


@pytest.fixture
def hook() -> Iterator[ScriptedServer]:
    def respond(request: Received) -> tuple[int, dict[str, str], bytes]:
        headers = request.headers
        ok = verify_signature(
            SECRET, request.body, headers["x-shenava-timestamp"], headers["x-shenava-signature"]
        )
        return json_reply(200 if ok else 401, {"ok": ok})

    server = ScriptedServer(respond)
    yield server
    server.close()


def test_breach_is_shown_live_and_escalated_once(
    browser,  # noqa: F811 (the fixture imported above)
    engine: Engine,
    hook: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    monkeypatch.setenv("SLA_BROWSER_SECRET", SECRET)
    add_people(engine)
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        late = stored_incident(session, raised=now - timedelta(days=3), brand="sabzino")
        late.severity = "low"
        fresh = stored_incident(session, raised=now, brand="sabzino")
        fresh.severity = "critical"
        late_id, fresh_id = late.id, fresh.id
    app = create_app(sla_settings(f"{hook.url}/escalate"), engine, ApiKeyRing.parse(""))
    with serving(app) as base:
        settings = sla_settings(f"{hook.url}/escalate", base)  # the messages link to this inbox
        _log_in(browser, base)
        _wait(browser, lambda d: d.current_url.endswith("/inbox"))
        _wait(browser, lambda d: d.find_element(By.ID, "live-status").get_attribute("data-state") == "on")
        browser.execute_script("window.__stillTheSamePage = true;")
        rows = _wait(  # (the first live refresh may swap the rows while they are read)
            browser,
            lambda d: [r.get_attribute("data-key") for r in d.find_elements(By.CSS_SELECTOR, "tr[data-key]")],
        )
        assert rows[0] == f"incident:{fresh_id}"  # no SLA record yet: the critical one first
        assert browser.find_elements(By.CSS_SELECTOR, ".sla") == []

        # `shenava run`'s SLA job (another thread, as another process would): deadlines, the breach,
        # the escalation queued; then the dispatch job sends it
        tracker = SlaTracker.from_settings(settings, engine)
        passes = [threading.Thread(target=tracker.run) for _ in range(2)]
        for job in passes:
            job.start()
            job.join()
        outbox = Outbox(engine, build_notifiers(settings.notifications)[0], settings.notifications.outbox)
        assert outbox.dispatch().sent == 1

        key = f"incident:{late_id}"
        cell = f"sla-incident-{late_id}"
        _wait(browser, lambda d: d.find_elements(By.ID, cell))
        assert browser.execute_script("return window.__stillTheSamePage === true;")  # no reload
        assert _wait(browser, lambda d: d.find_element(By.ID, cell).get_attribute("data-sla")) == "overdue"
        assert _wait(browser, lambda d: d.find_element(By.ID, cell).text) == "گذشته"
        rows = _wait(
            browser,
            lambda d: [r.get_attribute("data-key") for r in d.find_elements(By.CSS_SELECTOR, "tr[data-key]")],
        )
        assert rows[:2] == [key, f"incident:{fresh_id}"]  # the overdue deadline first, though low
        assert "مانده" in _wait(browser, lambda d: d.find_element(By.ID, f"sla-incident-{fresh_id}").text)
        assert (
            _wait(browser, lambda d: d.find_element(By.ID, "sla-panel").get_attribute("data-overdue")) == "1"
        )
        assert "۱ مورد از مهلت گذشته" in _wait(browser, lambda d: d.find_element(By.ID, "sla-overdue").text)

        # delivered exactly once, with the Persian message and the link to the item's page
        tracker.run()
        assert outbox.dispatch().sent == 0
        [request] = hook.accepted
        body = request.json()
        assert request.path == "/escalate" and body["kind"] == "sla_incident_breached"
        assert "مهلت پاسخ به رخداد" in body["title"] and "گذشت" in body["title"]
        assert body["link"] == f"{base}/inbox/incident/{late_id}"

        browser.get(body["link"])
        deadline = browser.find_element(By.ID, "item-sla")  # the page says the deadline it missed
        assert deadline.get_attribute("data-sla") == "overdue" and "گذشته" in deadline.text
        history = browser.find_element(By.ID, "history").text
        assert "مهلت پاسخ گذشت؛ به مسیر پیگیری فرستاده شد" in history
        browser.find_element(By.ID, "do-acknowledge").click()
        _wait(browser, lambda d: _acknowledged_by(engine, late_id) == "sara")  # the form's POST is done
        tracker.run()
        with Session(engine) as session:
            assert session.get(Incident, late_id).acknowledged_by == "sara"
            record = session.scalars(select(SlaRecord).where(SlaRecord.item_id == late_id)).one()
            assert (record.outcome, record.agent, record.escalated_to) == (BREACHED, "sara", ["lead"])
        browser.get(f"{base}/inbox")
        # (a live refresh may swap the row while it is read: _wait looks again)
        sla = f"sla-incident-{late_id}"
        _wait(browser, lambda d: d.find_element(By.ID, sla).get_attribute("data-sla") == "late")
        assert _wait(browser, lambda d: d.find_element(By.ID, sla).text) == "دیرتر از مهلت پاسخ داده شد"
        assert len(hook.received) == 1


def _acknowledged_by(engine: Engine, incident_id: int) -> str | None:
    with Session(engine) as session:
        return session.get(Incident, incident_id).acknowledged_by  # type: ignore[union-attr]
