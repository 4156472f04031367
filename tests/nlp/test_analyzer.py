"""nlp.analyzer: one MentionAnalysis per mention, batched sentiment on normalised text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from config.settings import Settings
from domain.analysis import LABELS, SentimentResult
from domain.brands import BrandSettings
from domain.mention import RawMention
from nlp.analyzer import EMPTY_SENTIMENT, Analyzer
from nlp.sentiment import LexiconFallbackSentimentModel
from nlp.settings import NlpSettings, SentimentSettings

BRANDS = [
    BrandSettings(
        name="sabzino", aliases_fa=["سبزینو"], aliases_latin=["Sabzino"], handles=["sabzino_support"]
    ),
    BrandSettings(name="nobank", aliases_fa=["نوبانک"], aliases_latin=["Nobank"]),
]


class RecordingModel:
    """D's lexicon fallback (a real scorer), recording the batches it is given."""

    name = "recording-fallback"

    def __init__(self) -> None:
        self.inner = LexiconFallbackSentimentModel()
        self.batches: list[list[str]] = []

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.batches.append(list(texts))
        return self.inner.predict(texts)


def mention(text: str, i: int = 0, **kw: object) -> RawMention:
    return RawMention(
        source="x", external_id=str(i), text=text, created_at=datetime(2026, 1, 1, tzinfo=UTC), **kw
    )


@pytest.fixture()
def model() -> RecordingModel:
    return RecordingModel()


def make(model: RecordingModel, batch_size: int = 64) -> Analyzer:
    settings = Settings(brands=BRANDS, nlp=NlpSettings(sentiment=SentimentSettings(batch_size=batch_size)))
    return Analyzer.from_settings(settings, sentiment_model=model)


def test_analysis_fields(model: RecordingModel) -> None:
    [a] = make(model).analyze(
        [mention("سفارشم از #سبزینو هنوز نرسیده!!! چرا جواب نمیدید؟ 😡", author_followers=20_000)]
    )
    assert a.lang == "fa"
    assert a.brands == ["sabzino"]
    assert a.aspects == ["delivery", "support"]
    assert a.normalized_text == "سفارشم از سبزینو هنوز نرسیده! چرا جواب نمی‌دید؟"
    assert a.sentiment.label in LABELS and -1 <= a.sentiment.score <= 1
    assert 0 <= a.urgency <= 1
    assert a.signals["emojis"] == ["😡"] and a.signals["repeated_punct"] == ["!!!"]
    # the model reads the text as written (emoji included) and preprocesses it as its training text was
    assert model.batches == [["سفارشم از #سبزینو هنوز نرسیده!!! چرا جواب نمیدید؟ 😡"]]


def test_order_and_batching(model: RecordingModel) -> None:
    texts = [f"نوبانک پیام {i}" for i in range(10)]
    results = make(model, batch_size=4).analyze([mention(t, i) for i, t in enumerate(texts)])
    assert [r.normalized_text for r in results] == texts
    assert [len(b) for b in model.batches] == [4, 4, 2]
    assert all(r.brands == ["nobank"] for r in results)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("My Sabzino order is late", "en"), ("sefaresham hanooz nareside", "finglish"), ("وين الطلب", "ar")],
)
def test_non_persian_mentions_are_analysed_and_flagged(model: RecordingModel, text: str, lang: str) -> None:
    [a] = make(model).analyze([mention(text)])
    assert a.lang == lang
    assert a.sentiment.label in LABELS


@pytest.mark.parametrize("text", ["", "   ", "https://sabzino.ir", "⏰", "<b></b>"])
def test_nothing_to_score_gets_neutral_without_calling_the_model(model: RecordingModel, text: str) -> None:
    [a] = make(model).analyze([mention(text)])
    assert a.sentiment == EMPTY_SENTIMENT
    assert model.batches == []


@pytest.mark.parametrize(("text", "label"), [("😍😍", "positive"), ("😡💔", "negative"), ("😐", "neutral")])
def test_emoji_only_mentions_get_the_emoji_polarity(model: RecordingModel, text: str, label: str) -> None:
    [a] = make(model).analyze([mention(text)])
    assert a.sentiment.label == label
    assert abs(sum(a.sentiment.probs.values()) - 1) < 1e-9
    assert model.batches == []


def test_brand_reply_without_the_name_is_tagged(model: RecordingModel) -> None:
    [a] = make(model).analyze([mention("@ali سلام، پیگیری می‌کنیم", author_handle="sabzino_support")])
    assert a.brands == ["sabzino"]


def test_empty_batch(model: RecordingModel) -> None:
    assert make(model).analyze([]) == []


def test_hostile_text(model: RecordingModel) -> None:
    texts = ["<script>x</script>" * 2000, "\u202e" * 500 + "سبزینو", "\ud800", "a" * 200_000]
    results = make(model).analyze([mention(t, i) for i, t in enumerate(texts)])
    assert len(results) == 4
    assert results[1].brands == ["sabzino"]
    assert all("\u202e" not in r.normalized_text for r in results)


def test_urgency_uses_reach_and_negativity(model: RecordingModel) -> None:
    text = "کلاهبرداری کردن، پولم کسر شد و برنگشت، شکایت می‌کنم"
    small, large = make(model).analyze(
        [mention(text, 1, author_followers=10), mention(text, 2, author_followers=10**6)]
    )
    assert large.urgency > small.urgency


def test_from_settings_loads_the_configured_model() -> None:
    analyzer = Analyzer.from_settings(Settings(brands=BRANDS))
    [a] = analyzer.analyze([mention("سبزینو عالیه، خیلی ممنون")])
    assert a.sentiment.label in LABELS and a.brands == ["sabzino"]
    assert abs(sum(a.sentiment.probs.values()) - 1) < 1e-3
