from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing, hash_key
from storage.repository import MentionStore
from tests.archive.corpus import save_corpus, save_incidents

KEYS = {
    "analyst": "analyst-key-0123456789",
    "support": "support-key-0123456789",
    "admin": "admin-key-0123456789",
}


def headers(role: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[role]}


@pytest.fixture
def ring() -> ApiKeyRing:
    # analysts' key configured by hash only, the others as keys: both forms work
    return ApiKeyRing.parse(
        f"ana:analyst:sha256:{hash_key(KEYS['analyst'])}; sam:support:{KEYS['support']}\n"
        f"root:admin:{KEYS['admin']}"
    )


@pytest.fixture
def client(engine: Engine, store: MentionStore, ring: ApiKeyRing) -> Iterator[TestClient]:
    """A real app over a real, populated database (both backends)."""
    ids = save_corpus(store)
    incidents = save_incidents(engine)
    settings = Settings(brands=[BrandSettings(name="sabzino"), BrandSettings(name="tazeh", competitor=True)])
    with TestClient(create_app(settings, engine, ring)) as test_client:
        test_client.ids = ids  # type: ignore[attr-defined]
        test_client.incidents = incidents  # type: ignore[attr-defined]
        yield test_client
