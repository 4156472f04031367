"""One harness per listener: its local server (or file), its settings, and how to add content to it.

The contract suite (test_contract.py) runs the same tests over every harness; the tests of a
source's wire failures (``wire`` marker) over those with a server.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from config.settings import Settings
from domain.checkpoint import Checkpoint
from domain.mention import RawMention
from listeners.base import Listener
from listeners.instagram import InstagramListener
from listeners.replay import ReplayListener
from listeners.twitter import TwitterListener
from listeners.web.sites import WebListener
from listeners.web.telegram import TelegramListener
from tests.listeners.servers.base import WireServer
from tests.listeners.servers.instagram import InstagramServer
from tests.listeners.servers.web import WebSourceServer
from tests.listeners.servers.x_api import XApiServer

BRANDS = [
    {
        "name": "sabzino",
        "aliases_fa": ["سبزینو"],
        "aliases_latin": ["Sabzino"],
        "aliases_finglish": ["sabzeeno"],
        "handles": ["sabzino", "sabzino_support"],
        "hashtags": ["سبزینو"],
    }
]
#: quick failure settings: one retry, short timeouts (the servers stall longer than this)
HTTP = {"timeout_seconds": 0.4, "retries": 1, "backoff_seconds": 0.01}


def settings_with(sources: dict[str, Any]) -> Settings:
    return Settings.model_validate({"brands": BRANDS, "sources": sources})


def drain(
    listener: Listener, checkpoint: Checkpoint | None, batches: int | None = None
) -> tuple[list[RawMention], Checkpoint | None]:
    """Run ``fetch`` as the scheduler would, storing each checkpoint as JSON between batches."""
    mentions: list[RawMention] = []
    for i, batch in enumerate(listener.fetch(checkpoint)):
        mentions.extend(batch.mentions)
        stored = json.loads(json.dumps(batch.checkpoint.to_json()))
        checkpoint = Checkpoint.from_json(batch.checkpoint.key, stored)
        assert checkpoint.key == listener.key
        if batches is not None and i + 1 >= batches:
            break
    return mentions, checkpoint


class Harness:
    name: ClassVar[str]
    cls: ClassVar[type]
    #: the listener's local wire-format server; None for a listener that reads a file
    server: WireServer | None
    #: whether the source is reached over the wire (the ``wire`` contract tests apply)
    wire: ClassVar[bool] = True
    #: how many times a fault must repeat before retries are exhausted
    attempts = HTTP["retries"] + 1

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        self.monkeypatch, self.tmp_path = monkeypatch, tmp_path

    def settings(self) -> Settings:
        raise NotImplementedError

    def unconfigured(self) -> Settings:
        raise NotImplementedError

    def add(self, n: int) -> list[str]:
        raise NotImplementedError

    def listener(self) -> Listener:
        built = self.cls.from_settings(self.settings())
        assert len(built) == 1, [b.key for b in built]
        return built[0]


class XHarness(Harness):
    name, cls = "x", TwitterListener

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        super().__init__(monkeypatch, tmp_path)
        self.server = XApiServer()
        monkeypatch.setenv("SHENAVA_X_BEARER_TOKEN", XApiServer.token)
        monkeypatch.delenv("SHENAVA_X_USER_TOKEN", raising=False)

    def settings(self) -> Settings:
        return settings_with({"x": {"base_url": self.server.url, "page_size": 10, "http": HTTP}})

    def unconfigured(self) -> Settings:
        self.monkeypatch.delenv("SHENAVA_X_BEARER_TOKEN")
        return self.settings()

    def add(self, n: int) -> list[str]:
        return self.server.add_tweets(n)  # type: ignore[attr-defined]


class InstagramHarness(Harness):
    name, cls = "instagram", InstagramListener

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        super().__init__(monkeypatch, tmp_path)
        self.server = srv = InstagramServer()
        srv.add_profile("sabzino")
        self.session_file = tmp_path / "session-tester"
        with self.session_file.open("wb") as handle:  # instaloader's own session file format
            pickle.dump(
                {
                    "sessionid": srv.session_cookie,
                    "csrftoken": "csrf-test",
                    "ds_user_id": "4242",
                    "mid": "ZxYwVu",
                },
                handle,
            )
        self.media: list[str] = []

    def settings(self) -> Settings:
        return settings_with(
            {
                "instagram": {
                    "web_url": self.server.url,
                    "api_url": self.server.url,
                    "profiles": ["sabzino"],
                    "session_file": str(self.session_file),
                    "session_user": "tester",
                    "polite_sleep": False,
                    "http": HTTP,
                }
            }
        )

    def unconfigured(self) -> Settings:
        return settings_with({"instagram": {"profiles": [], "hashtags": []}})

    def add(self, n: int) -> list[str]:
        srv: InstagramServer = self.server  # type: ignore[assignment]
        ids: list[str] = []
        if not self.media:
            for _ in range(2):
                ids.append(srv.add_post("sabzino"))
                self.media.append(ids[-1].split(":")[1])
        for i in range(n):
            ids += srv.add_comments(self.media[i % len(self.media)], 1)
        return ids


class WebHarness(Harness):
    cls = WebListener
    path: ClassVar[str]

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        super().__init__(monkeypatch, tmp_path)
        self.server = WebSourceServer()

    def web(self) -> dict[str, Any]:
        raise NotImplementedError

    def settings(self) -> Settings:
        return settings_with(
            {"web": {**self.web(), "download_delay": 0, "http": HTTP, "crawl_timeout_seconds": 60}}
        )

    def unconfigured(self) -> Settings:
        return settings_with({"web": {}})

    def add(self, n: int) -> list[str]:
        return [self.id_of(i) for i in self.server.add(n)]  # type: ignore[attr-defined]

    def id_of(self, n: int) -> str:
        raise NotImplementedError


class RssHarness(WebHarness):
    name = "rss"

    def web(self) -> dict[str, Any]:
        return {"feeds": [{"name": "news", "url": f"{self.server.url}/feed.xml"}]}

    def id_of(self, n: int) -> str:
        return f"news-{n}"


REVIEW_SELECTORS = {
    "item": "article.review",
    "text": "div.body",
    "url": "a.permalink::attr(href)",
    "date": "time::attr(datetime)",
    "author": "xpath:.//span[@class='by']/text()",
}


class HtmlHarness(WebHarness):
    name = "html"

    def web(self) -> dict[str, Any]:
        return {
            "pages": [
                {
                    "name": "reviews",
                    "url": f"{self.server.url}/reviews",
                    "selectors": REVIEW_SELECTORS,
                    "next_page": "a.next::attr(href)",
                }
            ]
        }

    def id_of(self, n: int) -> str:
        return f"{self.server.url}/reviews/{n}"


class TelegramHarness(WebHarness):
    name, cls = "telegram", TelegramListener

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        super().__init__(monkeypatch, tmp_path)
        self.server.channel_page = 5  # type: ignore[attr-defined]

    def web(self) -> dict[str, Any]:
        return {"telegram": {"base_url": self.server.url, "channels": ["sabzino_news"]}}

    def id_of(self, n: int) -> str:
        return f"sabzino_news/{n}"


class ReplayHarness(Harness):
    """The replay of a real mention file (JSONL), appended to as the source "publishes"."""

    name, cls = "replay", ReplayListener
    server = None
    wire = False
    #: every line at one moment, so the replay's simulated clock releases them all at once
    created_at = "2026-10-03T18:20:00+03:30"

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        super().__init__(monkeypatch, tmp_path)
        monkeypatch.delenv("SHENAVA_X_BEARER_TOKEN", raising=False)  # no live source besides
        self.file = tmp_path / "mentions.jsonl"
        self.file.write_text("", encoding="utf-8")
        self.count = 0

    def replay(self, enabled: bool) -> Settings:
        return settings_with({"replay": {"enabled": enabled, "file": str(self.file)}})

    def settings(self) -> Settings:
        return self.replay(True)

    def unconfigured(self) -> Settings:
        return self.replay(False)

    def add(self, n: int) -> list[str]:
        ids = [f"post-{self.count + i}" for i in range(n)]
        self.count += n
        lines = [
            json.dumps(
                {"id": i, "text": f"سبزینو امروز {i}", "created_at": self.created_at}, ensure_ascii=False
            )
            for i in ids
        ]
        with self.file.open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        return ids


#: one harness per listener class and page kind (Atom shares the feed spider with RSS; see test_web.py)
HARNESSES: dict[str, type[Harness]] = {
    h.name: h for h in (XHarness, InstagramHarness, RssHarness, HtmlHarness, TelegramHarness, ReplayHarness)
}
#: the harnesses with a wire-format server (the others read files)
WIRE_HARNESSES = sorted(name for name, h in HARNESSES.items() if h.wire)


def open_harness(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Harness]:
    harness = HARNESSES[name](monkeypatch, tmp_path)
    if harness.server is None:
        yield harness
        return
    harness.server.stall_seconds = 1.0
    with harness.server:
        yield harness
