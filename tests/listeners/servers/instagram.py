"""The Instagram JSON that instaloader requests, built from instaloader's source.

- ``GET /api/v1/users/web_profile_info/?username=`` (www.instagram.com): ``{"data": {"user":
  {..., "edge_owner_to_timeline_media": {"count", "page_info", "edges": [{"node": post}]}}},
  "status": "ok"}`` with the legacy GraphQL post nodes (shortcode, taken_at_timestamp,
  edge_media_to_caption, edge_media_to_comment, edge_liked_by).
- ``GET /api/v1/media/<media id>/comments/?can_support_threading=true&permalink_enabled=false
  [&min_id=]`` (i.instagram.com): ``{"comments": [...], "comment_count", "next_min_id",
  "has_more_comments", "status": "ok"}``, newest first, with ``preview_child_comments``.
- ``GET /api/v1/tags/web_info/?tag_name=`` (i.instagram.com): ``{"data": {"recent": {"sections":
  [{"layout_content": {"medias": [{"media": ...}]}}]}}, "status": "ok"}``.
Errors as Instagram sends them: 429 and 401 ``{"message", "require_login", "status": "fail"}``,
a 302 to ``/accounts/login/``, 5xx HTML, and truncated JSON.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.listeners.servers.base import Reply, Seen, WireServer

CAPTIONS = [
    "🍓 توت‌فرنگی تازه رسید! سفارش از اپ #سبزینو",
    "تخفیف آخر هفته سبزینو 🌿",
    "ارسال رایگان برای خریدهای بالای ۵۰۰ هزار تومان",
]
COMMENTS = [
    "سفارش من سه ساعته نرسیده! پشتیبانی هم جواب نمیده 😡",
    "خیلی خوب بود، ممنون 🙏",
    "چرا پول از حسابم کم شد ولی سفارش ثبت نشد؟",
    "@sabzino_support لطفا پیگیری کنید",
    "کیفیت گوجه‌ها افتضاح بود",
]


class InstagramServer(WireServer):
    comments_page = 4

    def __init__(self) -> None:
        super().__init__()
        self.profiles: dict[str, dict[str, Any]] = {}
        self.posts: list[dict[str, Any]] = []
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.hashtag_media: dict[str, list[dict[str, Any]]] = {}
        self._pk = 17_900_000_000_000_000
        self._clock = datetime(2026, 11, 1, 9, tzinfo=UTC)
        self.session_cookie = "IGSCsessionid-for-tests"

    def _tick(self) -> int:
        self._clock += timedelta(minutes=11)
        return int(self._clock.timestamp())

    def add_profile(self, username: str, *, private: bool = False) -> None:
        self.profiles[username] = {
            "id": str(1_000_000 + len(self.profiles)),
            "username": username,
            "full_name": f"{username} | فروشگاه آنلاین",
            "is_private": private,
            "followers": 48_200,
        }

    def add_post(self, username: str) -> str:
        media_id = str(3_480_000_000_000_000_000 + len(self.posts) * 7919)
        shortcode = f"DB{len(self.posts):04d}xYz"
        self.posts.append(
            {
                "id": media_id,
                "shortcode": shortcode,
                "owner": username,
                "taken_at": self._tick(),
                "caption": CAPTIONS[len(self.posts) % len(CAPTIONS)],
                "likes": 120 + len(self.posts),
            }
        )
        self.comments[media_id] = []
        return f"post:{media_id}"

    def add_comments(self, media_id: str, n: int, *, replies: bool = False) -> list[str]:
        ids = []
        for _ in range(n):
            self._pk += 1_000_007
            i = len(self.comments[media_id])
            comment = {
                "pk": str(self._pk),
                "text": COMMENTS[i % len(COMMENTS)],
                "created_at": self._tick(),
                "user": {
                    "pk": str(5_000 + i),
                    "username": f"moshtari_{i}",
                    "full_name": f"مشتری {i}",
                    "is_private": False,
                    "profile_pic_url": "https://scontent.cdninstagram.com/p.jpg",
                },
                "comment_like_count": i % 3,
                "child_comment_count": 0,
                "preview_child_comments": [],
            }
            ids.append(f"comment:{comment['pk']}")
            if replies:
                self._pk += 1_000_007
                child = {
                    "pk": str(self._pk),
                    "text": "سلام، لطفا شماره سفارش را دایرکت کنید 🙏",
                    "created_at": self._tick(),
                    "comment_like_count": 0,
                    "user": {
                        "pk": "1000000",
                        "username": "sabzino",
                        "full_name": "سبزینو",
                        "is_private": False,
                        "profile_pic_url": "",
                    },
                }
                comment["child_comment_count"] = 1
                comment["preview_child_comments"] = [child]
                ids.append(f"comment:{child['pk']}")
            self.comments[media_id].append(comment)
        return ids

    def add_hashtag_media(self, tag: str, n: int) -> list[str]:
        ids = []
        for _ in range(n):
            media_id = str(3_490_000_000_000_000_000 + sum(map(len, self.hashtag_media.values())) * 13)
            self.hashtag_media.setdefault(tag, []).append(
                {
                    "pk": media_id,
                    "id": f"{media_id}_777",
                    "code": f"HT{len(ids):04d}abc",
                    "taken_at": self._tick(),
                    "media_type": 1,
                    "caption": {"text": f"#{tag} خرید امروز از سبزینو"},
                    "like_count": 3,
                    "comment_count": 0,
                    "has_liked": False,
                    "user": {
                        "pk": "777",
                        "username": "khanoom_kh",
                        "full_name": "خانوم خ",
                        "is_private": False,
                        "profile_pic_url": "",
                    },
                }
            )
            ids.append(f"post:{media_id}")
        return ids

    # ------------------------------------------------------------------ wire
    def fault(self, kind: str, seen: Seen) -> Reply:
        if kind in ("429", "401"):  # Instagram's "fail" JSON; a 401 also asks for a login
            message = "Please wait a few minutes before you try again."
            body = {"message": message, "require_login": kind == "401", "status": "fail"}
            return Reply.json(body, int(kind))
        if kind == "login":
            return Reply(302, "", "text/html", {"Location": "https://www.instagram.com/accounts/login/"})
        if kind == "500":
            return Reply(500, "<html><body>Oops, an error occurred.</body></html>", "text/html")
        if kind == "broken":
            return Reply(200, '{"data": {"user": {"id": "1", "edge_owner', "application/json")
        raise ValueError(kind)

    def logged_in(self, seen: Seen) -> bool:
        auth = seen.headers.get("authorization", "")
        return self.session_cookie in seen.headers.get("cookie", "") or auth.startswith("Bearer IGT:2:")

    def route(self, seen: Seen) -> Reply:
        q = {k: v[0] for k, v in seen.query.items()}
        if seen.path == "/api/v1/users/web_profile_info/":
            return self.profile_info(q.get("username", ""))
        match = re.fullmatch(r"/api/v1/media/(\d+)/comments/", seen.path)
        if match:
            if not self.logged_in(seen):
                return self.fault("401", seen)
            return self.comment_page(match.group(1), q.get("min_id"))
        if seen.path == "/api/v1/tags/web_info/":
            if not self.logged_in(seen):
                return self.fault("login", seen)
            medias = [{"media": m} for m in reversed(self.hashtag_media.get(q.get("tag_name", ""), []))]
            return Reply.json(
                {
                    "data": {
                        "name": q.get("tag_name"),
                        "recent": {
                            "sections": [
                                {"layout_type": "media_grid", "layout_content": {"medias": medias[i : i + 3]}}
                                for i in range(0, len(medias), 3)
                            ]
                        },
                    },
                    "status": "ok",
                }
            )
        return Reply(404, "<html>Page Not Found</html>", "text/html")

    def profile_info(self, username: str) -> Reply:
        profile = self.profiles.get(username)
        if profile is None:
            return Reply.json({"data": {"user": None}, "status": "ok"})
        posts = sorted((p for p in self.posts if p["owner"] == username), key=lambda p: -p["taken_at"])
        edges = [
            {
                "node": {
                    "__typename": "GraphImage",
                    "id": p["id"],
                    "shortcode": p["shortcode"],
                    "is_video": False,
                    "display_url": f"https://scontent.cdninstagram.com/{p['shortcode']}.jpg",
                    "edge_media_to_caption": {"edges": [{"node": {"text": p["caption"]}}]},
                    "edge_media_to_comment": {
                        "count": sum(1 + c["child_comment_count"] for c in self.comments[p["id"]])
                    },
                    "comments_disabled": False,
                    "taken_at_timestamp": p["taken_at"],
                    "edge_liked_by": {"count": p["likes"]},
                    "edge_media_preview_like": {"count": p["likes"]},
                    "owner": {"id": profile["id"], "username": username},
                    "accessibility_caption": None,
                }
            }
            for p in posts[:12]
        ]
        user = {
            "id": profile["id"],
            "username": username,
            "full_name": profile["full_name"],
            "biography": "خرید آنلاین میوه و سبزی تازه",
            "is_private": profile["is_private"],
            "is_verified": True,
            "is_business_account": True,
            "edge_followed_by": {"count": profile["followers"]},
            "edge_follow": {"count": 12},
            "profile_pic_url": "https://scontent.cdninstagram.com/pp.jpg",
            "edge_owner_to_timeline_media": {
                "count": len(posts),
                "page_info": {
                    "has_next_page": len(posts) > 12,
                    "end_cursor": "QVFEa2xTcFZ4" if len(posts) > 12 else None,
                },
                "edges": [] if profile["is_private"] else edges,
            },
        }
        return Reply.json({"data": {"user": user}, "status": "ok"})

    def comment_page(self, media_id: str, min_id: str | None) -> Reply:
        newest_first = list(reversed(self.comments.get(media_id, [])))
        offset = json.loads(min_id)["server_cursor"] if min_id else 0
        page = newest_first[offset : offset + self.comments_page]
        more = offset + self.comments_page < len(newest_first)
        body: dict[str, Any] = {
            "comments": page,
            "comment_count": len(newest_first),
            "caption_is_edited": False,
            "has_more_comments": more,
            "status": "ok",
        }
        if more:
            body["next_min_id"] = json.dumps(
                {"server_cursor": offset + self.comments_page, "is_server_cursor_inverse": True}
            )
        return Reply.json(body)
