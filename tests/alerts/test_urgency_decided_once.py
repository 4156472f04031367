"""Urgency is decided once, by NLP: the analyzer records the alert crisis words a mention holds, and the
alert rules page on them without matching text again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from alerts.engine import AlertEngine
from alerts.settings import UrgencySettings
from domain.mention import RawMention
from nlp.analyzer import Analyzer
from nlp.normalize import normalize_for_search
from nlp.sentiment import LexiconFallbackSentimentModel
from storage.repository import MentionStore
from tests.alerts.builders import T0
from tests.alerts.conftest import make_settings

TEXTS = [
    "این کلاهبرداری سبزینو رو ببینید",
    "سبزینو کلاه‌برداری کرد",
    "سبزینو كلاهبرداري کرده",  # Arabic kaf and yeh
    "حسابم تو سبزینو هک شد!!",
    "سبزینو شکایتم رو جواب نداد",  # a clitic: still the word
    "سبزینو این یک SCAM است",  # case is not folded (as before)
    "سبزینو scammers everywhere",
    "سبزینو پلیس  فتا رو خبر کردم",  # two spaces
    "سبزینو خیلی خوبه",
    "https://sabzino.example/fraud",  # nothing left to normalise but the URL
    "@fraud_watch سبزینو",
]


def _before(text: str, normalized: str, words: list[str]) -> bool:
    """The rule alerts/urgent.py applied itself until NLP decided it: the folded crisis words as
    substrings of the folded stored text (the normalised text, else the raw one)."""
    folded = f" {normalize_for_search(normalized or text)} "
    return any(w in folded for w in (normalize_for_search(word).strip() for word in words) if w)


@pytest.fixture
def analyzer() -> Analyzer:
    return Analyzer(LexiconFallbackSentimentModel(), crisis_words=UrgencySettings().crisis_words)


@pytest.mark.parametrize("text", TEXTS)
def test_the_analyzer_records_exactly_the_mentions_alerts_paged_on(analyzer: Analyzer, text: str) -> None:
    (analysis,) = analyzer.analyze_texts([text])
    words = UrgencySettings().crisis_words
    assert bool(analysis.signals.get("crisis_terms")) is _before(text, analysis.normalized_text, words)


def test_crisis_words_found_by_nlp_page_through_the_alert_rules(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    analyzer = Analyzer(
        LexiconFallbackSentimentModel(),
        brands=settings.brands,
        crisis_words=settings.alerts.urgent.crisis_words,
    )
    raws = [
        RawMention(source="x", external_id=f"m{i}", text=text, created_at=T0, author_handle=f"user{i}")
        for i, text in enumerate(["این کلاهبرداری سبزینو رو ببینید", "سبزینو خیلی خوبه"])
    ]
    ids = MentionStore(sqlite_engine).save_batch(list(zip(raws, analyzer.analyze(raws), strict=True)), None)
    events = AlertEngine(settings, sqlite_engine).on_stored(ids.inserted_ids)
    assert [(e.mention_id, e.reasons) for e in events] == [(ids.inserted_ids[0], ["crisis_words"])]  # type: ignore[attr-defined]
