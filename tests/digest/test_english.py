"""The digest in English (``digest.language: en``, or ``notifications.language`` when the digest
says nothing): left to right, Latin digits, Jalali dates with their months' English names, every
heading translated, brands by their Latin alias; the Persian digest is the default."""

from __future__ import annotations

import re
import string

import pytest
from sqlalchemy import Engine

from alerts.digest import DigestPeriod, make_digest
from alerts.digest.words import DIGEST_MESSAGES, DigestWords
from alerts.messages import MissingMessage
from config.settings import Settings
from tests.archive.corpus import corpus
from tests.digest.conftest import digest_settings
from tests.digest.test_render import NOW

_PERSIAN_WORD = re.compile(r"[\u0600-\u06ff][\u0600-\u06ff\u200c]*")
_PERSIAN_DIGITS = re.compile(r"[۰-۹]")
_HOSTILE_WORDS = {"سبزینو", "ارسال", "افتضاح", "بود"}  # the digest_archive fixture's hostile mention


def _english(**digest: object) -> Settings:
    return digest_settings(language="en", **digest)


def _words_people_wrote() -> set[str]:
    """Persian that may appear in an English digest: the mentions' own words and brand aliases."""
    written = " ".join(row["text"] for row in corpus())
    written += " " + " ".join(alias for b in digest_settings().brands for alias in b.aliases_fa)
    return set(_PERSIAN_WORD.findall(written)) | _HOSTILE_WORDS


def test_the_english_digest_reads_left_to_right_in_english(
    engine: Engine, digest_archive: dict[str, int]
) -> None:
    rendered = make_digest(_english(), engine, DigestPeriod.for_day("1403-09-01"), now=NOW)
    html, text = rendered.html, rendered.text
    assert rendered.subject == "Shenava daily digest — Thursday 1 Azar 1403"
    assert '<html dir="ltr" lang="en">' in html and "direction: ltr; text-align: left;" in html
    assert "border-left: 3px solid" in html  # the quotes' accent on the side lines start
    for heading in ("Main complaints", "Most praised", "Incidents", "Share of voice against competitors"):
        assert f"<h3>{heading}</h3>" in html, heading
    assert "12 min" in html and "2 h 5 min" in html  # TTA / TTR of the incident
    assert "<td>delivery, support</td>" in html and "<th>Touchpoints</th>" in html
    assert "1 Azar 1403, 09:30" in html  # when it started, in Tehran time
    assert re.search(r"<h2>(<bdi[^>]*>)+Sabzino</bdi>", html)  # the Latin alias names the brand
    # Persian appears only where people wrote it (quotes, terms, aliases), never in the digest's words
    prose = re.sub(r"<[^>]+>", " ", html)
    assert set(_PERSIAN_WORD.findall(prose)) <= _words_people_wrote(), (
        set(_PERSIAN_WORD.findall(prose)) - _words_people_wrote()
    )
    assert not _PERSIAN_DIGITS.search(html) and not _PERSIAN_DIGITS.search(text)
    assert "Volume: 7 mentions (change +600%)" in text and "Volume: 1 mention (change —)" in text
    assert "Incident #1 (high) about delivery: time to acknowledge 12 min, time to resolve 2 h 5 min" in text
    assert set(_PERSIAN_WORD.findall(text)) <= _words_people_wrote()
    # the hostile quote stays text, isolated so its Persian keeps its own direction in the line
    assert "<img" not in html and '<blockquote><bdi dir="auto">&lt;' in html and "\u202e" not in html


def test_the_weekly_english_digest_names_its_range(engine: Engine, digest_archive: dict[str, int]) -> None:
    rendered = make_digest(_english(), engine, DigestPeriod.for_day("1403-09-01", "weekly"), now=NOW)
    assert rendered.subject == "Shenava weekly digest — 26 Aban 1403 to 2 Azar 1403"


@pytest.mark.parametrize(
    ("digest", "notifications", "expected"),
    [(None, "fa", "fa"), (None, "en", "en"), ("fa", "en", "fa"), ("en", "fa", "en")],
)
def test_the_digest_speaks_its_own_language_else_the_alerts_one(
    engine: Engine, digest_archive: dict[str, int], digest: str | None, notifications: str, expected: str
) -> None:
    settings = digest_settings(language=digest)
    settings = settings.model_copy(
        update={"notifications": settings.notifications.model_validate({"language": notifications})}
    )
    html = make_digest(settings, engine, DigestPeriod.for_day("1403-09-01"), now=NOW).html
    assert f'lang="{expected}"' in html.split(">", 2)[1]


def test_an_unknown_digest_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'fa' or 'en'"):
        digest_settings(language="de")
    with pytest.raises(ValueError, match=r"fa, en"):
        DigestWords("de")
    with pytest.raises(MissingMessage):
        DigestWords("en").t("no.such.words")


def test_every_digest_word_has_both_languages_with_the_same_blanks() -> None:
    fields = string.Formatter()
    for key, (persian, english) in DIGEST_MESSAGES.items():
        assert persian.strip() and english.strip(), key
        assert _PERSIAN_WORD.search(persian), f"{key}: Persian without Persian letters"
        assert not _PERSIAN_WORD.search(english), f"{key}: English with Persian letters"
        blanks = [{name for _, name, _, _ in fields.parse(text) if name} for text in (persian, english)]
        assert blanks[0] == blanks[1], key
