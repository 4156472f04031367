"""Notifiers against local servers speaking the real protocols (HTTP, SMTP via aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from alerts.notifiers import (
    DeliveryError,
    EmailNotifier,
    SlackNotifier,
    TelegramNotifier,
    WebhookNotifier,
    build_notifier,
)
from alerts.notifiers.webhook import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from alerts.settings import TelegramChannel
from domain.errors import NotConfigured
from tests.alerts.events_fixtures import incident_event, urgent_event
from tests.alerts.servers import (
    Received,
    ScriptedServer,
    SmtpInbox,
    closed_port,
    json_reply,
    self_signed_cert,
    slack_webhook,
    smtp_server,
    telegram_bot_api,
    telegram_too_many_requests,
    text_reply,
)

TOKEN = "123456:ABC-test-token"
SECRET = "whsec-test"


@pytest.fixture
def telegram() -> Iterator[ScriptedServer]:
    server = ScriptedServer(telegram_bot_api(TOKEN))
    yield server
    server.close()


@pytest.fixture
def slack() -> Iterator[ScriptedServer]:
    server = ScriptedServer(slack_webhook)
    yield server
    server.close()


def _verifying(request: Received) -> tuple[int, dict[str, str], bytes]:
    ok = verify_signature(
        SECRET,
        request.body,
        request.headers.get(TIMESTAMP_HEADER.lower(), ""),
        request.headers.get(SIGNATURE_HEADER.lower(), ""),
    )
    return json_reply(200 if ok else 401, {"ok": ok})


@pytest.fixture
def hook() -> Iterator[ScriptedServer]:
    server = ScriptedServer(_verifying)
    yield server
    server.close()


def test_telegram_sends_html_message(telegram: ScriptedServer) -> None:
    notifier = TelegramNotifier("tg", token=TOKEN, chat_id="-1001", base_url=telegram.url)
    notifier.send(incident_event(), delivery_key="k1")
    body = telegram.accepted[0].json()
    assert body["chat_id"] == "-1001" and body["parse_mode"] == "HTML"
    assert "&lt;script&gt;" in body["text"] and "<script>" not in body["text"]


def test_telegram_429_honours_retry_after(telegram: ScriptedServer) -> None:
    telegram.script.append(telegram_too_many_requests(7))
    notifier = TelegramNotifier("tg", token=TOKEN, chat_id="-1001", base_url=telegram.url)
    with pytest.raises(DeliveryError) as info:
        notifier.send(urgent_event(), delivery_key="k")
    assert info.value.retryable and info.value.retry_after == 7


def test_telegram_wrong_token_is_permanent_and_never_leaks_the_token(telegram: ScriptedServer) -> None:
    notifier = TelegramNotifier("tg", token="999:WRONG", chat_id="-1001", base_url=telegram.url)
    with pytest.raises(DeliveryError) as info:
        notifier.send(urgent_event(), delivery_key="k")
    assert not info.value.retryable and "401" in str(info.value)
    assert "999:WRONG" not in str(info.value)


def test_telegram_down_is_retryable_and_message_hides_token() -> None:
    notifier = TelegramNotifier(
        "tg", token=TOKEN, chat_id="1", base_url=f"http://127.0.0.1:{closed_port()}", timeout_s=2
    )
    with pytest.raises(DeliveryError) as info:
        notifier.send(urgent_event(), delivery_key="k")
    assert info.value.retryable and TOKEN not in str(info.value)


def test_telegram_5xx_retryable_4xx_permanent(telegram: ScriptedServer) -> None:
    telegram.script.extend(
        [
            json_reply(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
            json_reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
        ]
    )
    notifier = TelegramNotifier("tg", token=TOKEN, chat_id="-1001", base_url=telegram.url)
    with pytest.raises(DeliveryError) as first:
        notifier.send(urgent_event(), delivery_key="k")
    with pytest.raises(DeliveryError) as second:
        notifier.send(urgent_event(), delivery_key="k")
    assert first.value.retryable and not second.value.retryable
    assert "chat not found" in str(second.value)


@pytest.mark.parametrize("flavor", ["slack", "mattermost", "rocketchat"])
def test_slack_compatible_webhook_accepts(slack: ScriptedServer, flavor: str) -> None:
    SlackNotifier("s", webhook_url=f"{slack.url}/hooks/abc", flavor=flavor).send(
        incident_event(), delivery_key="k"
    )
    assert slack.accepted[0].path == "/hooks/abc"
    assert "sabzino" in slack.accepted[0].json()["text"]


def test_slack_errors_are_classified(slack: ScriptedServer) -> None:
    slack.script.extend(
        [
            text_reply(500, "internal_error"),
            text_reply(429, "rate_limited", {"Retry-After": "30"}),
            text_reply(404, "no_service"),
        ]
    )
    notifier = SlackNotifier("s", webhook_url=f"{slack.url}/hooks/secret-path")
    outcomes = []
    for _ in range(3):
        with pytest.raises(DeliveryError) as info:
            notifier.send(urgent_event(), delivery_key="k")
        outcomes.append((info.value.retryable, info.value.retry_after))
    assert outcomes == [(True, None), (True, 30.0), (False, None)]


def test_webhook_is_signed_and_verifiable(hook: ScriptedServer) -> None:
    WebhookNotifier("w", url=f"{hook.url}/in", secret=SECRET).send(
        incident_event(), delivery_key="incident:7->w"
    )
    request = hook.accepted[0]
    assert request.headers[DELIVERY_HEADER.lower()] == "incident:7->w"
    assert request.json()["kind"] == "incident_opened"
    assert request.json()["explanation"]["terms"][0]["term"] == "نرسیده"
    ts, sig = request.headers[TIMESTAMP_HEADER.lower()], request.headers[SIGNATURE_HEADER.lower()]
    assert verify_signature(SECRET, request.body, ts, sig)
    assert not verify_signature(SECRET, request.body + b" ", ts, sig)  # tampered body
    assert not verify_signature("other", request.body, ts, sig)
    assert not verify_signature(SECRET, request.body, ts, sig, now=time.time() + 3600)  # replayed later


def test_webhook_with_wrong_secret_is_refused_permanently(hook: ScriptedServer) -> None:
    with pytest.raises(DeliveryError) as info:
        WebhookNotifier("w", url=hook.url, secret="wrong").send(urgent_event(), delivery_key="k")
    assert not info.value.retryable and "401" in str(info.value)


def test_missing_secret_means_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHENAVA_TEST_TG_TOKEN", raising=False)
    channel = TelegramChannel(type="telegram", name="tg", chat_id="1", bot_token_env="SHENAVA_TEST_TG_TOKEN")
    with pytest.raises(NotConfigured, match="SHENAVA_TEST_TG_TOKEN"):
        build_notifier(channel)
    monkeypatch.setenv("SHENAVA_TEST_TG_TOKEN", TOKEN)
    assert isinstance(build_notifier(channel), TelegramNotifier)


# -- SMTP ------------------------------------------------------------------------------------


def _email(port: int, security: str = "none", ca_file: str | None = None) -> EmailNotifier:
    return EmailNotifier(
        "mail",
        host="127.0.0.1",
        port=port,
        sender="Shenava <alerts@shenava.test>",
        recipients=["support@shenava.test"],
        security=security,
        ca_file=ca_file,  # type: ignore[arg-type]
        timeout_s=5,
    )


def test_email_html_rtl_with_text_alternative() -> None:
    inbox = SmtpInbox()
    controller = smtp_server(inbox)
    try:
        _email(controller.port).send(incident_event(), delivery_key="incident:7:opened->mail")
    finally:
        controller.stop()
    ((sender, rcpts, raw),) = inbox.messages
    assert sender == "alerts@shenava.test" and rcpts == ["support@shenava.test"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Shenava-Delivery"] == "incident:7:opened->mail"
    assert "sabzino" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert 'dir="rtl"' in html and 'lang="fa"' in html and "<bdi>@reza</bdi>" in html
    assert "<script>" not in html and "نرسیده" in text


def test_email_send_html_for_other_callers() -> None:
    inbox = SmtpInbox()
    controller = smtp_server(inbox)
    try:
        _email(controller.port).send_html(
            "گزارش روزانه", "<p dir='rtl'>سلام</p>", "سلام", ["a@x.test", "b@x.test"]
        )
    finally:
        controller.stop()
    assert inbox.messages[0][1] == ["a@x.test", "b@x.test"]


def test_email_over_starttls_and_implicit_tls(tmp_path: Path) -> None:
    cert, key = self_signed_cert(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = SmtpInbox()
    starttls = smtp_server(inbox, tls_context=context, require_starttls=True)
    try:
        _email(starttls.port, "starttls", str(cert)).send(urgent_event(), delivery_key="k1")
        with pytest.raises(DeliveryError) as info:  # refusing plain text is a server rule, not an outage
            _email(starttls.port, "none").send(urgent_event(), delivery_key="k2")
        assert not info.value.retryable
    finally:
        starttls.stop()
    implicit = Controller(inbox, hostname="127.0.0.1", port=closed_port(), ssl_context=context)
    implicit.start()
    try:
        _email(implicit.port, "ssl", str(cert)).send(urgent_event(), delivery_key="k3")
    finally:
        implicit.stop()
    assert len(inbox.messages) == 2


@pytest.mark.parametrize(
    ("reply", "retryable"), [("451 4.3.0 try later", True), ("550 5.1.1 no such user", False)]
)
def test_email_smtp_reply_codes(reply: str, retryable: bool) -> None:
    controller = smtp_server(SmtpInbox(rcpt_reply=reply))
    try:
        with pytest.raises(DeliveryError) as info:
            _email(controller.port).send(urgent_event(), delivery_key="k")
    finally:
        controller.stop()
    assert info.value.retryable is retryable


def test_email_server_down_is_retryable() -> None:
    with pytest.raises(DeliveryError) as info:
        _email(closed_port()).send(urgent_event(), delivery_key="k")
    assert info.value.retryable
