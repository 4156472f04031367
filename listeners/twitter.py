"""X (Twitter) API v2 listener: recent search per brand query, and a brand account's mentions.

Paging runs newest → oldest, so the newest id of a search window is known on its first page but
the window is only complete after its last page. The checkpoint therefore keeps ``since_id``
(everything at or before it is stored) until the whole window is stored; while a window is open
it also keeps ``window`` = {newest_id, until_id}: a restart resumes the window with ``until_id``
(exclusive) and ``since_id`` (exclusive), so nothing repeats and nothing is skipped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests
import tweepy

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import ListenerError, NotConfigured
from domain.mention import RawMention
from domain.secrets import secret
from listeners.base import Listener
from listeners.http import route_session, with_retries
from listeners.settings import ListenerSettingsView, XSettings
from listeners.twitter_query import build_queries

log = logging.getLogger(__name__)
# tweepy logs request headers (the bearer token) at DEBUG: keep that out of every log.
logging.getLogger("tweepy.client").setLevel(logging.INFO)

X_HOST = "https://api.twitter.com"
TWEET_FIELDS = ["created_at", "lang", "public_metrics", "conversation_id", "referenced_tweets", "author_id"]
USER_FIELDS = ["username", "name", "public_metrics", "verified"]
TRANSIENT = (tweepy.TwitterServerError, requests.Timeout, requests.ConnectionError)


class RateBudget:
    """What the last answer's x-rate-limit-* headers said, read by a requests response hook."""

    def __init__(self) -> None:
        self.remaining: int | None = None
        self.reset_at: int | None = None

    def observe(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        remaining, reset = (
            response.headers.get("x-rate-limit-remaining"),
            response.headers.get("x-rate-limit-reset"),
        )
        if remaining and remaining.isdigit() and reset and reset.isdigit():
            self.remaining, self.reset_at = int(remaining), int(reset)

    def wait_seconds(self) -> float | None:
        """Seconds until the window resets when none of it is left; None while requests remain."""
        if self.remaining != 0 or self.reset_at is None:
            return None
        return max(1.0, self.reset_at - time.time())


@dataclass(frozen=True)
class XConnection:
    """A tweepy v2 client (one per token) and the rate budget its answers report."""

    client: tweepy.Client
    budget: RateBudget


def make_client(token: str, settings: XSettings) -> XConnection:
    """A client whose requests go to ``settings.base_url``; it never sleeps on 429."""
    client = tweepy.Client(bearer_token=token, wait_on_rate_limit=False)
    route_session(client.session, {X_HOST: settings.base_url}, settings.http.timeout_seconds)
    budget = RateBudget()
    client.session.hooks["response"].append(budget.observe)
    return XConnection(client, budget)


def _reset_in(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    reset = response.headers.get("x-rate-limit-reset")
    if reset and reset.strip().isdigit():
        return max(0.0, int(reset) - time.time())
    after = response.headers.get("retry-after")
    return float(after) if after and after.strip().isdigit() else None


def _problem(response: requests.Response | None) -> dict[str, Any]:
    try:
        body = response.json() if response is not None else {}
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def translate_error(err: Exception, what: str) -> ListenerError:
    """One place that maps tweepy/requests failures to the listener error kinds."""
    if isinstance(err, tweepy.TooManyRequests):
        problem = _problem(err.response)
        kind_text = f"{problem.get('title', '')} {problem.get('type', '')}".lower()
        if "usagecap" in kind_text or "usage-capped" in kind_text:
            detail = problem.get("detail") or "the plan's usage cap is exhausted"
            return ListenerError(
                "usage_cap", f"{what}: X usage cap reached: {detail}", retry_after=_reset_in(err.response)
            )
        retry = _reset_in(err.response)
        return ListenerError(
            "rate_limited",
            f"{what}: X rate limit hit; window resets in {retry:.0f} s"
            if retry is not None
            else f"{what}: X rate limit hit (no reset header)",
            retry_after=retry if retry is not None else 900.0,
        )
    if isinstance(err, tweepy.Unauthorized | tweepy.Forbidden):
        return ListenerError("auth", f"{what}: X refused the token ({err.response.status_code}): {err}")
    if isinstance(err, tweepy.BadRequest):
        return ListenerError("bad_request", f"{what}: X rejected the request: {err}")
    if isinstance(err, (*TRANSIENT, tweepy.HTTPException)):
        return ListenerError("unavailable", f"{what}: X unavailable after retries: {err}")
    return ListenerError("bad_payload", f"{what}: unreadable X response: {err!r}")


def tweet_to_mention(tweet: tweepy.Tweet, users: dict[int, tweepy.User]) -> RawMention:
    user = users.get(tweet.author_id) if tweet.author_id is not None else None
    handle = user.username if user else None
    followers = (user.public_metrics or {}).get("followers_count") if user else None
    created = tweet.created_at or datetime.now(UTC)
    return RawMention(
        source="x",
        external_id=str(tweet.id),
        text=tweet.text,
        created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet.id}",
        author_id=str(tweet.author_id) if tweet.author_id is not None else None,
        author_handle=handle,
        author_name=user.name if user else None,
        author_followers=int(followers) if followers is not None else None,
        lang_hint=tweet.lang,
        conversation_id=str(tweet.conversation_id) if tweet.conversation_id else None,
        metrics={k: int(v) for k, v in (tweet.public_metrics or {}).items() if isinstance(v, int)},
        raw={
            "referenced_tweets": [{"type": r.type, "id": str(r.id)} for r in tweet.referenced_tweets or []],
            "author_verified": bool(user.verified) if user and user.verified is not None else None,
        },
    )


class TwitterListener(Listener):
    """One search query (``x:search:<brand>[:n]``) or one mentions timeline (``x:mentions:<user id>``)."""

    source: ClassVar[str] = "x"

    def __init__(
        self,
        key: str,
        connection: XConnection,
        settings: XSettings,
        *,
        query: str | None = None,
        user_id: str | None = None,
    ) -> None:
        super().__init__(key)
        if (query is None) == (user_id is None):
            raise ValueError("give exactly one of query or user_id")
        self.client, self.budget = connection.client, connection.budget
        self.settings, self.query, self.user_id = settings, query, user_id
        #: read by the scheduler
        self.interval_seconds = settings.interval_seconds

    @classmethod
    def from_settings(cls, settings: ListenerSettingsView) -> list[Listener]:
        xs: XSettings = settings.sources.x
        if not xs.enabled:
            raise NotConfigured("X listener is switched off (sources.x.enabled: false)")
        token = secret(xs.bearer_token_env)
        if not token:
            raise NotConfigured(f"X listener is off: set the bearer token in ${xs.bearer_token_env}")
        client = make_client(token, xs)
        listeners: list[Listener] = []
        for brand in settings.brands:
            try:
                queries = build_queries(brand, xs)
            except ValueError as err:
                raise NotConfigured(f"X listener is off: {err} (sources.x.max_query_length)") from err
            for i, query in enumerate(queries):
                suffix = f":{i + 1}" if len(queries) > 1 else ""
                listeners.append(cls(f"x:search:{brand.name}{suffix}", client, xs, query=query))
        user_token = secret(xs.user_token_env)
        if xs.mentions_user_ids and not user_token:
            log.info("X mentions timelines are off: set the user token in $%s", xs.user_token_env)
        elif user_token:
            user_client = make_client(user_token, xs)
            for uid in xs.mentions_user_ids:
                listeners.append(cls(f"x:mentions:{uid}", user_client, xs, user_id=uid))
        if not listeners:
            raise NotConfigured("X listener is off: no brand has terms to search for")
        return listeners

    def _page(self, since_id: str | None, until_id: str | None, token: str | None) -> tweepy.Response:
        common: dict[str, Any] = {
            "since_id": since_id,
            "until_id": until_id,
            "max_results": self.settings.page_size,
            "expansions": ["author_id"],
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
        }
        if self.query is not None:
            return self.client.search_recent_tweets(self.query, next_token=token, **common)
        return self.client.get_users_mentions(self.user_id, pagination_token=token, **common)

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        state = checkpoint.state if checkpoint else {}
        since_id: str | None = state.get("since_id")
        window = state.get("window") or {}
        newest_id: str | None = window.get("newest_id")
        until_id: str | None = window.get("until_id")
        request_until = until_id  # fixed for the whole run: next_token continues that query
        token: str | None = None
        for page_no in range(1, self.settings.max_pages + 1):
            try:
                response = with_retries(
                    lambda t=token: self._page(since_id, request_until, t), self.settings.http, TRANSIENT
                )
                meta = response.meta or {}
                users = {u.id: u for u in (response.includes or {}).get("users", [])}
                mentions = [tweet_to_mention(t, users) for t in response.data or []]
            except (
                tweepy.TweepyException,
                requests.RequestException,
                ValueError,
                KeyError,
                TypeError,
            ) as err:
                raise translate_error(err, self.key) from err
            for error in response.errors or []:
                log.debug("%s: partial error from X: %s", self.key, error.get("title") or error)
            # Guard the contract even if the server ignores since_id/until_id.
            mentions = [m for m in mentions if _inside(m.external_id, since_id, until_id)]
            newest_id = newest_id or meta.get("newest_id")
            token = meta.get("next_token")
            if not token:  # the whole window is stored: it becomes the new since_id
                yield self._batch(mentions, {"since_id": _max_id(newest_id, since_id)})
                return
            until_id = meta.get("oldest_id") or min(
                (m.external_id for m in mentions), key=int, default=until_id
            )
            yield self._batch(
                mentions, {"since_id": since_id, "window": {"newest_id": newest_id, "until_id": until_id}}
            )
            wait = self.budget.wait_seconds()
            if wait is not None and page_no < self.settings.max_pages:
                # The window's quota is spent: stop here (the window resumes) instead of earning a 429.
                raise ListenerError(
                    "rate_limited",
                    f"{self.key}: X rate limit used up; window resets in {wait:.0f} s",
                    retry_after=wait,
                )
        # page budget spent mid-window: the stored window resumes on the next run

    def _batch(self, mentions: list[RawMention], state: dict[str, Any]) -> ListenerBatch:
        return ListenerBatch(mentions=mentions, checkpoint=Checkpoint(self.key, state))


def _inside(tweet_id: str, since_id: str | None, until_id: str | None) -> bool:
    value = int(tweet_id)
    return (since_id is None or value > int(since_id)) and (until_id is None or value < int(until_id))


def _max_id(*ids: str | None) -> str | None:
    present = [i for i in ids if i]
    return max(present, key=int) if present else None
