"""The root settings model. Each package owns the model of its own section.

Owners: ``timezone``/``logging`` here; ``web`` → config/web.py; ``brands`` → domain/brands.py;
``storage`` → storage/settings.py; ``sources`` → listeners/settings.py; ``nlp`` → nlp/settings.py;
``alerts``, ``notifications`` and ``digest`` → alerts/settings.py. Every field carries a description
(a test checks it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from alerts.settings import AlertsSettings, DigestSettings, NotificationsSettings
from alerts.sla_settings import SlaSettings, check_sla_references
from config.distributed import DistributedSettings
from config.web import WebSettings
from domain.brands import BrandSettings
from domain.settings_base import StrictModel, known_timezone
from listeners.settings import SourcesSettings
from nlp.settings import NlpSettings
from storage.settings import StorageSettings


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
    sla: SlaSettings = Field(default_factory=SlaSettings, description="Response targets and escalation.")
    web: WebSettings = Field(default_factory=WebSettings, description="Web app: language, login, cookies.")
    logging: LoggingSettings = Field(
        default_factory=LoggingSettings, description="Log level and format; secrets are always redacted."
    )
    distributed: DistributedSettings = Field(
        default_factory=DistributedSettings, description="Scale-out: Celery workers and beat (not `run`)."
    )

    @field_validator("brands")
    @classmethod
    def _unique_brand_names(cls, brands: list[BrandSettings]) -> list[BrandSettings]:
        names = [b.name.casefold() for b in brands]
        repeated = sorted({b.name for b in brands if names.count(b.name.casefold()) > 1})
        if repeated:
            raise ValueError(f"brand names must be unique; repeated: {', '.join(repeated)}")
        known = {b.name for b in brands}
        for b in brands:
            unknown = [n for n in b.competitors or [] if n not in known or n == b.name]
            if unknown:
                raise ValueError(
                    f"brand {b.name!r} lists competitors that are not other configured brands: "
                    f"{', '.join(unknown)} (competitors name brands of this list)"
                )
        return brands

    _known_timezone = field_validator("timezone")(known_timezone)
    _sla_references = model_validator(mode="after")(check_sla_references)  # brands and channels it names
