"""The HTTP API over a real database on both backends: roles, search, export, aggregates,
the incident workflow, health and metrics."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from shenava.api.auth import ApiKeyConfigError, ApiKeyRing
from tests.api.conftest import headers


def external_ids(client: TestClient, body: dict) -> list[str]:
    by_id = {v: k for k, v in client.ids.items()}
    return [by_id[item["id"]] for item in body["items"]]


def test_search_matches_the_archive_layer(client: TestClient) -> None:
    response = client.get(
        "/api/v1/mentions",
        params={"text": "سبزینو", "brand": "sabzino", "since": "1403-09-01", "until": "1403-09-02",
                "sentiment": "negative", "sort": "oldest"},
        headers=headers("analyst"),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 3 and external_ids(client, body) == ["a1", "a2", "c1"]
    assert body["next_offset"] is None


def test_paging(client: TestClient) -> None:
    first = client.get("/api/v1/mentions", params={"limit": 5}, headers=headers("analyst")).json()
    second = client.get(
        "/api/v1/mentions", params={"limit": 5, "offset": 5}, headers=headers("analyst")
    ).json()
    assert first["total"] == 14 and first["next_offset"] == 5 and second["next_offset"] == 10
    assert not set(external_ids(client, first)) & set(external_ids(client, second))


def test_mention_text_comes_back_as_data(client: TestClient) -> None:
    body = client.get(
        "/api/v1/mentions", params={"source": "web", "text": "معکوس"}, headers=headers("analyst")
    )
    assert body.headers["content-type"].startswith("application/json")
    (item,) = body.json()["items"]
    assert item["text"].startswith("<script>")  # JSON carries it verbatim; nothing renders it as HTML


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"text": "!!!"}, 400, "no letters or digits"),
        ({"since": "1403-13-01"}, 422, "not a valid date"),
        ({"sort": "random"}, 422, "sort"),
        ({"limit": 0}, 422, "limit"),
        ({"limit": 100000}, 422, "limit"),
        ({"sentiment": "angry"}, 422, "sentiments"),
        ({"min_followers": -1}, 422, "min_followers"),
        ({"text": "x" * 1001}, 422, "text"),
        ({"author": "ali\x00"}, 422, "control characters"),  # PostgreSQL would refuse the NUL: no 500
        ({"brand": "sabz\x1bino"}, 422, "control characters"),
    ],
)
def test_bad_input_is_a_clear_4xx(client: TestClient, params: dict, status: int, message: str) -> None:
    response = client.get("/api/v1/mentions", params=params, headers=headers("analyst"))
    assert response.status_code == status, response.text
    assert message in response.text


def test_keys_and_roles(client: TestClient) -> None:
    assert client.get("/api/v1/mentions").status_code == 401
    assert client.get("/api/v1/mentions", headers={"X-API-Key": "guess-guess-guess"}).status_code == 401
    incident = client.incidents[1]
    denied = client.post(f"/api/v1/incidents/{incident}/acknowledge", headers=headers("analyst"))
    assert denied.status_code == 403 and "support role" in denied.json()["detail"]
    assert client.get("/api/v1/keys", headers=headers("support")).status_code == 403
    keys = client.get("/api/v1/keys", headers=headers("admin")).json()
    assert keys == [{"name": "ana", "role": "analyst"}, {"name": "sam", "role": "support"},
                    {"name": "root", "role": "admin"}]  # fmt: skip
    assert "key-0123456789" not in json.dumps(keys)


def test_incident_workflow(client: TestClient) -> None:
    resolved, open_one = client.incidents
    listed = client.get("/api/v1/incidents", params={"status": "active"}, headers=headers("analyst")).json()
    assert [i["id"] for i in listed] == [open_one]
    # the touchpoints it names (its alerts', the inbox's), beside the series that opened it
    assert (listed[0]["touchpoint"], listed[0]["touchpoints"]) == ("support", ["delivery", "support"])
    old_one = client.get(f"/api/v1/incidents/{resolved}", headers=headers("analyst")).json()
    assert old_one["touchpoints"] == ["delivery"]  # none named: its series' own
    ack = client.post(f"/api/v1/incidents/{open_one}/acknowledge", headers=headers("support")).json()
    assert ack["status"] == "acknowledged" and ack["acknowledged_by"] == "sam"
    assigned = client.post(
        f"/api/v1/incidents/{open_one}/assign", json={"to": "neda"}, headers=headers("support")
    )
    assert assigned.json()["assigned_to"] == "neda"
    done = client.post(f"/api/v1/incidents/{open_one}/resolve", json={"note": "courier fixed"},
                       headers=headers("admin"))  # fmt: skip
    assert (
        done.status_code == 200
        and done.json()["status"] == "resolved"
        and done.json()["resolved_by"] == "root"
    )
    again = client.post(f"/api/v1/incidents/{resolved}/resolve", headers=headers("support"))
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]
    assert client.post("/api/v1/incidents/999999/acknowledge", headers=headers("support")).status_code == 404
    assert client.post(f"/api/v1/incidents/{open_one}/assign", json={"to": ""},
                       headers=headers("support")).status_code == 422  # fmt: skip
    one = client.get(f"/api/v1/incidents/{open_one}", headers=headers("analyst")).json()
    assert one["status"] == "resolved"


def test_export_streams_csv_and_jsonl(client: TestClient) -> None:
    response = client.get("/api/v1/mentions/export", params={"format": "csv", "touchpoint": "delivery"},
                          headers=headers("analyst"))  # fmt: skip
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["external_id"] for r in rows) == ["a1", "a6", "a7", "b1"]
    params = {"format": "jsonl", "brand": "nobank", "max_rows": 1}
    lines = client.get("/api/v1/mentions/export", params=params, headers=headers("analyst")).text.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["brands"] == ["nobank"]
    bad = client.get("/api/v1/mentions/export", params={"text": "***"}, headers=headers("analyst"))
    assert bad.status_code == 400


def test_aggregates(client: TestClient) -> None:
    days = client.get("/api/v1/aggregates/volume", params={"since": "1403-08-30", "until": "1403-09-02"},
                      headers=headers("analyst")).json()  # fmt: skip
    assert [d["total"] for d in days] == [1, 7, 5]
    assert days[1]["start"].startswith("2024-11-21T00:00:00+03:30")
    share = client.get("/api/v1/aggregates/sentiment", params={"brand": "nobank"}, headers=headers("analyst"))
    assert share.json() == {"total": 2, "negative": 1, "neutral": 0, "positive": 1, "net": 0.0}
    voice = client.get("/api/v1/aggregates/share-of-voice", params={"brand": ["sabzino", "tazeh"]},
                       headers=headers("analyst")).json()  # fmt: skip
    assert [(v["brand"], v["mentions"]) for v in voice] == [("sabzino", 11), ("tazeh", 3)]
    points = client.get("/api/v1/aggregates/touchpoints", params={"sentiment": "negative"},
                        headers=headers("analyst")).json()  # fmt: skip
    assert points[:2] == [{"touchpoint": "delivery", "mentions": 3}, {"touchpoint": "payment", "mentions": 2}]
    bad = client.get("/api/v1/aggregates/volume", params={"bucket": "week"}, headers=headers("analyst"))
    assert bad.status_code == 422


def test_listeners_health_metrics_and_docs(client: TestClient) -> None:
    assert client.get("/api/v1/listeners", headers=headers("analyst")).json() == []
    assert client.get("/health").json() == {"status": "ok", "database": "ok"}
    client.get("/api/v1/mentions", headers=headers("analyst"))
    metrics = client.get("/metrics").text
    assert 'shenava_http_requests_total{method="GET",route="/api/v1/mentions",status="200"}' in metrics
    assert "shenava_mentions_stored 14.0" in metrics and "shenava_incidents_active 1.0" in metrics
    assert "/api/v1/incidents/{item_id}/resolve" in client.get("/openapi.json").text
    docs = client.get("/docs")
    assert docs.status_code == 200 and "default-src 'none'" in docs.headers["content-security-policy"]
    # Swagger UI from this server's own files: no CDN, nothing fetched from another host
    assert re.findall(r'(?:src|href)="([^"]+)"', docs.text) == [
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/favicon-32x32.png",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
    ], docs.text
    assert "http" not in docs.text  # no absolute URL anywhere in the page
    assert '"validatorUrl": null' in docs.text  # and no badge fetched from validator.swagger.io
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert client.get("/redoc").status_code == 404  # ReDoc has no local copy: off, not half-working


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("ana:reader:abcdefghijklmnopq", "role must be one of"),
        ("ana:analyst:short", "at least 16"),
        ("ana:analyst:sha256:xyz", "64 hex digits"),
        ("justakey", "expected name:role:key"),
        ("a:analyst:abcdefghijklmnopq;a:admin:abcdefghijklmnopqr", "unique"),
    ],
)
def test_bad_key_config_is_clear_and_never_echoes_keys(spec: str, message: str) -> None:
    with pytest.raises(ApiKeyConfigError, match=message) as caught:
        ApiKeyRing.parse(spec)
    assert "abcdefghijklmnopq" not in str(caught.value)


def test_database_down_is_a_503_not_a_crash(ring: ApiKeyRing) -> None:
    from config.settings import Settings
    from domain.brands import BrandSettings
    from shenava.api import create_app
    from storage.db import create_engine_from_url

    engine = create_engine_from_url("postgresql+psycopg://postgres@127.0.0.1:9/nothing", connect_args={
        "connect_timeout": 2})  # fmt: skip
    app = create_app(Settings(brands=[BrandSettings(name="sabzino")]), engine, ring)
    with TestClient(app, raise_server_exceptions=False) as client:
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "degraded"
        assert "shenava_database_up 0.0" in client.get("/metrics").text
        failed = client.get("/api/v1/mentions", headers=headers("analyst"))
        assert failed.status_code == 503 and "database unavailable" in failed.json()["detail"]
    engine.dispose()
