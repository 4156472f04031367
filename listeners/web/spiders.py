"""Scrapy spiders for one configured web source each; they report items and errors as dicts.

Errors become ``{"type": "error", ...}`` records rather than exceptions: the parent process turns
them into ``ListenerError``s with the same kinds every listener uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from listeners.web.parsing import PayloadError, parse_feed, parse_page, parse_telegram


class SourceSpider(scrapy.Spider):
    """Shared request/error plumbing; subclasses parse one kind of page."""

    name = "shenava_source"

    def __init__(self, job: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.pages = 0
        self.host = urlsplit(job["url"]).hostname or ""

    async def start(self):  # scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        yield self.request(self.job["url"])

    def request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        url = getattr(getattr(failure, "request", None), "url", self.job["url"])
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            if status == 429:
                after = response.headers.get(b"Retry-After", b"").decode().strip()
                yield error(
                    "rate_limited",
                    f"{url} answered 429 Too Many Requests",
                    float(after) if after.replace(".", "", 1).isdigit() else 60.0,
                )
            elif status in (401, 403):
                yield error("forbidden", f"{url} answered {status}: access refused")
            elif status == 404:
                yield error("not_found", f"{url} answered 404 Not Found")
            else:
                yield error("unavailable", f"{url} answered {status} after retries")
        elif failure.check(IgnoreRequest):
            yield error("forbidden", f"robots.txt of {url} disallows it for our user agent ({failure.value})")
        elif failure.check(TimeoutError, TCPTimedOutError):
            yield error("unavailable", f"{url} timed out after retries")
        elif failure.check(DNSLookupError):
            yield error("unavailable", f"{url}: host not found")
        else:
            yield error("unavailable", f"{url}: {failure.getErrorMessage() or failure.type.__name__}")

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        self.pages += 1
        try:
            yield from self.parse_source(response)
        except PayloadError as err:
            yield error("bad_payload", f"{response.url}: {err}")

    def parse_source(self, response: scrapy.http.Response) -> Iterator[Any]:
        raise NotImplementedError


class FeedSpider(SourceSpider):
    name = "shenava_feed"

    def parse_source(self, response: scrapy.http.Response) -> Iterator[Any]:
        for item in parse_feed(response.body, response.url, self.job.get("tz", "Asia/Tehran")):
            yield {"type": "item", "item": item}


class PageSpider(SourceSpider):
    name = "shenava_page"

    def parse_source(self, response: scrapy.http.Response) -> Iterator[Any]:
        if not isinstance(response, scrapy.http.TextResponse):
            raise PayloadError(f"expected an HTML page, got {response.headers.get(b'Content-Type')!r}")
        items, next_url = parse_page(
            response.text,
            response.url,
            self.job["selectors"],
            self.job.get("tz", "Asia/Tehran"),
            self.job.get("next_page"),
        )
        for item in items:
            yield {"type": "item", "item": item}
        # Only the configured site: a "next" link elsewhere (a mirror, an ad) is not followed.
        if next_url and self.pages < self.job["max_pages"] and urlsplit(next_url).hostname == self.host:
            yield self.request(next_url)


class TelegramSpider(SourceSpider):
    """Reads a channel preview newest → oldest with ``?before=`` until ``stop_at`` or the page budget."""

    name = "shenava_telegram"

    def start_requests(self) -> Iterator[scrapy.Request]:
        before = self.job.get("before")
        url = self.job["url"] + (f"?{urlencode({'before': before})}" if before else "")
        yield self.request(url)

    def parse_source(self, response: scrapy.http.Response) -> Iterator[Any]:
        if not isinstance(response, scrapy.http.TextResponse):
            raise PayloadError("expected the HTML of a t.me/s page")
        messages = parse_telegram(response.text, response.url)
        stop_at = self.job.get("stop_at")
        for message in messages:
            yield {"type": "item", "item": message}
        oldest = messages[0]["number"] if messages else None
        # No stop (first run): read back as far as the page budget allows.
        reached = not messages or oldest <= 1 or (stop_at is not None and oldest <= stop_at + 1)
        if not reached and self.pages < self.job["max_pages"]:
            yield self.request(f"{self.job['url']}?{urlencode({'before': oldest})}")
        else:
            yield {"type": "done", "reached_stop": reached, "oldest": oldest}


def error(kind: str, message: str, retry_after: float | None = None) -> dict[str, Any]:
    return {"type": "error", "kind": kind, "message": message, "retry_after": retry_after}


SPIDERS: dict[str, type[SourceSpider]] = {"feed": FeedSpider, "page": PageSpider, "telegram": TelegramSpider}
