"""Render a stored event (its JSON) for each channel.

Mention text is untrusted: it is cleaned (``alerts.text.clean_text``) and then escaped for the
target markup — Telegram's HTML subset, Slack mrkdwn, e-mail HTML (right-to-left, with
``<bdi>`` around handles, URLs and Latin text) — so a mention can never inject markup.
"""

from __future__ import annotations

import html
import re
from typing import Any

from alerts.text import clean_text

TELEGRAM_LIMIT = 4096
_LATIN_RUN = re.compile(r"([@#]?[A-Za-z0-9_][A-Za-z0-9_.:/?=&%\-@#]*)")

_KIND_FA = {
    "incident_opened": "افزایش ناگهانی نارضایتی",
    "incident_grew": "تشدید رخداد",
    "incident_resolved": "پایان رخداد",
    "urgent_mention": "منشن فوری",
    "delivery_failed": "خطای ارسال",
}
_SEVERITY_FA = {"low": "کم", "medium": "متوسط", "high": "زیاد", "critical": "بحرانی"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def summary_lines(event: dict[str, Any]) -> list[str]:
    """Plain-text facts of an event (no markup): the shared core of every rendering."""
    kind = event.get("kind", "")
    severity = _SEVERITY_FA.get(event.get("severity", ""), "")
    lines = [f"{_KIND_FA.get(kind, kind)} — {event.get('brand', '')} ({severity})"]
    lines.append(clean_text(event.get("title", ""), 300))
    if kind == "urgent_mention":
        lines.append("دلیل: " + ", ".join(event.get("reasons", [])))
        return lines
    if kind == "incident_resolved":
        peak, usual = event.get("peak_count", 0), event.get("expected", 0)
        lines.append(f"اوج: {peak} منشن منفی در یک بازه (معمول: {usual:.1f})")
        return lines
    exp = event.get("explanation") or {}
    if exp:
        lines.append(
            f"منشن منفی در بازه: {exp.get('count', 0)} (معمول: {exp.get('expected', 0):.1f}, "
            f"×{exp.get('ratio', 0):.1f})"
        )
        share = exp.get("negative_share") or {}
        lines.append(f"سهم منفی برند: اکنون {_pct(share.get('now'))} / معمول {_pct(share.get('usual'))}")
        touchpoints = exp.get("touchpoints") or []
        if touchpoints:
            lines.append(
                "نقاط تماس: "
                + "، ".join(
                    f"{t['touchpoint']} {_pct(t.get('now_share'))} (معمول {_pct(t.get('baseline_share'))})"
                    for t in touchpoints[:4]
                )
            )
        terms = exp.get("terms") or []
        if terms:
            lines.append("واژه‌های شاخص: " + "، ".join(clean_text(t["term"], 40) for t in terms[:8]))
    return lines


def _mentions(event: dict[str, Any]) -> list[dict[str, Any]]:
    if event.get("kind") == "urgent_mention":
        return [
            {
                "text": event.get("text", ""),
                "url": event.get("url"),
                "author": event.get("author"),
                "followers": event.get("followers"),
            }
        ]
    if event.get("kind") == "incident_resolved":
        return []
    return list((event.get("explanation") or {}).get("mentions") or [])


def _safe_url(url: str | None) -> str | None:
    if url and re.match(r"^https?://[^\s<>\"']+$", url):
        return url
    return None


def render_text(event: dict[str, Any]) -> str:
    """Plain text (console, file, e-mail text part)."""
    lines = summary_lines(event)
    for m in _mentions(event):
        author = f"@{clean_text(m.get('author'), 64)}" if m.get("author") else "?"
        lines.append(f"- {author}: {clean_text(m.get('text'), 280)} {_safe_url(m.get('url')) or ''}".rstrip())
    return "\n".join(lines)


def render_telegram_html(event: dict[str, Any]) -> str:
    """Telegram's HTML subset (b, i, a, code, blockquote); at most 4096 characters."""
    lines = summary_lines(event)
    out = [f"<b>{html.escape(lines[0])}</b>"] + [html.escape(line) for line in lines[1:]]
    for m in _mentions(event):
        author = html.escape(clean_text(m.get("author"), 64)) or "?"
        text = html.escape(clean_text(m.get("text"), 280))
        url = _safe_url(m.get("url"))
        link = f' <a href="{html.escape(url, quote=True)}">🔗</a>' if url else ""
        out.append(f"• <i>@{author}</i>: {text}{link}")
    message = "\n".join(out)
    # Cut at a line boundary so no tag is left open.
    while len(message) > TELEGRAM_LIMIT and "\n" in message:
        message = message.rsplit("\n", 1)[0]
    return message[:TELEGRAM_LIMIT]


def slack_escape(text: str) -> str:
    """Slack mrkdwn escaping: only &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_slack(event: dict[str, Any], flavor: str = "slack") -> dict[str, Any]:
    """An incoming-webhook payload; Slack gets blocks, Mattermost/Rocket.Chat text + attachments."""
    lines = [slack_escape(line) for line in summary_lines(event)]
    quotes = []
    for m in _mentions(event):
        author = slack_escape(clean_text(m.get("author"), 64)) or "?"
        text = slack_escape(clean_text(m.get("text"), 280))
        url = _safe_url(m.get("url"))
        quotes.append(
            f"> @{author}: {text}"
            + (f" <{url}|link>" if url and flavor == "slack" else f" {url}" if url else "")
        )
    text = "\n".join([f"*{lines[0]}*", *lines[1:], *quotes])
    if flavor == "slack":
        return {
            "text": lines[0],
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": summary_lines(event)[0][:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines[1:])[:3000] or "-"}},
                *(
                    [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(quotes)[:3000]}}]
                    if quotes
                    else []
                ),
            ],
        }
    return {"text": text[:16000]}


def _bdi(text: str) -> str:
    """Escape, then isolate Latin runs (handles, URLs, English words) so RTL text keeps its order."""
    parts = _LATIN_RUN.split(text)  # odd indexes are the Latin runs
    return "".join(
        f"<bdi>{html.escape(part)}</bdi>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def render_email(event: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, html, text) for an e-mail: HTML is ``dir="rtl" lang="fa"``."""
    lines = summary_lines(event)
    subject = clean_text(lines[0], 150)
    items = []
    for m in _mentions(event):
        author = clean_text(m.get("author"), 64)
        url = _safe_url(m.get("url"))
        link = f' <a href="{html.escape(url, quote=True)}"><bdi>{html.escape(url)}</bdi></a>' if url else ""
        items.append(
            f"<li><bdi>@{html.escape(author or '?')}</bdi>: {_bdi(clean_text(m.get('text'), 500))}{link}</li>"
        )
    body = "".join(f"<p>{_bdi(line)}</p>" for line in lines[1:])
    mentions = f"<ul>{''.join(items)}</ul>" if items else ""
    document = (
        '<!DOCTYPE html><html dir="rtl" lang="fa"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        '<body style="font-family: Tahoma, Vazirmatn, sans-serif; direction: rtl; text-align: right">'
        f"<h2>{_bdi(lines[0])}</h2>{body}{mentions}</body></html>"
    )
    return subject, document, render_text(event)
