"""Pure parsing of feeds, selector-driven pages and t.me/s previews (no scrapy, no I/O).

Kept apart from the spiders so the wire formats are tested directly and the spiders stay thin.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import jdatetime
from lxml import etree
from parsel import Selector

#: feeds are parsed without DTDs, entities or network access (hostile XML stays inert)
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
MAX_ID_LENGTH = 200


class PayloadError(ValueError):
    """The body is not what the source should send (broken XML, layout without items)."""


def stable_id(*parts: str | None) -> str:
    """An id derived from content, for items that carry none (or one too long to store)."""
    return "h:" + hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:32]


def clean_id(value: str | None, *fallback: str | None) -> str:
    value = (value or "").strip()
    if value and len(value) <= MAX_ID_LENGTH:
        return value
    return stable_id(value, *fallback)


def parse_date(text: str | None, tz: str = "Asia/Tehran") -> datetime | None:
    """ISO 8601, RFC 822 or a Jalali date (۱۴۰۵/۰۸/۳۰ ۱۴:۲۰); naive times are in ``tz``."""
    if not text or not text.strip():
        return None
    value = text.strip().translate(PERSIAN_DIGITS)
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            match = re.search(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T،,]+(\d{1,2}):(\d{2}))?", value)
            if match:
                y, mo, d = int(match[1]), int(match[2]), int(match[3])
                hh, mm = int(match[4] or 0), int(match[5] or 0)
                try:
                    if y < 1700:  # a Jalali year
                        parsed = jdatetime.datetime(y, mo, d, hh, mm).togregorian()
                    else:
                        parsed = datetime(y, mo, d, hh, mm)
                except ValueError:
                    parsed = None
    if parsed is None:
        return None
    if parsed.year < 1700:  # an ISO-looking Jalali date, e.g. 1405-08-30
        try:
            parsed = jdatetime.datetime(
                parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, tzinfo=parsed.tzinfo
            ).togregorian()
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(tz))


def _text(node: etree._Element | None) -> str:
    return "".join(node.itertext()).strip() if node is not None else ""


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (feeds often carry HTML in descriptions)."""
    if "<" not in fragment:
        return fragment.strip()
    return " ".join(
        t.strip() for t in Selector(text=f"<div>{fragment}</div>").xpath("//text()").getall() if t.strip()
    )


