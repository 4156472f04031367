"""The root settings model. Each package owns the model of its own section.

Owners: ``brands``/``timezone``/``logging`` here; ``storage`` → storage/settings.py;
``sources`` → listeners/settings.py; ``nlp`` → nlp/settings.py; ``alerts``, ``notifications``
and ``digest`` → alerts/settings.py. Every field carries a description (a test checks it).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from alerts.settings import AlertsSettings, DigestSettings, NotificationsSettings
from listeners.settings import SourcesSettings
from nlp.settings import NlpSettings
from storage.settings import StorageSettings


class StrictModel(BaseModel):
    """Unknown keys are errors: a typo in the YAML must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class BrandSettings(StrictModel):
    name: str = Field(description="Canonical brand name, used in storage, alerts and digests.")
    aliases_fa: list[str] = Field(default_factory=list, description="Aliases in Persian script, e.g. دیجی‌کالا.")
    aliases_latin: list[str] = Field(default_factory=list, description="Aliases in Latin script, e.g. Digikala.")
    aliases_finglish: list[str] = Field(
        default_factory=list, description="Persian written in Latin letters, e.g. dijikala."
    )
    handles: list[str] = Field(default_factory=list, description="Account handles without @ (X, Instagram).")
    hashtags: list[str] = Field(default_factory=list, description="Hashtags without #, e.g. دیجی_کالا.")
    exclude: list[str] = Field(
        default_factory=list, description="Terms that mark a match as unrelated (e.g. a namesake)."
    )
    competitor: bool = Field(default=False, description="True for a competitor tracked for share of voice.")


class Settings(StrictModel):
    brands: list[BrandSettings] = Field(description="Brands (and competitors) to listen for.")
    timezone: str = Field(default="Asia/Tehran", description="Time zone for buckets, schedules and dates.")
    storage: StorageSettings = Field(default_factory=StorageSettings, description="Where mentions are kept.")
    sources: SourcesSettings = Field(default_factory=SourcesSettings, description="Listeners and schedules.")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Sentiment model and lexicons.")
    alerts: AlertsSettings = Field(default_factory=AlertsSettings, description="Spike and urgency rules.")
    notifications: NotificationsSettings = Field(
        default_factory=NotificationsSettings, description="Channels and routing."
    )
    digest: DigestSettings = Field(default_factory=DigestSettings, description="Daily/weekly digest.")
