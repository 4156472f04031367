"""Slack-compatible incoming webhooks: Slack, Mattermost and Rocket.Chat accept the same POST."""

from __future__ import annotations

from typing import Any

import httpx

from alerts.notifiers.base import Notifier, post, raise_for_http
from alerts.notifiers.broadcast import neutralise_payload
from alerts.render import render_slack


class SlackNotifier(Notifier):
    type = "slack"

    def __init__(
        self, name: str, *, webhook_url: str, flavor: str = "slack", timeout_s: float = 10.0
    ) -> None:
        super().__init__(name)
        self._url = webhook_url
        self.flavor = flavor
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        response = post(
            self._client,
            self._url,
            f"{self.flavor} webhook",
            secret=self._url,
            # quoted mentions must not page a whole channel (@all, @here, <!channel>…)
            json=neutralise_payload(render_slack(event, self.flavor)),
        )
        raise_for_http(response, f"{self.flavor} webhook")

    def close(self) -> None:
        self._client.close()
