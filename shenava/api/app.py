"""The HTTP API (FastAPI; OpenAPI docs at /docs): archive search and export, aggregates,
incidents, listener status, health and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import sessionmaker

from shenava.api.auth import ApiKeyRing
from shenava.api.limits import RequestLimits
from shenava.api.limits import install as install_limits
from shenava.api.metrics import ApiMetrics
from shenava.api.responses import LIMITS
from storage.limits import REQUEST_TIME_LIMIT_S, is_timeout, time_limit_message
from storage.query import SearchError


def create_app(
    settings: Any,
    engine: Engine,
    keys: ApiKeyRing | None = None,
    *,
    limits: RequestLimits | None = None,
    time_limit_s: float = REQUEST_TIME_LIMIT_S,
) -> FastAPI:
    """An app over ``engine``; ``keys`` default to ``SHENAVA_API_KEYS`` from the environment;
    ``limits`` (request sizes and rates) and ``time_limit_s`` (per request) default to the documented caps."""
    from shenava.api import (
        routes_corrections,
        routes_deadletters,
        routes_mentions,
        routes_privacy,
        routes_saved_searches,
        routes_sla,
        routes_support,
    )

    app = FastAPI(
        title="Shenava API",
        description="Persian-first social listening: archive search, aggregates and the support workflow. "
        "Send your key in the X-API-Key header. Dates: Jalali (1403-09-01) or ISO; days are Asia/Tehran.",
        version="1",
        docs_url=None,  # served from local files below (shenava.api.docs), not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.keys = keys if keys is not None else ApiKeyRing.from_env()
    app.state.time_limit_s = time_limit_s
    install_limits(app, limits)  # inside the metrics middleware: refused requests are counted too
    metrics = ApiMetrics(engine)
    app.middleware("http")(metrics.middleware)
    app.include_router(routes_mentions.router)
    app.include_router(routes_support.router)
    app.include_router(routes_privacy.router)
    app.include_router(routes_corrections.router)
    app.include_router(routes_deadletters.router)
    app.include_router(routes_sla.router)
    app.include_router(routes_saved_searches.router)
    from shenava.api.docs import mount_docs
    from shenava.web.app import mount_web  # the pages (support inbox) share the app, its database and port

    mount_web(app, settings)
    mount_docs(app)

    @app.get(
        "/health",
        tags=["ops"],
        summary="Liveness and database reachability",
        responses={**LIMITS, 503: {"description": "The database did not answer (its error kind only)."}},
    )
    def health() -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure means "not ready", with its kind only
            return JSONResponse({"status": "degraded", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @app.get(
        "/metrics",
        tags=["ops"],
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        responses={
            **LIMITS,
            200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}},
        },
    )
    def prometheus() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.exception_handler(SearchError)
    async def unsearchable(request: Request, exc: SearchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # a value the database cannot hold (validation should have caught it): the caller's input
        return JSONResponse({"detail": "a value is out of the range the archive can store"}, status_code=422)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> JSONResponse:
        import logging

        if is_timeout(exc):
            return JSONResponse({"detail": time_limit_message(time_limit_s)}, status_code=400)
        logging.getLogger("shenava.api").warning(
            "database unavailable on %s: %s", request.url.path, type(exc.orig)
        )
        return JSONResponse({"detail": "database unavailable, try again shortly"}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:  # never a stack trace to clients
        import logging

        logging.getLogger("shenava.api").exception("unhandled error on %s", request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app
