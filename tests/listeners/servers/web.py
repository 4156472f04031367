"""A news/review site and a t.me/s preview host, in their real wire formats.

/feed.xml (RSS 2.0), /atom.xml (Atom 1.0), /reviews?page=N (HTML, five reviews a page with a
"next" link), /s/<channel>[?before=N] (Telegram's public preview: ``tgme_widget_message`` blocks
with ``data-post="<channel>/<id>"``, twenty per page, oldest first) and /robots.txt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from tests.listeners.servers.base import Reply, Seen, WireServer

TEXTS = [
    "ارسال سبزینو امروز دو ساعت تأخیر داشت و پشتیبانی جواب نداد.",
    "کیفیت میوه‌های سبزینو عالی بود، ممنون از پیک مودب.",
    "اپلیکیشن نوبانک بعد از آپدیت مدام خطا می‌دهد!",
    "قیمت تازه‌مارکت این هفته از سبزینو ارزان‌تر بود.",
    "سبزینو سفارشم را ناقص تحویل داد؛ دو قلم کم بود.",
]
ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: BadBot\nDisallow: /\n"


class WebSourceServer(WireServer):
    page_size = 5
    channel_page = 20
    #: prefix of the reviews' "next" links ("" keeps them relative; another host tests off-site links)
    next_host = ""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, object]] = []

    def add(self, n: int) -> list[int]:
        start = len(self.items)
        for i in range(start, start + n):
            self.items.append(
                {
                    "n": i + 1,
                    "text": f"{TEXTS[i % len(TEXTS)]} (شماره {i + 1})",
                    "author": ["مریم", "علی", "زهرا"][i % 3],
                    "at": datetime(2026, 11, 1, 6, tzinfo=UTC) + timedelta(minutes=13 * i),
                }
            )
        return [int(it["n"]) for it in self.items[start:]]  # type: ignore[call-overload]

    def takes_fault(self, seen: Seen) -> bool:
        return seen.path != "/robots.txt"

    def fault(self, kind: str, seen: Seen) -> Reply:
        if kind == "429":
            return Reply(429, "<h1>Too Many Requests</h1>", "text/html", {"Retry-After": "30"})
        if kind == "500":
            return Reply(503, "<h1>Service Unavailable</h1>", "text/html")
        if kind == "broken":
            if seen.path.endswith(".xml"):
                return Reply(
                    200,
                    '<?xml version="1.0"?><rss version="2.0"><channel><item><title>نیمه',
                    "application/rss+xml; charset=utf-8",
                )
            return Reply(
                200,
                "<html><body><div class='redesigned'>صفحه جدید</div></body></html>",
                "text/html; charset=utf-8",
            )
        raise ValueError(kind)

    def route(self, seen: Seen) -> Reply:
        if seen.path == "/robots.txt":
            return Reply(200, ROBOTS, "text/plain")
        newest_first = list(reversed(self.items))
        if seen.path == "/feed.xml":
            return Reply(200, self.rss(newest_first[:20]), "application/rss+xml; charset=utf-8")
        if seen.path == "/atom.xml":
            return Reply(200, self.atom(newest_first[:20]), "application/atom+xml; charset=utf-8")
        if seen.path in ("/reviews", "/private/reviews"):
            page = int(seen.query.get("page", ["1"])[0])
            return Reply(200, self.reviews(newest_first, page), "text/html; charset=utf-8")
        if seen.path.startswith("/s/"):
            channel = seen.path[3:]
            before = int(seen.query["before"][0]) if "before" in seen.query else None
            return Reply(200, self.telegram(channel, before), "text/html; charset=utf-8")
        return Reply(404, "<h1>Not Found</h1>", "text/html")

    # ------------------------------------------------------------- formats
    def rss(self, items: list[dict]) -> str:
        entries = "".join(
            f"""
    <item>
      <title>نظر کاربر {it["n"]}</title>
      <link>{self.url}/news/{it["n"]}</link>
      <guid isPermaLink="false">news-{it["n"]}</guid>
      <pubDate>{format_datetime(it["at"])}</pubDate>
      <dc:creator>{escape(it["author"])}</dc:creator>
      <description><![CDATA[<p>{escape(it["text"])}</p>]]></description>
    </item>"""
            for it in items
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>اخبار فروشگاه‌های آنلاین</title>
    <link>{self.url}/</link>
    <description>تازه‌ترین نظرها</description>
    <language>fa-IR</language>
    <atom:link href="{self.url}/feed.xml" rel="self" type="application/rss+xml"/>{entries}
  </channel>
</rss>"""

    def atom(self, items: list[dict]) -> str:
        updated = items[0]["at"].isoformat() if items else "2026-11-01T00:00:00+00:00"
        entries = "".join(
            f"""
  <entry>
    <title>گزارش {it["n"]}</title>
    <link rel="alternate" href="/news/{it["n"]}"/>
    <id>tag:example.ir,2026:news-{it["n"]}</id>
    <published>{it["at"].isoformat()}</published>
    <updated>{it["at"].isoformat()}</updated>
    <author><name>{escape(it["author"])}</name></author>
    <content type="html">&lt;p&gt;{escape(it["text"])}&lt;/p&gt;</content>
  </entry>"""
            for it in items
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa">
  <title>خبرنامه</title>
  <id>tag:example.ir,2026:feed</id>
  <updated>{updated}</updated>
  <link rel="self" href="{self.url}/atom.xml"/>{entries}
</feed>"""

    def reviews(self, items: list[dict], page: int) -> str:
        chunk = items[(page - 1) * self.page_size : page * self.page_size]
        blocks = "".join(
            f"""
    <article class="review" data-review-id="r{it["n"]}">
      <a class="permalink" href="/reviews/{it["n"]}"><h3>نظر {it["n"]}</h3></a>
      <span class="by">{escape(it["author"])}</span>
      <time datetime="{it["at"].isoformat()}">{it["at"]:%Y/%m/%d}</time>
      <div class="body"><p>{escape(it["text"])}</p></div>
    </article>"""
            for it in chunk
        )
        more = page * self.page_size < len(items)
        nxt = f'<a class="next" href="{self.next_host}/reviews?page={page + 1}">بعدی</a>' if more else ""
        return f"""<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>نظرات</title></head>
<body><main id="reviews">{blocks}
</main><nav>{nxt}</nav></body></html>"""

    def telegram(self, channel: str, before: int | None) -> str:
        pool = [it for it in self.items if before is None or int(it["n"]) < before][-self.channel_page :]
        blocks = "".join(
            f"""
<div class="tgme_widget_message_wrap js-widget_message_wrap">
  <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{it["n"]}"
       data-view="eyJjIjotMTAwMTIzNDU2Nzg5LCJwIjo{it["n"]}fQ">
    <div class="tgme_widget_message_user"><a href="https://t.me/{channel}"></a></div>
    <div class="tgme_widget_message_bubble">
      <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name"
        href="https://t.me/{channel}"><span dir="auto">کانال {channel}</span></a></div>
      <div class="tgme_widget_message_text js-message_text" dir="auto">{escape(it["text"])}<br/>
        <a href="https://t.me/{channel}">@{channel}</a></div>
      <div class="tgme_widget_message_footer compact js-message_footer">
        <div class="tgme_widget_message_info short js-message_info">
          <span class="tgme_widget_message_views">{int(it["n"]) * 150 / 1000:.1f}K</span>
          <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date"
            href="https://t.me/{channel}/{it["n"]}"><time datetime="{it["at"].isoformat()}"
            class="time">{it["at"]:%H:%M}</time></a></span>
        </div>
      </div>
    </div>
  </div>
</div>"""
            for it in pool
        )
        more = (
            (
                f'<a class="tme_messages_more js-messages_more" data-before="{pool[0]["n"]}" '
                f'href="/s/{channel}?before={pool[0]["n"]}"></a>'
            )
            if pool and int(pool[0]["n"]) > 1
            else ""
        )
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>کانال {channel} – Telegram</title></head>
<body class="widget_frame_base tgme_webpreview_body">
<header class="tgme_header"><div class="tgme_channel_info">
  <div class="tgme_channel_info_header">
    <div class="tgme_channel_info_header_title"><span dir="auto">کانال {channel}</span></div>
  <div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div></div>
</div></header>
<main class="tgme_main"><section class="tgme_channel_history js-message_history">{more}{blocks}
</section></main></body></html>"""
