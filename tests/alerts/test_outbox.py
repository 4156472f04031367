"""The outbox: stored before sending, retried with backoff, never sent twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.events import UrgentMention
from alerts.notifiers import Notifier, SlackNotifier, TelegramNotifier, WebhookNotifier
from alerts.notifiers.webhook import DELIVERY_HEADER
from alerts.outbox import Outbox, backoff_delay, enqueue
from alerts.settings import OutboxSettings
from storage.models import Delivery
from tests.alerts.processes import run_side_by_side
from tests.alerts.servers import (
    Received,
    ScriptedServer,
    json_reply,
    slack_webhook,
    telegram_bot_api,
    telegram_too_many_requests,
    text_reply,
)

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
SETTINGS = OutboxSettings(base_delay_s=30, max_delay_s=600, max_attempts=5, claim_timeout_s=120)


def _event(n: int) -> UrgentMention:
    return UrgentMention(
        brand="sabzino",
        severity="high",
        at=NOW,
        urgent_id=n,
        mention_id=n,
        reasons=["crisis_words"],
        text=f"کلاهبرداری {n}",
        author=f"u{n}",
    )


def _enqueue(engine: Engine, count: int, channel: str) -> None:
    with Session(engine) as session, session.begin():
        for n in range(1, count + 1):
            enqueue(session, _event(n), [(channel, channel, NOW)], NOW)


def _rows(engine: Engine) -> list[Delivery]:
    with Session(engine) as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


@pytest.fixture
def webhook() -> Iterator[ScriptedServer]:
    server = ScriptedServer(lambda request: json_reply(200, {"ok": True}))
    yield server
    server.close()


def _keys(server: ScriptedServer) -> Counter[str]:
    return Counter(r.headers[DELIVERY_HEADER.lower()] for r in server.accepted)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, SETTINGS, rng) for n in range(1, 8)]
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60 and 60 <= delays[2] <= 120
    assert all(300 <= d <= 600 for d in delays[5:])


def test_enqueue_twice_stores_one_row(engine: Engine) -> None:
    _enqueue(engine, 2, "hook")
    _enqueue(engine, 2, "hook")
    assert [r.dedup_key for r in _rows(engine)] == ["urgent:1->hook", "urgent:2->hook"]
    assert all(r.status == "pending" and r.payload["kind"] == "urgent_mention" for r in _rows(engine))


def test_outage_is_retried_with_backoff_then_delivered_once(engine: Engine) -> None:
    slack = ScriptedServer(slack_webhook)
    slack.script.extend([text_reply(500, "internal_error"), text_reply(503, "unavailable")])
    try:
        outbox = Outbox(engine, {"slack": SlackNotifier("slack", webhook_url=slack.url)}, SETTINGS)
        _enqueue(engine, 1, "slack")
        first = outbox.dispatch(NOW)
        (row,) = _rows(engine)
        assert first.retried == 1 and row.status == "pending" and row.attempts == 1
        assert NOW + timedelta(seconds=15) <= row.next_attempt_at <= NOW + timedelta(seconds=30)
        assert "500" in (row.last_error or "")
        assert outbox.dispatch(NOW + timedelta(seconds=1)).retried == 0  # not due yet
        second = outbox.dispatch(NOW + timedelta(seconds=31))
        (row,) = _rows(engine)
        assert second.retried == 1 and row.attempts == 2
        assert row.next_attempt_at >= NOW + timedelta(seconds=31 + 30)
        third = outbox.dispatch(NOW + timedelta(minutes=5))
        assert third.sent == 1
        assert outbox.dispatch(NOW + timedelta(days=1)).sent == 0
        (row,) = _rows(engine)
        assert row.status == "sent" and row.sent_at == NOW + timedelta(minutes=5) and row.last_error is None
        assert len(slack.received) == 3 and len(slack.accepted) == 1
    finally:
        slack.close()


def test_channel_down_loses_nothing(engine: Engine, webhook: ScriptedServer) -> None:
    down = WebhookNotifier("hook", url="http://127.0.0.1:9/unreachable", secret="s", timeout_s=1)
    _enqueue(engine, 3, "hook")
    slow = Outbox(engine, {"hook": down}, SETTINGS).dispatch(NOW)
    # One try per pass for a failing channel; the other rows wait with it, untried and unharmed.
    assert (slow.retried, slow.deferred) == (1, 2) and "unreachable" in slow.errors[0]
    rows = _rows(engine)
    assert [r.attempts for r in rows] == [1, 0, 0] and {r.status for r in rows} == {"pending"}
    assert len({r.next_attempt_at for r in rows}) == 1
    # The channel is back (a new process with the working endpoint):
    back = Outbox(engine, {"hook": WebhookNotifier("hook", url=webhook.url, secret="s")}, SETTINGS)
    assert back.dispatch(NOW + timedelta(hours=1)).sent == 3
    assert _keys(webhook) == Counter({f"urgent:{n}->hook": 1 for n in (1, 2, 3)})


def test_telegram_429_waits_as_long_as_asked(engine: Engine) -> None:
    token = "1:tok"
    telegram = ScriptedServer(telegram_bot_api(token))
    telegram.script.append(telegram_too_many_requests(300))
    try:
        notifier = TelegramNotifier("tg", token=token, chat_id="-100", base_url=telegram.url)
        _enqueue(engine, 3, "tg")
        outbox = Outbox(engine, {"tg": notifier}, SETTINGS)
        first = outbox.dispatch(NOW)
        assert (first.retried, first.deferred, len(telegram.received)) == (1, 2, 1)  # no hammering
        assert all(r.next_attempt_at >= NOW + timedelta(seconds=300) for r in _rows(engine))
        assert outbox.dispatch(NOW + timedelta(seconds=200)).sent == 0
        assert outbox.dispatch(NOW + timedelta(seconds=301)).sent == 3
        assert len(telegram.accepted) == 3
    finally:
        telegram.close()


def test_permanent_error_and_exhausted_retries_fail_the_row(engine: Engine) -> None:
    slack = ScriptedServer(lambda request: text_reply(500, "internal_error"))
    slack.script.append(text_reply(404, "no_service"))
    try:
        _enqueue(engine, 2, "slack")
        settings = OutboxSettings(base_delay_s=1, max_delay_s=1, max_attempts=2)
        outbox = Outbox(engine, {"slack": SlackNotifier("slack", webhook_url=slack.url)}, settings)
        first = outbox.dispatch(NOW)
        assert first.failed == 1 and first.retried == 1
        assert first.failures[0].channel == "slack" and "404" in first.failures[0].error
        second = outbox.dispatch(NOW + timedelta(seconds=5))
        assert second.failed == 1
        assert [r.status for r in _rows(engine)] == ["failed", "failed"]
        assert outbox.dispatch(NOW + timedelta(days=1)).failed == 0
        assert len(slack.received) == 3
    finally:
        slack.close()


def test_unknown_channel_waits_instead_of_dropping(engine: Engine) -> None:
    _enqueue(engine, 1, "telegram-oncall")
    report = Outbox(engine, {}, SETTINGS).dispatch(NOW)
    assert report.retried == 1 and "not configured" in report.errors[0]


class _Crash(BaseException):
    """Stands for the process being killed (not an Exception: nothing may catch it)."""


class _DiesOnThirdSend(Notifier):
    type = "webhook"

    def __init__(self, inner: Notifier) -> None:
        super().__init__(inner.name)
        self.inner, self.calls = inner, 0

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        self.calls += 1
        if self.calls == 3:
            raise _Crash
        self.inner.send(event, delivery_key=delivery_key)


def test_restart_mid_dispatch_sends_nothing_twice(engine: Engine, webhook: ScriptedServer) -> None:
    _enqueue(engine, 5, "hook")
    real = WebhookNotifier("hook", url=webhook.url, secret="s")
    with pytest.raises(_Crash):
        Outbox(engine, {"hook": _DiesOnThirdSend(real)}, SETTINGS).dispatch(NOW)
    assert sum(_keys(webhook).values()) == 2
    restarted = Outbox(engine, {"hook": real}, SETTINGS)
    # The dead dispatcher's claimed rows wait for their lease to expire, then go out once.
    assert restarted.dispatch(NOW + timedelta(seconds=1)).sent == 0
    assert restarted.dispatch(NOW + timedelta(seconds=121)).sent == 3
    assert restarted.dispatch(NOW + timedelta(hours=1)).sent == 0
    assert _keys(webhook) == Counter({f"urgent:{n}->hook": 1 for n in range(1, 6)})


def _slow_ok(request: Received) -> tuple[int, dict[str, str], bytes]:
    time.sleep(0.01)  # keeps both dispatchers busy at the same time
    return json_reply(200, {"ok": True})


def test_two_dispatchers_never_send_one_row_twice(db_url: str, engine: Engine) -> None:
    webhook = ScriptedServer(_slow_ok)
    _enqueue(engine, 24, "hook")
    notifier = WebhookNotifier("hook", url=webhook.url, secret="s")
    reports = run_side_by_side(
        db_url, lambda own: Outbox(own, {"hook": notifier}, OutboxSettings(batch_size=4)).dispatch(NOW)
    )
    assert sum(r.sent for r in reports) == 24
    assert _keys(webhook) == Counter({f"urgent:{n}->hook": 1 for n in range(1, 25)})
    assert all(r.status == "sent" for r in _rows(engine))
    webhook.close()
