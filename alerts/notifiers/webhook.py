"""A generic JSON webhook signed with HMAC-SHA256.

The body is the stored event: data for programs, and its human-readable fields as the engine
stored them, in the configured language (``title``, ``message``: the plain-text rendering, and
``link``: the item's page in the web inbox).

Headers: ``X-Shenava-Timestamp`` (Unix seconds), ``X-Shenava-Signature: sha256=<hex>`` over
``"<timestamp>." + body`` and ``X-Shenava-Delivery`` (the outbox key, for idempotent receivers).
A receiver verifies with ``verify_signature`` and rejects stale timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from alerts.notifiers.base import Notifier, post, raise_for_http

TIMESTAMP_HEADER = "X-Shenava-Timestamp"
SIGNATURE_HEADER = "X-Shenava-Signature"
DELIVERY_HEADER = "X-Shenava-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    now: float | None = None,
    tolerance_s: int = 300,
) -> bool:
    """True when the signature matches and the timestamp is within ``tolerance_s`` of ``now``."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")


class WebhookNotifier(Notifier):
    type = "webhook"

    def __init__(self, name: str, *, url: str, secret: str, timeout_s: float = 10.0) -> None:
        super().__init__(name)
        self.url = url
        self._secret = secret
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        body = json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
            DELIVERY_HEADER: delivery_key,
        }
        response = post(self._client, self.url, "webhook", content=body, headers=headers)
        raise_for_http(response, "webhook")

    def close(self) -> None:
        self._client.close()
