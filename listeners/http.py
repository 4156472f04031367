"""HTTP plumbing shared by the requests-based listeners (tweepy and instaloader use requests).

Both libraries hard-code their hosts (``https://api.twitter.com``, ``https://www.instagram.com``).
Rather than patching them, a transport adapter mounted on their sessions rewrites those hosts to the
configured base URL and supplies the timeout they leave out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import requests
from requests.adapters import HTTPAdapter

from listeners.settings import HttpPolicy

T = TypeVar("T")


class RoutingAdapter(HTTPAdapter):
    """Sends requests for each source prefix to its configured target and enforces a timeout."""

    def __init__(self, routes: Mapping[str, str], timeout: float) -> None:
        super().__init__(max_retries=0)
        self.routes = {src.rstrip("/"): dst.rstrip("/") for src, dst in routes.items()}
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[override]
        url = request.url or ""
        for src, dst in self.routes.items():
            if url.lower().startswith(src.lower()):
                request.url = dst + url[len(src) :]
                break
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def route_session(session: requests.Session, routes: Mapping[str, str], timeout: float) -> None:
    """Mount a :class:`RoutingAdapter` for every source prefix on ``session`` (idempotent)."""
    adapter = RoutingAdapter(routes, timeout)
    for src in routes:
        session.mount(src.rstrip("/") + "/", adapter)


def with_retries(
    call: Callable[[], T],
    policy: HttpPolicy,
    transient: tuple[type[BaseException], ...],
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``call``; on a transient error back off exponentially and retry, ``policy.retries`` times."""
    delay = policy.backoff_seconds
    for attempt in range(policy.retries + 1):
        try:
            return call()
        except transient:
            if attempt == policy.retries:
                raise
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
