"""Bounded work and routes that used to fail, on both backends: caps answered with a 4xx that
names them, out-of-range inputs as 422, the touchpoint aggregate, bounded metric labels, request
size limits, rate limits and the statement time limit."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shenava.api.limits import RequestLimits, TokenBuckets
from storage.limits import MAX_BUCKETS, is_timeout, limit_time
from tests.hostile.conftest import headers

ANALYST = headers("analyst")


def test_an_aggregate_past_the_bucket_cap_is_refused_by_name(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.get(
        "/api/v1/aggregates/volume",
        params={"since": "1900-01-01", "until": "2100-01-01", "bucket": "hour"},
        headers=ANALYST,
    )
    assert response.status_code == 400 and f"{MAX_BUCKETS:,}" in response.json()["detail"]
    assert time.perf_counter() - started < 2  # refused before any work
    ok = client.get(
        "/api/v1/aggregates/volume",
        params={"since": "1403-01-01", "until": "1403-03-20", "bucket": "hour"},
        headers=ANALYST,
    )
    assert ok.status_code == 200 and len(ok.json()) <= MAX_BUCKETS


@pytest.mark.parametrize("touchpoint", ["delivery", "price", "nowhere"])
def test_touchpoint_aggregate_with_a_touchpoint_filter(client: TestClient, touchpoint: str) -> None:
    response = client.get(
        "/api/v1/aggregates/touchpoints", params={"touchpoint": touchpoint}, headers=ANALYST
    )
    assert response.status_code == 200, response.text
    names = [row["touchpoint"] for row in response.json()]
    assert (touchpoint in names) == (touchpoint != "nowhere")
    ranged = client.get(
        "/api/v1/aggregates/touchpoints",
        params={"touchpoint": touchpoint, "brand": "sabzino", "since": "1403-08-01", "until": "1403-09-30"},
        headers=ANALYST,
    )
    assert ranged.status_code == 200, ranged.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"until": "9999-12-31"}, "out of the range"),
        ({"since": "0001-01-01T00:00:00+03:30"}, "out of range"),
        ({"min_followers": "9223372036854775808"}, "min_followers"),
        ({"min_followers": "-1"}, "min_followers"),
        ({"offset": str(10**20)}, "offset"),
        ({"limit": str(10**20)}, "limit"),
    ],
)
@pytest.mark.parametrize(
    "route", ["/api/v1/mentions", "/api/v1/aggregates/sentiment", "/api/v1/mentions/export"]
)
def test_out_of_range_inputs_are_422_with_a_message(
    client: TestClient, params: dict[str, str], field: str, route: str
) -> None:
    response = client.get(route, params=params, headers=ANALYST)
    assert response.status_code == 422, response.text
    assert field in response.text


def test_export_is_text_csv_in_the_schema_and_the_answer(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    export = schema["paths"]["/api/v1/mentions/export"]["get"]["responses"]
    assert "text/csv" in export["200"]["content"] and "application/json" not in export["200"]["content"]
    for route, codes in (
        ("/api/v1/mentions", {"400", "401", "403", "413", "422", "429"}),
        ("/api/v1/incidents/{item_id}/acknowledge", {"401", "403", "404", "409", "429"}),
    ):
        method = "get" if route.endswith("mentions") else "post"
        assert codes <= set(schema["paths"][route][method]["responses"])
    response = client.get("/api/v1/mentions/export", headers=ANALYST)
    assert response.headers["content-type"].startswith("text/csv")


def test_metric_labels_come_from_a_fixed_set(client: TestClient) -> None:
    for n in range(50):
        client.request(f"HACK{n}", f"/api/v1/no/such/{n}")
        client.get(f"/random/path/{n}")
    body = client.get("/metrics").text
    assert "HACK" not in body and "/random/path" not in body
    assert 'method="other"' in body and 'route="unmatched"' in body
    assert len(body) < 40_000


def test_body_and_header_limits(make_app: Callable[..., FastAPI]) -> None:
    limits = RequestLimits(max_header_bytes=4096, max_body_bytes=1024, key_burst=10**6, ip_burst=10**6)
    with TestClient(make_app(limits=limits)) as client:
        big = client.post(
            "/api/v1/incidents/1/resolve",
            headers=headers("support"),
            content=b'{"note":"' + b"x" * 5000 + b'"}',
        )
        assert big.status_code == 413 and "1,024" in big.json()["detail"]

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(10):
                yield b"x" * 200

        streamed = client.post("/api/v1/incidents/1/resolve", headers=headers("support"), content=chunks())
        assert streamed.status_code == 413
        huge = client.get("/api/v1/mentions", headers={**ANALYST, "X-Padding": "y" * 5000})
        assert huge.status_code == 431
        assert client.get("/api/v1/mentions", headers=ANALYST).status_code == 200


def test_rate_limit_per_key_and_per_address(make_app: Callable[..., FastAPI]) -> None:
    limits = RequestLimits(key_rate=0.01, key_burst=3, ip_rate=0.01, ip_burst=6)
    with TestClient(make_app(limits=limits)) as client:
        codes = [client.get("/api/v1/listeners", headers=ANALYST).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = client.get("/api/v1/listeners", headers=ANALYST)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        # another key from the same address still has its own bucket, until the address runs out
        other = [client.get("/api/v1/listeners", headers=headers("support")).status_code for _ in range(3)]
        assert other[0] == 200 and 429 in other
        assert client.get("/health").status_code == 200  # only the API is rate-limited


def test_token_buckets_refill_and_stay_bounded() -> None:
    buckets = TokenBuckets(rate=2.0, burst=2, max_tracked=100)
    assert buckets.take("a", now=0) == 0 and buckets.take("a", now=0) == 0
    assert buckets.take("a", now=0) == pytest.approx(0.5)
    assert buckets.take("a", now=0.6) == 0
    for n in range(1000):
        buckets.take(f"ip{n}", now=1)
    assert len(buckets._buckets) == 100


def test_statement_time_limit_on_both_backends(engine: Engine, backend: str) -> None:
    slow = (
        "SELECT pg_sleep(3)"
        if backend == "postgresql"
        else "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
        "SELECT count(*) FROM c"
    )
    with Session(engine) as session:
        limit_time(session, 0.3)
        started = time.perf_counter()
        with pytest.raises(OperationalError) as caught:
            session.execute(text(slow))
        assert is_timeout(caught.value) and time.perf_counter() - started < 2.5
    with Session(engine) as session:  # the next user of the pooled connection has no deadline
        assert session.execute(text("SELECT 1")).scalar_one() == 1


def test_the_api_answers_a_timeout_with_a_message(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(time_limit_s=0.0)) as client:
        response = client.get("/api/v1/aggregates/volume", params={"bucket": "day"}, headers=ANALYST)
    # SQLite checks its deadline every few thousand steps: a tiny archive may answer in time
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "limit" in response.json()["detail"]


def test_the_largest_allowed_values_are_answered(client: TestClient) -> None:
    from storage.limits import MAX_FOLLOWERS, MAX_OFFSET

    for route in ("/api/v1/mentions", "/api/v1/aggregates/touchpoints", "/api/v1/aggregates/share-of-voice"):
        response = client.get(
            route,
            params={"min_followers": MAX_FOLLOWERS, "offset": MAX_OFFSET, "until": "9999-12-30",
                    "touchpoint": "delivery", "brand": "sabzino", "text": "سبزینو"},
            headers=ANALYST,
        )  # fmt: skip
        assert response.status_code == 200, response.text
