"""Settings of the ``storage`` section (owned by storage/)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        default="sqlite:///var/shenava.db",
        description="SQLAlchemy URL. SQLite (embedded default) or postgresql+psycopg://… for production.",
    )
