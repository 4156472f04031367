"""Render a stored event (its JSON) for each channel.

The words come from the one catalogue (``alerts.messages``), in the language the payload was
stored with (Persian unless ``notifications.language`` says English), with Jalali dates in Tehran
time and the link to the item's page in the web inbox. Mention text is untrusted: it is cleaned
(``alerts.text.clean_text``) and then escaped for the target markup — Telegram's HTML subset, Slack
mrkdwn, e-mail HTML (right-to-left, with ``<bdi>`` around handles, URLs and Latin text) — so a
mention can never inject markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

from alerts.messages import Words, event_title
from alerts.rules.event import SAVED_SEARCH_ALERT
from alerts.rules.event import summary_lines as saved_search_lines
from alerts.text import clean_text

TELEGRAM_LIMIT = 4096
_LATIN_RUN = re.compile(r"([@#]?[A-Za-z0-9_][A-Za-z0-9_.:/?=&%\-@#]*)")


def _figure(words: Words, value: object, places: int = 1) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"
    return words.number(number, places if number != int(number) else 0)


def _negative(words: Words, exp: dict[str, Any]) -> str:
    """What an incident's counts count: a touchpoint's own series opens incidents too, and its
    counts must not read as the brand's (13 beside delivery's 17 would not add up)."""
    touchpoint = exp.get("touchpoint")
    if touchpoint:
        return words.t("line.negative_about", touchpoint=words.label("touchpoint", touchpoint))
    return words.t("line.negative")


def _rare(exp: dict[str, Any]) -> bool:
    """A usual count under one mention: the explanation's ``ratio`` is then taken against one
    (``alerts.explain``), so it is not shown beside the smaller figure it would contradict."""
    try:
        return float(exp.get("expected", 0)) < 1.0
    except (TypeError, ValueError):
        return False


def _window_minutes(exp: dict[str, Any]) -> int:
    window = exp.get("window") or {}
    try:
        span = datetime.fromisoformat(window["end"]) - datetime.fromisoformat(window["start"])
        return max(1, int(span.total_seconds() // 60))
    except (KeyError, TypeError, ValueError):
        return int((exp.get("bucket") or {}).get("minutes") or 0) or 15


def _escalated_at(exp: dict[str, Any]) -> datetime | None:
    """The start of the bucket whose count raised an incident's severity: the last bucket of its
    explanation's window (``alerts.incidents.machine``)."""
    try:
        end = datetime.fromisoformat((exp.get("window") or {})["end"])
        return end - timedelta(minutes=int((exp.get("bucket") or {})["minutes"]))
    except (KeyError, TypeError, ValueError):
        return None


def _touchpoint_items(words: Words, touchpoints: list[dict[str, Any]]) -> list[str]:
    items = []
    for t in touchpoints[:4]:
        name = words.label("touchpoint", t.get("touchpoint"))
        if "observed" in t:
            observed, expected = _figure(words, t.get("observed")), _figure(words, t.get("expected"))
        else:  # an explanation stored before the per-touchpoint figures
            observed, expected = words.percent(t.get("now_share")), words.percent(t.get("baseline_share"))
        items.append(words.t("line.touchpoint_item", name=name, observed=observed, expected=expected))
    return items


def summary_lines(event: dict[str, Any]) -> list[str]:
    """Plain-text facts of an event in its language (no markup, no link): the shared core of every
    rendering. Words come from the one catalogue, ``alerts.messages``."""
    words = Words.of(event)
    kind = event.get("kind", "")
    brand = clean_text(str(event.get("brand_name") or event.get("brand") or ""), 64)
    severity = words.label("severity", event.get("severity"))
    lines = [
        f"{words.label('kind', kind)} — {brand} ({severity})",
        clean_text(event_title(event, words), 300),
    ]
    if kind == SAVED_SEARCH_ALERT:
        return lines + saved_search_lines(event, words)
    if kind == "delivery_failed":
        lines.append(words.t("line.when", when=words.when(event.get("at"))))
        lines.append(words.t("line.channel_error", error=clean_text(event.get("error"), 300)))
        return lines
    if kind == "urgent_mention":
        lines.append(words.t("line.when", when=words.when(event.get("at"))))
        reasons = [words.label("reason", r) for r in event.get("reasons") or []]
        lines.append(words.t("line.reasons", reasons=words.join(reasons)))
        source = words.t("line.source", source=words.label("source", event.get("source")))
        if event.get("followers"):
            source += " — " + words.t("line.followers", count=words.number(int(event["followers"])))
        lines.append(source)
        return lines
    if kind == "incident_resolved":
        lines.append(words.t("line.started", when=words.when(event.get("at"))))
        if event.get("ended_at"):
            lines.append(words.t("line.ended", when=words.when(event.get("ended_at"))))
        peak, usual = event.get("peak_count", 0), event.get("expected", 0)
        what = _negative(words, event.get("explanation") or {})
        peak_line = words.t("line.peak", peak=_figure(words, peak), what=what, expected=_figure(words, usual))
        lines.append(peak_line)
        names = [words.label("touchpoint", t) for t in event.get("touchpoints") or []]
        if names:
            lines.append(words.t("line.touchpoint_names", items=words.join(names)))
        return lines
    exp = event.get("explanation") or {}
    if kind == "incident_grew":
        # ``at`` is when the incident opened; the counts below are of the bucket that raised it
        lines.append(words.t("line.started", when=words.when(event.get("at"))))
        grew_at = _escalated_at(exp)
        if grew_at is not None:
            lines.append(words.t("line.escalated", when=words.when(grew_at)))
    else:
        lines.append(words.t("line.when", when=words.when(event.get("at"))))
    if exp:
        lines.append(
            words.t(
                "line.count" if not _rare(exp) else "line.count_rare",
                count=_figure(words, exp.get("count", 0)),
                what=_negative(words, exp),
                minutes=words.digits(_window_minutes(exp)),
                expected=_figure(words, exp.get("expected", 0)),
                ratio=_figure(words, exp.get("ratio", 0)),
            )
        )
        share = exp.get("negative_share") or {}
        lines.append(
            words.t(
                "line.share", now=words.percent(share.get("now")), usual=words.percent(share.get("usual"))
            )
        )
        touchpoints = exp.get("touchpoints") or []
        if touchpoints:
            lines.append(words.t("line.touchpoints", items=words.join(_touchpoint_items(words, touchpoints))))
        terms = exp.get("terms") or []
        if terms:
            lines.append(
                words.t("line.terms", terms=words.join([clean_text(t["term"], 40) for t in terms[:8]]))
            )
    return lines


