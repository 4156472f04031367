"""The saved-searches API (``/api/v1/saved-searches``) on both backends: who may do what, a bad query
answered with the column of its mistake, a name taken, sharing, and the hours a rule fired for."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from storage.saved_searches import SavedSearchFiring
from tests.web.conftest import web_settings

KEYS = {
    "analyst": "analyst-key-0123456789",
    "support": "support-key-0123456789",
    "admin": "admin-key-0123456789",
}
BASE = "/api/v1/saved-searches"


def as_(role: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[role]}


@pytest.fixture
def api(engine: Engine) -> Iterator[TestClient]:
    ring = ApiKeyRing.parse(
        f"ana:analyst:{KEYS['analyst']}; sam:support:{KEYS['support']}; root:admin:{KEYS['admin']}"
    )
    with TestClient(create_app(web_settings(), engine, ring)) as client:
        yield client


def test_analysts_manage_support_reads(api: TestClient, engine: Engine) -> None:
    body = {"name": "دیرکرد", "query": "brand:sabzino دیر", "sharing": "everyone", "rule_enabled": True,
            "rule_per_hour": 5}  # fmt: skip
    created = api.post(BASE, json=body, headers=as_("analyst"))
    assert created.status_code == 201, created.text
    search = created.json()
    assert search["owner"] == "ana" and search["rule_per_hour"] == 5 and search["rule_min_followers"] is None
    sid = search["id"]

    assert api.post(BASE, json={**body, "name": "x"}, headers=as_("support")).status_code == 403
    assert api.put(f"{BASE}/{sid}", json=body, headers=as_("support")).status_code == 403
    assert api.delete(f"{BASE}/{sid}", headers=as_("support")).status_code == 403
    assert [s["id"] for s in api.get(BASE, headers=as_("support")).json()] == [sid]  # shared with everyone
    assert api.get(f"{BASE}/{sid}", headers=as_("support")).json()["name"] == "دیرکرد"

    changed = api.put(f"{BASE}/{sid}", json={**body, "rule_min_followers": 10_000}, headers=as_("analyst"))
    assert changed.status_code == 200 and changed.json()["rule_min_followers"] == 10_000
    assert api.post(BASE, json=body, headers=as_("analyst")).status_code == 409  # the name is taken

    with Session(engine) as session, session.begin():
        now = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
        session.add(
            SavedSearchFiring(search_id=sid, rule="per_hour", window_start=now, count=5, fired_at=now)
        )
    (fired,) = api.get(f"{BASE}/{sid}/alerts", headers=as_("support")).json()
    assert fired["rule"] == "per_hour" and fired["count"] == 5

    assert api.delete(f"{BASE}/{sid}", headers=as_("admin")).status_code == 204  # an admin may delete any
    assert api.get(f"{BASE}/{sid}", headers=as_("analyst")).status_code == 404


def test_private_searches_stay_private(api: TestClient) -> None:
    sid = api.post(BASE, json={"name": "mine", "query": "دیر"}, headers=as_("analyst")).json()["id"]
    assert api.get(BASE, headers=as_("admin")).json() == []
    assert api.get(f"{BASE}/{sid}", headers=as_("support")).status_code == 404
    assert api.put(f"{BASE}/{sid}", json={"name": "x", "query": "y"}, headers=as_("admin")).status_code == 404


def test_a_bad_query_points_at_its_mistake(api: TestClient) -> None:
    answer = api.post(BASE, json={"name": "bad", "query": "سبزینو AND (دیر"}, headers=as_("analyst"))
    assert answer.status_code == 422
    (item,) = answer.json()["detail"]
    assert item["loc"] == ["body", "query"] and item["column"] == 16 and "column 16" in item["msg"]
    rule = api.post(BASE, json={"name": "r", "query": "دیر", "rule_enabled": True}, headers=as_("analyst"))
    assert rule.status_code == 422 and rule.json()["detail"][0]["loc"] == ["body", "rule_per_hour"]
    assert (
        api.post(
            BASE, json={"name": "n", "query": "دیر", "rule_per_hour": 0}, headers=as_("analyst")
        ).status_code
        == 422
    )
    assert api.get(BASE, headers=as_("analyst")).json() == []
