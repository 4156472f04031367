"""The notifier interface and its errors.

A notifier renders one stored event (its JSON) for its channel and sends it. It raises
``DeliveryError`` saying whether trying again can help; the outbox decides when. A channel that
lacks a secret is not built at all (``domain.errors.NotConfigured``, raised by ``build_notifier``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import httpx


class DeliveryError(Exception):
    """Sending failed. ``retryable``: 5xx, 429, timeouts, connection errors; not: other 4xx, bad config."""

    def __init__(
        self, message: str, *, retryable: bool, retry_after: float | None = None, unreachable: bool = False
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        #: the channel could not be reached at all (connection refused, timeout): its other
        #: deliveries wait too instead of each waiting for its own timeout
        self.unreachable = unreachable


class Notifier(ABC):
    type: ClassVar[str]

    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def send(self, event: dict[str, Any], *, delivery_key: str) -> None:
        """Deliver ``event`` once; ``delivery_key`` identifies the outbox row (idempotency)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


def _retry_after_header(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def raise_for_http(response: httpx.Response, what: str) -> None:
    """Map an HTTP status to success, a retryable or a permanent ``DeliveryError``."""
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = response.text[:200].replace("\n", " ")
    message = f"{what} answered HTTP {status}: {detail}"
    if status == 429 or status == 408 or status >= 500:
        raise DeliveryError(message, retryable=True, retry_after=_retry_after_header(response))
    raise DeliveryError(message, retryable=False)


def post(
    client: httpx.Client, url: str, what: str, *, secret: str | None = None, **kwargs: Any
) -> httpx.Response:
    """POST; transport errors become retryable errors whose message never contains ``secret``."""
    try:
        return client.post(url, **kwargs)
    except httpx.HTTPError as exc:
        message = f"{what} unreachable: {type(exc).__name__}: {exc}"
        if secret:
            message = message.replace(secret, "***")
        raise DeliveryError(message, retryable=True, unreachable=True) from None
