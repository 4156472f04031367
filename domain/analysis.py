"""What NLP says about a mention: shared by the NLP stages, the pipeline and storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

SentimentLabel = Literal["negative", "neutral", "positive"]
LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class SentimentResult:
    label: SentimentLabel
    #: p(positive) - p(negative), in [-1, 1]
    score: float
    probs: dict[str, float]
    #: anger | sadness | fear | joy | surprise | none, from the model's emotion head; None: the model has none
    emotion: str | None = None
    emotion_probs: dict[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "score": self.score, "probs": dict(self.probs)}
        if self.emotion is not None:
            out["emotion"] = self.emotion
            out["emotion_probs"] = dict(self.emotion_probs or {})
        return out


class SentimentModel(Protocol):
    """Anything that scores a batch of (normalised) texts. Loaded once, passed in."""

    name: str

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]: ...


@dataclass(frozen=True)
class MentionAnalysis:
    """Everything NLP says about one mention."""

    normalized_text: str
    lang: str  # fa | ar | en | finglish | other
    brands: list[str]
    sentiment: SentimentResult
    aspects: list[str]
    urgency: float  # [0, 1]
    signals: dict[str, Any] = field(default_factory=dict)  # emoji, stretching, hashtags, urls…
    #: which model scored the sentiment (the registry version, ``nlp.model_registry``); None: no model
    sentiment_model: str | None = None
