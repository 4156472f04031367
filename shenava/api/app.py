"""The HTTP API (FastAPI; OpenAPI docs at /docs): archive search and export, aggregates,
incidents, listener status, health and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from shenava.api.auth import ApiKeyRing
from shenava.api.metrics import ApiMetrics
from storage.query import SearchError


def create_app(settings: Any, engine: Engine, keys: ApiKeyRing | None = None) -> FastAPI:
    """An app over ``engine``; ``keys`` default to ``SHENAVA_API_KEYS`` from the environment."""
    from shenava.api import routes_mentions, routes_support

    app = FastAPI(
        title="Shenava API",
        description="Persian-first social listening: archive search, aggregates and the support workflow. "
        "Send your key in the X-API-Key header. Dates: Jalali (1403-09-01) or ISO; days are Asia/Tehran.",
        version="1",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.keys = keys if keys is not None else ApiKeyRing.from_env()
    metrics = ApiMetrics(engine)
    app.middleware("http")(metrics.middleware)
    app.include_router(routes_mentions.router)
    app.include_router(routes_support.router)
    from shenava.web.app import mount_web  # the pages (support inbox) share the app, its database and port

    mount_web(app, settings)

    @app.get("/health", tags=["ops"], summary="Liveness and database reachability")
    def health() -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure means "not ready", with its kind only
            return JSONResponse({"status": "degraded", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics", response_class=PlainTextResponse)
    def prometheus() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.exception_handler(SearchError)
    async def unsearchable(request: Request, exc: SearchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> JSONResponse:
        import logging

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
