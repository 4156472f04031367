"""Feed, page and t.me/s parsing on real-format documents, including hostile ones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from listeners.web.parsing import PayloadError, parse_date, parse_feed, parse_page, parse_telegram
from tests.listeners.harness import REVIEW_SELECTORS
from tests.listeners.servers.web import WebSourceServer

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
def site() -> WebSourceServer:
    server = WebSourceServer()  # used only to render documents; never started
    server.add(7)
    return server


def test_rss_items_with_html_descriptions(site: WebSourceServer) -> None:
    items = parse_feed(site.rss(list(reversed(site.items))).encode(), site.url + "/feed.xml")
    assert [i["id"] for i in items] == [f"news-{n}" for n in range(7, 0, -1)]
    first = items[-1]
    assert first["text"] == site.items[0]["text"] and "<p>" not in first["text"]
    assert first["author"] == site.items[0]["author"]
    assert first["date"] == site.items[0]["at"].isoformat()
    assert first["url"] == f"{site.url}/news/1"


def test_atom_entries_resolve_relative_links(site: WebSourceServer) -> None:
    items = parse_feed(site.atom(site.items).encode(), site.url + "/atom.xml")
    assert items[0]["url"] == f"{site.url}/news/1" and items[0]["id"] == "tag:example.ir,2026:news-1"
    assert items[0]["text"] == site.items[0]["text"]


def test_rss_1_rdf() -> None:
    body = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.ir/"><title>خبر</title></channel>
  <item rdf:about="https://example.ir/a"><title>عنوان</title><link>https://example.ir/a</link>
    <description>نوبانک باز هم قطع شد</description><dc:date>2026-11-02T10:00:00+03:30</dc:date></item>
</rdf:RDF>"""
    [item] = parse_feed(body.encode(), "https://example.ir/rss")
    assert item["text"] == "نوبانک باز هم قطع شد" and item["date"] == "2026-11-02T06:30:00+00:00"


def test_external_entities_are_never_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">
 <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><item><guid>1</guid><title>t</title><description>&leak; &c;</description>
</item></channel></rss>"""
    items = parse_feed(body.encode(), "https://example.ir/rss")
    assert "TOP-SECRET" not in items[0]["text"]
    assert len(items[0]["text"]) < 1000


@pytest.mark.parametrize("body", [b"", b"<html><body>not a feed</body></html>", b"<rss><channel><item>"])
def test_not_a_feed_is_a_payload_error(body: bytes) -> None:
    with pytest.raises(PayloadError):
        parse_feed(body, "https://example.ir/rss")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun, 01 Nov 2026 06:00:00 +0000", datetime(2026, 11, 1, 6, tzinfo=UTC)),
        ("2026-11-01T09:30:00+03:30", datetime(2026, 11, 1, 6, tzinfo=UTC)),
        ("2026-11-01T06:00:00Z", datetime(2026, 11, 1, 6, tzinfo=UTC)),
        ("۱۴۰۵/۰۸/۳۰ ۱۴:۲۰", datetime(2026, 11, 21, 14, 20, tzinfo=TEHRAN)),
        ("1405-08-30", datetime(2026, 11, 21, tzinfo=TEHRAN)),
        ("2026/11/21 08:00", datetime(2026, 11, 21, 8, tzinfo=TEHRAN)),
        ("دیروز", None),
        ("", None),
    ],
)
def test_dates(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_review_page_by_css_and_xpath_selectors(site: WebSourceServer) -> None:
    newest_first = list(reversed(site.items))
    items, next_url = parse_page(
        site.reviews(newest_first, 1), site.url + "/reviews", REVIEW_SELECTORS, next_page="a.next::attr(href)"
    )
    assert len(items) == 5 and next_url == f"{site.url}/reviews?page=2"
    top = items[0]
    assert top["text"] == newest_first[0]["text"] and top["author"] == newest_first[0]["author"]
    assert top["url"] == f"{site.url}/reviews/7" and top["id"] == top["url"]
    last, next_url = parse_page(
        site.reviews(newest_first, 2),
        site.url + "/reviews?page=2",
        REVIEW_SELECTORS,
        next_page="a.next::attr(href)",
    )
    assert len(last) == 2 and next_url is None


def test_items_without_links_get_stable_content_ids() -> None:
    page = "<div class='c'><p>خیلی بد بود</p><b>علی</b></div><div class='c'><p>عالی</p><b>مریم</b></div>"
    selectors = {"item": "div.c", "text": "p", "author": "b"}
    once, _ = parse_page(page, "https://example.ir/x", selectors)
    twice, _ = parse_page(page, "https://example.ir/x", selectors)
    assert [i["id"] for i in once] == [i["id"] for i in twice]
    assert len({i["id"] for i in once}) == 2 and all(i["id"].startswith("h:") for i in once)


def test_layout_change_is_a_payload_error(site: WebSourceServer) -> None:
    with pytest.raises(PayloadError, match="matched nothing"):
        parse_page("<html><body><div class='new-layout'>x</div></body></html>", site.url, REVIEW_SELECTORS)


def test_telegram_preview_messages(site: WebSourceServer) -> None:
    messages = parse_telegram(site.telegram("sabzino_news", None), "https://t.me/s/sabzino_news")
    assert [m["number"] for m in messages] == list(range(1, 8))
    seventh = messages[-1]
    assert seventh["id"] == "sabzino_news/7" and seventh["url"] == "https://t.me/sabzino_news/7"
    assert seventh["text"].startswith(site.items[6]["text"]) and seventh["views"] == 1100  # "1.1K"
    assert seventh["date"] == site.items[6]["at"].isoformat() and seventh["author"] == "کانال sabzino_news"


def test_telegram_media_without_caption_is_skipped_and_junk_is_rejected() -> None:
    page = """<div class="tgme_channel_info"></div>
    <div class="tgme_widget_message" data-post="ch/5"><a class="tgme_widget_message_photo_wrap"></a></div>
    <div class="tgme_widget_message" data-post="ch/6"><div class="tgme_widget_message_text">متن</div></div>"""
    assert [m["number"] for m in parse_telegram(page, "https://t.me/s/ch")] == [6]
    with pytest.raises(PayloadError):
        parse_telegram("<html><body>Cloudflare says hi</body></html>", "https://t.me/s/ch")


def test_hostile_text_survives_parsing() -> None:
    text = "\u202eسبزینو\u200b" + "<script>alert(1)</script>".replace("<", "&lt;") + "ا" * 50_000
    page = f"<article class='r'><div class='b'>{text}</div></article>"
    [item], _ = parse_page(page, "https://example.ir/", {"item": "article.r", "text": "div.b"})
    assert (
        item["text"].startswith("\u202eسبزینو") and "<script>" in item["text"] and len(item["text"]) > 50_000
    )
