"""The Telegram listener (``telegram``): public channels read from their t.me/s previews.

Each configured channel is one listener with its own checkpoint; the crawl runs in a subprocess
(see ``listeners.web.runner``), like the web listener's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import NotConfigured
from domain.mention import RawMention
from listeners.base import Listener
from listeners.settings import ListenerSettingsView, WebSettings
from listeners.web.runner import CrawlResult, item_time, raise_first_error, run_crawl


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
    def from_settings(cls, settings: ListenerSettingsView) -> list[Listener]:
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
            created_at=item_time(message),
            url=message["url"],
            author_handle=message["channel"],
            author_name=message.get("author"),
            metrics={"views": message["views"]} if message.get("views") is not None else {},
            raw={"kind": "telegram", "channel": message["channel"]},
        )


def _between(number: int, after: int | None, before: int | None) -> bool:
    return (after is None or number > after) and (before is None or number < before)
