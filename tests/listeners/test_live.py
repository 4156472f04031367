"""Live smoke tests against the real services: skipped unless SHENAVA_LIVE_TESTS=1 and the source's
credentials/targets are in the environment. Never run in CI. See README, "Sources and credentials".

    SHENAVA_LIVE_TESTS=1 SHENAVA_X_BEARER_TOKEN=... .venv/bin/python -m pytest -m live \
        tests/listeners/test_live.py
"""

from __future__ import annotations

import os

import pytest

from domain.errors import ListenerError
from listeners.instagram import InstagramListener
from listeners.twitter import TwitterListener
from listeners.web.sites import WebListener
from listeners.web.telegram import TelegramListener
from tests.listeners.harness import drain, settings_with

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("SHENAVA_LIVE_TESTS") != "1", reason="live tests need SHENAVA_LIVE_TESTS=1"
    ),
]
#: these say "try later", which is still a working listener
TRANSIENT_KINDS = {"rate_limited", "usage_cap"}


def _needs(*names: str) -> None:
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        pytest.skip(f"set {', '.join(missing)} to run this live test")


def _smoke(listener) -> None:
    try:
        mentions, checkpoint = drain(listener, None)
    except ListenerError as err:
        if err.kind in TRANSIENT_KINDS:
            pytest.skip(f"{listener.key}: {err.kind} ({err})")
        raise
    assert checkpoint is not None
    assert all(m.created_at.tzinfo and m.external_id for m in mentions)
    print(f"{listener.key}: {len(mentions)} mentions; checkpoint {checkpoint.state}")


def test_x_recent_search() -> None:
    _needs("SHENAVA_X_BEARER_TOKEN")
    settings = settings_with({"x": {"max_pages": 1, "page_size": 10}})
    _smoke(TwitterListener.from_settings(settings)[0])


def test_instagram_profile() -> None:
    _needs("SHENAVA_LIVE_INSTAGRAM_PROFILE")
    extra = {}
    if os.environ.get("SHENAVA_LIVE_INSTAGRAM_SESSION"):
        extra = {
            "session_file": os.environ["SHENAVA_LIVE_INSTAGRAM_SESSION"],
            "session_user": os.environ.get("SHENAVA_LIVE_INSTAGRAM_USER"),
        }
    settings = settings_with(
        {
            "instagram": {
                "profiles": [os.environ["SHENAVA_LIVE_INSTAGRAM_PROFILE"]],
                "comments_for_posts": 1,
                **extra,
            }
        }
    )
    _smoke(InstagramListener.from_settings(settings)[0])


def test_telegram_channel_preview() -> None:
    _needs("SHENAVA_LIVE_TELEGRAM_CHANNEL")
    settings = settings_with(
        {"web": {"max_pages": 1, "telegram": {"channels": [os.environ["SHENAVA_LIVE_TELEGRAM_CHANNEL"]]}}}
    )
    _smoke(TelegramListener.from_settings(settings)[0])


def test_feed() -> None:
    _needs("SHENAVA_LIVE_FEED_URL")
    settings = settings_with(
        {"web": {"feeds": [{"name": "live", "url": os.environ["SHENAVA_LIVE_FEED_URL"]}]}}
    )
    _smoke(WebListener.from_settings(settings)[0])
