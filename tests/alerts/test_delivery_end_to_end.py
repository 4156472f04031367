"""From stored mentions to a Telegram chat and a mailbox: a spike pages once, through an outage."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from alerts.engine import AlertEngine
from storage.repository import MentionStore
from tests.alerts.builders import T0, seed_background, seed_burst
from tests.alerts.conftest import make_settings
from tests.alerts.servers import ScriptedServer, json_reply, telegram_bot_api
from tests.ports import free_port

TOKEN = "4242:e2e-token"
SPIKE = T0 + timedelta(days=2, hours=10)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def test_spike_reaches_telegram_and_email_once_despite_an_outage(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHENAVA_E2E_TG_TOKEN", TOKEN)
    telegram = ScriptedServer(telegram_bot_api(TOKEN))
    telegram.script.extend([json_reply(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})])
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        settings = make_settings(
            tmp_path,
            notifications={
                "channels": [
                    {
                        "type": "telegram",
                        "name": "support-tg",
                        "chat_id": "-1001",
                        "base_url": telegram.url,
                        "bot_token_env": "SHENAVA_E2E_TG_TOKEN",
                    },
                    {
                        "type": "email",
                        "name": "oncall-mail",
                        "host": "127.0.0.1",
                        "port": smtp.port,
                        "security": "none",
                        "sender": "alerts@shenava.test",
                        "recipients": ["oncall@shenava.test"],
                    },
                ],
                "routes": [{"channels": ["support-tg", "oncall-mail"], "events": ["incident_opened"]}],
            },
        )
        store = MentionStore(sqlite_engine)
        seed_background(store, days=2.6)
        seed_burst(store, SPIKE)
        clock = {"now": SPIKE}
        alerts = AlertEngine(settings, sqlite_engine, clock=lambda: clock["now"])
        opened = [e for e in alerts.detect(SPIKE + timedelta(minutes=40)) if e.kind == "incident_opened"]
        assert len(opened) == 1

        first = alerts.dispatch(SPIKE + timedelta(minutes=40))
        assert (first.sent, first.retried) == (1, 1)  # mail went out, Telegram was down
        # A restart: a new engine (new process) takes over the outbox.
        restarted = AlertEngine(settings, sqlite_engine)
        assert restarted.dispatch(SPIKE + timedelta(minutes=40, seconds=1)).sent == 0  # backing off
        assert restarted.dispatch(SPIKE + timedelta(hours=1)).sent == 1
        assert restarted.dispatch(SPIKE + timedelta(days=1)).sent == 0
        restarted.detect(SPIKE + timedelta(hours=3))  # the rest of the burst: no second page
        assert restarted.dispatch(SPIKE + timedelta(days=2)).sent == 0
    finally:
        smtp.stop()
        telegram.close()

    (accepted,) = telegram.accepted
    text = accepted.json()["text"]
    # the brand by its Persian name, not its code (issue 12: «Urgent mention of nobank»), and the
    # link to the incident's page in the web inbox
    assert "سبزینو" in text and "نرسیده" in text and "https://x.com/" in text
    assert "/inbox/incident/" in text
    (raw,) = inbox.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    html = message.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "نرسیده" in html
    assert message["X-Shenava-Delivery"] == f"incident:{opened[0].incident_id}:opened->oncall-mail"
