"""Settings and engines for the alert tests (database fixtures come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from storage.db import create_engine_from_url, init_db


def make_settings(tmp_path: Path, **sections: Any) -> Settings:
    data: dict[str, Any] = {
        "brands": [
            BrandSettings(name="sabzino", aliases_fa=["سبزینو"], handles=["sabzino", "sabzino_support"]),
            BrandSettings(name="tazeh", aliases_fa=["تازه‌مارکت"], handles=["tazeh"], competitor=True),
        ],
        "notifications": {
            "channels": [{"type": "file", "name": "file", "path": str(tmp_path / "alerts.jsonl")}]
        },
    }
    data.update(sections)
    return Settings.model_validate(data)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database, for tests whose subject does not depend on the backend."""
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    yield engine
    engine.dispose()
