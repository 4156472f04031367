"""X API v2 specifics: the queries, the request on the wire, includes, checkpoint windows, errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.brands import BrandSettings
from domain.errors import ListenerError, NotConfigured
from listeners.settings import XSettings
from listeners.twitter import TwitterListener
from listeners.twitter_query import build_queries
from tests.listeners.harness import HTTP, XHarness, drain, open_harness, settings_with
from tests.listeners.servers.base import Reply
from tests.listeners.servers.x_api import XApiServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def x(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[XHarness]:
    yield from open_harness("x", monkeypatch, tmp_path)  # type: ignore[misc]


def _server(h: XHarness) -> XApiServer:
    return h.server  # type: ignore[return-value]


def test_query_lists_every_alias_handle_and_hashtag_with_exclusions() -> None:
    brand = BrandSettings(
        name="tazeh",
        aliases_fa=["تازه‌مارکت"],
        aliases_latin=["Tazeh Market"],
        aliases_finglish=["taze market"],
        handles=["tazehmarket"],
        hashtags=["تازه_مارکت"],
        exclude=["نان تازه"],
    )
    [query] = build_queries(brand, XSettings(lang="fa"))
    assert query == (
        '(تازه‌مارکت OR "Tazeh Market" OR "taze market" OR @tazehmarket OR #تازه_مارکت) '
        '-from:tazehmarket -"نان تازه" lang:fa -is:retweet'
    )


def test_long_queries_are_split_and_each_part_keeps_the_operators() -> None:
    brand = BrandSettings(name="big", aliases_latin=[f"alias{i:03d}" for i in range(60)], exclude=["spam"])
    queries = build_queries(brand, XSettings(max_query_length=128))
    assert len(queries) > 1
    assert all(len(q) <= 128 and q.endswith(" -spam -is:retweet") for q in queries)
    terms = [t for q in queries for t in q.split(")")[0].strip("(").split(" OR ")]
    assert sorted(terms) == sorted(f"alias{i:03d}" for i in range(60))


def test_split_queries_become_separate_listeners_with_their_own_checkpoints(x: XHarness) -> None:
    settings = settings_with({"x": {"base_url": x.server.url, "max_query_length": 80}})
    keys = [lst.key for lst in TwitterListener.from_settings(settings)]
    with pytest.raises(NotConfigured, match="max_query_length"):
        TwitterListener.from_settings(settings_with({"x": {"max_query_length": 64}}))
    assert len(keys) > 1 and len(set(keys)) == len(keys)
    assert all(k.startswith("x:search:sabzino:") for k in keys)


def test_request_asks_for_expansions_and_fields_and_maps_includes(x: XHarness) -> None:
    x.add(12)
    mentions, _ = drain(x.listener(), None)
    first = _server(x).hits("/2/tweets/search/recent")[0].query
    assert first["expansions"] == ["author_id"]
    assert set(first["tweet.fields"][0].split(",")) >= {
        "created_at",
        "lang",
        "public_metrics",
        "conversation_id",
        "referenced_tweets",
    }
    assert set(first["user.fields"][0].split(",")) == {"username", "name", "public_metrics", "verified"}
    assert "@sabzino" in first["query"][0] and "since_id" not in first
    # Page 2 has its own includes: every mention still knows its author.
    assert all(m.author_handle and m.author_followers for m in mentions)
    by_id = {m.external_id: m for m in mentions}
    tweet = _server(x).tweets[4]
    m = by_id[tweet["id"]]
    assert m.author_handle == _server(x).users[tweet["author_id"]]["username"]
    assert m.lang_hint == "fa" and m.conversation_id == tweet["conversation_id"]
    assert m.metrics["like_count"] == tweet["public_metrics"]["like_count"]
    assert m.raw["referenced_tweets"] == [{"type": "replied_to", "id": _server(x).tweets[3]["id"]}]
    assert m.url == f"https://x.com/{m.author_handle}/status/{m.external_id}"


def test_since_id_checkpoint_is_the_newest_id_once_the_window_is_stored(x: XHarness) -> None:
    ids = x.add(12)
    _, checkpoint = drain(x.listener(), None)
    assert checkpoint is not None and checkpoint.state == {"since_id": max(ids, key=int)}
    x.add(1)
    drain(x.listener(), checkpoint)
    assert _server(x).requests[-1].query["since_id"] == [max(ids, key=int)]


def test_page_budget_spent_mid_window_resumes_with_until_id(x: XHarness, monkeypatch) -> None:
    ids = x.add(25)
    settings = settings_with({"x": {"base_url": x.server.url, "page_size": 10, "max_pages": 1, "http": HTTP}})
    listener = TwitterListener.from_settings(settings)[0]
    first, checkpoint = drain(listener, None)
    assert len(first) == 10 and checkpoint is not None
    assert checkpoint.state["since_id"] is None and checkpoint.state["window"]["newest_id"] == max(
        ids, key=int
    )
    second, checkpoint = drain(listener, checkpoint)
    assert _server(x).requests[-1].query["until_id"] == [min((m.external_id for m in first), key=int)]
    third, checkpoint = drain(listener, checkpoint)
    got = [m.external_id for m in first + second + third]
    assert sorted(got) == sorted(ids) and len(set(got)) == 25
    assert checkpoint is not None and checkpoint.state == {"since_id": max(ids, key=int)}


def test_error_on_a_later_page_keeps_what_was_stored(x: XHarness) -> None:
    ids = x.add(25)
    listener = x.listener()
    stored, checkpoint = [], None
    batches = listener.fetch(None)
    first = next(batches)
    stored += first.mentions
    checkpoint = first.checkpoint
    x.server.fail("500", "500")
    with pytest.raises(ListenerError) as caught:
        next(batches)
    assert caught.value.kind == "unavailable"
    rest, _ = drain(x.listener(), checkpoint)
    assert sorted(m.external_id for m in stored + rest) == sorted(ids)


@pytest.mark.parametrize(
    ("fault", "kind"), [("usage_cap", "usage_cap"), ("401", "auth"), ("400", "bad_request")]
)
def test_error_kinds(x: XHarness, fault: str, kind: str) -> None:
    x.add(2)
    x.server.fail(fault)
    with pytest.raises(ListenerError) as caught:
        drain(x.listener(), None)
    assert caught.value.kind == kind
    if kind in ("auth", "bad_request"):  # needs a person: retried hourly, not in a loop
        assert caught.value.retry_after == 3600.0
    if kind == "usage_cap":
        assert "Monthly product cap" in str(caught.value)


def test_rate_limit_retry_after_comes_from_the_reset_header_without_sleeping(x: XHarness) -> None:
    import time

    x.add(2)
    _server(x).reset_in = 321
    x.server.fail("429")
    started = time.monotonic()
    with pytest.raises(ListenerError) as caught:
        drain(x.listener(), None)
    assert time.monotonic() - started < 2
    assert caught.value.kind == "rate_limited" and 300 <= (caught.value.retry_after or 0) <= 322
    assert len(_server(x).requests) == 1  # a 429 is not retried in place


def test_wrong_token_is_auth_and_the_token_never_reaches_the_log(x: XHarness, monkeypatch, caplog) -> None:
    monkeypatch.setenv("SHENAVA_X_BEARER_TOKEN", "secret-wrong-token-123")
    x.add(1)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ListenerError) as caught:
        drain(x.listener(), None)
    assert caught.value.kind == "auth"
    assert "secret-wrong-token-123" not in caplog.text + str(caught.value)


def test_mentions_timeline_with_a_user_token(x: XHarness, monkeypatch) -> None:
    monkeypatch.setenv("SHENAVA_X_USER_TOKEN", XApiServer.token)
    ids = _server(x).add_tweets(13, mention_of="9001")
    settings = settings_with(
        {"x": {"base_url": x.server.url, "page_size": 10, "mentions_user_ids": ["9001"], "http": HTTP}}
    )
    [listener] = [lst for lst in TwitterListener.from_settings(settings) if lst.key == "x:mentions:9001"]
    mentions, checkpoint = drain(listener, None)
    assert sorted(m.external_id for m in mentions) == sorted(ids)
    assert _server(x).hits("/2/users/9001/mentions")[1].query["pagination_token"]
    more = _server(x).add_tweets(2, mention_of="9001")
    again, _ = drain(listener, checkpoint)
    assert sorted(m.external_id for m in again) == sorted(more)


def test_mentions_need_the_user_token(x: XHarness) -> None:
    settings = settings_with({"x": {"base_url": x.server.url, "mentions_user_ids": ["9001"]}})
    assert [lst.key for lst in TwitterListener.from_settings(settings)] == ["x:search:sabzino"]


def test_minimal_recorded_response_without_expansions_parses(x: XHarness) -> None:
    """The shape of tweepy's recorded search_recent_tweets cassette (no expansions, no fields)."""
    body = json.loads((FIXTURES / "x_search_recent_minimal.json").read_text())
    _server(x).route = lambda seen: Reply.json(body)  # type: ignore[method-assign]
    mentions, checkpoint = drain(x.listener(), None)
    assert [m.external_id for m in mentions] == [t["id"] for t in body["data"]]
    assert all(m.author_handle is None and m.created_at.tzinfo for m in mentions)
    assert checkpoint is not None and checkpoint.state == {"since_id": body["meta"]["newest_id"]}


