"""``GET /api/v1/sla`` and the inbox's SLA panel and row order, on SQLite and PostgreSQL (issue 12).

The figures come from records the tracker judged; the inbox orders active items by their SLA
deadline (overdue first), then severity, and says «گذشته» on an overdue row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts import workflow
from alerts.sla_tracker import SlaTracker
from config.settings import Settings
from domain.brands import BrandSettings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from tests.alerts.builders import stored_incident
from tests.web.conftest import add_people, log_in

KEYS = "ana:analyst:analyst-key-123456; sam:support:support-key-123456"


def settings() -> Settings:
    return Settings(
        brands=[
            BrandSettings(name="sabzino", aliases_fa=["سبزینو"]),
            BrandSettings(name="nobank", aliases_fa=["نوبانک"]),
        ],
        sla={"brands": {"nobank": {"acknowledge_minutes": 25}}},
        web={"live_poll_seconds": 0.2},
    )


def _incident(engine: Engine, raised: datetime, brand: str, severity: str = "high") -> int:
    with Session(engine) as session, session.begin():
        row = stored_incident(session, raised=raised, brand=brand)
        row.severity = severity
        return row.id


@pytest.fixture
def judged(engine: Engine) -> dict[str, int]:
    """Four incidents: two answered in time, one late, one overdue and unanswered (its deadline has
    passed now), and one whose clock still runs; judged by a tracker pass at 'now'."""
    now = datetime.now(UTC)
    start = now - timedelta(days=3)  # every 10-25 working-minute deadline from then has passed
    ids = {
        "fast": _incident(engine, start, "sabzino"),
        "slow": _incident(engine, start, "sabzino"),
        "ali": _incident(engine, start, "nobank"),
        "overdue": _incident(engine, start, "sabzino", "low"),
        "fresh": _incident(engine, now, "sabzino", "critical"),
    }
    tracker = SlaTracker.from_settings(settings(), engine)
    tracker.run(start)  # the deadlines are set while every clock runs
    due = tracker.policy.deadline("incident", "sabzino", start)
    with Session(engine) as session, session.begin():
        workflow.acknowledge(session, "incident", ids["fast"], by="sara", at=start + timedelta(minutes=2))
        workflow.acknowledge(session, "incident", ids["slow"], by="sara", at=due + timedelta(minutes=1))
        workflow.acknowledge(session, "incident", ids["ali"], by="ali", at=start + timedelta(minutes=20))
    tracker.run(now)
    return ids


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    add_people(engine)
    with TestClient(create_app(settings(), engine, ApiKeyRing.parse(KEYS))) as c:
        yield c


def test_sla_figures_per_brand_and_agent(client: TestClient, judged: dict[str, int]) -> None:
    answer = client.get("/api/v1/sla", headers={"X-API-Key": "analyst-key-123456"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    brands = {b["name"]: (b["met"], b["breached"], b["met_percent"]) for b in body["brands"]}
    # sabzino: fast met, slow late, overdue unanswered (fresh runs: not judged, and not due yet)
    assert brands["sabzino"] == (1, 2, 33.3)
    assert brands["nobank"] == (1, 0, 100.0)  # 20 minutes, within its own 25-minute target
    agents = {a["name"]: (a["met"], a["breached"]) for a in body["agents"]}
    assert agents == {"ali": (1, 0), "sara": (1, 1), None: (0, 1)}
    assert (body["overall"]["met"], body["overall"]["breached"]) == (2, 2)
    targets = {t["brand"]: t for t in body["targets"]}
    assert (
        targets["nobank"]["acknowledge_minutes"] == 25 and targets["sabzino"]["first_response_minutes"] == 15
    )
    one = client.get("/api/v1/sla?brand=nobank&kind=incident", headers={"X-API-Key": "support-key-123456"})
    assert [b["name"] for b in one.json()["brands"]] == ["nobank"]
    assert (
        client.get("/api/v1/sla?kind=urgent", headers={"X-API-Key": "analyst-key-123456"}).json()["brands"]
        == []
    )


def test_sla_route_refuses_bad_input_and_missing_keys(client: TestClient) -> None:
    assert client.get("/api/v1/sla").status_code == 401
    headers = {"X-API-Key": "analyst-key-123456"}
    bad = client.get("/api/v1/sla?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", headers=headers)
    assert bad.status_code == 400 and "since" in bad.json()["detail"]
    assert client.get("/api/v1/sla?days=0", headers=headers).status_code == 422
    edge = client.get("/api/v1/sla?until=0001-01-01T00:30:00%2B01:00", headers=headers)
    assert edge.status_code == 400 and "range" in edge.json()["detail"]
    assert client.get("/api/v1/sla?kind=other", headers=headers).status_code == 422
    empty = client.get("/api/v1/sla", headers=headers).json()
    assert empty["brands"] == [] and empty["overall"]["met_percent"] is None
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/sla"]["get"]
    assert {"200", "400", "401", "403", "422", "429", "503"} <= set(operation["responses"])


def test_inbox_orders_by_deadline_and_shows_overdue(client: TestClient, judged: dict[str, int]) -> None:
    log_in(client, "sara")
    page = client.get("/inbox").text
    keys = re.findall(r'data-key="(incident:\d+)"', page)
    # active ones: overdue (deadline passed) before fresh (running) though fresh is critical; the
    # acknowledged ones (their SLA met or late) follow by severity
    assert keys.index(f"incident:{judged['overdue']}") < keys.index(f"incident:{judged['fresh']}")
    assert keys.index(f"incident:{judged['fresh']}") < min(
        keys.index(f"incident:{judged[name]}") for name in ("fast", "slow", "ali")
    )
    overdue = re.search(rf'id="sla-incident-{judged["overdue"]}"[^>]*>([^<]*)<', page)
    assert overdue and overdue.group(1) == "گذشته"
    fresh = re.search(rf'id="sla-incident-{judged["fresh"]}"[^>]*>([^<]*)<', page)
    assert fresh and "مانده" in fresh.group(1)
    panel = re.search(r'<section class="sla-panel".*?</section>', page, re.S)
    assert panel and 'data-overdue="1"' in panel.group(0)
    assert "سبزینو: ۳۳٪ (۱ از ۳)" in panel.group(0) and "نوبانک: ۱۰۰٪ (۱ از ۱)" in panel.group(0)
    assert "sara: ۵۰٪ (۱ از ۲)" in panel.group(0)
    assert "پاسخ در مهلت" in panel.group(0)
