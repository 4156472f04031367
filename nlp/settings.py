"""Settings of the ``nlp`` section (owned by nlp/)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SentimentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        default="builtin",
        description="'builtin' (the bundled model), a local directory, or a model id (needs network once).",
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Map of the model's id2label names to negative/neutral/positive; empty: use the model's own.",
    )
    batch_size: int = Field(default=64, ge=1, description="Texts per inference batch.")


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentiment: SentimentSettings = Field(default_factory=SentimentSettings, description="Sentiment model.")
