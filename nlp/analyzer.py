"""Everything NLP says about a batch of mentions: one pass, one sentiment call per batch.

Per mention: normalise once (signals extracted), identify the language on the raw text, match
brands, tag touchpoints, then score sentiment for the whole batch and derive urgency. The model gets
each mention's text as written and preprocesses it the way its training text was (``nlp.sentiment.
preprocess``): the search normalisation drops emoji and URLs, which the model was trained to read.
Non-Persian mentions are analysed the same way and flagged by ``lang``. A post
by one of a brand's own handles (a support reply) is tagged with that brand.

Both cores work: each model batch is scored in a worker thread as soon as it is normalised (the
model runs its own batches in parallel threads, ONNX Runtime releasing the GIL), while this thread
does the steps that do not need the sentiment. Every path (service, import, replay, ``shenava
score``, the API) comes through ``analyze_inputs``, so all get it, with the same results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from domain.analysis import LABELS, MentionAnalysis, SentimentModel, SentimentResult
from domain.brands import BrandSettings
from domain.mention import RawMention
from nlp.aspects import AspectTagger
from nlp.brands import BrandMatcher
from nlp.language import detect_language
from nlp.normalize import MAX_CHARS as NORMALIZE_MAX_CHARS
from nlp.normalize import NormalizedText, normalize
from nlp.sentiment.batching import ThreadPool
from nlp.settings import NlpSettings, NlpSettingsView
from nlp.urgency import UrgencyScorer, urgency_score

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
        pipeline: bool = True,
    ) -> None:
        nlp_settings = nlp_settings or NlpSettings()
        self.sentiment_model = sentiment_model
        #: what each mention records as the model that scored it (``nlp.model_registry``)
        self.model_version = model_version or sentiment_model.name
        self.batch_size = nlp_settings.sentiment.batch_size
        self.brand_matcher = BrandMatcher(list(brands))
        self.aspect_tagger = AspectTagger.from_settings(nlp_settings)
        self.urgency = UrgencyScorer.build(nlp_settings.urgency, crisis_words)
        #: score each model batch in a worker thread while this one does the rest (see
        #: ``analyze_inputs``); False scores inline, for comparison (the results are the same)
        self.pipeline = pipeline
        # one worker: the model gets its batches one at a time and in order, as without it
        self._pool = ThreadPool(1, "analyzer-sentiment")

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
        """Normalises the mentions a model batch at a time and starts the model on each batch at once
        (``_score``); while the model scores in other threads (ONNX Runtime releases the GIL), this
        thread does every step that does not need the sentiment (language, brands, touchpoints,
        urgency cues). The model batches are the ones a sequential pass makes, so the results are
        the same."""
        norms: list[NormalizedText] = []
        jobs: list[tuple[list[int], _Job]] = []
        pending: list[int] = []  # mentions with text, not yet handed to the model
        for start in range(0, len(inputs), self.batch_size):
            for item in inputs[start : start + self.batch_size]:
                norm = normalize(item.text if isinstance(item.text, str) else "")
                if norm.text.strip():
                    pending.append(len(norms))
                norms.append(norm)
            while len(pending) >= self.batch_size:
                jobs.append(self._score(norms, pending[: self.batch_size]))
                pending = pending[self.batch_size :]
        if pending:
            jobs.append(self._score(norms, pending))
        try:
            prepared = [self._prepare(i, n) for i, n in zip(inputs, norms, strict=True)]
            sentiments = self._collect(jobs, len(norms))
        finally:
            for _, job in jobs:
                job.cancel()  # only matters when something failed: do not score the rest
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
            self._finish(i, p, s, by)
            for i, p, s, by in zip(inputs, prepared, sentiments, scored_by, strict=True)
        ]

    def _score(self, norms: list[NormalizedText], chunk: list[int]) -> tuple[list[int], _Job]:
        """Starts scoring one model batch. A model with ``submit`` (``BatchedClassifier``: preprocessing
        here, its batches in its own threads) returns at once; any other model's ``predict`` runs in the
        analyzer's worker thread, one batch at a time, in order."""
        # as written, not norms[i].text: that drops emoji, which the model learnt from (validation mean
        # macro-F1 0.814 on the text as written, 0.805 on the normalised text; training README)
        texts = [norms[i].raw[:NORMALIZE_MAX_CHARS] for i in chunk]
        if not self.pipeline:
            job: Future[list[SentimentResult]] = Future()
            job.set_result(self.sentiment_model.predict(texts))
            return chunk, job
        submit = getattr(self.sentiment_model, "submit", None)
        if callable(submit):
            return chunk, submit(texts)
        return chunk, self._pool.get().submit(self.sentiment_model.predict, texts)

    def _collect(self, jobs: list[tuple[list[int], _Job]], n: int) -> list[SentimentResult]:
        results: list[SentimentResult] = [EMPTY_SENTIMENT] * n
        for chunk, job in jobs:
            predicted = job.result()
            if len(predicted) != len(chunk):
                raise RuntimeError(
                    f"sentiment model {getattr(self.sentiment_model, 'name', '?')!r} returned "
                    f"{len(predicted)} results for {len(chunk)} texts"
                )
            for i, result in zip(chunk, predicted, strict=True):
                results[i] = result
        return results

    def _prepare(self, item: TextInput, norm: NormalizedText) -> _Prepared:
        """Everything about one mention that does not depend on its sentiment."""
        signals: dict[str, Any] = norm.signals()
        if item.lang_hint:
            signals["lang_hint"] = item.lang_hint
        # norm.text is the search-normalised text the terms are matched in (empty: no term can match)
        crisis_terms = self.urgency.crisis_terms_normalized(norm.text)
        if crisis_terms:  # what alerts page on (``alerts.urgent``): decided here, not there
            signals["crisis_terms"] = crisis_terms
        return _Prepared(
            norm=norm,
            lang=detect_language(norm.raw),
            brands=self.brand_matcher.match_normalized(norm, item.author_handle),
            aspects=self.aspect_tagger.tag_normalized(norm.text),
            signals=signals,
            complaint=self.urgency.complaint_level(norm.text, len(norm.repeated_punct)),
            crisis=self.urgency.has_crisis(norm.text),
        )

    def _finish(
        self, item: TextInput, prep: _Prepared, sentiment: SentimentResult, scored_by: str | None
    ) -> MentionAnalysis:
        urgency = urgency_score(
            p_negative=float(sentiment.probs.get("negative", 0.0)),
            followers=item.followers,
            metrics=item.metrics,
            complaint=prep.complaint,
            crisis=prep.crisis,
            weights=self.urgency.weights,
        )
        return MentionAnalysis(
            normalized_text=prep.norm.text,
            lang=prep.lang,
            brands=prep.brands,
            sentiment=sentiment,
            aspects=prep.aspects,
            urgency=urgency,
            signals=prep.signals,
            sentiment_model=scored_by,
        )


class _Job(Protocol):
    """A model batch being scored: a ``Future`` or ``nlp.sentiment.batching.PendingScores``."""

    def result(self) -> list[SentimentResult]: ...

    def cancel(self) -> Any: ...


@dataclass(frozen=True)
class _Prepared:
    norm: NormalizedText
    lang: str
    brands: list[str]
    aspects: list[str]
    signals: dict[str, Any]
    complaint: float
    crisis: bool
