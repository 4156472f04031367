"""Errors shared across packages: one ``NotConfigured``, and the listener failure kinds."""

from __future__ import annotations


class NotConfigured(Exception):
    """A component lacks what it needs (credentials, targets, a channel) and is skipped.

    Raised by a listener's or a notifier's ``from_settings``; the message says what to set.
    """


#: every ``ListenerError.kind``
ERROR_KINDS = frozenset(
    {
        "rate_limited",
        "auth",
        "login_required",
        "usage_cap",
        "unavailable",
        "bad_payload",
        "bad_request",
        "not_found",
        "forbidden",
    }
)
#: kinds only a person can fix (token, login, config, robots.txt): retried hourly, never in a tight loop
NEEDS_A_PERSON = frozenset({"auth", "login_required", "bad_request", "not_found", "forbidden"})
PERSON_RETRY_SECONDS = 3600.0


class ListenerError(Exception):
    """A source failed in a way the scheduler should report, not crash on.

    ``kind`` is one of: ``rate_limited``, ``auth``, ``login_required``, ``usage_cap``,
    ``unavailable`` (5xx, timeouts, connection errors after retries), ``bad_payload``,
    ``bad_request`` (the source rejected our request, e.g. an invalid query: fix the config),
    ``not_found`` (a configured profile/page does not exist), ``forbidden`` (401/403 from a web
    site, or its robots.txt disallows the URL).
    ``retry_after`` (seconds) says when trying again makes sense, if the source said so; for the
    kinds in ``NEEDS_A_PERSON`` it defaults to an hour.
    """

    def __init__(self, kind: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        if retry_after is None and kind in NEEDS_A_PERSON:
            retry_after = PERSON_RETRY_SECONDS
        self.retry_after = retry_after
