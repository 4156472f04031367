"""The one catalogue of alert texts: every event kind renders in Persian (no English words, no raw
codes, Jalali date, Tehran time, a link into the web inbox) and in English by setting."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.events import (
    EVENT_KINDS,
    AlertEvent,
    DeliveryFailed,
    IncidentGrew,
    IncidentOpened,
    IncidentResolved,
    UrgentMention,
)
from alerts.messages import MESSAGES, MessageContext, Words
from alerts.outbox import stored_payload
from alerts.render import render_email, render_slack, render_telegram_html, render_text
from alerts.settings import AlertsSettings, UrgencySettings

AT = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # 13:30 in Tehran, 12 Esfand 1404
BASE = "http://inbox.example:8080"
EXPLANATION: dict[str, Any] = {
    "window": {"start": "2026-03-03T09:50:00+00:00", "end": "2026-03-03T10:05:00+00:00"},
    "count": 18,
    "expected": 3.4,
    "ratio": 5.3,
    "terms": [{"term": "دیر رسید", "z": 4.2}, {"term": "غذا سرد", "z": 3.1}],
    "touchpoints": [
        {"touchpoint": "delivery", "observed": 14, "expected": 0.6, "excess": 13.4},
        {"touchpoint": "quality", "observed": 6, "expected": 3.1, "excess": 2.9},
    ],
    "negative_share": {"now": 0.8, "usual": 0.3},
    "mentions": [
        {"id": 1, "text": "غذا سرد و دیر رسید", "url": "https://x.com/u1/status/1", "author": "ali_r"},
    ],
}
INCIDENT: dict[str, Any] = {
    "brand": "sabzino",
    "severity": "high",
    "at": AT,
    "incident_id": 7,
    "touchpoints": ["delivery", "quality"],
    "count": 18,
    "expected": 3.4,
    "peak_count": 21,
    "explanation": EXPLANATION,
}
EVENTS: list[AlertEvent] = [
    IncidentOpened(**INCIDENT),
    IncidentGrew(**{**INCIDENT, "severity": "critical"}),
    IncidentResolved(**INCIDENT),
    *[
        UrgentMention(
            brand="sabzino",
            severity="high",
            at=AT,
            urgent_id=3,
            mention_id=9,
            reasons=[reason],
            text="سفارشم کجاست؟ @sabzino",
            url="https://x.com/big/status/9",
            author="big_account",
            followers=250_000,
            source="x",
        )
        for reason in ("urgency", "large_account", "crisis_words", "unanswered_question")
    ],
    DeliveryFailed(
        brand="sabzino",
        severity="high",
        at=AT,
        delivery_id=4,
        channel="oncall",
        event_key="incident:7:opened",
        error="HTTP 500",
    ),
]
CODES = {
    *UrgencySettings().fold_into_incident,
    "large_account",
    "crisis_words",
    *AlertsSettings().touchpoints,
    *EVENT_KINDS,
    "high",
    "critical",
}


def _payload(event: AlertEvent, language: str) -> dict[str, Any]:
    names = {"sabzino": "سبزینو" if language == "fa" else "Sabzino"}
    context = MessageContext(language=language, public_url=BASE, brand_names=names)
    return json.loads(json.dumps(stored_payload(event, context), ensure_ascii=False))


def _renderings(payload: dict[str, Any]) -> dict[str, str]:
    subject, html, text = render_email(payload)
    return {
        "text": render_text(payload),
        "telegram": render_telegram_html(payload),
        "slack": json.dumps(render_slack(payload), ensure_ascii=False),
        "mattermost": render_slack(payload, "mattermost")["text"],
        "email": f"{subject}\n{html}\n{text}",
        "webhook": f"{payload['title']}\n{payload['message']}",
    }


def _persian_prose(rendered: str, payload: dict[str, Any]) -> str:
    """What is left once the allowed Latin is gone: URLs, @handles, <bdi> runs, markup, quoted
    mention text, the channel's configured name and its technical error."""
    out = re.sub(r"<bdi>.*?</bdi>", " ", rendered)
    out = re.sub(r"https?://[^\s<>|\"]+", " ", out)
    out = re.sub(r"<[^<>]*>", " ", out)
    out = re.sub(r"@[\w.]+", " ", out)
    out = re.sub(r'\\"|"(text|type|blocks|header|section|plain_text|mrkdwn)"', " ", out)
    for value in (payload.get("channel"), payload.get("error")):
        if value:
            out = out.replace(str(value), " ")
    return out


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{e.kind}:{getattr(e, 'reasons', [''])[0]}")
def test_every_event_kind_reads_as_persian_with_a_link_and_a_jalali_date(event: AlertEvent) -> None:
    payload = _payload(event, "fa")
    for channel, rendered in _renderings(payload).items():
        prose = _persian_prose(rendered, payload)
        english = re.findall(r"[A-Za-z]{2,}", prose)
        assert not english, (channel, english, rendered)
        words = set(re.findall(r"[A-Za-z_]+", re.sub(r"https?://\S+", " ", rendered)))
        assert not (CODES & words), (channel, CODES & words)
        assert "اسفند ۱۴۰۴" in rendered and "۱۳:۳۰" in rendered and "تهران" in rendered, channel
        assert payload["link"] in rendered, channel
    if isinstance(event, UrgentMention):
        assert payload["link"] == f"{BASE}/inbox/urgent/3"
        assert Words().label("reason", event.reasons[0]) in payload["message"]
    elif isinstance(event, DeliveryFailed):
        assert payload["link"] == f"{BASE}/inbox"
    else:
        assert payload["link"] == f"{BASE}/inbox/incident/7"
        assert "ارسال و تحویل" in payload["message"]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.kind)
