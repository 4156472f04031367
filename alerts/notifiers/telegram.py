"""Telegram Bot API ``sendMessage`` (HTML parse mode)."""

from __future__ import annotations

from typing import Any

import httpx

from alerts.notifiers.base import DeliveryError, Notifier, post
from alerts.render import render_telegram_html


class TelegramNotifier(Notifier):
    type = "telegram"

    def __init__(
        self,
        name: str,
        *,
        token: str,
        chat_id: str,
        base_url: str = "https://api.telegram.org",
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(name)
        self._token = token
        self.chat_id = chat_id
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        url = f"{self.base_url}/bot{self._token}/sendMessage"
        payload = {
            "chat_id": self.chat_id,
            "text": render_telegram_html(event),
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }
        response = post(self._client, url, "Telegram", secret=self._token, json=payload)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if 200 <= response.status_code < 300 and body.get("ok") is True:
            return
        code = int(body.get("error_code") or response.status_code)
        description = str(body.get("description") or response.text[:200])
        message = f"Telegram error {code}: {description}".replace(self._token, "***")
        if code == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after")
            raise DeliveryError(
                message, retryable=True, retry_after=float(retry_after) if retry_after is not None else None
            )
        raise DeliveryError(message, retryable=code >= 500 or code == 408)

    def close(self) -> None:
        self._client.close()
