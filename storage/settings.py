"""Settings of the ``storage`` section (owned by storage/)."""

from __future__ import annotations

from pydantic import Field, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from domain.settings_base import StrictModel


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