def inbox_link(event: dict[str, Any]) -> str | None:
    """The event's page in the web inbox (decided when it was stored), if it is a safe URL."""
    return _safe_url(event.get("link"))


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


def _author(words: Words, m: dict[str, Any]) -> str:
    return clean_text(m.get("author"), 64) or words.t("line.unknown_author")


def render_text(event: dict[str, Any]) -> str:
    """Plain text (console, file, e-mail text part, the webhook's ``text``)."""
    words = Words.of(event)
    lines = summary_lines(event)
    for m in _mentions(event):
        url = _safe_url(m.get("url")) or ""
        lines.append(f"- @{_author(words, m)}: {clean_text(m.get('text'), 280)} {url}".rstrip())
    link = inbox_link(event)
    if link:
        lines.append(words.t("line.link", link=link))
    return "\n".join(lines)


def render_telegram_html(event: dict[str, Any]) -> str:
    """Telegram's HTML subset (b, i, a, code, blockquote); at most 4096 characters."""
    words = Words.of(event)
    lines = summary_lines(event)
    out = [f"<b>{html.escape(lines[0])}</b>"] + [html.escape(line) for line in lines[1:]]
    link = inbox_link(event)
    if link:
        # the inbox link goes right after the facts: a long message is cut from its end
        out.append(f'<a href="{html.escape(link, quote=True)}">{html.escape(words.t("line.open_inbox"))}</a>')
    for m in _mentions(event):
        author = html.escape(_author(words, m))
        text = html.escape(clean_text(m.get("text"), 280))
        url = _safe_url(m.get("url"))
        anchor = f' <a href="{html.escape(url, quote=True)}">🔗</a>' if url else ""
        out.append(f"• <i>@{author}</i>: {text}{anchor}")
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
    words = Words.of(event)
    label = words.t("line.source_link")
    lines = [slack_escape(line) for line in summary_lines(event)]
    link = inbox_link(event)
    if link:
        inbox = slack_escape(words.t("line.open_inbox"))
        lines.append(f"<{link}|{inbox}>" if flavor == "slack" else words.t("line.link", link=link))
    quotes = []
    for m in _mentions(event):
        author = slack_escape(_author(words, m))
        text = slack_escape(clean_text(m.get("text"), 280))
        url = _safe_url(m.get("url"))
        quotes.append(
            f"> @{author}: {text}"
            + (f" <{url}|{label}>" if url and flavor == "slack" else f" {url}" if url else "")
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
    """(subject, html, text) for an e-mail: Persian HTML is ``dir="rtl" lang="fa"``."""
    words = Words.of(event)
    rtl = words.language == "fa"
    lines = summary_lines(event)
    subject = clean_text(lines[1], 150)
    items = []
    for m in _mentions(event):
        url = _safe_url(m.get("url"))
        anchor = f' <a href="{html.escape(url, quote=True)}"><bdi>{html.escape(url)}</bdi></a>' if url else ""
        # the quote in its own direction (a <bdi> is auto, and skips the Latin runs it holds): an English
        # complaint laid right to left put its second sentence first
        items.append(
            f"<li><bdi>@{html.escape(_author(words, m))}</bdi>: "
            f"<bdi>{_bdi(clean_text(m.get('text'), 500))}</bdi>{anchor}</li>"
        )
    body = "".join(f"<p>{_bdi(line)}</p>" for line in lines[1:])
    link = inbox_link(event)
    if link:
        label = html.escape(words.t("line.open_inbox"))
        body += f'<p><a href="{html.escape(link, quote=True)}">{label}</a></p>'
    mentions = f"<ul>{''.join(items)}</ul>" if items else ""
    direction, lang, align = ("rtl", "fa", "right") if rtl else ("ltr", "en", "left")
    document = (
        f'<!DOCTYPE html><html dir="{direction}" lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        f'<body style="font-family: Tahoma, Vazirmatn, sans-serif; direction: {direction}; '
        f'text-align: {align}">'
        f"<h2>{_bdi(lines[0])}</h2>{body}{mentions}</body></html>"
    )
    return subject, document, render_text(event)