def test_hostile_text_is_kept_verbatim(x: XHarness) -> None:
    x.add(1)
    nasty = "<script>alert(1)</script>\u202eسبزینو\u200f\u200b" + "ا" * 20_000
    _server(x).tweets[0]["text"] = nasty
    [mention], _ = drain(x.listener(), None)
    assert mention.text == nasty


def test_a_used_up_rate_window_stops_before_a_429_and_resumes(x: XHarness) -> None:
    ids = x.add(35)
    _server(x).quota = 3  # three answers left: the third says x-rate-limit-remaining: 0
    stored, checkpoint = [], None
    with pytest.raises(ListenerError) as caught:
        for batch in x.listener().fetch(None):
            stored += batch.mentions
            checkpoint = batch.checkpoint
    assert caught.value.kind == "rate_limited" and 500 < (caught.value.retry_after or 0) <= 600
    assert len(_server(x).requests) == 3 and len(stored) == 30  # no request was spent on a 429
    _server(x).quota = 449
    rest, _ = drain(x.listener(), checkpoint)
    assert sorted(m.external_id for m in stored + rest) == sorted(ids)


def test_partial_errors_keep_the_tweets_of_missing_authors(x: XHarness) -> None:
    ids = x.add(3)
    gone = _server(x).tweets[1]["author_id"]
    _server(x).suspended.add(gone)
    mentions, _ = drain(x.listener(), None)
    assert sorted(m.external_id for m in mentions) == sorted(ids)
    assert [m.author_handle for m in mentions if m.author_id == gone] == [None]
