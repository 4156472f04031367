"""Web crawl specifics over real HTTP: robots.txt, user agent, paging, Telegram gap windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.errors import ListenerError
from listeners.web.sites import WebListener
from listeners.web.telegram import TelegramListener
from tests.listeners.harness import HTTP, REVIEW_SELECTORS, drain, settings_with
from tests.listeners.servers.web import WebSourceServer


@pytest.fixture
def site() -> Iterator[WebSourceServer]:
    with WebSourceServer() as server:
        yield server  # type: ignore[misc]


def _reviews(site: WebSourceServer) -> dict:
    return {
        "name": "r",
        "url": f"{site.url}/reviews",
        "selectors": REVIEW_SELECTORS,
        "next_page": "a.next::attr(href)",
    }


def _web(site: WebSourceServer, **web) -> dict:
    return {"web": {"download_delay": 0, "http": HTTP, **web}}


def test_robots_txt_is_fetched_and_obeyed_with_our_user_agent(site: WebSourceServer) -> None:
    site.add(3)
    settings = settings_with(
        _web(
            site,
            user_agent="ShenavaTest/1.0",
            pages=[
                {"name": "hidden", "url": f"{site.url}/private/reviews", "selectors": REVIEW_SELECTORS},
                {"name": "open", "url": f"{site.url}/reviews", "selectors": REVIEW_SELECTORS},
            ],
        )
    )
    hidden, open_ = WebListener.from_settings(settings)
    with pytest.raises(ListenerError) as caught:
        drain(hidden, None)
    assert caught.value.kind == "forbidden" and "robots.txt" in str(caught.value)
    assert not site.hits("/private/")
    mentions, _ = drain(open_, None)
    assert len(mentions) == 3
    assert site.hits("/robots.txt") and all(
        r.headers["user-agent"] == "ShenavaTest/1.0" for r in site.requests
    )


def test_atom_feed_over_http_resumes(site: WebSourceServer) -> None:
    site.add(4)
    settings = settings_with(_web(site, feeds=[{"name": "a", "url": f"{site.url}/atom.xml"}]))
    [listener] = WebListener.from_settings(settings)
    first, checkpoint = drain(listener, None)
    site.add(2)
    again, _ = drain(listener, checkpoint)
    assert [m.external_id for m in again] == ["tag:example.ir,2026:news-6", "tag:example.ir,2026:news-5"]
    assert len(first) == 4 and first[0].author_name and first[0].url == f"{site.url}/news/4"


def test_feed_checkpoint_is_bounded(site: WebSourceServer) -> None:
    site.add(15)
    settings = settings_with(_web(site, max_seen=10, feeds=[{"name": "n", "url": f"{site.url}/feed.xml"}]))
    [listener] = WebListener.from_settings(settings)
    mentions, checkpoint = drain(listener, None)
    assert len(mentions) == 15 and checkpoint is not None and len(checkpoint.state["seen"]) == 10
    assert checkpoint.state["seen"][-1] == "news-1"  # feed order: the oldest last


def test_telegram_gap_is_filled_on_later_runs(site: WebSourceServer) -> None:
    site.channel_page = 5
    site.add(3)
    settings = settings_with(_web(site, max_pages=1, telegram={"base_url": site.url, "channels": ["ch"]}))
    [listener] = TelegramListener.from_settings(settings)
    first, checkpoint = drain(listener, None)
    assert [m.external_id for m in first] == ["ch/1", "ch/2", "ch/3"]
    site.add(12)  # 4..15: three pages of five, one page per run
    seen = []
    for _ in range(3):
        batch, checkpoint = drain(listener, checkpoint)
        seen += [m.external_id for m in batch]
    assert sorted(seen, key=lambda i: int(i.split("/")[1])) == [f"ch/{n}" for n in range(4, 16)]
    assert checkpoint is not None and checkpoint.state == {"last_id": 15}
    assert site.requests[-1].query.get("before") == ["6"]


def test_a_second_page_error_keeps_the_first_pages(site: WebSourceServer) -> None:
    site.add(8)
    settings = settings_with(_web(site, pages=[_reviews(site)]))
    [listener] = WebListener.from_settings(settings)
    original = site.route
    site.route = lambda seen: site.fault("429", seen) if seen.query.get("page") == ["2"] else original(seen)
    stored = []
    batches = listener.fetch(None)
    first = next(batches)
    stored += first.mentions
    with pytest.raises(ListenerError) as caught:
        next(batches)
    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 30
    site.route = original  # type: ignore[method-assign]
    rest, _ = drain(listener, first.checkpoint)
    assert len(stored) == 5 and len(rest) == 3
    assert not {m.external_id for m in stored} & {m.external_id for m in rest}


def test_web_sources_are_off_without_targets(tmp_path: Path) -> None:
    from domain.errors import NotConfigured

    with pytest.raises(NotConfigured, match="no feeds or pages"):
        WebListener.from_settings(settings_with({"web": {}}))
    with pytest.raises(NotConfigured, match="switched off"):
        TelegramListener.from_settings(
            settings_with({"web": {"enabled": False, "telegram": {"channels": ["a"]}}})
        )


def test_scrapy_is_configured_politely() -> None:
    from listeners.web.crawl import scrapy_settings
    from listeners.web.runner import policy_of

    web = settings_with({"web": {"concurrency_per_domain": 3, "download_delay": 1.5}}).sources.web
    conf = scrapy_settings({"policy": policy_of(web)})
    assert conf["ROBOTSTXT_OBEY"] and conf["AUTOTHROTTLE_ENABLED"]
    assert conf["CONCURRENT_REQUESTS_PER_DOMAIN"] == 3 and conf["DOWNLOAD_DELAY"] == 1.5
    assert 429 not in conf["RETRY_HTTP_CODES"] and 503 in conf["RETRY_HTTP_CODES"]


def test_a_crawl_that_breaks_down_or_hangs_is_unavailable(site: WebSourceServer) -> None:
    from listeners.web.runner import run_crawl

    web = settings_with(_web(site)).sources.web
    with pytest.raises(ListenerError) as caught:
        run_crawl({"kind": "no-such-spider", "url": site.url}, web, "web:page:x")
    assert caught.value.kind == "unavailable" and "crawler exited" in str(caught.value)
    quick = web.model_copy(update={"crawl_timeout_seconds": 0.05})
    with pytest.raises(ListenerError) as caught:
        run_crawl({"kind": "feed", "url": f"{site.url}/feed.xml", "max_pages": 1}, quick, "web:feed:x")
    assert caught.value.kind == "unavailable" and "did not finish" in str(caught.value)


def test_links_to_other_hosts_are_not_followed(site: WebSourceServer) -> None:
    site.add(8)
    site.next_host = site.url.replace("127.0.0.1", "localhost")  # same server, another host name
    settings = settings_with(_web(site, pages=[_reviews(site)]))
    mentions, _ = drain(WebListener.from_settings(settings)[0], None)
    assert len(mentions) == 5
    assert [r.query.get("page") for r in site.hits("/reviews")] == [None]
