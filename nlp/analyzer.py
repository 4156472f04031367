"""Everything NLP says about a batch of mentions: one pass, one sentiment call per batch.

Per mention: normalise once (signals extracted), identify the language on the raw text, match
brands, tag touchpoints, then score sentiment for the whole batch on the normalised texts and
derive urgency. Non-Persian mentions are analysed the same way and flagged by ``lang``. A post
by one of a brand's own handles (a support reply) is tagged with that brand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.analysis import LABELS, MentionAnalysis, SentimentModel, SentimentResult
from domain.brands import BrandSettings
from domain.mention import RawMention
from nlp.aspects import AspectTagger
from nlp.brands import BrandMatcher
from nlp.language import detect_language
from nlp.normalize import NormalizedText, normalize
from nlp.settings import NlpSettings, NlpSettingsView
from nlp.urgency import UrgencyScorer

#: Given to texts with nothing left to score (only a URL, only emoji with no polarity…); texts
#: that are only emoji with a polarity get ``emoji_sentiment`` instead.
#: what a mention scored from its emoji alone records as its sentiment model
EMOJI_SCORER = "emoji-lexicon"
EMPTY_SENTIMENT = SentimentResult(
    label="neutral", score=0.0, probs={"negative": 0.0, "neutral": 1.0, "positive": 0.0}
)


def emoji_sentiment(polarity: float) -> SentimentResult:
    """For a mention that is only emoji («😍😍», «😡»): the emoji lexicon's polarity as the sentiment,
    p(positive) or p(negative) = |polarity|, the rest neutral."""
    pol = max(-1.0, min(1.0, polarity))
    probs = {"negative": max(0.0, -pol), "neutral": 1.0 - abs(pol), "positive": max(0.0, pol)}
    label = max(LABELS, key=lambda k: probs[k])
    return SentimentResult(label=label, score=round(pol, 4), probs=probs)


@dataclass(frozen=True)
class TextInput:
    """What the analyzer needs of a mention; ``shenava score`` builds these from plain records."""

    text: str
    followers: int | None = None
    metrics: Mapping[str, int] | None = None
    lang_hint: str | None = None
    author_handle: str | None = None


class Analyzer:
    """Built once from settings (it compiles lexicons and holds the model), then reused."""

    def __init__(
        self,
        sentiment_model: SentimentModel,
        *,
        brands: Sequence[BrandSettings] = (),
        nlp_settings: NlpSettings | None = None,
        crisis_words: Iterable[str] = (),
        model_version: str | None = None,
    ) -> None:
        nlp_settings = nlp_settings or NlpSettings()
        self.sentiment_model = sentiment_model
        #: what each mention records as the model that scored it (``nlp.model_registry``)
        self.model_version = model_version or sentiment_model.name
        self.batch_size = nlp_settings.sentiment.batch_size
        self.brand_matcher = BrandMatcher(list(brands))
        self.aspect_tagger = AspectTagger.from_settings(nlp_settings)
        self.urgency = UrgencyScorer.build(nlp_settings.urgency, crisis_words)

    @classmethod
    def from_settings(
        cls, settings: NlpSettingsView, sentiment_model: SentimentModel | None = None
    ) -> Analyzer:
        """Loads the configured sentiment model (``nlp.sentiment``; with ``builtin``, the model
        registry's active version) when none is given."""
        version = None
        if sentiment_model is None:
            from nlp.model_registry import load_active_model

            sentiment_model, version = load_active_model(settings.nlp.sentiment)
        return cls(
            sentiment_model,
            brands=settings.brands,
            nlp_settings=settings.nlp,
            crisis_words=settings.alerts.urgent.crisis_words,
            model_version=version,
        )

    def analyze(self, mentions: Sequence[RawMention]) -> list[MentionAnalysis]:
        """One ``MentionAnalysis`` per mention, in order."""
        inputs = [
            TextInput(
                text=m.text,
                followers=m.author_followers,
                metrics=m.metrics,
                lang_hint=m.lang_hint,
                author_handle=m.author_handle,
            )
            for m in mentions
        ]
        return self.analyze_inputs(inputs)

    def analyze_texts(self, texts: Sequence[str]) -> list[MentionAnalysis]:
        return self.analyze_inputs([TextInput(text=t) for t in texts])

    def analyze_inputs(self, inputs: Sequence[TextInput]) -> list[MentionAnalysis]:
        norms = [normalize(i.text if isinstance(i.text, str) else "") for i in inputs]
        sentiments = self._sentiments([n.text for n in norms])
        # who scored each: the model, the emoji lexicon (emoji-only text) or nobody (empty text)
        scored_by = [
            self.model_version if s is not EMPTY_SENTIMENT else (EMOJI_SCORER if n.emoji_polarity else None)
            for n, s in zip(norms, sentiments, strict=True)
        ]
        sentiments = [
            emoji_sentiment(n.emoji_polarity) if s is EMPTY_SENTIMENT and n.emoji_polarity else s
            for n, s in zip(norms, sentiments, strict=True)
        ]
        return [
            self._one(i, n, s, by) for i, n, s, by in zip(inputs, norms, sentiments, scored_by, strict=True)
        ]

    def _sentiments(self, texts: list[str]) -> list[SentimentResult]:
        results: list[SentimentResult] = [EMPTY_SENTIMENT] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            predicted = self.sentiment_model.predict([texts[i] for i in chunk])
            if len(predicted) != len(chunk):
                raise RuntimeError(
                    f"sentiment model {getattr(self.sentiment_model, 'name', '?')!r} returned "
                    f"{len(predicted)} results for {len(chunk)} texts"
                )
            for i, result in zip(chunk, predicted, strict=True):
                results[i] = result
        return results

    def _one(
        self, item: TextInput, norm: NormalizedText, sentiment: SentimentResult, scored_by: str | None = None
    ) -> MentionAnalysis:
        lang = detect_language(norm.raw)
        urgency = self.urgency.score(
            norm.text,
            p_negative=float(sentiment.probs.get("negative", 0.0)),
            followers=item.followers,
            metrics=item.metrics,
            repeated_punct=len(norm.repeated_punct),
        )
        signals: dict[str, Any] = norm.signals()
        if item.lang_hint:
            signals["lang_hint"] = item.lang_hint
        crisis_terms = self.urgency.crisis_terms(norm.text or norm.raw)
        if crisis_terms:  # what alerts page on (``alerts.urgent``): decided here, not there
            signals["crisis_terms"] = crisis_terms
        return MentionAnalysis(
            normalized_text=norm.text,
            lang=lang,
            brands=self.brand_matcher.match_normalized(norm, item.author_handle),
            sentiment=sentiment,
            aspects=self.aspect_tagger.tag_normalized(norm.text),
            urgency=urgency,
            signals=signals,
            sentiment_model=scored_by,
        )
