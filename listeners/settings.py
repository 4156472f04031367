"""Settings of the ``sources`` section (owned by listeners/)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReplaySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: str | bool = Field(
        default="auto",
        description="'auto' replays the file only when no API credentials are set; true/false force it.",
    )
    file: str = Field(default="data/sample/mentions.jsonl", description="JSONL or CSV file to replay.")
    speed: float = Field(
        default=5000.0, description="Replay speed-up over real time (5000: a week in about two minutes)."
    )
    interval_seconds: float = Field(default=2.0, description="How often the replay job runs.")


class SourcesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    replay: ReplaySettings = Field(default_factory=ReplaySettings, description="Replay of a file of mentions.")
