"""Request limits in front of every route: header and body size (431/413) and a rate limit per
API key and per client address (429).

The rate limit is a token bucket kept in this process's memory: behind several worker processes
(or hosts) each keeps its own buckets, so the effective limit is per process times their number.
Buckets of keys and addresses not seen for a while are forgotten, so the table stays bounded.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class RequestLimits:
    """The limits one app enforces (``create_app(limits=…)``; tests raise or lower them)."""

    max_header_bytes: int = 16 * 1024
    max_body_bytes: int = 1024 * 1024
    #: requests per second, and the burst allowed on top, per API key
    key_rate: float = 20.0
    key_burst: int = 200
    #: the same per client address (all its keys, and no key, together)
    ip_rate: float = 40.0
    ip_burst: int = 400
    #: paths that count against the rate limit (the API; the web login has its own limit)
    rate_limited_prefix: str = "/api/"
    #: how many distinct keys/addresses are remembered at most (least recently seen forgotten)
    max_tracked: int = 10_000

    @classmethod
    def from_settings(cls, settings: Any) -> RequestLimits:
        """The rates of the ``web`` section (``api_rate_per_key`` …); the defaults without one."""
        web, default = getattr(settings, "web", None), cls()
        return cls(
            key_rate=getattr(web, "api_rate_per_key", default.key_rate),
            key_burst=getattr(web, "api_burst_per_key", default.key_burst),
            ip_rate=getattr(web, "api_rate_per_ip", default.ip_rate),
            ip_burst=getattr(web, "api_burst_per_ip", default.ip_burst),
        )


class TokenBuckets:
    """One bucket per name: ``rate`` tokens a second up to ``burst``; a request takes one."""

    def __init__(self, rate: float, burst: int, max_tracked: int) -> None:
        self.rate, self.burst, self.max_tracked = rate, burst, max_tracked
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, name: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until a token is free."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(name, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[name] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.max_tracked:
                self._buckets.popitem(last=False)
        return wait


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RequestLimitMiddleware:
    """Pure ASGI (a streamed body is counted as it arrives, never buffered here)."""

    def __init__(self, app: ASGIApp, limits: RequestLimits | None = None) -> None:
        self.app = app
        self.limits = limits or RequestLimits()
        self.by_key = TokenBuckets(self.limits.key_rate, self.limits.key_burst, self.limits.max_tracked)
        self.by_ip = TokenBuckets(self.limits.ip_rate, self.limits.ip_burst, self.limits.max_tracked)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits
        headers: list[tuple[bytes, bytes]] = scope.get("headers") or []
        if sum(len(k) + len(v) + 4 for k, v in headers) > limits.max_header_bytes:
            await _answer(send, 431, f"request headers over {limits.max_header_bytes:,} bytes")
            return
        declared = next((v for k, v in headers if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > limits.max_body_bytes):
            await _answer(send, 413, f"request body over {limits.max_body_bytes:,} bytes")
            return
        if scope.get("path", "").startswith(limits.rate_limited_prefix):
            wait = self._rate_wait(scope, headers)
            if wait:
                await _answer(
                    send, 429, "too many requests; slow down", {"Retry-After": str(max(1, math.ceil(wait)))}
                )
                return
        received = 0
        started = refused = False
        too_large = f"request body over {limits.max_body_bytes:,} bytes"

        async def counted_receive() -> Message:
            # past the limit the app is told the client left (its own answer is dropped below),
            # and the client gets the 413; frameworks swallow exceptions raised here into a 400
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body_bytes:
                    refused = True
                    if not started:
                        await _answer(send, 413, too_large)
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted_receive, tracked_send)

    def _rate_wait(self, scope: Scope, headers: list[tuple[bytes, bytes]]) -> float:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = self.by_ip.take(f"ip:{address}")
        key = next((v for k, v in headers if k == b"x-api-key"), None)
        if key:  # by digest: the table never holds a key
            wait = max(wait, self.by_key.take("key:" + hashlib.sha256(key).hexdigest()))
        return wait


def install(app: Any, limits: RequestLimits | None = None) -> None:
    """The limits given (tests), else those of the app's settings (``app.state.settings``)."""
    if limits is None:
        limits = RequestLimits.from_settings(getattr(app.state, "settings", None))
    app.add_middleware(RequestLimitMiddleware, limits=limits)
