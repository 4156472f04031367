"""The root settings model. Each package owns the model of its own section.

Owners: ``brands``/``timezone``/``logging`` here; ``storage`` → storage/settings.py;
``sources`` → listeners/settings.py; ``nlp`` → nlp/settings.py; ``alerts``, ``notifications``
and ``digest`` → alerts/settings.py. Every field carries a description (a test checks it).
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alerts.settings import AlertsSettings, DigestSettings, NotificationsSettings
from listeners.settings import SourcesSettings
from nlp.settings import NlpSettings
from storage.settings import StorageSettings


class StrictModel(BaseModel):
    """Unknown keys are errors: a typo in the YAML must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class BrandSettings(StrictModel):
    name: str = Field(max_length=64, description="Canonical brand name, used in storage, alerts and digests.")
    aliases_fa: list[str] = Field(
        default_factory=list, description="Aliases in Persian script, e.g. دیجی‌کالا."
    )
    aliases_latin: list[str] = Field(
        default_factory=list, description="Aliases in Latin script, e.g. Digikala."
    )
    aliases_finglish: list[str] = Field(
        default_factory=list, description="Persian written in Latin letters, e.g. dijikala."
    )
    handles: list[str] = Field(default_factory=list, description="Account handles without @ (X, Instagram).")
    hashtags: list[str] = Field(default_factory=list, description="Hashtags without #, e.g. دیجی_کالا.")
    exclude: list[str] = Field(
        default_factory=list, description="Terms that mark a match as unrelated (e.g. a namesake)."
    )
    competitor: bool = Field(default=False, description="True for a competitor tracked for share of voice.")

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a brand needs a non-blank name")
        return value.strip()


class LoggingSettings(StrictModel):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] | None = Field(
        default=None, description="Lowest level of log lines written; empty: $SHENAVA_LOG_LEVEL, else INFO."
    )
    json_format: bool = Field(
        default=False, description="Write log lines as JSON objects (for log collectors) instead of text."
    )


class Settings(StrictModel):
    brands: list[BrandSettings] = Field(
        min_length=1, description="Brands (and competitors) to listen for; at least one."
    )
    timezone: str = Field(default="Asia/Tehran", description="Time zone for buckets, schedules and dates.")
    storage: StorageSettings = Field(default_factory=StorageSettings, description="Where mentions are kept.")
    sources: SourcesSettings = Field(default_factory=SourcesSettings, description="Listeners and schedules.")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Sentiment model and lexicons.")
    alerts: AlertsSettings = Field(default_factory=AlertsSettings, description="Spike and urgency rules.")
    notifications: NotificationsSettings = Field(
        default_factory=NotificationsSettings, description="Channels and routing."
    )
    digest: DigestSettings = Field(default_factory=DigestSettings, description="Daily/weekly digest.")
    logging: LoggingSettings = Field(
        default_factory=LoggingSettings, description="Log level and format; secrets are always redacted."
    )

    @field_validator("brands")
    @classmethod
    def _unique_brand_names(cls, brands: list[BrandSettings]) -> list[BrandSettings]:
        names = [b.name.casefold() for b in brands]
        repeated = sorted({b.name for b in brands if names.count(b.name.casefold()) > 1})
        if repeated:
            raise ValueError(f"brand names must be unique; repeated: {', '.join(repeated)}")
        return brands

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Tehran") from None
        return value
