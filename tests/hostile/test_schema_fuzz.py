"""Schemathesis over the OpenAPI schema: every route, generated requests, sent with every role's
key and with none, against the real app on a real SQLite archive. No answer may be a 5xx, and
every answer (status, content type, headers, body) must be one the schema describes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.settings import Settings
from domain.brands import BrandSettings
from nlp.normalize import normalize_for_search
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.db import create_engine_from_url, init_db
from storage.query_normalizer import use_query_normalizer
from storage.repository import MentionStore
from tests.archive.corpus import save_corpus, save_incidents
from tests.hostile.conftest import KEYS, RELAXED

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ROLES = ["analyst", "support", "admin", None]
EXAMPLES = 8  # per route and role (the suite takes about a minute on SQLite)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    use_query_normalizer(normalize_for_search)
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'shenava.db'}"
    init_db(url)
    engine = create_engine_from_url(url)
    save_corpus(MentionStore(engine))
    save_incidents(engine)
    ring = ApiKeyRing.parse(";".join(f"{r}-key:{r}:{k}" for r, k in KEYS.items()))
    settings_ = Settings(brands=[BrandSettings(name="sabzino"), BrandSettings(name="tazeh", competitor=True)])
    yield create_app(settings_, engine, ring, limits=RELAXED)
    engine.dispose()


@pytest.fixture(scope="module")
def api_schema(api_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-key")
def test_every_route_every_role(api_schema: schemathesis.BaseSchema, role: str | None) -> None:
    headers = {"X-API-Key": KEYS[role]} if role else {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: schemathesis.Case) -> None:
            statuses[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1

        run()
    # the requests really reached the routes: answered, and refused where the role says so
    assert sum(statuses.values()) >= len(operations) * 2
    assert (401 in statuses) == (role is None) and 200 in statuses  # /health, /metrics need no key
    assert (403 in statuses) == (role in ("analyst", "support"))
