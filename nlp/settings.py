"""Settings of the ``nlp`` section (owned by nlp/)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import Field

from domain.brands import BrandSettings
from domain.settings_base import StrictModel


class SentimentSettings(StrictModel):
    model: str = Field(
        default="builtin",
        description="'builtin' (the bundled model), a local directory, or a model id (needs network once).",
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Map of the model's id2label names to negative/neutral/positive; empty: known names.",
    )
    batch_size: int = Field(default=64, ge=1, description="Texts per inference batch.")
    backend: Literal["auto", "torch", "onnx"] = Field(
        default="auto",
        description="Inference runtime: 'onnx' (ONNX Runtime, needs model.onnx in the model directory), "
        "'torch' (transformers), or 'auto' (ONNX when the directory has model.onnx, else torch).",
    )
    max_length: int = Field(default=128, ge=8, le=512, description="Longest input in tokens; longer is cut.")
    num_threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads for inference; empty: the number of CPU cores (at most 8).",
    )


class AspectSettings(StrictModel):
    """Adjust the bundled touchpoint lexicon (nlp/data/aspects.yaml) without copying it."""

    extra_terms: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Touchpoint → terms added to the defaults (a term with a space is a phrase); "
        "a new touchpoint name adds a touchpoint.",
    )
    replace_terms: dict[str, list[str]] = Field(
        default_factory=dict, description="Touchpoint → terms that replace that touchpoint's default terms."
    )
    disabled: list[str] = Field(default_factory=list, description="Touchpoints not to tag at all.")


class UrgencyWeights(StrictModel):
    """Weights of the urgency score (see nlp/urgency.py): a weighted sum of components, capped at 1."""

    negativity: float = Field(default=0.35, ge=0, le=1, description="Weight of p(negative) of the mention.")
    reach: float = Field(
        default=0.15, ge=0, le=1, description="Weight of the author's reach: log10(followers+1)/6, max 1."
    )
    engagement: float = Field(
        default=0.10,
        ge=0,
        le=1,
        description="Weight of engagement, log10(1 + likes + 2*shares + 2*replies)/4 capped at 1.",
    )
    complaint: float = Field(
        default=0.15, ge=0, le=1, description="Weight of complaint/question cues (order no., «هنوز», «؟»…)."
    )
    crisis: float = Field(default=0.35, ge=0, le=1, description="Weight of crisis words (کلاهبرداری…).")
    extra_crisis_words: list[str] = Field(
        default_factory=list,
        description="Crisis words added to the built-in ones and to alerts.urgent.crisis_words.",
    )
    extra_complaint_cues: list[str] = Field(
        default_factory=list, description="Complaint/question cue words added to the built-in list."
    )


class NlpSettings(StrictModel):
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings, description="Sentiment model.")
    aspects: AspectSettings = Field(default_factory=AspectSettings, description="Touchpoint lexicon changes.")
    urgency: UrgencyWeights = Field(default_factory=UrgencyWeights, description="Urgency weights and cues.")


class UrgentRulesView(Protocol):
    @property
    def crisis_words(self) -> list[str]: ...


class AlertRulesView(Protocol):
    @property
    def urgent(self) -> UrgentRulesView: ...


class NlpSettingsView(Protocol):
    """What the analyzer reads of the root settings: the brands, the ``nlp`` section and the crisis
    words of ``alerts.urgent``. ``config.settings.Settings`` is one; nlp never imports config or
    alerts (both import nlp)."""

    @property
    def brands(self) -> Sequence[BrandSettings]: ...

    @property
    def nlp(self) -> NlpSettings: ...

    @property
    def alerts(self) -> AlertRulesView: ...
