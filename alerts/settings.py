"""Settings of the ``alerts``, ``notifications`` and ``digest`` sections (owned by alerts/)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AlertsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bucket_minutes: int = Field(default=5, ge=1, description="Width of a time bucket for spike detection.")


class NotificationsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    console: bool = Field(default=True, description="Print alerts on the console.")


class DigestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time: str = Field(default="09:00", description="Local time (HH:MM) at which the daily digest is sent.")
