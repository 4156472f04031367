"""Where a reply goes: X (API v2, in reply to the tweet), Instagram (Graph API comment reply) or, when
that source's credentials are not set, the local stand-in file. Web pages and Telegram previews cannot
be answered through an API: they get "open and copy" (``channel_for`` returns None).

A sender's ``send`` returns the id the platform gave the reply, or raises ``SendError`` (``retryable``
for timeouts, 5xx and 429; anything else fails the reply at once)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from domain.secrets import secret

log = logging.getLogger(__name__)
X_HOST = "https://api.twitter.com"
LOCAL = "local"


class SendError(Exception):
    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class ReplyTarget:
    """What a sender needs of the mention answered."""

    source: str
    external_id: str  # the tweet id, or the Instagram comment's "comment:<id>"
    text: str
    reply_key: str  # unique per reply row: the stand-in and receivers can drop a repeat


class ReplySender(Protocol):
    channel: str

    def send(self, target: ReplyTarget) -> str: ...


def channel_for(source: str, external_id: str) -> str | None:
    """The API that can answer this mention, or None (open and copy)."""
    if source == "x" and external_id.isdigit():
        return "x"
    if source == "instagram" and external_id.startswith("comment:"):
        return "instagram"
    return None


class XReplySender:
    channel = "x"

    def __init__(self, token: str, base_url: str, timeout: float) -> None:
        import tweepy

        from listeners.http import route_session

        self.client = tweepy.Client(bearer_token=token, wait_on_rate_limit=False)
        route_session(self.client.session, {X_HOST: base_url}, timeout)

    def send(self, target: ReplyTarget) -> str:
        import requests
        import tweepy

        try:
            response = self.client.create_tweet(
                text=target.text, in_reply_to_tweet_id=target.external_id, user_auth=False
            )
        except (tweepy.TwitterServerError, tweepy.TooManyRequests, requests.RequestException) as exc:
            raise SendError(f"X: {exc}", retryable=True) from None
        except tweepy.HTTPException as exc:
            raise SendError(f"X: {exc}", retryable=False) from None
        return str((response.data or {}).get("id", ""))


class InstagramReplySender:
    channel = "instagram"

    def __init__(self, token: str, base_url: str, timeout: float) -> None:
        self.token, self.base_url, self.timeout = token, base_url.rstrip("/"), timeout

    def send(self, target: ReplyTarget) -> str:
        comment_id = target.external_id.split(":", 1)[1]
        try:
            response = httpx.post(
                f"{self.base_url}/{comment_id}/replies",
                params={"message": target.text, "access_token": self.token},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise SendError(f"Instagram: {type(exc).__name__}", retryable=True) from None
        if response.status_code >= 400:
            retryable = response.status_code >= 500 or response.status_code == 429
            raise SendError(f"Instagram: HTTP {response.status_code}", retryable=retryable)
        return str(response.json().get("id", ""))


class LocalReplySender:
    """The stand-in: one JSON line per reply, so nothing leaves the machine without credentials."""

    def __init__(self, channel: str, path: Path) -> None:
        self.channel, self.path = channel, path

    def send(self, target: ReplyTarget) -> str:
        line: dict[str, Any] = {
            "at": datetime.now(UTC).isoformat(),
            "channel": self.channel,
            "in_reply_to": target.external_id,
            "text": target.text,
            "reply_key": target.reply_key,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise SendError(f"stand-in file: {exc}", retryable=True) from None
        return f"{LOCAL}:{target.reply_key}"


def build_senders(settings: Any) -> dict[str, ReplySender]:
    """One sender per answerable source: the real API when its token is set, else the stand-in."""
    web = settings.web
    standin = Path(web.reply_standin_file)
    senders: dict[str, ReplySender] = {}
    x = settings.sources.x
    x_token = secret(x.user_token_env)
    senders["x"] = (
        XReplySender(x_token, x.base_url, x.http.timeout_seconds)
        if x_token
        else LocalReplySender("x", standin)
    )
    ig_token = secret(web.instagram_token_env)
    timeout = settings.sources.instagram.http.timeout_seconds
    senders["instagram"] = (
        InstagramReplySender(ig_token, web.instagram_graph_url, timeout)
        if ig_token
        else LocalReplySender("instagram", standin)
    )
    return senders
