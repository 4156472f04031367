"""Direct cases for the small helpers the stages share (emoji, HTML, letters, morphology)."""

from __future__ import annotations

import re

import pytest

from nlp.analyzer import emoji_sentiment
from nlp.emoji import emoji_polarity, find_emojis
from nlp.morphology import word_pattern
from nlp.normalize import strip_html, unify_letters


@pytest.mark.parametrize(
    ("text", "emojis"),
    [
        ("سلام 😍 خوبی 👍🏽", ["😍", "👍🏽"]),
        ("❤️❤️", ["❤️", "❤️"]),
        ("🇮🇷 ایران", ["🇮🇷"]),
        ("👩\u200d💻 برنامه‌نویس", ["👩\u200d💻"]),
        ("plain ascii :)", []),
        ("© ® ™ فقط نشان", []),
    ],
)
def test_find_emojis(text: str, emojis: list[str]) -> None:
    assert find_emojis(text) == emojis


@pytest.mark.parametrize(
    ("emojis", "expected"),
    [([], 0.0), (["⏰"], 0.0), (["😍"], 0.9), (["😍", "😡"], 0.0), (["👍🏽"], 0.7), (["❤️"], 0.8)],
)
def test_emoji_polarity(emojis: list[str], expected: float) -> None:
    assert emoji_polarity(emojis) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>سلام</p>", " سلام "),
        ("a &amp; b", "a & b"),
        ("&lt;script&gt;x&lt;/script&gt;", " x "),  # decoded markup is not kept as markup
        ("<!-- note -->متن", " متن"),
        ("2 < 3 و 5 > 4", "2 < 3 و 5 > 4"),
    ],
)
def test_strip_html(html: str, text: str) -> None:
    assert strip_html(html) == text


@pytest.mark.parametrize(
    ("raw", "unified"),
    [("كيك", "کیک"), ("۱۲۳", "123"), ("١٢٣", "123"), ("ة", "ه"), ("abc", "abc"), ("٫۵", ".5")],
)
def test_unify_letters(raw: str, unified: str) -> None:
    assert unify_letters(raw) == unified


@pytest.mark.parametrize(
    ("text", "found"),
    [("شکایتم", True), ("شکایت‌ها", True), ("شکایت", True), ("شکایتنامه", False)],
)
def test_word_pattern_takes_clitics_only(text: str, found: bool) -> None:
    assert bool(re.search(word_pattern("شکایت"), text)) is found


@pytest.mark.parametrize(
    ("polarity", "label"), [(0.9, "positive"), (-0.7, "negative"), (-0.2, "neutral"), (2.0, "positive")]
)
def test_emoji_sentiment(polarity: float, label: str) -> None:
    result = emoji_sentiment(polarity)
    assert result.label == label
    assert sum(result.probs.values()) == pytest.approx(1.0)
    assert -1.0 <= result.score <= 1.0
