"""Broadcast mentions quoted from the public never page a whole chat channel: Slack, Mattermost and
Rocket.Chat payloads as a local webhook server receives them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from alerts.notifiers import SlackNotifier, TelegramNotifier
from alerts.notifiers.broadcast import ZWSP
from tests.alerts.events_fixtures import urgent_event
from tests.alerts.servers import ScriptedServer, slack_webhook, telegram_bot_api

HOSTILE_TEXT = "@all @channel @here @everyone <!channel> <!here> <!everyone> <@U123> سبزینو افتضاحه @ALL!"
#: what would notify everyone on each platform (Mattermost and Rocket.Chat match the plain words)
LIVE_BROADCAST = re.compile(r"(?<!\w)@(all|channel|here|everyone)(?![\w-])|<[!@]", re.IGNORECASE)


@pytest.fixture
def webhook() -> Iterator[ScriptedServer]:
    server = ScriptedServer(slack_webhook)
    yield server
    server.close()


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("flavor", ["slack", "mattermost", "rocketchat"])
@pytest.mark.parametrize("author", ["all", "channel", "big"])
def test_no_broadcast_reaches_the_webhook(webhook: ScriptedServer, flavor: str, author: str) -> None:
    event = urgent_event(text=HOSTILE_TEXT, author=author)
    SlackNotifier("chat", webhook_url=f"{webhook.url}/hooks/x", flavor=flavor).send(event, delivery_key="k1")
    (request,) = webhook.accepted
    payload = request.json()
    texts = list(_strings(payload))
    assert texts and not [t for t in texts if LIVE_BROADCAST.search(t)], texts
    joined = "\n".join(texts)
    # the words stay readable: only an invisible character was added
    assert "سبزینو افتضاحه" in joined and f"@{ZWSP}all" in joined
    assert f"@{ZWSP}{author}" in joined if author != "big" else "@big" in joined


def test_telegram_needs_only_html_escaping() -> None:
    token = "123456:ABC-test-token"
    server = ScriptedServer(telegram_bot_api(token))
    try:
        TelegramNotifier("tg", token=token, chat_id="-100", base_url=server.url).send(
            urgent_event(text=HOSTILE_TEXT), delivery_key="k2"
        )
        (request,) = server.accepted
        text = json.loads(request.body)["text"]
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text  # no tag Telegram would parse
    finally:
        server.close()
