"""Rendering escapes hostile mention text for every channel and explains the alert."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from alerts.events import IncidentResolved
from alerts.render import TELEGRAM_LIMIT, render_email, render_slack, render_telegram_html, render_text
from alerts.text import clean_text
from tests.alerts.events_fixtures import AT, HOSTILE, incident_event, urgent_event


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def _tags(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    return parser


def test_clean_text_strips_bidi_overrides_and_zero_width_but_keeps_zwnj() -> None:
    cleaned = clean_text("a\u202eb\u200bc\u2066d می\u200cخواهم\x00", 100)
    assert cleaned == "abcd می\u200cخواهم"
    assert clean_text("x" * 50, 10) == "x" * 9 + "…"


def test_telegram_html_escapes_mentions_and_fits_the_limit() -> None:
    message = render_telegram_html(incident_event())
    assert len(message) <= TELEGRAM_LIMIT
    assert "<script>" not in message and "&lt;script&gt;" in message
    assert "\u202e" not in message
    # only the Bot API's subset, and no javascript: link
    assert set(_tags(message).tags) <= {"b", "i", "a"}
    assert "javascript:" not in message
    assert "https://x.com/u1/status/1" in message
    # touchpoints by their Persian names, figures in Persian digits (issue 12: «quality» in alerts)
    assert "نرسیده" in message and "ارسال و تحویل" in message and "۸۵٪" in message
    assert "delivery" not in message


def test_slack_payload_escapes_control_characters() -> None:
    payload = render_slack(incident_event())
    text = json.dumps(payload, ensure_ascii=False)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<https://x.com/u1/status/1|پیوند>" in text  # not the English «link» (issue 12)
    assert payload["blocks"][0]["type"] == "header"
    mattermost = render_slack(urgent_event(), "mattermost")
    assert set(mattermost) == {"text"} and "&lt;b&gt;" in mattermost["text"]


def test_email_is_rtl_persian_with_bdi_around_latin_and_handles() -> None:
    subject, html, text = render_email(incident_event())
    assert '<html dir="rtl" lang="fa">' in html
    assert "<bdi>@reza</bdi>" in html
    assert "<bdi>https://x.com/u3/status/3</bdi>" in html
    assert "<script>" not in html and "&lt;<bdi>script</bdi>&gt;" in html
    assert set(_tags(html).tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "h2",
        "p",
        "ul",
        "li",
        "a",
        "bdi",
    }
    assert "\n" not in subject and "sabzino" in subject
    assert "نرسیده" in text and "<" not in text.split("\n")[0]


def test_text_rendering_cuts_huge_mentions() -> None:
    text = render_text(urgent_event())
    # the reason in words, never its code (issue 12: «دلیل: unanswered_question»)
    assert len(text) < 1000 and "حساب پرمخاطب" in text and "large_account" not in text
    assert HOSTILE[:20] not in text or "\u202e" not in text


def test_resolved_incident_reports_peak_not_quotes() -> None:
    event = incident_event()
    event["kind"] = "incident_resolved"
    text = render_text(event)
    assert "۳۲" in text and "https://x.com" not in text


def test_a_usual_count_under_one_is_not_shown_beside_a_ratio_it_contradicts() -> None:
    # explain takes the ratio against at least one mention: "usually 0.6 (13×)" would not add up
    rare = incident_event(
        explanation={**incident_event()["explanation"], "count": 13, "expected": 0.6, "ratio": 13.0}
    )
    persian = render_text(rare)
    assert "۱۳ اشارهٔ منفی" in persian and "معمولاً کمتر از یکی (۰٫۶)" in persian and "برابر" not in persian
    english = render_text({**rare, "language": "en"})
    assert "usually fewer than one (0.6)" in english and "×" not in english
    # at one or more the ratio is count / usual and is shown
    usual = render_text({**incident_event(), "language": "en"})
    assert "34 negative mentions" in usual and "usually 2.3 (14.8×)" in usual, usual


def test_a_touchpoint_incident_says_whose_counts_it_gives() -> None:
    # support's own series opened it: "13 negative mentions" beside "delivery 17 / 0.5" read as the
    # brand's total and did not add up
    explanation = {**incident_event()["explanation"], "touchpoint": "support", "count": 13, "expected": 2.0}
    opened = render_text({**incident_event(explanation=explanation), "language": "en"})
    assert "13 negative mentions about support in" in opened, opened
    assert "۱۳ اشارهٔ منفی دربارهٔ پشتیبانی در" in render_text(incident_event(explanation=explanation))
    values = {
        k: v for k, v in incident_event(explanation=explanation).items() if k not in ("kind", "key", "title")
    }
    over = IncidentResolved(**{**values, "at": AT, "peak_count": 20, "expected": 0.2}).to_json()
    assert "Peak: 20 negative mentions about support in one bucket (usually 0.2)" in render_text(
        {**over, "language": "en"}
    )
    brand_wide = render_text({**incident_event(), "language": "en"})  # no touchpoint: the brand's own
    assert "34 negative mentions in 15 minutes" in brand_wide, brand_wide
