"""One contract for every notifier, each against the real thing it talks to (a file, a pipe, local
HTTP servers speaking the Bot API and webhook formats, an aiosmtpd SMTP server):

* delivering an event succeeds and reaches the channel;
* a channel that is down raises the same ``DeliveryError`` kind: retryable, channel unreachable;
* mention text reaches a person escaped for the channel's format (no markup, no bidi spoofing,
  no forged lines), or, for the webhook's JSON, exactly as data;
* a secret (token, webhook URL, password) never appears in an error message.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from alerts.notifiers import (
    ConsoleNotifier,
    DeliveryError,
    EmailNotifier,
    FileNotifier,
    Notifier,
    SlackNotifier,
    TelegramNotifier,
    WebhookNotifier,
)
from tests.alerts.events_fixtures import HOSTILE, incident_event, urgent_event
from tests.alerts.servers import (
    ScriptedServer,
    SmtpInbox,
    closed_port,
    json_reply,
    slack_webhook,
    smtp_server,
    telegram_bot_api,
)

TOKEN = "123456:CONTRACT-bot-token"
HOOK_PATH = "/services/T0CONTRACT/B0CONTRACT/contract-secret-path"
HOOK_SECRET = "whsec-contract"
PASSWORD = "smtp-contract-password"
#: a mention trying every trick: markup, bidi override, zero-width space and a forged second line
MENTION = HOSTILE[:120] + "\n[shenava alert] forged line"
_PRINTED = re.compile(r"^\[shenava alert\] ", re.MULTILINE)  # where the console starts an alert


@dataclass
class Channel:
    """A notifier wired to its endpoint, and what that endpoint received, as a person reads it."""

    notifier: Notifier
    received: Callable[[], list[str]]
    format: str  # "text", "html", "mrkdwn" or "json"
    cleanup: list[Callable[[], None]] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    name: str
    up: Callable[[Path], Channel]
    down: Callable[[Path], Channel]
    secret: str | None = None


def _console_up(tmp_path: Path) -> Channel:
    stream = (tmp_path / "console.txt").open("w", encoding="utf-8")
    return Channel(
        ConsoleNotifier("console", stream=stream),
        lambda: _PRINTED.split((tmp_path / "console.txt").read_text(encoding="utf-8"))[1:],
        "text",
        [stream.close],
    )


def _console_down(tmp_path: Path) -> Channel:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads the other end any more: a broken pipe
    stream = os.fdopen(write_end, "w", encoding="utf-8")

    def close() -> None:
        with contextlib.suppress(OSError):
            stream.close()

    return Channel(ConsoleNotifier("console", stream=stream), list, "text", [close])


def _file_up(tmp_path: Path) -> Channel:
    path = tmp_path / "out" / "alerts.jsonl"

    def received() -> list[str]:
        return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]

    return Channel(FileNotifier("file", path), received, "text")


def _file_down(tmp_path: Path) -> Channel:
    (tmp_path / "blocked").write_text("a file where the directory should be")
    return Channel(FileNotifier("file", tmp_path / "blocked" / "alerts.jsonl"), list, "text")


def _telegram_up(tmp_path: Path) -> Channel:
    server = ScriptedServer(telegram_bot_api(TOKEN))
    notifier = TelegramNotifier("tg", token=TOKEN, chat_id="-1001", base_url=server.url)
    return Channel(notifier, lambda: [r.json()["text"] for r in server.accepted], "html", [server.close])


def _telegram_down(tmp_path: Path) -> Channel:
    base_url = f"http://127.0.0.1:{closed_port()}"
    return Channel(
        TelegramNotifier("tg", token=TOKEN, chat_id="-1001", base_url=base_url, timeout_s=2), list, "html"
    )


def _mrkdwn(payload: dict[str, Any]) -> str:
    texts = [payload.get("text", "")]
    texts += [block["text"]["text"] for block in payload.get("blocks", []) if "text" in block]
    return "\n".join(texts)


def _slack_up(tmp_path: Path) -> Channel:
    server = ScriptedServer(slack_webhook)
    notifier = SlackNotifier("slack", webhook_url=f"{server.url}{HOOK_PATH}")
    return Channel(notifier, lambda: [_mrkdwn(r.json()) for r in server.accepted], "mrkdwn", [server.close])


def _slack_down(tmp_path: Path) -> Channel:
    url = f"http://127.0.0.1:{closed_port()}{HOOK_PATH}"
    return Channel(SlackNotifier("slack", webhook_url=url, timeout_s=2), list, "mrkdwn")


def _email(port: int, password: str | None = None) -> EmailNotifier:
    return EmailNotifier(
        "mail",
        host="127.0.0.1",
        port=port,
        sender="Shenava <alerts@shenava.test>",
        recipients=["support@shenava.test"],
        security="none",
        username="alerts" if password else None,
        password=password,
        timeout_s=5,
    )


def _email_up(tmp_path: Path) -> Channel:
    inbox = SmtpInbox()
    controller = smtp_server(inbox)

    def received() -> list[str]:
        messages = [
            email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in inbox.messages
        ]
        return [m.get_body(("html",)).get_content() for m in messages]  # type: ignore[union-attr]

    return Channel(_email(controller.port), received, "html", [controller.stop])


def _email_down(tmp_path: Path) -> Channel:
    return Channel(_email(closed_port(), PASSWORD), list, "html")


def _webhook_up(tmp_path: Path) -> Channel:
    server = ScriptedServer(lambda request: json_reply(200, {"ok": True}))
    notifier = WebhookNotifier("hook", url=f"{server.url}/in", secret=HOOK_SECRET)
    return Channel(notifier, lambda: [r.body.decode() for r in server.accepted], "json", [server.close])


def _webhook_down(tmp_path: Path) -> Channel:
    url = f"http://127.0.0.1:{closed_port()}/in"
    return Channel(WebhookNotifier("hook", url=url, secret=HOOK_SECRET, timeout_s=2), list, "json")


CASES = [
    Case("console", _console_up, _console_down),
    Case("file", _file_up, _file_down),
    Case("telegram", _telegram_up, _telegram_down, TOKEN),
    Case("slack", _slack_up, _slack_down, HOOK_PATH),
    Case("email", _email_up, _email_down, PASSWORD),
    Case("webhook", _webhook_up, _webhook_down, HOOK_SECRET),
]


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


@contextlib.contextmanager
def _open(make: Callable[[Path], Channel], tmp_path: Path) -> Iterator[Channel]:
    channel = make(tmp_path)
    try:
        yield channel
    finally:
        channel.notifier.close()
        for cleanup in channel.cleanup:
            cleanup()


def test_delivering_an_event_succeeds(case: Case, tmp_path: Path) -> None:
    with _open(case.up, tmp_path) as channel:
        channel.notifier.send(incident_event(), delivery_key="incident:7:opened->x")
        channel.notifier.send(urgent_event(), delivery_key="urgent:3->x")
        received = channel.received()
    assert len(received) == 2
    assert all("sabzino" in message for message in received)


def test_a_down_channel_raises_a_retryable_unreachable_delivery_error(case: Case, tmp_path: Path) -> None:
    with _open(case.down, tmp_path) as channel, pytest.raises(DeliveryError) as info:
        channel.notifier.send(urgent_event(text=MENTION), delivery_key="urgent:3->x")
    assert info.value.retryable and info.value.unreachable
    assert str(info.value)  # says what happened
    if case.secret:
        assert case.secret not in str(info.value)


def test_mention_text_is_escaped_for_the_channel(case: Case, tmp_path: Path) -> None:
    event = urgent_event(text=MENTION)
    with _open(case.up, tmp_path) as channel:
        channel.notifier.send(event, delivery_key="urgent:3->x")
        (message,) = channel.received()
    if channel.format == "json":  # data, not markup: the receiver gets the event exactly
        assert json.loads(message) == event
        return
    assert "\u202e" not in message and "\u200b" not in message  # no bidi spoofing, no hidden words
    assert not any(line.startswith("[shenava alert] forged") for line in message.splitlines())
    if channel.format in ("html", "mrkdwn"):
        assert "<script>" not in message and "<b>bold" not in message
        assert "&lt;" in message and "&amp;" in message
