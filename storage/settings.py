"""Settings of the ``storage`` section (owned by storage/)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from domain.settings_base import StrictModel


class RetentionRule(StrictModel):
    """Mentions older than ``days`` (of one source and/or brand; none: all) are deleted or anonymised."""

    source: str | None = Field(default=None, description="Only this source (x, instagram, web…); none: any.")
    brand: str | None = Field(default=None, description="Only mentions naming this brand; none: any.")
    days: int = Field(ge=1, le=36_500, description="Keep mentions this many days (by their own date).")
    action: Literal["delete", "anonymise"] = Field(
        default="delete",
        description="delete: the mention and everything quoting it go (daily counts are kept); "
        "anonymise: author, URL, raw payload and platform id are removed, text and analysis stay.",
    )


class RetentionSettings(StrictModel):
    rules: list[RetentionRule] = Field(
        default_factory=list,
        description="Retention rules; a mention goes when the first matching rule expires.",
    )
    interval_hours: float = Field(
        default=24.0, gt=0, le=24 * 30, description="How often the service applies the rules."
    )

    @model_validator(mode="after")
    def _distinct(self) -> RetentionSettings:
        keys = [(r.source, r.brand, r.action) for r in self.rules]
        if len(set(keys)) != len(keys):
            raise ValueError("two retention rules with the same source, brand and action")
        return self


class StorageSettings(StrictModel):
    url: str = Field(
        default="sqlite:///var/shenava.db",
        description="SQLAlchemy URL. SQLite (embedded default, path relative to the working directory) or "
        "postgresql+psycopg://user@host/db for production. A URL with a password belongs in the "
        "environment variable SHENAVA_DATABASE_URL, which overrides this key.",
    )

    @field_validator("url")
    @classmethod
    def _supported_url(cls, value: str) -> str:
        try:
            url = make_url(value.strip())
        except ArgumentError:
            raise ValueError(
                "not a database URL; expected sqlite:///path/to/file.db or postgresql+psycopg://user@host/db"
            ) from None
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {backend!r}; Shenava stores in sqlite or postgresql")
        if backend == "sqlite" and not url.database:
            raise ValueError("a SQLite URL needs a file path, e.g. sqlite:///var/shenava.db")
        if backend == "postgresql" and not url.database:
            raise ValueError(
                "a PostgreSQL URL needs a database name, e.g. postgresql+psycopg://user@host/shenava"
            )
        return value.strip()

    retention: RetentionSettings = Field(
        default_factory=RetentionSettings,
        description="How long mentions are kept, per source and brand (shenava privacy retention).",
    )
