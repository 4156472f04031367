"""Web listeners: RSS/Atom feeds and selector-driven pages (``web``), and public Telegram channel
previews (``telegram``). Each configured target is one listener with its own checkpoint; the crawl
runs in a subprocess (see ``listeners.web.runner``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import NotConfigured
from domain.mention import RawMention
from listeners.base import Listener
from listeners.settings import FeedSource, PageSource, WebSettings
from listeners.web.runner import CrawlResult, raise_first_error, run_crawl


def _when(item: dict[str, Any]) -> datetime:
    # An undated item is dated when first seen: the seen-ids checkpoint keeps that stable.
    return datetime.fromisoformat(item["date"]) if item.get("date") else datetime.now(UTC)


class WebListener(Listener):
    """One feed (``web:feed:<name>``) or one page (``web:page:<name>``); cursor: ids seen (bounded)."""

    source: ClassVar[str] = "web"

    def __init__(self, key: str, settings: WebSettings, target: FeedSource | PageSource, tz: str) -> None:
        super().__init__(key)
        self.settings, self.target, self.tz = settings, target, tz
        self.interval_seconds = settings.interval_seconds  # read by the scheduler

    @classmethod
    def from_settings(cls, settings: Any) -> list[Listener]:
        web: WebSettings = settings.sources.web
        if not web.enabled:
            raise NotConfigured("web listener is switched off (sources.web.enabled: false)")
        if not web.feeds and not web.pages:
            raise NotConfigured("web listener is off: no feeds or pages configured (sources.web)")
        tz = getattr(settings, "timezone", "Asia/Tehran")
        return [cls(f"web:feed:{f.name}", web, f, tz) for f in web.feeds] + [
            cls(f"web:page:{p.name}", web, p, tz) for p in web.pages
        ]

    def _job(self) -> dict[str, Any]:
        if isinstance(self.target, FeedSource):
            return {"kind": "feed", "url": self.target.url, "max_pages": 1, "tz": self.tz}
        return {
            "kind": "page",
            "url": self.target.url,
            "selectors": self.target.selectors.model_dump(),
            "next_page": self.target.next_page,
            "max_pages": self.settings.max_pages,
            "tz": self.tz,
        }

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        result = run_crawl(self._job(), self.settings, self.key)
        seen: list[str] = list((checkpoint.state if checkpoint else {}).get("seen") or [])
        known = set(seen)
        fresh: list[RawMention] = []
        for item in result.items:
            if item["id"] in known:
                continue
            known.add(item["id"])
            seen.append(item["id"])
            title = item.get("title") or ""
            text = item["text"] if not title or title in item["text"] else f"{title}\n{item['text']}"
            fresh.append(
                RawMention(
                    source=self.source,
                    external_id=item["id"],
                    text=text,
                    created_at=_when(item),
                    url=item.get("url"),
                    author_name=item.get("author"),
                    raw={"kind": self._job()["kind"], "target": self.target.name},
                )
            )
        if fresh or (checkpoint is None and not result.errors):
            state = {"seen": seen[-self.settings.max_seen :]}
            yield ListenerBatch(fresh, Checkpoint(self.key, state))
        raise_first_error(result, self.key)


class TelegramListener(Listener):
    """One public channel (``telegram:<channel>``) read from its t.me/s preview.

    Cursor: ``last_id`` (every message at or below it is stored). Pages go newest → oldest; if the
    page budget runs out before ``last_id`` is reached, ``window`` {newest, before} remembers the
    gap and the next run fills it first, so nothing is skipped.
    """

    source: ClassVar[str] = "telegram"

    def __init__(self, key: str, settings: WebSettings, channel: str) -> None:
        super().__init__(key)
        self.settings, self.channel = settings, channel
        self.interval_seconds = settings.interval_seconds  # read by the scheduler

    @classmethod
    def from_settings(cls, settings: Any) -> list[Listener]:
        web: WebSettings = settings.sources.web
        if not web.enabled:
            raise NotConfigured("Telegram listener is switched off (sources.web.enabled: false)")
        channels = [c.lstrip("@").strip() for c in web.telegram.channels if c.strip()]
        if not channels:
            raise NotConfigured("Telegram listener is off: no channels configured (sources.web.telegram)")
        return [cls(f"telegram:{c}", web, c) for c in dict.fromkeys(channels)]

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        state = checkpoint.state if checkpoint else {}
        last_id: int | None = state.get("last_id")
        window = state.get("window") or {}
        before: int | None = window.get("before")
        job = {
            "kind": "telegram",
            "url": f"{self.settings.telegram.base_url.rstrip('/')}/s/{self.channel}",
            "before": before,
            "stop_at": last_id,
            "max_pages": self.settings.max_pages,
        }
        result: CrawlResult = run_crawl(job, self.settings, self.key)
        by_number = {m["number"]: m for m in result.items if _between(m["number"], last_id, before)}
        numbers = sorted(by_number)
        if not numbers:
            raise_first_error(result, self.key)
        newest = window.get("newest") or (numbers[-1] if numbers else last_id)
        if last_id is None or (result.done.get("reached_stop") and not result.errors):
            new_state: dict[str, Any] = {"last_id": newest}
        else:
            new_state = {
                "last_id": last_id,
                "window": {"newest": newest, "before": numbers[0] if numbers else before},
            }
        if numbers or new_state != state:
            yield ListenerBatch(
                [self._mention(by_number[n]) for n in numbers], Checkpoint(self.key, new_state)
            )
        raise_first_error(result, self.key)

    def _mention(self, message: dict[str, Any]) -> RawMention:
        return RawMention(
            source=self.source,
            external_id=message["id"],
            text=message["text"],
            created_at=_when(message),
            url=message["url"],
            author_handle=message["channel"],
            author_name=message.get("author"),
            metrics={"views": message["views"]} if message.get("views") is not None else {},
            raw={"kind": "telegram", "channel": message["channel"]},
        )


def _between(number: int, after: int | None, before: int | None) -> bool:
    return (after is None or number > after) and (before is None or number < before)
