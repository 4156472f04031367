"""Prometheus metrics: request counts and latency (per route template), plus archive gauges
read from the database at scrape time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine, func, select
from starlette.requests import Request
from starlette.responses import Response

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


class ArchiveCollector:
    """Mentions stored, active incidents, listener failures: cheap queries, run on each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from sqlalchemy.orm import Session

        from shenava.service.health import listener_health
        from storage.models import Incident, Mention

        try:
            with Session(self.engine) as session:
                mentions = session.execute(select(func.max(Mention.id))).scalar() or 0
                active = session.execute(
                    select(func.count()).select_from(Incident).where(Incident.status != "resolved")
                ).scalar_one()
                states = [(h.key, h.consecutive_failures) for h in listener_health(session) if h.has_run]
        except Exception:  # the database being down is what /health reports; metrics stay up
            up = GaugeMetricFamily("shenava_database_up", "1 when the archive database answered the scrape.")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("shenava_database_up", "1 when the archive database answered the scrape.")
        up.add_metric([], 1)
        yield up
        stored = GaugeMetricFamily(
            "shenava_mentions_stored", "Highest stored mention id (≈ mentions stored)."
        )
        stored.add_metric([], mentions)
        yield stored
        incidents = GaugeMetricFamily("shenava_incidents_active", "Incidents not yet resolved.")
        incidents.add_metric([], active)
        yield incidents
        failures = GaugeMetricFamily(
            "shenava_listener_consecutive_failures",
            "Failed runs in a row, per listener.",
            labels=["listener"],
        )
        for key, count in states:
            failures.add_metric([key], count or 0)
        yield failures


class ApiMetrics:
    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "shenava_http_requests",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shenava_http_request_seconds", "HTTP request latency.", ["route"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5),
        )  # fmt: skip
        self.registry.register(ArchiveCollector(engine))

    async def middleware(self, request: Request, call_next: Callable[[Request], Any]) -> Response:
        start = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = request.scope.get("route")
            # the route template (/api/v1/incidents/{item_id}), never the raw path: bounded labels
            name = getattr(route, "path", "unmatched")
            # any string can be sent as a method: only the standard ones become labels
            method = request.method if request.method in HTTP_METHODS else "other"
            self.requests.labels(method, name, str(status)).inc()
            self.latency.labels(name).observe(time.perf_counter() - start)
