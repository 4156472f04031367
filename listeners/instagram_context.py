"""instaloader's context, pointed at configurable hosts and made non-blocking for the scheduler.

instaloader builds ``https://www.instagram.com/...`` and ``https://i.instagram.com/...`` URLs
itself and creates fresh ``requests`` sessions in several places; every JSON and page request goes
through ``get_json`` / ``_get_page`` with the session it uses, so the routing adapter is mounted
there. Its RateController is respected (its per-window budgets still apply), except that instead
of sleeping minutes after a 429 it raises, so the scheduler can run other listeners meanwhile.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import instaloader
import requests
from instaloader.instaloadercontext import RateController

from listeners.http import route_session
from listeners.settings import InstagramSettings

log = logging.getLogger(__name__)

WEB_HOST = "https://www.instagram.com"
API_HOST = "https://i.instagram.com"
#: waits instaloader asks for up to this long are slept; longer ones are reported as rate_limited
MAX_BLOCKING_WAIT = 30.0


class RateLimited(Exception):
    """Instagram (or instaloader's own budget) says: not now. Not a ConnectionException, so it
    escapes instaloader's retry loop."""

    def __init__(self, retry_after: float, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NonBlockingRateController(RateController):
    def sleep(self, secs: float) -> None:
        if secs > MAX_BLOCKING_WAIT:
            raise RateLimited(secs, f"instaloader's rate controller asks to wait {secs:.0f} s")
        super().sleep(secs)

    def handle_429(self, query_type: str) -> None:
        wait = self.query_waittime(query_type, time.monotonic(), True)
        raise RateLimited(max(wait, 60.0), "Instagram answered 429 Too Many Requests")


class InstagramContext(instaloader.InstaloaderContext):
    def __init__(self, settings: InstagramSettings) -> None:
        super().__init__(
            sleep=settings.polite_sleep,
            quiet=True,
            max_connection_attempts=settings.http.retries + 1,
            request_timeout=settings.http.timeout_seconds,
            rate_controller=NonBlockingRateController,
            fatal_status_codes=[401],  # no point retrying "log in first"
        )
        self._routes = {WEB_HOST: settings.web_url, API_HOST: settings.api_url}
        self._timeout = settings.http.timeout_seconds

    def _routed(self, session: requests.Session) -> requests.Session:
        route_session(session, self._routes, self._timeout)
        return session

    def get_json(
        self,
        path: str,
        params: dict[str, Any],
        host: str = "www.instagram.com",
        session: requests.Session | None = None,
        response_headers: dict[str, Any] | None = None,
        use_post: bool = False,
    ) -> dict[str, Any]:
        self._routed(self._session)
        return super().get_json(
            path, params, host, self._routed(session or self._session), response_headers, use_post
        )

    def _get_page(self, session: requests.Session, path: str) -> str:
        return super()._get_page(self._routed(session), path)

    def error(self, msg: str, repeat_at_end: bool = True) -> None:
        # instaloader prints to stderr and repeats at exit; a service logs instead.
        log.warning("instaloader: %s", msg)
