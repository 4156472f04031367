"""The web listener (``web``): news sites' RSS/Atom feeds and selector-driven pages.

Each configured feed or page is one listener with its own checkpoint; the crawl runs in a
subprocess (see ``listeners.web.runner``). Public Telegram channels are ``listeners.web.telegram``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import NotConfigured
from domain.mention import RawMention
from listeners.base import Listener
from listeners.settings import FeedSource, ListenerSettingsView, PageSource, WebSettings
from listeners.web.runner import item_time, raise_first_error, run_crawl


class WebListener(Listener):
    """One feed (``web:feed:<name>``) or one page (``web:page:<name>``); cursor: ids seen (bounded)."""

    source: ClassVar[str] = "web"

    def __init__(self, key: str, settings: WebSettings, target: FeedSource | PageSource, tz: str) -> None:
        super().__init__(key)
        self.settings, self.target, self.tz = settings, target, tz
        self.interval_seconds = settings.interval_seconds  # read by the scheduler

    @classmethod
    def from_settings(cls, settings: ListenerSettingsView) -> list[Listener]:
        web: WebSettings = settings.sources.web
        if not web.enabled:
            raise NotConfigured("web listener is switched off (sources.web.enabled: false)")
        if not web.feeds and not web.pages:
            raise NotConfigured("web listener is off: no feeds or pages configured (sources.web)")
        return [cls(f"web:feed:{f.name}", web, f, settings.timezone) for f in web.feeds] + [
            cls(f"web:page:{p.name}", web, p, settings.timezone) for p in web.pages
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
                    created_at=item_time(item),
                    url=item.get("url"),
                    author_name=item.get("author"),
                    raw={"kind": self._job()["kind"], "target": self.target.name},
                )
            )
        if fresh or (checkpoint is None and not result.errors):
            state = {"seen": seen[-self.settings.max_seen :]}
            yield ListenerBatch(fresh, Checkpoint(self.key, state))
        raise_first_error(result, self.key)
