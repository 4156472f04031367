"""A real app over a real, populated archive (both backends), with the API keys of tests/api."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.api.limits import RequestLimits
from storage.repository import MentionStore
from tests.api.conftest import KEYS, headers  # noqa: F401  (re-exported for the suites here)
from tests.archive.corpus import save_corpus, save_incidents

#: generous enough that no suite but the rate-limit test ever meets them
RELAXED = RequestLimits(key_rate=10_000, key_burst=100_000, ip_rate=10_000, ip_burst=100_000)


@pytest.fixture
def ring() -> ApiKeyRing:
    return ApiKeyRing.parse(
        f"ana:analyst:{KEYS['analyst']}; sam:support:{KEYS['support']}; root:admin:{KEYS['admin']}"
    )


@pytest.fixture
def make_app(engine: Engine, store: MentionStore, ring: ApiKeyRing) -> Callable[..., FastAPI]:
    save_corpus(store)
    save_incidents(engine)
    settings = Settings(brands=[BrandSettings(name="sabzino"), BrandSettings(name="tazeh", competitor=True)])

    def make(**options: object) -> FastAPI:
        options.setdefault("limits", RELAXED)
        return create_app(settings, engine, ring, **options)  # type: ignore[arg-type]

    return make


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client