def test_english_by_setting(event: AlertEvent) -> None:
    payload = _payload(event, "en")
    rendered = _renderings(payload)
    assert all(payload["link"] in r for r in rendered.values())
    assert '<html dir="ltr" lang="en">' in rendered["email"]
    # quoted mentions and the rising terms are the public's Persian words
    prose = re.sub(r"^(- |> |• |Rising terms).*$", "", payload["message"], flags=re.MULTILINE)
    assert not re.search(r"[\u0600-\u06ff]", prose), prose
    assert "Esfand 1404" in payload["message"] and "13:30" in payload["message"]
    if isinstance(event, UrgentMention):
        assert Words("en").label("reason", event.reasons[0]) in payload["title"]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_an_escalation_says_when_it_opened_and_when_it_grew(language: str) -> None:
    # An escalation's one time line gave the incident's opening (13:30) beside the counts of the
    # bucket that raised it two hours later: support read "When: 13:30" over figures from 15:15.
    later = {"start": "2026-03-03T11:15:00+00:00", "end": "2026-03-03T12:00:00+00:00"}
    explanation = {**EXPLANATION, "window": later, "bucket": {"count": 40, "expected": 3.4, "minutes": 15}}
    message = _payload(
        IncidentGrew(**{**INCIDENT, "severity": "critical", "explanation": explanation}), language
    )["message"]
    words = Words(language)
    assert words.t("line.started", when=words.when(AT)) in message
    assert words.t("line.escalated", when=words.when(datetime(2026, 3, 3, 11, 45, tzinfo=UTC))) in message
    assert ("۱۵:۱۵" if language == "fa" else "15:15") in message
    assert words.t("line.when", when=words.when(AT)) not in message


def test_the_catalogue_is_complete_in_both_languages() -> None:
    assert all(len(pair) == 2 and all(text.strip() for text in pair) for pair in MESSAGES.values())
    for kind in EVENT_KINDS:
        assert f"kind.{kind}" in MESSAGES and f"title.{kind}" in MESSAGES
    for group, codes in (
        ("reason", ["urgency", "large_account", "crisis_words", "unanswered_question"]),
        ("touchpoint", AlertsSettings().touchpoints),
    ):
        assert all(f"{group}.{code}" in MESSAGES for code in codes)


def test_a_mention_is_one_word_in_persian_on_every_surface() -> None:
    """The web pages and the digest call a mention «اشاره»; the alerts and the import summary said
    «پیام» (a message), so support read «پیام فوری» on Telegram and «اشارهٔ فوری» in the inbox."""
    from alerts.digest.words import DIGEST_MESSAGES
    from shenava.web.messages import MESSAGES as WEB_MESSAGES
    from shenava.web.messages_analytics import MESSAGES as ANALYTICS_MESSAGES

    catalogues = {
        "alerts": MESSAGES,
        "web": WEB_MESSAGES,
        "analytics": ANALYTICS_MESSAGES,
        "digest": DIGEST_MESSAGES,
    }
    mixed = [
        (name, key, fa)
        for name, catalogue in catalogues.items()
        for key, (fa, en) in catalogue.items()
        if re.search(r"\bmentions?\b", en, re.IGNORECASE) and "پیام" in fa
    ]
    assert not mixed, mixed
    assert MESSAGES["kind.urgent_mention"][0] == WEB_MESSAGES["kind.urgent"][0]
