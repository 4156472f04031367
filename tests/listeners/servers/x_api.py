"""The X API v2 endpoints the X listener uses, in their wire format.

GET /2/tweets/search/recent and GET /2/users/:id/mentions: ``data`` newest first, ``includes.users``
when ``expansions=author_id``, ``meta`` {newest_id, oldest_id, result_count, next_token}, only the
requested ``tweet.fields``/``user.fields``, x-rate-limit-* headers on every answer, and the problem
JSON X sends on errors (429 Too Many Requests, UsageCapExceeded, 401, 503).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.listeners.servers.base import Reply, Seen, WireServer

#: next_token values look like X's opaque ones; the offset follows the prefix
TOKEN_PREFIX = "7140dibdnow9c7btw4"

PROBLEMS: dict[str, tuple[int, dict[str, Any]]] = {
    "429": (
        429,
        {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
    ),
    "usage_cap": (
        429,
        {
            "title": "UsageCapExceeded",
            "detail": "Usage cap exceeded: Monthly product cap",
            "type": "https://api.twitter.com/2/problems/usage-capped",
            "period": "Monthly",
            "scope": "Product",
        },
    ),
    "401": (401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
    "500": (
        503,
        {
            "title": "Service Unavailable",
            "detail": "Service Unavailable",
            "type": "about:blank",
            "status": 503,
        },
    ),
    "400": (
        400,
        {
            "errors": [
                {
                    "parameters": {"query": ["(("]},
                    "message": "There were errors processing your request: missing closing parenthesis",
                }
            ],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    ),
}

PERSIAN_TEXTS = [
    "سفارشم از @sabzino سه ساعته نرسیده، پشتیبانی هم جواب نمیده 😡",
    "سبزینو امروز خیلی سریع آورد، دمتون گرم 🌿",
    "چرا اپ نوبانک باز نمیشه؟ #نوبانک",
    "قیمت‌های سبزینو نسبت به تازه‌مارکت بهتره",
    "sabzino delivery was late again",
    "پشتیبانی سبزینو بالاخره جواب داد، ممنون",
]


class XApiServer(WireServer):
    reset_in = 600
    token = "test-bearer-token"
    #: requests left in the rate-limit window (x-rate-limit-remaining counts down on each answer)
    quota = 449

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self._next_id = 1_790_000_000_000_000_000
        #: authors X no longer returns (suspended): their tweets come with a resource-not-found error
        self.suspended: set[str] = set()

    # ----------------------------------------------------------------- content
    def add_tweets(self, n: int, *, mention_of: str | None = None) -> list[str]:
        """Append ``n`` tweets, each newer than all before; returns their ids."""
        ids = []
        for _ in range(n):
            self._next_id += 1_000_003
            i = len(self.tweets)
            user_id = str(2_244_994_945 + i % 3)
            self.users.setdefault(
                user_id,
                {
                    "id": user_id,
                    "username": f"karbar_{i % 3}",
                    "name": f"کاربر {i % 3}",
                    "verified": i % 3 == 0,
                    "public_metrics": {
                        "followers_count": 100 * (i % 3 + 1),
                        "following_count": 50,
                        "tweet_count": 1200,
                        "listed_count": 2,
                        "like_count": 10,
                    },
                },
            )
            created = datetime(2026, 11, 1, 8, tzinfo=UTC) + timedelta(minutes=7 * len(self.tweets))
            tweet_id = str(self._next_id)
            self.tweets.append(
                {
                    "id": tweet_id,
                    "text": f"{PERSIAN_TEXTS[i % len(PERSIAN_TEXTS)]} ({i})",
                    "edit_history_tweet_ids": [tweet_id],
                    "author_id": user_id,
                    "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "lang": "fa",
                    "conversation_id": tweet_id,
                    "public_metrics": {
                        "retweet_count": i % 4,
                        "reply_count": i % 2,
                        "like_count": i,
                        "quote_count": 0,
                        "bookmark_count": 0,
                        "impression_count": 40 + i,
                    },
                    "referenced_tweets": [{"type": "replied_to", "id": self.tweets[-1]["id"]}]
                    if i % 5 == 4
                    else None,
                    "_mentions": mention_of,
                }
            )
            ids.append(tweet_id)
        return ids

    # ------------------------------------------------------------------ wire
    def _headers(self, remaining: int | None = None) -> dict[str, str]:
        if remaining is None:
            self.quota = max(0, self.quota - 1)
        return {
            "x-rate-limit-limit": "450",
            "x-rate-limit-remaining": str(self.quota if remaining is None else remaining),
            "x-rate-limit-reset": str(int(time.time()) + self.reset_in),
        }

    def fault(self, kind: str, seen: Seen) -> Reply:
        if kind == "broken":
            return Reply(200, '{"data": [{"id": "1", "text": "نیمه', headers=self._headers())
        status, problem = PROBLEMS[kind]
        headers = self._headers(0 if status == 429 else None)
        return Reply.json(problem, status, headers | {"content-type": "application/problem+json"})

    def route(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization") != f"Bearer {self.token}":
            return self.fault("401", seen)
        mention = re.fullmatch(r"/2/users/(\d+)/mentions", seen.path)
        if seen.path == "/2/tweets/search/recent":
            token_param, pool = "next_token", [t for t in self.tweets if t["_mentions"] is None]
        elif mention:
            token_param = "pagination_token"
            pool = [t for t in self.tweets if t["_mentions"] == mention.group(1)]
        else:
            return Reply.json({"errors": [{"message": "Sorry, that page does not exist", "code": 34}]}, 404)
        q = {k: v[0] for k, v in seen.query.items()}
        since, until = int(q.get("since_id", 0)), int(q.get("until_id", 10**30))
        matching = sorted((t for t in pool if since < int(t["id"]) < until), key=lambda t: -int(t["id"]))
        size = int(q.get("max_results", 10))
        offset = int(q[token_param][len(TOKEN_PREFIX) :]) if q.get(token_param) else 0
        page = matching[offset : offset + size]
        if not page:
            return Reply.json({"meta": {"result_count": 0}}, headers=self._headers())
        tweet_fields = set(q.get("tweet.fields", "").split(",")) - {""}
        user_fields = set(q.get("user.fields", "").split(",")) - {""}
        data = [
            {
                k: v
                for k, v in t.items()
                if k in {"id", "text", "edit_history_tweet_ids"} | tweet_fields and v is not None
            }
            for t in page
        ]
        body: dict[str, Any] = {"data": data}
        if "author_id" in q.get("expansions", ""):
            authors = dict.fromkeys(t["author_id"] for t in page)
            body["includes"] = {
                "users": [
                    {k: v for k, v in self.users[a].items() if k in {"id", "name", "username"} | user_fields}
                    for a in authors
                    if a not in self.suspended
                ]
            }
            gone = [a for a in authors if a in self.suspended]
            if gone:  # X's partial errors: the tweets stay, their authors are missing
                body["errors"] = [
                    {
                        "value": a,
                        "detail": f"Could not find user with author_id: [{a}].",
                        "title": "Not Found Error",
                        "resource_type": "user",
                        "parameter": "author_id",
                        "resource_id": a,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                    for a in gone
                ]
        meta: dict[str, Any] = {
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
            "result_count": len(page),
        }
        if offset + size < len(matching):
            meta["next_token"] = f"{TOKEN_PREFIX}{offset + size}"
        body["meta"] = meta
        return Reply.json(body, headers=self._headers())
