"""Instagram specifics: the requests instaloader makes, sessions, comments per post, hashtags, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.errors import ListenerError, NotConfigured
from listeners.instagram import InstagramListener
from tests.listeners.harness import HTTP, InstagramHarness, drain, open_harness, settings_with
from tests.listeners.servers.instagram import InstagramServer


@pytest.fixture
def ig(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[InstagramHarness]:
    yield from open_harness("instagram", monkeypatch, tmp_path)  # type: ignore[misc]


def _server(h: InstagramHarness) -> InstagramServer:
    return h.server  # type: ignore[return-value]


def _anonymous(h: InstagramHarness, **extra) -> InstagramListener:
    settings = settings_with(
        {
            "instagram": {
                "web_url": h.server.url,
                "api_url": h.server.url,
                "profiles": ["sabzino"],
                "polite_sleep": False,
                "http": HTTP,
                **extra,
            }
        }
    )
    [listener] = InstagramListener.from_settings(settings)
    return listener  # type: ignore[return-value]


def test_requests_are_the_ones_instaloader_makes(ig: InstagramHarness) -> None:
    ig.add(12)
    drain(ig.listener(), None)
    srv = _server(ig)
    profile = srv.hits("/api/v1/users/web_profile_info/")[0]
    assert profile.query["username"] == ["sabzino"]
    comments = srv.hits("/comments/")
    assert comments and all(c.query["can_support_threading"] == ["true"] for c in comments)
    # instaloader's iPhone API headers, with the bearer token it derives from the session cookies
    assert comments[0].headers["authorization"].startswith("Bearer IGT:2:")
    assert comments[0].headers["x-ig-app-id"]
    assert any("min_id" in c.query for c in comments)  # comment pages followed by next_min_id


def test_posts_and_comments_become_mentions(ig: InstagramHarness) -> None:
    srv = _server(ig)
    media_post = srv.add_post("sabzino")
    media = media_post.split(":")[1]
    srv.add_comments(media, 2, replies=True)
    mentions, checkpoint = drain(ig.listener(), None)
    by_kind: dict[str, list] = {}
    for m in mentions:
        by_kind.setdefault(m.raw["kind"], []).append(m)
    [post] = by_kind["post"]
    assert post.external_id == media_post and post.author_handle == "sabzino"
    assert post.author_followers == 48_200 and post.text.startswith("🍓")
    assert post.url == f"https://www.instagram.com/p/{srv.posts[0]['shortcode']}/"
    assert len(by_kind["comment"]) == 4  # two comments and the brand's reply under each
    replies = [m for m in by_kind["comment"] if m.raw["parent"]]
    assert len(replies) == 2 and all(r.author_handle == "sabzino" for r in replies)
    assert all(c.conversation_id == srv.posts[0]["shortcode"] for c in by_kind["comment"])
    assert checkpoint is not None
    cursor = checkpoint.state["posts"][srv.posts[0]["shortcode"]]
    assert cursor["comments_seen"] == 4 and int(cursor["last_comment"]) == max(
        int(m.external_id.split(":")[1]) for m in by_kind["comment"]
    )


def test_unchanged_comment_counts_cost_no_comment_requests(ig: InstagramHarness) -> None:
    ig.add(5)
    _, checkpoint = drain(ig.listener(), None)
    before = len(_server(ig).hits("/comments/"))
    nothing, _ = drain(ig.listener(), checkpoint)
    assert nothing == [] and len(_server(ig).hits("/comments/")) == before


def test_anonymous_reads_posts_but_never_asks_for_comments(ig: InstagramHarness) -> None:
    ids = ig.add(4)
    mentions, _ = drain(_anonymous(ig), None)
    assert sorted(m.external_id for m in mentions) == sorted(i for i in ids if i.startswith("post:"))
    assert _server(ig).hits("/comments/") == []


def test_hashtags_need_a_session(ig: InstagramHarness) -> None:
    srv = _server(ig)
    ids = srv.add_hashtag_media("سبزینو", 5)
    with_session = settings_with(
        {
            "instagram": {
                **ig.settings().sources.instagram.model_dump(),
                "profiles": [],
                "hashtags": ["سبزینو"],
            }
        }
    )
    [listener] = InstagramListener.from_settings(with_session)
    assert listener.key == "instagram:hashtag:سبزینو"
    mentions, checkpoint = drain(listener, None)
    assert sorted(m.external_id for m in mentions) == sorted(ids)
    more = srv.add_hashtag_media("سبزینو", 2)
    again, _ = drain(listener, checkpoint)
    assert sorted(m.external_id for m in again) == sorted(more)
    anonymous = settings_with({"instagram": {"web_url": srv.url, "hashtags": ["سبزینو"]}})
    with pytest.raises(NotConfigured, match="session"):
        InstagramListener.from_settings(anonymous)


def test_session_file_must_exist(ig: InstagramHarness, tmp_path: Path) -> None:
    settings = settings_with(
        {
            "instagram": {
                "profiles": ["sabzino"],
                "session_file": str(tmp_path / "nope"),
                "session_user": "tester",
            }
        }
    )
    with pytest.raises(NotConfigured, match="does not exist"):
        InstagramListener.from_settings(settings)


@pytest.mark.parametrize(
    ("fault", "anonymous", "kind"),
    [("401", True, "login_required"), ("401", False, "auth"), ("login", True, "login_required")],
)
def test_login_walls_are_clear_states(ig: InstagramHarness, fault: str, anonymous: bool, kind: str) -> None:
    ig.add(2)
    ig.server.fail(fault)
    listener = _anonymous(ig) if anonymous else ig.listener()
    with pytest.raises(ListenerError) as caught:
        drain(listener, None)
    assert caught.value.kind == kind
    assert len(ig.server.requests) == 1  # no retry loop against a login wall


def test_private_or_missing_profiles(ig: InstagramHarness) -> None:
    _server(ig).add_profile("secret_shop", private=True)
    listener = _anonymous(ig, profiles=["secret_shop"])
    with pytest.raises(ListenerError) as caught:
        drain(listener, None)
    assert caught.value.kind == "login_required"
    with pytest.raises(ListenerError) as caught:
        drain(_anonymous(ig, profiles=["no_such_shop"]), None)
    assert caught.value.kind == "not_found"


def test_429_is_reported_at_once_with_instaloaders_wait(ig: InstagramHarness) -> None:
    ig.add(2)
    ig.server.fail("429")
    started = time.monotonic()
    with pytest.raises(ListenerError) as caught:
        drain(ig.listener(), None)
    assert time.monotonic() - started < 3  # the rate controller did not sleep minutes
    assert caught.value.kind == "rate_limited" and caught.value.retry_after >= 60


def test_hostile_caption_is_kept_verbatim(ig: InstagramHarness) -> None:
    srv = _server(ig)
    srv.add_post("sabzino")
    srv.posts[0]["caption"] = "\u202b<img src=x onerror=alert(1)>\u200cسبزینو\u200d" * 500
    [post], _ = drain(_anonymous(ig), None)
    assert post.text == srv.posts[0]["caption"]


def test_rate_controller_waits_are_respected_but_long_ones_do_not_block(
    ig: InstagramHarness, monkeypatch
) -> None:
    from instaloader.instaloadercontext import RateController

    ig.add(2)
    monkeypatch.setattr(RateController, "query_waittime", lambda self, *a, **k: 600.0)
    started = time.monotonic()
    with pytest.raises(ListenerError) as caught:
        drain(ig.listener(), None)
    assert time.monotonic() - started < 3 and ig.server.requests == []
    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 600.0


def test_posts_without_caption_are_not_mentions(ig: InstagramHarness) -> None:
    srv = _server(ig)
    srv.add_post("sabzino")
    srv.posts[0]["caption"] = ""
    mentions, checkpoint = drain(_anonymous(ig), None)
    assert (
        mentions == [] and checkpoint is not None and srv.posts[0]["shortcode"] in checkpoint.state["posts"]
    )


def test_a_new_reply_under_an_old_comment_is_found(ig: InstagramHarness) -> None:
    srv = _server(ig)
    media = srv.add_post("sabzino").split(":")[1]
    srv.add_comments(media, 9)  # three pages of four, newest first
    _, checkpoint = drain(ig.listener(), None)
    oldest = srv.comments[media][0]
    srv._pk += 1_000_007
    reply = {
        "pk": str(srv._pk),
        "text": "پیگیری شد؟",
        "created_at": srv._tick(),
        "comment_like_count": 0,
        "user": {"pk": "1000000", "username": "sabzino", "full_name": "سبزینو"},
    }
    oldest["child_comment_count"], oldest["preview_child_comments"] = 1, [reply]
    again, _ = drain(ig.listener(), checkpoint)
    assert [m.external_id for m in again] == [f"comment:{reply['pk']}"]
    assert again[0].raw["parent"] == oldest["pk"]
