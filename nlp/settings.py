"""Settings of the ``nlp`` section (owned by nlp/)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SentimentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentiment: SentimentSettings = Field(default_factory=SentimentSettings, description="Sentiment model.")