def parse_feed(body: bytes, base_url: str, tz: str = "Asia/Tehran") -> list[dict[str, Any]]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    try:
        root = etree.fromstring(body, XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise PayloadError(f"not well-formed XML: {err}") from err
    if root is None:
        raise PayloadError("empty feed")
    items: list[dict[str, Any]] = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (
                    a.get("href")
                    for a in entry.findall(f"{ATOM}link")
                    if a.get("rel", "alternate") == "alternate"
                ),
                None,
            )
            body_node = entry.find(f"{ATOM}content")
            if body_node is None:
                body_node = entry.find(f"{ATOM}summary")
            title = _text(entry.find(f"{ATOM}title"))
            text = html_to_text(_text(body_node))
            author = _text(entry.find(f"{ATOM}author/{ATOM}name")) or None
            date = _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))
            url = urljoin(base_url, link) if link else None
            items.append(_feed_item(_text(entry.find(f"{ATOM}id")), title, text, url, author, date, tz))
        return items
    if root.tag not in {"rss", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"}:
        raise PayloadError(f"not an RSS or Atom feed (root element {root.tag!r})")
    for item in root.iter("item", "{http://purl.org/rss/1.0/}item"):

        def child(name: str, node: etree._Element = item) -> str:
            found = node.find(name)
            if found is None:
                found = node.find("{http://purl.org/rss/1.0/}" + name)
            return _text(found)

        title, link = child("title"), child("link")
        text = html_to_text(_text(item.find(f"{CONTENT}encoded")) or child("description"))
        author = child("author") or _text(item.find(f"{DC}creator")) or None
        date = child("pubDate") or _text(item.find(f"{DC}date"))
        url = urljoin(base_url, link) if link else None
        items.append(_feed_item(child("guid"), title, text, url, author, date, tz))
    return items


def _feed_item(
    own_id: str, title: str, text: str, url: str | None, author: str | None, date: str, tz: str
) -> dict[str, Any]:
    """One feed entry as the crawler reports it; the id falls back to the link, then the content."""
    return {
        "id": clean_id(own_id or url, title, text),
        "title": title,
        "text": text,
        "url": url,
        "author": author,
        "date": _iso(parse_date(date, tz)),
    }


def _select(node: Selector, query: str | None) -> list[str]:
    if not query:
        return []
    if query.startswith("xpath:"):
        return node.xpath(query[len("xpath:") :]).getall()
    return node.css(query).getall()


def _joined(node: Selector, query: str | None) -> str:
    """All text under what ``query`` selects (attributes as they are)."""
    parts = []
    for value in _select(node, query):
        parts.append(html_to_text(value) if value.lstrip().startswith("<") else value.strip())
    return " ".join(p for p in parts if p).strip()


def parse_page(
    body: str, base_url: str, selectors: dict[str, Any], tz: str = "Asia/Tehran", next_page: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Items found by the configured selectors, and the next page's URL if any."""
    page = Selector(text=body)
    blocks = (
        page.xpath(selectors["item"][6:])
        if selectors["item"].startswith("xpath:")
        else page.css(selectors["item"])
    )
    items = []
    for block in blocks:
        text = _joined(block, selectors["text"])
        if not text:
            continue
        link = (_select(block, selectors.get("url")) or [None])[0]
        url = urljoin(base_url, link.strip()) if link else None
        author = _joined(block, selectors.get("author")) or None
        date_text = _joined(block, selectors.get("date")) or None
        date = parse_date(date_text, tz)
        explicit = _joined(block, selectors.get("id")) or None
        own_id = explicit or (url if url and url != base_url else None)
        items.append(
            {
                "id": clean_id(own_id, text, author, date_text),
                "text": text,
                "url": url or base_url,
                "author": author,
                "date": _iso(date),
            }
        )
    if not blocks:
        raise PayloadError(f"selector {selectors['item']!r} matched nothing: has the page layout changed?")
    nxt = (_select(page, next_page) or [None])[0] if next_page else None
    return items, urljoin(base_url, nxt.strip()) if nxt else None


def parse_telegram(body: str, base_url: str) -> list[dict[str, Any]]:
    """Messages of a t.me/s/<channel> preview page (``tgme_widget_message`` blocks), oldest first."""
    page = Selector(text=body)
    blocks = page.css("div.tgme_widget_message[data-post]")
    if not blocks and not page.css(".tgme_channel_info, .tgme_page_title, .tgme_channel_history"):
        raise PayloadError("not a t.me/s channel preview (no tgme_widget_message or channel info)")
    channel_title = " ".join(page.css(".tgme_channel_info_header_title ::text").getall()).strip() or None
    messages = []
    for block in blocks:
        post = block.attrib["data-post"]
        channel, _, number = post.rpartition("/")
        if not number.isdigit():
            raise PayloadError(f"unexpected data-post {post!r}")
        pieces = block.css(".tgme_widget_message_text ::text").getall()
        text = " ".join(t.strip() for t in pieces if t.strip())
        if not text:
            continue  # photos/stickers without a caption
        date = block.css(".tgme_widget_message_date time::attr(datetime)").get()
        views = block.css(".tgme_widget_message_views::text").get()
        author = " ".join(block.css(".tgme_widget_message_owner_name ::text").getall()).strip()
        messages.append(
            {
                "id": post,
                "number": int(number),
                "channel": channel,
                "text": text,
                "url": block.css("a.tgme_widget_message_date::attr(href)").get()
                or urljoin(base_url, f"/{post}"),
                "author": author or channel_title or channel,
                "date": _iso(parse_date(date, "UTC")),
                "views": _count(views),
            }
        )
    return sorted(messages, key=lambda m: m["number"])


def _count(text: str | None) -> int | None:
    """'1.2K' → 1200, as t.me prints view counts."""
    if not text:
        return None
    match = re.fullmatch(r"\s*([\d.]+)\s*([KMB]?)\s*", text)
    if not match:
        return None
    scale = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}[match[2]]
    return int(float(match[1]) * scale)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None
