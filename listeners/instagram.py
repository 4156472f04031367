"""Instagram listener (instaloader): posts of public profiles, the comments under them, hashtags.

Requests are the ones instaloader itself makes: ``api/v1/users/web_profile_info/`` (the profile and
its newest posts, anonymous), ``api/v1/media/<id>/comments/`` on i.instagram.com (comments, with a
session, paged by ``next_min_id``) and ``api/v1/tags/web_info/`` (a hashtag's recent posts, with a
session). One checkpoint per profile holds, per remembered post, its comment cursor (the highest
comment pk stored) so comments resume per post.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import instaloader
from instaloader import exceptions as ie

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import ListenerError, NotConfigured
from domain.mention import RawMention
from listeners.base import Listener
from listeners.instagram_context import InstagramContext, RateLimited
from listeners.settings import InstagramSettings, ListenerSettingsView

log = logging.getLogger(__name__)

SOURCE = "instagram"
#: a cursor that never ends must not keep a job busy forever
MAX_COMMENT_PAGES = 50


def make_context(settings: InstagramSettings) -> InstagramContext:
    """An instaloader context on the configured hosts, logged in when a session file is configured."""
    context = InstagramContext(settings)
    if settings.session_file:
        path = Path(settings.session_file).expanduser()
        if not path.is_file():
            raise NotConfigured(
                f"Instagram session file {path} does not exist (sources.instagram.session_file)"
            )
        if not settings.session_user:
            raise NotConfigured("Instagram session_file is set but session_user is not")
        # instaloader's own session format (a pickled cookie dict) from a file the operator made.
        with path.open("rb") as handle:
            context.load_session_from_file(settings.session_user, handle)
    return context


def translate_error(err: BaseException, what: str, logged_in: bool) -> ListenerError:
    """One place mapping instaloader failures to the listener error kinds."""
    text = str(err)
    if isinstance(err, RateLimited):
        return ListenerError("rate_limited", f"{what}: {err}", retry_after=err.retry_after)
    if isinstance(err, ie.LoginRequiredException):
        return ListenerError("login_required", f"{what}: Instagram requires a login: {text}")
    if isinstance(err, ie.ProfileNotExistsException | ie.QueryReturnedNotFoundException):
        return ListenerError("not_found", f"{what}: not found on Instagram: {text}")
    if isinstance(err, ie.AbortDownloadException) and re.search(r"\b401\b", text):
        kind = "auth" if logged_in else "login_required"
        return ListenerError(
            kind, f"{what}: Instagram answered 401 (session expired or login needed): {text}"
        )
    if isinstance(err, ie.AbortDownloadException):
        return ListenerError("auth", f"{what}: Instagram wants the account checked: {text}")
    if isinstance(err, ie.ConnectionException):
        cause: BaseException | None = err
        while cause is not None:
            if isinstance(cause, json.JSONDecodeError):
                return ListenerError("bad_payload", f"{what}: Instagram sent unreadable JSON: {text}")
            cause = cause.__cause__
        return ListenerError("unavailable", f"{what}: Instagram unavailable after retries: {text}")
    return ListenerError("bad_payload", f"{what}: unexpected Instagram response: {err!r}")


def _ts(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)


def post_mention(node: dict[str, Any], owner: dict[str, Any]) -> RawMention:
    """A post node as web_profile_info sends it (legacy GraphQL shape)."""
    captions = (node.get("edge_media_to_caption") or {}).get("edges") or []
    likes = (node.get("edge_liked_by") or node.get("edge_media_preview_like") or {}).get("count", 0)
    return RawMention(
        source=SOURCE,
        external_id=f"post:{node['id']}",
        text=captions[0]["node"]["text"] if captions else "",
        created_at=_ts(node["taken_at_timestamp"]),
        url=f"https://www.instagram.com/p/{node['shortcode']}/",
        author_id=str(owner.get("id") or ""),
        author_handle=owner.get("username"),
        author_name=owner.get("full_name"),
        author_followers=(owner.get("edge_followed_by") or {}).get("count"),
        metrics={
            "likes": int(likes),
            "comments": int((node.get("edge_media_to_comment") or {}).get("count", 0)),
        },
        raw={"kind": "post", "shortcode": node["shortcode"]},
    )


def media_mention(media: dict[str, Any]) -> RawMention:
    """A post as the iPhone API sends it (hashtag pages)."""
    user = media.get("user") or {}
    return RawMention(
        source=SOURCE,
        external_id=f"post:{str(media['pk']).split('_')[0]}",
        text=(media.get("caption") or {}).get("text") or "",
        created_at=_ts(media["taken_at"]),
        url=f"https://www.instagram.com/p/{media['code']}/",
        author_id=str(user.get("pk") or ""),
        author_handle=user.get("username"),
        author_name=user.get("full_name"),
        metrics={
            "likes": int(media.get("like_count") or 0),
            "comments": int(media.get("comment_count") or 0),
        },
        raw={"kind": "post", "shortcode": media["code"]},
    )


def comment_mention(comment: dict[str, Any], shortcode: str, parent: str | None = None) -> RawMention:
    user = comment.get("user") or {}
    return RawMention(
        source=SOURCE,
        external_id=f"comment:{comment['pk']}",
        text=comment["text"],
        created_at=_ts(comment["created_at"]),
        url=f"https://www.instagram.com/p/{shortcode}/c/{comment['pk']}/",
        author_id=str(user.get("pk") or ""),
        author_handle=user.get("username"),
        author_name=user.get("full_name"),
        conversation_id=shortcode,
        metrics={"likes": int(comment.get("comment_like_count") or 0)},
        raw={"kind": "comment", "shortcode": shortcode, "parent": parent},
    )


class InstagramListener(Listener):
    """``instagram:profile:<name>`` (posts + comments) or ``instagram:hashtag:<tag>`` (recent posts)."""

    source: ClassVar[str] = SOURCE

    def __init__(
        self,
        key: str,
        context: InstagramContext,
        settings: InstagramSettings,
        *,
        profile: str | None = None,
        hashtag: str | None = None,
    ) -> None:
        super().__init__(key)
        self.context, self.settings, self.profile, self.hashtag = context, settings, profile, hashtag
        #: read by the scheduler
        self.interval_seconds = settings.interval_seconds

    @classmethod
    def from_settings(cls, settings: ListenerSettingsView) -> list[Listener]:
        ins: InstagramSettings = settings.sources.instagram
        if not ins.enabled:
            raise NotConfigured("Instagram listener is switched off (sources.instagram.enabled: false)")
        profiles = list(ins.profiles)
        if ins.brand_handles:
            profiles += [h for b in settings.brands for h in b.handles]
        profiles = list(dict.fromkeys(p.lstrip("@").lower() for p in profiles if p.strip()))
        if not profiles and not ins.hashtags:
            raise NotConfigured("Instagram listener is off: no profiles or hashtags configured")
        context = make_context(ins)
        listeners: list[Listener] = [cls(f"instagram:profile:{p}", context, ins, profile=p) for p in profiles]
        if ins.hashtags and not context.is_logged_in:
            log.info("Instagram hashtags are off: they need a session (sources.instagram.session_file)")
        elif ins.hashtags:
            listeners += [
                cls(f"instagram:hashtag:{t.lstrip('#')}", context, ins, hashtag=t.lstrip("#"))
                for t in ins.hashtags
            ]
        if not listeners:
            raise NotConfigured("Instagram listener is off: hashtags need a session and no profiles are set")
        return listeners

    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        state = dict(checkpoint.state) if checkpoint else {}
        try:
            if self.hashtag is not None:
                yield from self._fetch_hashtag(state)
            else:
                yield from self._fetch_profile(state)
        except ListenerError:
            raise
        except (
            ie.InstaloaderException,
            ie.AbortDownloadException,
            RateLimited,
            KeyError,
            TypeError,
            ValueError,
        ) as err:
            raise translate_error(err, self.key, self.context.is_logged_in) from err

    # ------------------------------------------------------------------ profile
    def _fetch_profile(self, state: dict[str, Any]) -> Iterator[ListenerBatch]:
        data = self.context.get_json("api/v1/users/web_profile_info/", params={"username": self.profile})
        user = (data.get("data") or {}).get("user")
        if not user:
            raise ie.ProfileNotExistsException(f"Profile {self.profile} does not exist.")
        if user.get("is_private") and not self.context.is_logged_in:
            raise ie.LoginRequiredException(f"profile {self.profile} is private")
        nodes = [e["node"] for e in user["edge_owner_to_timeline_media"]["edges"]]
        posts: dict[str, dict[str, Any]] = dict(state.get("posts") or {})
        new = [n for n in nodes if n["shortcode"] not in posts]
        for node in new:
            posts[node["shortcode"]] = {
                "id": str(node["id"]),
                "taken_at": int(node["taken_at_timestamp"]),
                "comments_seen": 0,
                "last_comment": "0",
            }
        posts = self._bounded(posts)
        # A post without a caption says nothing by itself; its comments still count.
        captioned = [m for m in (post_mention(n, user) for n in new) if m.text.strip()]
        yield self._batch(captioned, {"posts": posts})
        if not self.context.is_logged_in:
            return  # instaloader (and Instagram) serve comments only to a logged-in session
        newest = sorted(nodes, key=lambda n: -int(n["taken_at_timestamp"]))[
            : self.settings.comments_for_posts
        ]
        for node in newest:
            count = int((node.get("edge_media_to_comment") or {}).get("count", 0))
            cursor = posts.get(node["shortcode"])
            if cursor is None or count == cursor["comments_seen"]:
                continue
            comments = self._new_comments(
                str(node["id"]),
                node["shortcode"],
                int(cursor["last_comment"]),
                count - cursor["comments_seen"],
            )
            top = max(
                (int(m.external_id.split(":")[1]) for m in comments), default=int(cursor["last_comment"])
            )
            posts = {**posts, node["shortcode"]: {**cursor, "comments_seen": count, "last_comment": str(top)}}
            yield self._batch(comments, {"posts": posts})

    def _new_comments(self, media_id: str, shortcode: str, after_pk: int, expected: int) -> list[RawMention]:
        """Comments (and their previewed replies) with pk above ``after_pk``; pages newest → oldest.

        Paging stops at the first older comment once the ``expected`` number of new ones (the change
        in the post's comment count) is found: a new reply can sit under an old comment further down.
        """
        found: dict[str, RawMention] = {}
        min_id: str | None = None
        for _ in range(MAX_COMMENT_PAGES):
            page = self.context.get_iphone_json(
                f"api/v1/media/{media_id}/comments/",
                {
                    "can_support_threading": "true",
                    "permalink_enabled": "false",
                    **({"min_id": min_id} if min_id else {}),
                },
            )
            reached_old = False
            for comment in page.get("comments", []):
                for item, parent in [(comment, None)] + [
                    (c, str(comment["pk"])) for c in comment.get("preview_child_comments") or []
                ]:
                    if int(item["pk"]) > after_pk:
                        found.setdefault(str(item["pk"]), comment_mention(item, shortcode, parent))
                if int(comment["pk"]) <= after_pk:
                    reached_old = True
            min_id = page.get("next_min_id")
            if (reached_old and len(found) >= expected) or not min_id:
                break
        return sorted(found.values(), key=lambda m: int(m.external_id.split(":")[1]))

    # ------------------------------------------------------------------ hashtag
    def _fetch_hashtag(self, state: dict[str, Any]) -> Iterator[ListenerBatch]:
        data = self.context.get_iphone_json(
            "api/v1/tags/web_info/", {"__a": 1, "__d": "dis", "tag_name": self.hashtag}
        )
        sections = ((data.get("data") or {}).get("recent") or {}).get("sections") or []
        medias = [m["media"] for s in sections for m in (s.get("layout_content") or {}).get("medias", [])]
        seen: dict[str, int] = dict(state.get("seen") or {})
        new = [m for m in medias if str(m["pk"]).split("_")[0] not in seen]
        for media in new:
            seen[str(media["pk"]).split("_")[0]] = int(media["taken_at"])
        keep = sorted(seen.items(), key=lambda kv: -kv[1])[: self.settings.max_seen]
        captioned = [m for m in (media_mention(m) for m in new) if m.text.strip()]
        yield self._batch(captioned, {"seen": dict(keep)})

    def _bounded(self, posts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        newest = sorted(posts.items(), key=lambda kv: -kv[1]["taken_at"])[: self.settings.max_seen]
        return dict(newest)

    def _batch(self, mentions: list[RawMention], state: dict[str, Any]) -> ListenerBatch:
        return ListenerBatch(mentions=mentions, checkpoint=Checkpoint(self.key, state))


__all__ = ["InstagramListener", "instaloader"]
