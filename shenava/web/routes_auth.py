"""Log in and out. Failed logins are audited, and the audit log is also the rate limiter: an
account or an address with ``web.login_attempts`` failures in the window is refused for a while,
in every process serving the app (they share the database).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from shenava.web import accounts
from shenava.web.deps import Db, PostedForm, logged_in
from shenava.web.messages import translator
from shenava.web.security import client_ip
from shenava.web.sessions import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    LoginRequired,
    check_csrf,
    end,
    login_csrf,
    secure_cookie,
    set_cookie,
    start,
)
from shenava.web.templating import render
from storage import audit

router = APIRouter(include_in_schema=False)
FAILED = "login.failed"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//evil`` or ``https://…`` (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and len(target) < 500:
        return target
    return "/inbox"


def _login_page(request: Request, *, error: str | None, name: str, next_: str, status: int) -> Response:
    csrf = login_csrf(request)
    web = request.app.state.web
    response = render(
        request, "login.html", status_code=status, error=error, name=name, next=_safe_next(next_), csrf=csrf
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        httponly=True,
        samesite="strict",
        secure=secure_cookie(request, web.settings),
        path="/login",
    )
    return response


@router.get("/login")
def login_form(
    request: Request, session: Db, next_: Annotated[str | None, Query(alias="next", max_length=1000)] = None
) -> Response:
    try:
        logged_in(request, session)
    except LoginRequired:
        return _login_page(request, error=None, name="", next_=next_ or "/inbox", status=200)
    return RedirectResponse(_safe_next(next_), status_code=303)


@router.post("/login")
def login(
    request: Request,
    session: Db,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next_: Annotated[str, Form(alias="next", max_length=1000)] = "/inbox",
) -> Response:
    web = request.app.state.web
    t = translator(web.settings.language)
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE) or "", csrf_token)
    ip = client_ip(request)
    name = name.strip()
    target = f"account:{name[:64]}"
    window = timedelta(minutes=web.settings.login_window_minutes)
    limit = web.settings.login_attempts
    if (
        audit.count_recent(session, FAILED, since=window, target=target) >= limit
        or audit.count_recent(session, FAILED, since=window, ip=ip) >= limit
    ):
        audit.record(session, actor="-", action="login.limited", target=target, ip=ip)
        session.commit()
        return _login_page(request, error=t("login.limited"), name=name, next_=next_, status=429)
    account = accounts.verify(session, name, password)
    if account is None:
        audit.record(session, actor="-", action=FAILED, target=target, ip=ip)
        session.commit()
        return _login_page(request, error=t("login.failed"), name=name, next_=next_, status=401)
    token, _ = start(session, account, web.settings, ip)
    audit.record(session, actor=account.name, action="login", target=f"account:{account.name}", ip=ip)
    session.commit()
    response = RedirectResponse(_safe_next(next_), status_code=303)
    set_cookie(response, request, token, web.settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, session: Db, form: PostedForm) -> Response:
    login = logged_in(request, session)
    end(session, request)
    audit.record(
        session,
        actor=login.user.name,
        action="logout",
        target=f"account:{login.user.name}",
        ip=client_ip(request),
    )
    session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
