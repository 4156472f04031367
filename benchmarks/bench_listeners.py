"""Listener throughput against the local wire-format servers (no network): how many mentions a
second each listener parses and checkpoints, and what one scrapy crawl subprocess costs.

    .venv/bin/python -m benchmarks listeners
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from pathlib import Path

from listeners.instagram import InstagramListener
from listeners.twitter import TwitterListener
from listeners.web.sites import WebListener
from listeners.web.telegram import TelegramListener
from tests.listeners.harness import drain, settings_with
from tests.listeners.servers.instagram import InstagramServer
from tests.listeners.servers.web import WebSourceServer
from tests.listeners.servers.x_api import XApiServer

QUICK = {"timeout_seconds": 10, "retries": 1, "backoff_seconds": 0.1}


def _timed(label: str, listener, unit: str = "mentions") -> None:
    start = time.perf_counter()
    mentions, _ = drain(listener, None)
    took = time.perf_counter() - start
    print(f"{label:<44} {len(mentions):>6} {unit} in {took:6.2f} s  ({len(mentions) / took:8.0f}/s)")


def bench_x() -> None:
    with XApiServer() as server:
        server.add_tweets(3000)
        settings = settings_with(
            {"x": {"base_url": server.url, "page_size": 100, "max_pages": 50, "http": QUICK}}
        )
        before = os.environ.get("SHENAVA_X_BEARER_TOKEN")
        os.environ["SHENAVA_X_BEARER_TOKEN"] = XApiServer.token
        try:
            listener = TwitterListener.from_settings(settings)[0]
        finally:  # later benchmarks in this process must not see a token
            if before is None:
                del os.environ["SHENAVA_X_BEARER_TOKEN"]
            else:
                os.environ["SHENAVA_X_BEARER_TOKEN"] = before
        _timed("x: search, 30 pages of 100 with includes", listener)


def bench_instagram() -> None:
    with InstagramServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.add_profile("sabzino")
        for _ in range(6):
            media = server.add_post("sabzino").split(":")[1]
            server.add_comments(media, 100, replies=True)
        server.comments_page = 20
        session = Path(tmp) / "session"
        session.write_bytes(
            pickle.dumps({"sessionid": server.session_cookie, "csrftoken": "c", "ds_user_id": "1"})
        )
        settings = settings_with(
            {
                "instagram": {
                    "web_url": server.url,
                    "api_url": server.url,
                    "profiles": ["sabzino"],
                    "session_file": str(session),
                    "session_user": "bench",
                    "polite_sleep": False,
                    "http": QUICK,
                }
            }
        )
        _timed("instagram: 6 posts, 1200 comments+replies", InstagramListener.from_settings(settings)[0])


def bench_web() -> None:
    with WebSourceServer() as server:
        server.add(20)
        web = {"download_delay": 0, "http": QUICK}
        feed = settings_with({"web": {**web, "feeds": [{"name": "f", "url": f"{server.url}/feed.xml"}]}})
        _timed("web: one RSS crawl (subprocess, robots.txt)", WebListener.from_settings(feed)[0])
        server.add(80)
        tg = settings_with({"web": {**web, "telegram": {"base_url": server.url, "channels": ["c"]}}})
        _timed("telegram: 5 preview pages of 20", TelegramListener.from_settings(tg)[0])


def main() -> None:
    bench_x()
    bench_instagram()
    bench_web()


if __name__ == "__main__":
    main()
