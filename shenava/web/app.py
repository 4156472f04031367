"""The web app inside the API's FastAPI app: pages, static assets, security headers, error pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from alerts.brand_terms import brand_words
from alerts.messages import brand_display_names
from alerts.own_accounts import own_handles
from config.web import WebSettings
from shenava.web.errors import Conflict, NotFound
from shenava.web.live import ChangeWatcher
from shenava.web.messages import translator
from shenava.web.security import security_headers
from shenava.web.sessions import CsrfRejected, Forbidden, LoginRequired
from shenava.web.templating import render

STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass
class WebState:
    settings: WebSettings
    tz: str
    brands: list[str]
    #: brand → the name people read in the pages' language: its first Persian alias, or on an English
    #: page its first Latin one (as the English alerts name it)
    brand_names: dict[str, str]
    watcher: ChangeWatcher
    #: brand → its name in each reply language: a suggested reply names the brand in its own language
    reply_brand_names: dict[str, dict[str, str]] = field(default_factory=dict)
    reply_senders: dict[str, Any] = field(default_factory=dict)  # source → sender (API or stand-in)
    #: every word naming a configured brand (names, aliases, handles, hashtags), kept out of top terms
    brand_words: frozenset[str] = frozenset()
    #: the configured brands' own handles: an incident's chart counts customers, as its detector did
    own_handles: frozenset[str] = frozenset()


def mount_web(app: FastAPI, settings: Any) -> None:
    """Add the pages to ``app`` (which already has ``state.sessions`` from the API)."""
    from shenava.web import routes_auth, routes_explore, routes_inbox, routes_searches, routes_teams

    web_settings = getattr(settings, "web", None) or WebSettings()
    app.state.web = WebState(
        settings=web_settings,
        tz=getattr(settings, "timezone", "Asia/Tehran"),
        brands=[b.name for b in getattr(settings, "brands", [])],
        brand_names=brand_display_names(getattr(settings, "brands", []), web_settings.language),
        reply_brand_names={
            lang: brand_display_names(getattr(settings, "brands", []), lang) for lang in ("fa", "en")
        },
        watcher=ChangeWatcher(app.state.sessions, web_settings.live_poll_seconds),
        reply_senders=_reply_senders(settings, web_settings),
        brand_words=brand_words(getattr(settings, "brands", [])),
        own_handles=own_handles(getattr(settings, "brands", [])),
    )
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_inbox.router)
    app.include_router(routes_explore.router)
    app.include_router(routes_searches.router)
    app.include_router(routes_teams.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/inbox", status_code=303)

    t = translator(web_settings.language)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = f"/login?next={_quote(target)}" if request.method == "GET" else "/login"
        if request.headers.get("HX-Request"):  # htmx swaps redirects in place; ask for a full load
            return Response(status_code=401, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", status_code=403, message=t("error.forbidden", role=exc.role))

    @app.exception_handler(CsrfRejected)
    async def csrf(request: Request, exc: CsrfRejected) -> Response:
        return render(request, "error.html", status_code=403, message=t("error.csrf"))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return render(request, "error.html", status_code=404, message=t("error.not_found"))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> Response:
        return render(request, "error.html", status_code=409, message=t("error.conflict", detail=str(exc)))


def _reply_senders(settings: Any, web_settings: WebSettings) -> dict[str, Any]:
    from shenava.replies.senders import LocalReplySender, build_senders

    if getattr(settings, "sources", None) is None:  # a bare settings object: the stand-in only
        path = Path(web_settings.reply_standin_file)
        return {name: LocalReplySender(name, path) for name in ("x", "instagram")}
    return build_senders(settings)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
